package io.pontoon.server.topic;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Envelope links are the node's SNS Query endpoint, written as AWS writes them, or name the action when there is no gateway. */
class EnvelopeLinksTest {
    private static final String TOPIC = "arn:aws:sns:pontoon:000000000000:orders";

    @Test
    void withAGatewayTheLinksAreItsQueryUrlsWithTheArnAsItIsAndTheTokenEscaped() {
        EnvelopeLinks links = new EnvelopeLinks(() -> "http://10.0.0.7:7301", io.pontoon.api.AwsIdentity.CANONICAL);
        assertEquals("http://10.0.0.7:7301/?Action=ConfirmSubscription&Version=2010-03-31&TopicArn=" + TOPIC + "&Token=a%2Bb%2Fc%3D",
                links.subscribe(TOPIC, "a+b/c="));
        assertEquals("http://10.0.0.7:7301/?Action=Unsubscribe&Version=2010-03-31&SubscriptionArn=" + TOPIC + ":sub-1",
                links.unsubscribe(TOPIC + ":sub-1"));
    }

    @Test
    void withoutAGatewayTheLinksNameTheActionToCall() {
        assertEquals("pontoon:Unsubscribe?SubscriptionArn=" + TOPIC + ":sub-1", EnvelopeLinks.none().unsubscribe(TOPIC + ":sub-1"));
        assertEquals("pontoon:ConfirmSubscription?TopicArn=" + TOPIC + "&Token=t", EnvelopeLinks.none().subscribe(TOPIC, "t"));
    }
}
