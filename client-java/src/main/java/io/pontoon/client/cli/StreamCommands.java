package io.pontoon.client.cli;

import com.google.protobuf.ByteString;
import io.pontoon.api.v1.CreateStreamRequest;
import io.pontoon.api.v1.GetRecordsResponse;
import io.pontoon.api.v1.GetShardIteratorRequest;
import io.pontoon.api.v1.ListStreamsRequest;
import io.pontoon.api.v1.PutRecordRequest;
import io.pontoon.api.v1.PutRecordResponse;
import io.pontoon.api.v1.Record;
import io.pontoon.api.v1.Shard;
import io.pontoon.api.v1.StreamDescriptionSummary;
import io.pontoon.client.PontoonClient;
import io.pontoon.client.StreamClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.io.PrintStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code pontoon stream ...}: Kinesis-style streams from the command line. */
@Command(name = "stream", description = "Streams (Kinesis): create, describe, put, get, tail, split, merge, scale, delete.",
        subcommands = {StreamCommands.Create.class, StreamCommands.Describe.class, StreamCommands.ListStreams.class, StreamCommands.Put.class,
                StreamCommands.Get.class, StreamCommands.Tail.class, StreamCommands.Split.class, StreamCommands.Merge.class,
                StreamCommands.Scale.class, StreamCommands.Delete.class})
final class StreamCommands {
    @ParentCommand
    PontoonCli cli;

    /** A stream subcommand: connects, runs, closes. */
    abstract static class StreamCommand implements Callable<Integer> {
        @ParentCommand
        StreamCommands group;

        @Override
        public final Integer call() throws Exception {
            try (PontoonClient client = group.cli.connect()) {
                run(client.streams(), group.cli.out());
            }
            return PontoonCli.EXIT_OK;
        }

        abstract void run(StreamClient streams, PrintStream out) throws Exception;
    }

    @Command(name = "create", description = "Create a stream of --shards shards (equal hash key ranges) and wait until it is ACTIVE.")
    static final class Create extends StreamCommand {
        @Parameters(paramLabel = "NAME") String name;
        @Option(names = "--shards", required = true, description = "Shards (1..1000).") int shards;
        @Option(names = "--no-limits", description = "Do not apply the per-shard rate limits (1 MiB/s and 1,000 records/s written, 5 reads/s).")
        boolean noLimits;

        void run(StreamClient streams, PrintStream out) {
            streams.createStream(CreateStreamRequest.newBuilder().setStreamName(name).setShardCount(shards).setEnforceShardLimits(!noLimits).build());
            out.println("created " + name + " with " + shards + " shards");
        }
    }

    @Command(name = "describe", description = "A stream's status, retention and shards (hash key and sequence number ranges, lineage).")
    static final class Describe extends StreamCommand {
        @Parameters(paramLabel = "NAME") String name;

        void run(StreamClient streams, PrintStream out) {
            StreamDescriptionSummary s = streams.describeStreamSummary(name);
            out.println(s.getStreamName() + " " + s.getStreamStatus() + ", " + s.getOpenShardCount() + " open shards, retention "
                    + s.getRetentionPeriodHours() + " h, " + s.getConsumerCount() + " consumers");
            for (Shard sh : streams.listShards(name)) {
                String ending = sh.getSequenceNumberRange().getEndingSequenceNumber();
                out.println("  " + sh.getShardId() + (ending.isEmpty() ? " open  " : " closed") + " hash " + sh.getHashKeyRange().getStartingHashKey()
                        + ".." + sh.getHashKeyRange().getEndingHashKey() + " seq " + sh.getSequenceNumberRange().getStartingSequenceNumber()
                        + (ending.isEmpty() ? "" : ".." + ending)
                        + (sh.getParentShardId().isEmpty() ? "" : " parent " + sh.getParentShardId())
                        + (sh.getAdjacentParentShardId().isEmpty() ? "" : "+" + sh.getAdjacentParentShardId()));
            }
        }
    }

