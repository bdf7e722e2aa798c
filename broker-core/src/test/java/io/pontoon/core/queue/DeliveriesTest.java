package io.pontoon.core.queue;

import io.pontoon.core.Limits;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** How a receive's answer gets its content: from any replica that applied the receive, or from the leader in bounded reads. */
class DeliveriesTest {

    @Test
    void theLeaderReadOfAReceivesContentEqualsTheLocalRead() {
        Fixture f = new Fixture();
        f.createQueue("q");
        f.send("q", "a", "b", "c");
        QueueResult.Received received = assertInstanceOf(QueueResult.Received.class, f.apply(new QueueCommand.ReceiveMessages("q", 10, 30, null)));
        List<Long> seqs = received.messages().stream().map(QueueResult.ReceivedMessage::seq).toList();

        var answer = assertInstanceOf(QueueQueryResult.Payloads.class, f.query(new QueueQuery.ReadPayloads(received.queueId(), seqs)));

        assertEquals(3, answer.bySeq().size());
        assertEquals(f.delivered(received), Deliveries.assemble(received, answer.bySeq()), "same messages, same order, same content");
    }

    @Test
    void aMessageDeletedSinceItsReceiveIsLeftOutOfTheLeaderRead() {
        Fixture f = new Fixture();
        f.createQueue("q");
        f.send("q", "kept", "gone");
        QueueResult.Received received = assertInstanceOf(QueueResult.Received.class, f.apply(new QueueCommand.ReceiveMessages("q", 10, 30, null)));
        List<DeliveredMessage> delivered = f.delivered(received);
        DeliveredMessage gone = delivered.stream().filter(m -> m.body().equals("gone")).findFirst().orElseThrow();
        f.apply(new QueueCommand.DeleteMessages("q", List.of(new QueueCommand.DeleteEntry("1", gone.receiptHandle()))));

        var answer = assertInstanceOf(QueueQueryResult.Payloads.class, f.query(new QueueQuery.ReadPayloads(received.queueId(),
                received.messages().stream().map(QueueResult.ReceivedMessage::seq).toList())));

        assertEquals(List.of("kept"), Fixture.bodies(Deliveries.assemble(received, answer.bySeq())));
    }

    @Test
    void leaderReadsAreSplitSoThatEachAnswerFitsItsByteBound() {
        QueueResult.Received received = new QueueResult.Received(1, List.of(message(1, 600_000), message(2, 600_000),
                message(3, 1_048_576), message(4, 200_000), message(5, 10)));

        List<List<Long>> groups = Deliveries.readGroups(received, 1_210_000);

        assertEquals(List.of(List.of(1L, 2L), List.of(3L), List.of(4L, 5L)), groups, "in receive order, each group within the bound");
        assertEquals(List.of(List.of(1L, 2L, 3L, 4L, 5L)), Deliveries.readGroups(received, Limits.MAX_READ_REPLY_BYTES * 2L));
        assertEquals(List.of(List.of(1L), List.of(2L), List.of(3L), List.of(4L, 5L)), Deliveries.readGroups(received, 700_000),
                "a message larger than the bound goes alone");
    }

    @Test
    void aPayloadReadOfNoOrTooManyMessagesIsRefused() {
        assertThrows(io.pontoon.core.error.BrokerException.class, () -> QueueValidator.validate(new QueueQuery.ReadPayloads(1, List.of())));
        assertThrows(io.pontoon.core.error.BrokerException.class, () -> QueueValidator.validate(new QueueQuery.ReadPayloads(1,
                java.util.stream.LongStream.range(0, Limits.MAX_RECEIVE_MESSAGES + 1).boxed().toList())));
        QueueValidator.validate(new QueueQuery.ReadPayloads(1, List.of(1L)));
    }

    private static QueueResult.ReceivedMessage message(long seq, int payloadBytes) {
        return new QueueResult.ReceivedMessage("m" + seq, "h" + seq, seq, payloadBytes, 1, 0, 0, null, null, null, null);
    }
}
