package io.pontoon.embedded.junit;

import io.pontoon.client.PontoonClient;
import io.pontoon.embedded.EmbeddedPontoon;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

import java.util.Map;

/**
 * The JUnit 5 extension behind {@link PontoonTest}: starts an {@link EmbeddedPontoon} per test class (or per test
 * method), keeps it in the class's (or method's) extension store, which closes it when the class (or method) is done,
 * declares the annotation's queues, topics and streams before each test, and injects clients. Each class has its own
 * Pontoon, so classes may run in parallel. After each test, a node's fatal error fails the test.
 */
public final class PontoonExtension implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(PontoonExtension.class);
    private static final String KEY = "pontoon";

    @Override
    public void beforeAll(ExtensionContext context) {
        PontoonTest settings = settings(context);
        if (settings.lifecycle() == PontoonTest.Lifecycle.PER_CLASS) {
            context.getStore(NAMESPACE).put(KEY, new Running(EmbeddedPontoon.builder().nodes(settings.nodes()).start()));
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        PontoonTest settings = settings(context);
        Running running;
        if (settings.lifecycle() == PontoonTest.Lifecycle.PER_METHOD) {
            running = new Running(EmbeddedPontoon.builder().nodes(settings.nodes()).start());
            context.getStore(NAMESPACE).put(KEY, running);
        } else {
            running = running(context);
            running.pontoon.reset();
        }
        declare(running.pontoon.client(), settings);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        var fatal = running(context).pontoon.fatalErrors();
        if (!fatal.isEmpty()) {
            throw new AssertionError("an embedded Pontoon node failed: " + fatal.get(0), fatal.get(0));
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == EmbeddedPontoon.class || type == PontoonClient.class || AwsClients.supports(type);
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Running running = running(context);
        Class<?> type = parameter.getParameter().getType();
        if (type == EmbeddedPontoon.class) {
            return running.pontoon;
        }
        if (type == PontoonClient.class) {
            return running.pontoon.client();
        }
        return running.aws.client(type);
    }

    private static void declare(PontoonClient client, PontoonTest settings) {
        for (String queue : settings.queues()) {
            client.createQueue(queue, queue.endsWith(".fifo") ? Map.of("FifoQueue", "true") : Map.of());
        }
        for (String topic : settings.topics()) {
            client.topics().createTopic(topic);
        }
        for (String stream : settings.streams()) {
            client.streams().createStream(stream, 1); // returns once the stream is ACTIVE
        }
    }

    private static PontoonTest settings(ExtensionContext context) {
        return AnnotationSupport.findAnnotation(context.getRequiredTestClass(), PontoonTest.class)
                .orElseThrow(() -> new IllegalStateException("PontoonExtension needs @PontoonTest on " + context.getRequiredTestClass()));
    }

    /** The Pontoon of this test: the method's own, else the class's (found through the parent context's store). */
    private static Running running(ExtensionContext context) {
        Running running = context.getStore(NAMESPACE).get(KEY, Running.class);
        if (running == null) {
            throw new ParameterResolutionException("no embedded Pontoon is running for " + context.getDisplayName());
        }
        return running;
    }

    /** A started Pontoon and its AWS clients, closed by the store that holds it. */
    private static final class Running implements ExtensionContext.Store.CloseableResource, AutoCloseable {
        final EmbeddedPontoon pontoon;
        final AwsClients aws;

        Running(EmbeddedPontoon pontoon) {
            this.pontoon = pontoon;
            this.aws = new AwsClients(pontoon.awsEndpoint());
        }

        @Override
        public void close() {
            aws.close();
            pontoon.close();
        }
    }
}