    @Command(name = "list", description = "Stream names.")
    static final class ListStreams extends StreamCommand {
        void run(StreamClient streams, PrintStream out) {
            List<String> names = streams.listStreams(ListStreamsRequest.newBuilder().setLimit(10_000).build()).getStreamNamesList();
            if (names.isEmpty()) {
                out.println("(no streams)");
            }
            names.forEach(out::println);
        }
    }

    @Command(name = "put", description = {"Put one record: DATA, or the contents of --data-file FILE ('-' reads standard input), up to 1 MiB.",
            "Prints the shard and sequence number."})
    static final class Put extends StreamCommand {
        @Parameters(index = "0", paramLabel = "NAME") String name;
        @Parameters(index = "1", paramLabel = "PARTITION_KEY") String key;
        @Parameters(index = "2", paramLabel = "DATA", arity = "0..1") String data;
        @Option(names = "--data-file", paramLabel = "FILE") String dataFile;

        void run(StreamClient streams, PrintStream out) throws Exception {
            if ((data == null) == (dataFile == null)) {
                throw new IllegalArgumentException("give the data either as DATA or with --data-file FILE ('-' reads standard input)");
            }
            byte[] bytes = data != null ? data.getBytes(StandardCharsets.UTF_8) : PontoonCli.readInput(dataFile, group.cli.stdin());
            PutRecordResponse r = streams.putRecord(PutRecordRequest.newBuilder().setStreamName(name).setPartitionKey(key)
                    .setData(ByteString.copyFrom(bytes)).build());
            out.println("ShardId: " + r.getShardId());
            out.println("SequenceNumber: " + r.getSequenceNumber());
        }
    }

    @Command(name = "get", description = {"Read a shard from an iterator position and print its records.",
            "--from TRIM_HORIZON (default) | LATEST | AT_SEQUENCE_NUMBER:SEQ | AFTER_SEQUENCE_NUMBER:SEQ | AT_TIMESTAMP:EPOCH_MS"})
    static final class Get extends StreamCommand {
        @Parameters(index = "0", paramLabel = "NAME") String name;
        @Parameters(index = "1", paramLabel = "SHARD") String shard;
        @Option(names = "--from", defaultValue = "TRIM_HORIZON") String from;
        @Option(names = "--max", defaultValue = "100", description = "At most this many records.") int max;

        void run(StreamClient streams, PrintStream out) {
            String it = iterator(streams, name, shard, from);
            int printed = 0;
            while (!it.isEmpty() && printed < max) {
                GetRecordsResponse r = streams.getRecords(name, shard, it, Math.min(max - printed, 10_000));
                for (Record rec : r.getRecordsList()) {
                    print(out, shard, rec);
                    printed++;
                }
                if (r.getRecordsCount() == 0 || r.getMillisBehindLatest() == 0) {
                    break;
                }
                it = r.getNextShardIterator();
            }
            if (printed == 0) {
                out.println("(no records)");
            }
        }
    }

    @Command(name = "tail", description = "Follow every open shard of a stream from --from (default LATEST) and print records as they arrive.")
    static final class Tail extends StreamCommand {
        @Parameters(paramLabel = "NAME") String name;
        @Option(names = "--from", defaultValue = "LATEST") String from;
        @Option(names = "--seconds", defaultValue = "0", description = "Stop after this long (0: until interrupted).") long seconds;

