package io.pontoon.core.topic;

import io.pontoon.core.error.BrokerException;
import io.pontoon.core.partition.EntryContext;
import io.pontoon.core.partition.Model;
import io.pontoon.core.partition.PartitionCommand;
import io.pontoon.core.partition.PartitionModel;
import io.pontoon.core.partition.PartitionQuery;
import io.pontoon.core.partition.PartitionResult;
import io.pontoon.core.partition.QueryResult;
import io.pontoon.core.partition.StoreView;

/**
 * The topic model (SNS) of a partition: the topics placed on it, their subscriptions, and the deliveries of published
 * messages that the fan-out has still to make. Deliveries are retried by the fan-out, not by the Tick.
 */
public final class TopicModel implements PartitionModel {
    private final TopicSubscriptionsCache cache = new TopicSubscriptionsCache();

    @Override
    public Model model() {
        return Model.TOPIC;
    }

    @Override
    public EntryApplier begin(EntryContext ctx) {
        return new EntryApplier() {
            @Override
            public PartitionResult apply(PartitionCommand command) {
                TopicCommand c = (TopicCommand) command;
                try {
                    TopicValidator.validate(c);
                } catch (BrokerException e) {
                    return new PartitionResult.Error(e.code(), e.getMessage());
                }
                return switch (c) {
                    case TopicCommand.CreateTopic x -> TopicAdmin.create(ctx, x);
                    case TopicCommand.DeleteTopic x -> TopicAdmin.delete(ctx, x);
                    case TopicCommand.SetTopicAttribute x -> TopicAdmin.setAttribute(ctx, x);
                    case TopicCommand.TagTopic x -> TopicAdmin.tag(ctx, x);
                    case TopicCommand.Subscribe x -> TopicAdmin.subscribe(ctx, x);
                    case TopicCommand.ConfirmSubscription x -> TopicAdmin.confirm(ctx, x);
                    case TopicCommand.Unsubscribe x -> TopicAdmin.unsubscribe(ctx, x);
                    case TopicCommand.SetSubscriptionAttribute x -> TopicAdmin.setSubscriptionAttribute(ctx, x);
                    case TopicCommand.ForgetSubscription x -> TopicAdmin.forget(ctx, x);
                    case TopicCommand.Publish x -> Publishing.publish(ctx, x, cache);
                    case TopicCommand.SettleDeliveries x -> Publishing.settle(ctx, x);
                    case TopicCommand.DeadLetterDeliveries x -> Publishing.deadLetter(ctx, x);
                };
            }

            @Override
            public int tick() {
                return TopicDedup.sweep(ctx.txn(), ctx.nowMs(), io.pontoon.core.Limits.MAX_EXPIRIES_SWEPT_PER_TICK);
            }
        };
    }

    @Override
    public QueryResult query(StoreView view, PartitionQuery query, long nowMs) {
        return TopicQueries.answer(view, (TopicQuery) query);
    }
}
