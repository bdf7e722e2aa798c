package io.pontoon.client.bench;

import io.pontoon.api.v1.HashKeyRange;
import io.pontoon.api.v1.Shard;
import io.pontoon.client.StreamClient;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StreamLoadToolTest {

    @Test
    void everyPartitionKeyOfAProducerHashesIntoItsShard() {
        BigInteger lo = BigInteger.ONE.shiftLeft(126);
        BigInteger hi = BigInteger.ONE.shiftLeft(127).subtract(BigInteger.ONE);
        Shard quarter = Shard.newBuilder().setShardId("shardId-000000000001")
                .setHashKeyRange(HashKeyRange.newBuilder().setStartingHashKey(lo.toString()).setEndingHashKey(hi.toString())).build();
        var keys = StreamLoadTool.keysFor(quarter);
        assertEquals(64, keys.size());
        for (String k : keys) {
            BigInteger h = StreamClient.hashOf(k);
            assertTrue(h.compareTo(lo) >= 0 && h.compareTo(hi) <= 0, k + " hashes outside the shard");
        }
    }

    @Test
    void aBatchOverFiveMebibytesIsRefusedBeforeAnythingIsSent() {
        assertEquals(2, run("--batch", "500", "--size", "20000"));
        assertEquals(2, run("--batch", "501"));
        assertEquals(2, run("--size", "4"));
        assertEquals(2, run("--batch", "1", "--size", "1048576"), "data and key together are at most 1 MiB");
        assertEquals(2, run("--batch", "6", "--size", "1000000"), "six records of 1 MB with their keys pass 5 MiB");
    }

    private static int run(String... args) {
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new StreamLoadTool(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)));
        cl.setErr(new PrintWriter(err));
        int rc = cl.execute(args);
        assertTrue(err.toString().contains("must be"), err.toString());
        return rc;
    }
}
