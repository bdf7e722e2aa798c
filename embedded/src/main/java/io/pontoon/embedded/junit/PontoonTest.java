package io.pontoon.embedded.junit;

import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs a test class against an embedded Pontoon ({@link PontoonExtension}): its test methods take an
 * {@link io.pontoon.embedded.EmbeddedPontoon}, a {@link io.pontoon.client.PontoonClient} or, with the AWS SDK on the
 * classpath, an {@code SqsClient}, {@code SnsClient} or {@code KinesisClient} pointed at it, as parameters.
 * Before each test the declared queues, topics and streams exist and nothing else does.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@ExtendWith(PontoonExtension.class)
public @interface PontoonTest {
    /** 1 or 3 nodes. */
    int nodes() default 1;

    /** Queues made before each test; a name ending in {@code .fifo} is a FIFO queue. */
    String[] queues() default {};

    /** Topics made before each test. */
    String[] topics() default {};

    /** Streams of one shard made (and ACTIVE) before each test. */
    String[] streams() default {};

    /** One Pontoon per test class (the default; emptied between tests), or a fresh one per test method. */
    Lifecycle lifecycle() default Lifecycle.PER_CLASS;

    enum Lifecycle { PER_CLASS, PER_METHOD }
}
