package io.pontoon.gateway.query;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.pontoon.gateway.sns.SnsQuery;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The envelope of a Query protocol answer, as the SDKs parse it. */
class QueryXmlTest {
    private final QueryService sns = new SnsQuery(null);

    /**
     * botocore looks for {@code <ActionResult>} in the answer of every action whose model declares an output shape, an
     * empty one included (SNS TagResource and UntagResource), and fails without it; an action without an output shape
     * (DeleteTopic) answers with the request id alone, as AWS does.
     */
    @Test
    void anEmptyAnswerHasItsResultElementOnlyWhereTheModelDeclaresAnOutput() {
        for (String action : new String[]{"TagResource", "UntagResource"}) {
            String xml = answer(action);
            assertTrue(xml.contains("<" + action + "Result") && xml.contains("<RequestId>r-1</RequestId>"), xml);
        }
        assertFalse(answer("DeleteTopic").contains("DeleteTopicResult"), answer("DeleteTopic"));
    }

    private String answer(String action) {
        return new String(QueryXml.response(sns, action, JsonNodeFactory.instance.objectNode(), "r-1"), StandardCharsets.UTF_8);
    }
}
