package io.pontoon.core.stream;

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
 * The stream model (Kinesis Data Streams) of a partition: the shards it hosts, their record logs and their consumer
 * leases. Time-driven work (retention) arrives as explicit TrimShard commands, so a Tick has nothing to do here.
 */
public final class StreamModel implements PartitionModel {

    @Override
    public Model model() {
        return Model.STREAM;
    }

    @Override
    public EntryApplier begin(EntryContext ctx) {
        return new EntryApplier() {
            @Override
            public PartitionResult apply(PartitionCommand command) {
                StreamCommand c = (StreamCommand) command;
                try {
                    StreamValidator.validate(c);
                } catch (BrokerException e) {
                    return new PartitionResult.Error(e.code(), e.getMessage());
                }
                return StreamApply.apply(ctx, c);
            }

            @Override
            public int tick() {
                return 0;
            }
        };
    }

    @Override
    public QueryResult query(StoreView view, PartitionQuery query, long nowMs) {
        StreamQuery q = (StreamQuery) query;
        try {
            StreamValidator.validate(q);
        } catch (BrokerException e) {
            return new QueryResult.Error(e.code(), e.getMessage());
        }
        return StreamQueries.answer(view, q);
    }
}
