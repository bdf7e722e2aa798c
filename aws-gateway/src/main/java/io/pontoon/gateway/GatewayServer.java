package io.pontoon.gateway;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.timeout.IdleStateHandler;
import io.pontoon.gateway.auth.SigV4Verifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The HTTP front door on Netty: HTTP/1.1 with keep-alive, and HTTP/2 (cleartext, prior knowledge) on the same port
 * ({@link HttpVersionSniffer}). A connection's pipeline bounds what a client can make the node hold: connections
 * ({@code maxConnections}), HTTP/2 streams per connection, header sizes, each body and all bodies together
 * ({@link RequestAdmission}), and idle time; the protocols answer without holding a thread (long polls included).
 */
public final class GatewayServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayServer.class);
    private final EventLoopGroup group;
    private final Channel server;

    private GatewayServer(EventLoopGroup group, Channel server) {
        this.group = group;
        this.server = server;
    }

    /** @param protocols tried in order; the first that accepts a request answers it */
    public static GatewayServer start(GatewayConfig config, List<Protocol> protocols) throws InterruptedException {
        return start(config, protocols, java.util.Optional.empty(), GatewayCaller.Refusals.NONE);
    }

    /**
     * @param tls with a key manager, the port serves HTTPS only (HTTP/1.1 and HTTP/2 by ALPN or prior knowledge),
     *            and plain HTTP is answered with a 400 that says so ({@link TlsSniffer})
     * @param refusals told of every request whose signature is refused (the node's audit log)
     */
    public static GatewayServer start(GatewayConfig config, List<Protocol> protocols, java.util.Optional<javax.net.ssl.KeyManager> tls,
                                      GatewayCaller.Refusals refusals) throws InterruptedException {
        SslContext ssl = tls.map(GatewayServer::sslContext).orElse(null);
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        AtomicLong bufferFreeBytes = new AtomicLong(config.requestBufferBytes());
        ConnectionLimit connections = new ConnectionLimit(config.maxConnections());
        SigV4Verifier verifier = config.accessKeys().isEmpty() ? null : new SigV4Verifier(config.accessKeys());
        Pipelines pipelines = new Pipelines(config, protocols, bufferFreeBytes, verifier, refusals);
        try {
            Channel server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            HttpVersionSniffer versions = new HttpVersionSniffer(pipelines::http1, pipelines::http2);
                            ch.pipeline().addLast(connections, new IdleStateHandler(config.idleTimeoutMs(), 0, 0, TimeUnit.MILLISECONDS),
                                    ssl == null ? versions : new TlsSniffer(ssl, versions));
                        }
                    })
                    .bind(new InetSocketAddress(config.host(), config.port())).sync().channel();
            if (verifier == null) {
                LOG.warn("AWS gateway on {} accepts UNSIGNED requests (auth.mode=none): anyone who reaches this port can read, send "
                        + "and delete every message. Set auth.mode=sigv4 and auth.keys.file outside development.", server.localAddress());
            } else {
                LOG.info("AWS gateway listening on {}, Signature Version 4 required ({} access keys)", server.localAddress(),
                        config.accessKeys().size());
            }
            return new GatewayServer(group, server);
        } catch (InterruptedException | RuntimeException e) {
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw e;
        }
    }

    private static SslContext sslContext(javax.net.ssl.KeyManager keyManager) {
        try {
            return SslContextBuilder.forServer(keyManager)
                    .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                            ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                            ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1))
                    .build();
        } catch (javax.net.ssl.SSLException e) {
            throw new IllegalStateException("the gateway's TLS context cannot be built: " + e.getMessage(), e);
        }
    }

    public int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** Closes connections beyond the limit as they arrive. */
    @ChannelHandler.Sharable
    private static final class ConnectionLimit extends ChannelInboundHandlerAdapter {
        private final int max;
        private final AtomicInteger open = new AtomicInteger();

        ConnectionLimit(int max) {
            this.max = max;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            if (open.incrementAndGet() > max) {
                ctx.close();
                return;
            }
            ctx.fireChannelActive();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            open.decrementAndGet();
            ctx.fireChannelInactive();
        }
    }
}
