package io.pontoon.server.tls;

import io.grpc.ChannelCredentials;
import io.grpc.ServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.GrpcHttp2ConnectionHandler;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.InternalNettyServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.InternalProtocolNegotiator;
import io.grpc.netty.shaded.io.grpc.netty.InternalProtocolNegotiators;
import io.grpc.netty.shaded.io.netty.buffer.ByteBuf;
import io.grpc.netty.shaded.io.netty.buffer.Unpooled;
import io.grpc.netty.shaded.io.netty.channel.ChannelFutureListener;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandler;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandlerContext;
import io.grpc.netty.shaded.io.netty.handler.codec.ByteToMessageDecoder;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.netty.shaded.io.netty.util.AsciiString;

import javax.net.ssl.SSLException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * TLS for the client gRPC port and for a node's own gRPC calls to other nodes.
 *
 * <p>The port serves TLS only, and tells a plaintext client so instead of dropping it: the first byte of a TLS
 * connection is a handshake record (0x16); a connection that starts otherwise (a plaintext HTTP/2 preface) is
 * answered with an HTTP/2 SETTINGS frame and a GOAWAY whose error is INADEQUATE_SECURITY and whose debug data says
 * that this node requires TLS, which gRPC clients put into the error they report, then closed.
 */
public final class GrpcTls {
    /** What a plaintext client is told. */
    public static final String PLAINTEXT_REFUSED = "this Pontoon node requires TLS: connect with TLS and trust the cluster CA "
            + "(PontoonClient.builder().tlsTrust(caFile), or PONTOON_TLS_CA for the CLI)";
    private static final byte TLS_HANDSHAKE_RECORD = 0x16;
    private static final int INADEQUATE_SECURITY = 0xc;

    private GrpcTls() {
    }

    /** Server credentials for the client port: the node's certificate, no client certificate asked for. */
    public static ServerCredentials serverCredentials(NodeCredentials credentials) throws SSLException {
        SslContext ssl = GrpcSslContexts.configure(SslContextBuilder.forServer(credentials.keyManager())).clientAuth(ClientAuth.NONE).build();
        return InternalNettyServerCredentials.create(new TlsOnly(InternalProtocolNegotiators.serverTls(ssl)));
    }

    /** Channel credentials for this node's calls to another node's client port: the cluster CA is trusted, and this node presents its certificate. */
    public static ChannelCredentials nodeChannelCredentials(NodeCredentials credentials) throws SSLException {
        SslContext ssl = GrpcSslContexts.forClient().keyManager(credentials.keyManager()).trustManager(credentials.trustManager()).build();
        return io.grpc.netty.shaded.io.grpc.netty.NettySslContextChannelCredentials.create(ssl);
    }

    /** The server's TLS negotiator behind a sniffer that refuses plaintext with a reason. */
    private record TlsOnly(InternalProtocolNegotiator.ProtocolNegotiator tls) implements InternalProtocolNegotiator.ProtocolNegotiator {
        @Override
        public AsciiString scheme() {
            return tls.scheme();
        }

        @Override
        public ChannelHandler newHandler(GrpcHttp2ConnectionHandler grpcHandler) {
            return new Sniffer(tls.newHandler(grpcHandler));
        }

        @Override
        public void close() {
            tls.close();
        }
    }

    /**
     * Waits for the connection's first byte. On TLS it puts the TLS handler in its place, hands it the events it held
     * back (gRPC's negotiation event comes before any byte) and then the bytes it read; on anything else it refuses.
     */
    private static final class Sniffer extends ByteToMessageDecoder {
        private final ChannelHandler tls;
        private final List<Object> heldEvents = new ArrayList<>();

        Sniffer(ChannelHandler tls) {
            this.tls = tls;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            heldEvents.add(evt);
        }

        @Override
        protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
            if (!in.isReadable()) {
                return;
            }
            if (in.getByte(in.readerIndex()) == TLS_HANDSHAKE_RECORD) {
                ctx.pipeline().addAfter(ctx.name(), null, tls);
                heldEvents.forEach(ctx::fireUserEventTriggered);
                heldEvents.clear();
                ctx.pipeline().remove(this); // passes the bytes read so far on to the TLS handler
                return;
            }
            in.skipBytes(in.readableBytes());
            ctx.writeAndFlush(refusal()).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** An HTTP/2 server preface (an empty SETTINGS frame) and a GOAWAY(INADEQUATE_SECURITY) carrying the reason. */
    static ByteBuf refusal() {
        byte[] debug = PLAINTEXT_REFUSED.getBytes(StandardCharsets.UTF_8);
        ByteBuf b = Unpooled.buffer(9 + 9 + 8 + debug.length);
        frameHeader(b, 0, 0x4);
        frameHeader(b, 8 + debug.length, 0x7);
        b.writeInt(0); // last stream id: no stream was processed
        b.writeInt(INADEQUATE_SECURITY);
        b.writeBytes(debug);
        return b;
    }

    private static void frameHeader(ByteBuf b, int length, int type) {
        b.writeMedium(length);
        b.writeByte(type);
        b.writeByte(0); // flags
        b.writeInt(0); // stream 0: the connection
    }
}
