package io.pontoon.core.queue;

import io.pontoon.core.CoreConfig;
import io.pontoon.core.error.BrokerException;
import io.pontoon.core.partition.EntryContext;
import io.pontoon.core.partition.Model;
import io.pontoon.core.partition.PartitionCommand;
import io.pontoon.core.partition.PartitionModel;
import io.pontoon.core.partition.PartitionQuery;
import io.pontoon.core.partition.PartitionResult;
import io.pontoon.core.partition.QueryResult;
import io.pontoon.core.partition.StoreView;

/** The queue model (SQS) of a partition: its commands, Tick work and queries. */
public final class QueueModel implements PartitionModel {
    private final CoreConfig config;

    public QueueModel(CoreConfig config) {
        this.config = config;
    }

    @Override
    public Model model() {
        return Model.QUEUE;
    }

    @Override
    public EntryApplier begin(EntryContext entry) {
        QueueContext ctx = new QueueContext(entry, config);
        return new EntryApplier() {
            @Override
            public PartitionResult apply(PartitionCommand command) {
                return QueueModel.apply(ctx, (QueueCommand) command);
            }

            @Override
            public int tick() {
                return RetentionSweep.tick(ctx);
            }

            @Override
            public void afterCommand() {
                ctx.reindexTouchedGroups();
            }
        };
    }

    @Override
    public QueryResult query(StoreView view, PartitionQuery query, long nowMs) {
        QueueQuery q = (QueueQuery) query;
        try {
            QueueValidator.validate(q);
        } catch (BrokerException e) {
            return new QueryResult.Error(e.code(), e.getMessage());
        }
        return QueueQueries.answer(view, q, nowMs, config);
    }

    /**
     * Re-validates first (before any write), so a command that skipped the server's checks becomes a
     * deterministic Error result rather than bad state; validation is pure, so every replica agrees.
     */
    private static PartitionResult apply(QueueContext ctx, QueueCommand command) {
        try {
            QueueValidator.validate(command);
        } catch (BrokerException e) {
            return new PartitionResult.Error(e.code(), e.getMessage());
        }
        return switch (command) {
            case QueueCommand.CreateQueue c -> QueueAdmin.create(ctx, c);
            case QueueCommand.DeleteQueue d -> QueueAdmin.delete(ctx, d);
            case QueueCommand.SetQueueAttributes s -> QueueAdmin.setAttributes(ctx, s);
            case QueueCommand.PurgeQueue p -> QueueAdmin.purge(ctx, p);
            case QueueCommand.SendMessages s -> MessageSend.send(ctx, s);
            case QueueCommand.ReceiveMessages r -> MessageReceive.receive(ctx, r);
            case QueueCommand.DeleteMessages d -> MessageAck.delete(ctx, d);
            case QueueCommand.ChangeMessageVisibility c -> MessageAck.changeVisibility(ctx, c);
            case QueueCommand.IngestMessages in -> Ingest.ingest(ctx, in);
            case QueueCommand.SettleOutbox so -> Outbox.settle(ctx, so);
            case QueueCommand.StartMoveTask st -> MoveTasks.start(ctx, st);
            case QueueCommand.CancelMoveTask ct -> MoveTasks.cancel(ctx, ct);
            case QueueCommand.TagQueue t -> QueueAdmin.tag(ctx, t);
            case QueueCommand.UntagQueue u -> QueueAdmin.untag(ctx, u);
        };
    }
}
