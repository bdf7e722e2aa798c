package io.pontoon.server;

import io.pontoon.server.config.ConfigException;
import io.pontoon.server.config.ConfigLoader;
import io.pontoon.server.config.NodeConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CountDownLatch;

/** {@code pontoon-server --config=node.properties [--key=value ...]}: runs one node until SIGTERM. */
public final class Main {
    private static final Logger LOG = LoggerFactory.getLogger(Main.class);
    /** Exit code after a fatal apply error: the state may not match the log, so we stop rather than diverge. */
    private static final int EXIT_FATAL = 70;

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        NodeConfig config;
        BrokerNode node;
        try {
            config = ConfigLoader.load(args, System.getenv());
            node = BrokerNode.start(config, cause -> {
                LOG.error("fatal apply error; halting", cause);
                Runtime.getRuntime().halt(EXIT_FATAL);
            });
        } catch (ConfigException e) {
            System.err.println("pontoon: invalid configuration: " + e.getMessage());
            System.exit(2);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            node.close();
            stopped.countDown();
        }, "pontoon-shutdown"));
        stopped.await();
    }
}
