package io.pontoon.gateway.query;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.pontoon.gateway.sns.SnsQuery;
import io.pontoon.gateway.sqs.SqsQuery;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The envelope of a Query protocol answer, as the SDKs parse it. */
class QueryXmlTest {
    private final QueryService sns = new SnsQuery(null);
    private final QueryService sqs = new SqsQuery(null, "000000000000");

    /**
     * botocore looks for {@code <ActionResult>} in the answer of every action whose model declares an output shape, an
     * empty one included (SNS TagResource, an empty ListSubscriptionsByTopic), and fails without it; an action without
     * an output shape (DeleteTopic) answers with the request id alone, as AWS does.
     */
    @Test
    void anEmptyAnswerHasItsResultElementOnlyWhereTheModelDeclaresAnOutput() {
        for (String action : new String[]{"TagResource", "UntagResource", "ListSubscriptionsByTopic", "ListTopics"}) {
            String xml = answer(action);
            assertTrue(xml.contains("<" + action + "Result") && xml.contains("<RequestId>r-1</RequestId>"), xml);
        }
        assertFalse(answer("DeleteTopic").contains("DeleteTopicResult"), answer("DeleteTopic"));

        String nothingReceived = new String(QueryXml.response(sqs, "ReceiveMessage", JsonNodeFactory.instance.objectNode(), "r-2"),
                StandardCharsets.UTF_8);
        assertTrue(nothingReceived.contains("<ReceiveMessageResult"), nothingReceived);
        assertFalse(new String(QueryXml.response(sqs, "DeleteQueue", JsonNodeFactory.instance.objectNode(), "r-3"), StandardCharsets.UTF_8)
                .contains("DeleteQueueResult"));
    }

    private String answer(String action) {
        return new String(QueryXml.response(sns, action, JsonNodeFactory.instance.objectNode(), "r-1"), StandardCharsets.UTF_8);
    }
}