        void run(StreamClient streams, PrintStream out) throws InterruptedException {
            Map<String, String> iterators = new HashMap<>();
            for (Shard s : streams.listShards(name)) {
                if (s.getSequenceNumberRange().getEndingSequenceNumber().isEmpty()) {
                    iterators.put(s.getShardId(), iterator(streams, name, s.getShardId(), from));
                }
            }
            long until = seconds == 0 ? Long.MAX_VALUE : System.currentTimeMillis() + seconds * 1000;
            while (System.currentTimeMillis() < until && !iterators.isEmpty()) {
                for (Map.Entry<String, String> e : List.copyOf(iterators.entrySet())) {
                    GetRecordsResponse r = streams.getRecords(name, e.getKey(), e.getValue(), 1_000);
                    r.getRecordsList().forEach(rec -> print(out, e.getKey(), rec));
                    if (r.getNextShardIterator().isEmpty()) {
                        iterators.remove(e.getKey());
                        r.getChildShardsList().forEach(c -> iterators.put(c.getShardId(), iterator(streams, name, c.getShardId(), "TRIM_HORIZON")));
                    } else {
                        iterators.put(e.getKey(), r.getNextShardIterator());
                    }
                }
                out.flush();
                Thread.sleep(250);
            }
        }
    }

    @Command(name = "split", description = "Split a shard in two at --at HASH_KEY (default: the middle of its range).")
    static final class Split extends StreamCommand {
        @Parameters(index = "0", paramLabel = "NAME") String name;
        @Parameters(index = "1", paramLabel = "SHARD") String shard;
        @Option(names = "--at", paramLabel = "HASH_KEY") String at;

        void run(StreamClient streams, PrintStream out) {
            String key = at;
            if (key == null) {
                Shard s = streams.listShards(name).stream().filter(x -> x.getShardId().equals(shard)).findFirst()
                        .orElseThrow(() -> new IllegalArgumentException("no shard " + shard + " in stream " + name));
                BigInteger start = new BigInteger(s.getHashKeyRange().getStartingHashKey()), end = new BigInteger(s.getHashKeyRange().getEndingHashKey());
                key = start.add(end).add(BigInteger.ONE).shiftRight(1).toString();
            }
            streams.splitShard(name, shard, key);
            out.println("split " + shard + " at " + key);
        }
    }

    @Command(name = "merge", description = "Merge two adjacent shards into one.")
    static final class Merge extends StreamCommand {
        @Parameters(index = "0", paramLabel = "NAME") String name;
        @Parameters(index = "1", paramLabel = "SHARD") String shard;
        @Parameters(index = "2", paramLabel = "ADJACENT_SHARD") String adjacent;

        void run(StreamClient streams, PrintStream out) {
            streams.mergeShards(name, shard, adjacent);
            out.println("merged " + shard + " and " + adjacent);
        }
    }

    @Command(name = "scale", description = "Scale to COUNT open shards of equal ranges (UpdateShardCount, uniform scaling; half to twice the current count).")
    static final class Scale extends StreamCommand {
        @Parameters(index = "0", paramLabel = "NAME") String name;
        @Parameters(index = "1", paramLabel = "COUNT") int count;

        void run(StreamClient streams, PrintStream out) {
            out.println("scaled " + name + " from " + streams.updateShardCount(name, count).getCurrentShardCount() + " to " + count + " shards");
        }
    }

    @Command(name = "delete", description = "Delete a stream and its records.")
    static final class Delete extends StreamCommand {
        @Parameters(paramLabel = "NAME") String name;

        void run(StreamClient streams, PrintStream out) {
            streams.deleteStream(name);
            out.println("deleted " + name);
        }
    }

    /** An iterator for {@code from}: an iterator type, or TYPE:VALUE for the types that take a sequence number or a time. */
    static String iterator(StreamClient streams, String name, String shard, String from) {
        String[] parts = from.split(":", 2);
        GetShardIteratorRequest.Builder b = GetShardIteratorRequest.newBuilder().setStreamName(name).setShardId(shard).setShardIteratorType(parts[0]);
        if (parts.length == 2) {
            if (parts[0].equals("AT_TIMESTAMP")) {
                b.setTimestampMs(Long.parseLong(parts[1]));
            } else {
                b.setStartingSequenceNumber(parts[1]);
            }
        }
        return streams.getShardIterator(b.build()).getShardIterator();
    }

    static void print(PrintStream out, String shard, Record r) {
        out.println(shard + " " + r.getSequenceNumber() + " [" + r.getPartitionKey() + "] " + r.getData().toStringUtf8());
    }
}
