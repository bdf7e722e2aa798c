package io.pontoon.chaos;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Checks a {@link StreamWorkload} history. A stream keeps every record it acknowledged and gives each shard one
 * order, which every reader sees; so, with every reader having read the whole stream:
 *
 * <ul>
 *   <li><b>lost</b> (total-queue over the puts and the first reader's reads): an acknowledged value that was never read;
 *       <b>unexpected</b>: a value read that no put attempted. A value read twice is a put the client retried after a
 *       lost answer, which Kinesis also stores twice: counted, allowed;</li>
 *   <li><b>misplaced</b>: an acknowledged record that a reader did not find at the shard and sequence number its
 *       acknowledgement named;</li>
 *   <li><b>disorder</b>: within one reader's reading of a shard, a sequence number not above the one before;</li>
 *   <li><b>disagreements</b>: two readers that read different records (or a different order) from one shard;</li>
 *   <li><b>lineage</b>: a record of a child shard whose sequence number is not above every record of its parents, or a
 *       record of a closed shard beyond its ending sequence number (from the shards recorded at the end);</li>
 *   <li><b>key order</b>: for one partition key, a record whose put began after another's was acknowledged but which
 *       got the lower sequence number (records of a key keep their order across a reshard: a child's sequence
 *       numbers start above its parents').</li>
 * </ul>
 */
final class StreamChecker {
    private StreamChecker() {
    }

    /** One record where a reader found it. */
    record Position(String value, String shard, BigInteger seq) {
        static Position parse(String s) {
            String[] p = s.split("\\|", -1);
            return new Position(p[0], p[1], new BigInteger(p[2]));
        }

        @Override
        public String toString() {
            return value + "@" + shard + "/" + seq;
        }
    }

    /** An acknowledged record: where the put's answer said it went, and when that put began and was acknowledged. */
    record Acked(String value, String key, String shard, BigInteger seq, long invokedNanos, long ackedNanos) {
    }

    /** A shard as listed at the end. */
    record ShardEnd(String id, String parent, String adjacentParent, BigInteger endingSeq) {
        static ShardEnd parse(String s) {
            String[] p = s.split("\\|", -1);
            return new ShardEnd(p[0], p[1], p[2], p[4].isEmpty() ? null : new BigInteger(p[4]));
        }
    }

    record Result(TotalQueueChecker.Result total, List<String> misplaced, List<String> disorder, List<String> disagreements,
                  List<String> lineage, List<String> keyOrder, int readers, int shards) {
        List<String> anomalies() {
            List<String> a = new ArrayList<>();
            add(a, misplaced, "acknowledged records not where their acknowledgement put them");
            add(a, disorder, "sequence numbers out of order within a shard");
            add(a, disagreements, "shards that two readers read differently");
            add(a, lineage, "records out of their shard's lineage order or beyond a closed shard's end");
            add(a, keyOrder, "partition-key order violations");
            if (shards == 0) a.add("the stream's shards were not recorded at the end: lineage unchecked");
            return a;
        }

        private static void add(List<String> out, List<String> found, String what) {
            if (!found.isEmpty()) out.add(found.size() + " " + what + ": " + ChaosRun.abbreviate(found));
        }

        String describe() {
            return "stream: readers=" + readers + " shards=" + shards + " misplaced=" + misplaced.size() + " disorder=" + disorder.size()
                    + " disagreements=" + disagreements.size() + " lineage=" + lineage.size() + " key-order=" + keyOrder.size();
        }
    }

    static Workload.Findings check(List<Op> history) {
        Result r = result(history);
        return new Workload.Findings(r.total(), sendsAndReceives(history), r.anomalies(),
                List.of("total-queue (puts against reader c0): " + r.total().describe(), r.describe()));
    }

    static Result result(List<Op> history) {
        Map<String, Map<String, List<Position>>> reads = reads(history);
        List<Acked> acked = acked(history);
        Map<String, ShardEnd> shards = shards(history);
        List<String> misplaced = new ArrayList<>();
        for (Map.Entry<String, Map<String, List<Position>>> reader : reads.entrySet()) {
            Map<String, Map<BigInteger, String>> at = new HashMap<>();
            reader.getValue().forEach((shard, list) -> list.forEach(p -> at.computeIfAbsent(shard, k -> new HashMap<>()).put(p.seq(), p.value())));
            for (Acked a : acked) {
                String found = at.getOrDefault(a.shard(), Map.of()).get(a.seq());
                if (!a.value().equals(found)) {
                    misplaced.add(reader.getKey() + " read " + (found == null ? "nothing" : found) + " at " + a.shard() + "/" + a.seq()
                            + ", acknowledged for " + a.value());
                }
            }
        }
        return new Result(TotalQueueChecker.check(sendsAndReceives(history)), misplaced, disorder(reads), disagreements(reads),
                lineage(reads, shards), keyOrder(acked), reads.size(), shards.size());
    }

    /** Per reader, per shard, the records in the order read. */
    static Map<String, Map<String, List<Position>>> reads(List<Op> history) {
        Map<String, Map<String, List<Position>>> reads = new TreeMap<>();
        for (Op op : history) {
            if (!"read".equals(op.f()) || !Op.OK.equals(op.type())) continue;
            Map<String, List<Position>> byShard = reads.computeIfAbsent(op.process(), k -> new TreeMap<>());
            for (String v : op.values()) {
                Position p = Position.parse(v);
                byShard.computeIfAbsent(p.shard(), k -> new ArrayList<>()).add(p);
            }
        }
        return reads;
    }

    static List<Acked> acked(List<Op> history) {
        Map<String, Long> invoked = new HashMap<>();
        List<Acked> acked = new ArrayList<>();
        for (Op op : history) {
            if (!"put".equals(op.f())) continue;
            if (Op.INVOKE.equals(op.type())) {
                for (String v : op.values()) invoked.put(v, op.time());
            } else if (Op.OK.equals(op.type())) {
                for (String e : op.values()) {
                    String[] p = e.split("\\|", -1);
                    acked.add(new Acked(p[0], p[1], p[2], new BigInteger(p[3]), invoked.getOrDefault(p[0], 0L), op.time()));
                }
            }
        }
        return acked;
    }

    /** The shards recorded at the end (the last {@code shards} op). */
    static Map<String, ShardEnd> shards(List<Op> history) {
        Map<String, ShardEnd> shards = new LinkedHashMap<>();
        for (Op op : history) {
            if (!"shards".equals(op.f())) continue;
            shards.clear();
            for (String s : op.values()) {
                ShardEnd e = ShardEnd.parse(s);
                shards.put(e.id(), e);
            }
        }
        return shards;
    }

    private static List<String> disorder(Map<String, Map<String, List<Position>>> reads) {
        List<String> out = new ArrayList<>();
        reads.forEach((reader, byShard) -> byShard.forEach((shard, list) -> {
            for (int i = 1; i < list.size(); i++) {
                if (list.get(i).seq().compareTo(list.get(i - 1).seq()) <= 0) {
                    out.add(reader + " read " + list.get(i) + " after " + list.get(i - 1));
                }
            }
        }));
        return out;
    }

    /** Every reader's reading of a shard against the first reader's: the same records in the same order. */
    private static List<String> disagreements(Map<String, Map<String, List<Position>>> reads) {
        List<String> out = new ArrayList<>();
        if (reads.isEmpty()) return out;
        Map.Entry<String, Map<String, List<Position>>> first = reads.entrySet().iterator().next();
        for (Map.Entry<String, Map<String, List<Position>>> other : reads.entrySet()) {
            if (other == first) continue;
            java.util.Set<String> shardIds = new java.util.TreeSet<>(first.getValue().keySet());
            shardIds.addAll(other.getValue().keySet());
            for (String shard : shardIds) {
                List<Position> a = first.getValue().getOrDefault(shard, List.of());
                List<Position> b = other.getValue().getOrDefault(shard, List.of());
                int i = 0;
                while (i < a.size() && i < b.size() && a.get(i).equals(b.get(i))) i++;
                if (i < a.size() || i < b.size()) {
                    out.add(shard + ": " + first.getKey() + " read " + a.size() + " records, " + other.getKey() + " " + b.size()
                            + "; first difference at #" + i + ": " + (i < a.size() ? a.get(i) : "end") + " vs " + (i < b.size() ? b.get(i) : "end"));
                }
            }
        }
        return out;
    }

    private static List<String> lineage(Map<String, Map<String, List<Position>>> reads, Map<String, ShardEnd> shards) {
        List<String> out = new ArrayList<>();
        reads.forEach((reader, byShard) -> {
            for (ShardEnd s : shards.values()) {
                List<Position> records = byShard.getOrDefault(s.id(), List.of());
                if (records.isEmpty()) continue;
                Position lastOfShard = records.get(records.size() - 1);
                if (s.endingSeq() != null && lastOfShard.seq().compareTo(s.endingSeq()) > 0) {
                    out.add(reader + " read " + lastOfShard + " beyond " + s.id() + "'s ending sequence number " + s.endingSeq());
                }
                Position firstOfShard = records.stream().min(Comparator.comparing(Position::seq)).orElseThrow();
                for (String parent : List.of(s.parent(), s.adjacentParent())) {
                    List<Position> parentRecords = byShard.getOrDefault(parent, List.of());
                    parentRecords.stream().max(Comparator.comparing(Position::seq))
                            .filter(lastOfParent -> lastOfParent.seq().compareTo(firstOfShard.seq()) >= 0)
                            .ifPresent(lastOfParent -> out.add(reader + " read " + firstOfShard + " in child " + s.id()
                                    + " not above " + lastOfParent + " of its parent"));
                }
            }
        });
        return out;
    }

    /** Per key, by acknowledgement time: a put that began after an acknowledgement must get a higher sequence number. */
    private static List<String> keyOrder(List<Acked> acked) {
        List<String> out = new ArrayList<>();
        Map<String, List<Acked>> byKey = new HashMap<>();
        for (Acked a : acked) byKey.computeIfAbsent(a.key(), k -> new ArrayList<>()).add(a);
        for (List<Acked> list : byKey.values()) {
            List<Acked> byAck = list.stream().sorted(Comparator.comparingLong(Acked::ackedNanos)).toList();
            List<Acked> byInvoke = list.stream().sorted(Comparator.comparingLong(Acked::invokedNanos)).toList();
            Acked highest = null; // the highest sequence number among records acknowledged before the current put began
            int next = 0;
            for (Acked b : byInvoke) {
                while (next < byAck.size() && byAck.get(next).ackedNanos() < b.invokedNanos()) {
                    Acked a = byAck.get(next++);
                    if (highest == null || a.seq().compareTo(highest.seq()) > 0) highest = a;
                }
                if (highest != null && b.seq().compareTo(highest.seq()) <= 0) {
                    out.add(b.value() + "@" + b.shard() + "/" + b.seq() + " put after " + highest.value() + "@" + highest.shard() + "/"
                            + highest.seq() + " was acknowledged, under key " + b.key());
                }
            }
        }
        return out;
    }

    /**
     * The history as total-queue sees a queue: each put record a {@code send} (ok when acknowledged, info when its
     * outcome is unknown), each of the first reader's reads a {@code receive}. Other ops pass through unchanged.
     */
    static List<Op> sendsAndReceives(List<Op> history) {
        String firstReader = history.stream().filter(o -> "read".equals(o.f())).map(Op::process).sorted().findFirst().orElse("c0");
        List<Op> out = new ArrayList<>();
        for (Op op : history) {
            switch (op.f()) {
                case "put" -> {
                    for (String v : op.values()) out.add(new Op(op.time(), op.process(), op.type(), "send", v.split("\\|", 2)[0], op.error()));
                }
                case "read" -> {
                    if (!op.process().equals(firstReader)) continue;
                    List<String> values = op.values().stream().map(v -> v.split("\\|", 2)[0]).toList();
                    out.add(new Op(op.time(), op.process(), op.type(), "receive", Op.OK.equals(op.type()) ? values : null, op.error()));
                }
                default -> out.add(op);
            }
        }
        return out;
    }
}
