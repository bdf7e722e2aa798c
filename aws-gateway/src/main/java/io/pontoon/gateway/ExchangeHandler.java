package io.pontoon.gateway;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.timeout.IdleStateEvent;
import io.pontoon.gateway.auth.SigV4Verifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Hands each whole request to the first protocol that accepts it and writes the answers in request order (HTTP/1.1
 * pipelining). While a request is being answered the connection reads nothing more, so one client cannot queue
 * unbounded work; an idle connection with nothing outstanding is closed.
 */
final class ExchangeHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger LOG = LoggerFactory.getLogger(ExchangeHandler.class);
    private final List<Protocol> protocols;
    private final Optional<String> advertisedUrl;
    private final AtomicLong bufferFreeBytes;
    /** Null when requests are not authenticated. */
    private final SigV4Verifier verifier;
    private final GatewayCaller.Refusals refusals;
    private CompletableFuture<Void> previous = CompletableFuture.completedFuture(null);
    private int outstanding;
    /** The streaming body being written, if any: cancelled if the connection ends first. */
    private StreamingBody streaming;

    ExchangeHandler(List<Protocol> protocols, Optional<String> advertisedUrl, AtomicLong bufferFreeBytes, SigV4Verifier verifier,
                    GatewayCaller.Refusals refusals) {
        this.protocols = protocols;
        this.verifier = verifier;
        this.refusals = refusals;
        this.advertisedUrl = advertisedUrl;
        this.bufferFreeBytes = bufferFreeBytes;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        long heldBytes = Math.max(0, HttpUtil.getContentLength(request, 0L));
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        HttpExchange exchange = exchange(ctx, request);
        outstanding++;
        ctx.channel().config().setAutoRead(false);
        CompletableFuture<HttpExchange.Reply> reply = dispatch(exchange, String.valueOf(connectionOf(ctx).remoteAddress()));
        // Each answer is written once the one before it has been written whole (a streaming one: ended).
        previous = previous.thenCombine(reply, (ignored, r) -> r).thenCompose(r -> {
            CompletableFuture<Void> written = new CompletableFuture<>();
            ctx.executor().execute(() -> {
                bufferFreeBytes.addAndGet(heldBytes);
                write(ctx, r, keepAlive, written);
            });
            return written;
        });
    }

    private CompletableFuture<HttpExchange.Reply> dispatch(HttpExchange exchange, String remote) {
        try {
            for (Protocol protocol : protocols) {
                if (protocol.accepts(exchange)) {
                    SigV4Verifier.Failure refused = verifier == null || protocol.anonymous(exchange) ? null
                            : verifier.verify(exchange, System.currentTimeMillis());
                    GatewayCaller caller = new GatewayCaller(verifier == null ? "anonymous" : claimedKeyId(exchange), remote);
                    if (refused != null) {
                        refusals.refused(caller, target(exchange), refused.code());
                        return CompletableFuture.completedFuture(protocol.error(refused.httpStatus(), refused.code(), refused.message()));
                    }
                    // The node's services see who asked (audit) through the gRPC context the calls are made in.
                    io.grpc.Context withCaller = io.grpc.Context.current().withValue(GatewayCaller.KEY, caller);
                    io.grpc.Context previous = withCaller.attach();
                    try {
                        return protocol.handle(exchange).exceptionally(ExchangeHandler::internalError);
                    } finally {
                        withCaller.detach(previous);
                    }
                }
            }
            return CompletableFuture.completedFuture(HttpExchange.Reply.text(400,
                    "Not an AWS request this endpoint serves: SQS requests carry X-Amz-Target: AmazonSQS.<Action> (AWS JSON) "
                            + "or a form with Action=<Action> (Query, Version 2012-11-05); SNS requests are forms with "
                            + "Action=<Action> (Query, Version 2010-03-31); Kinesis requests carry X-Amz-Target: Kinesis_20131202.<Action>."));
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(internalError(e));
        }
    }

    /** The access key id a request's Authorization names ("anonymous" if none); verified only when the verifier accepted it. */
    private static String claimedKeyId(HttpExchange exchange) {
        String authorization = exchange.header("authorization");
        int at = authorization == null ? -1 : authorization.indexOf("Credential=");
        int end = at < 0 ? -1 : authorization.indexOf('/', at);
        return end < 0 ? "anonymous" : authorization.substring(at + "Credential=".length(), end);
    }

    private static String target(HttpExchange exchange) {
        String target = exchange.header("x-amz-target");
        return target != null ? target : exchange.method() + " " + exchange.path() + " (Query)";
    }

    private static HttpExchange.Reply internalError(Throwable t) {
        LOG.error("gateway request failed", t);
        return HttpExchange.Reply.text(500, "InternalFailure: " + t);
    }

    private HttpExchange exchange(ChannelHandlerContext ctx, FullHttpRequest request) {
        Map<String, String> headers = new HashMap<>();
        request.headers().forEach(h -> headers.merge(h.getKey().toLowerCase(Locale.ROOT), h.getValue(), (a, b) -> a + "," + b));
        String uri = request.uri();
        int query = uri.indexOf('?');
        String path = query < 0 ? uri : uri.substring(0, query);
        return new HttpExchange(request.method().name(), path, query < 0 ? "" : uri.substring(query + 1), Map.copyOf(headers),
                ByteBufUtil.getBytes(request.content()),
                advertisedUrl.orElseGet(() -> baseUrl(ctx, headers.get("host"))));
    }

    private static String baseUrl(ChannelHandlerContext ctx, String host) {
        if (host == null || host.isEmpty()) {
            InetSocketAddress local = (InetSocketAddress) ctx.channel().localAddress();
            host = local.getHostString() + ":" + local.getPort();
        }
        return (connectionOf(ctx).pipeline().get(io.netty.handler.ssl.SslHandler.class) != null ? "https://" : "http://") + host;
    }

    /** The TCP connection a request came on: an HTTP/2 stream is a child channel of it (an HTTP/1.1 one's parent is the server socket). */
    private static io.netty.channel.Channel connectionOf(ChannelHandlerContext ctx) {
        return ctx.channel() instanceof io.netty.handler.codec.http2.Http2StreamChannel ? ctx.channel().parent() : ctx.channel();
    }

    private void write(ChannelHandlerContext ctx, HttpExchange.Reply reply, boolean keepAlive, CompletableFuture<Void> written) {
        if (reply.stream() != null) {
            writeStreaming(ctx, reply, keepAlive, written);
            return;
        }
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(reply.status()), Unpooled.wrappedBuffer(reply.body()));
        head(response, reply, keepAlive);
        HttpUtil.setContentLength(response, reply.body().length);
        answered(ctx, ctx.writeAndFlush(response), keepAlive);
        written.complete(null);
    }

    /**
     * The head now, then the body as it comes (chunked over HTTP/1.1; DATA frames over HTTP/2, where the stream
     * codec drops the Transfer-Encoding header). The connection answers nothing else meanwhile (HTTP/1.1 is in order).
     */
    private void writeStreaming(ChannelHandlerContext ctx, HttpExchange.Reply reply, boolean keepAlive, CompletableFuture<Void> written) {
        HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(reply.status()));
        head(response, reply, keepAlive);
        HttpUtil.setTransferEncodingChunked(response, true);
        ctx.writeAndFlush(response);
        streaming = reply.stream();
        streaming.start(new ChannelSink(ctx, () -> {
            streaming = null;
            answered(ctx, ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT), keepAlive);
            written.complete(null);
        }));
    }

    private static void head(HttpResponse response, HttpExchange.Reply reply, boolean keepAlive) {
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, reply.contentType());
        reply.headers().forEach((k, v) -> response.headers().set(k, v));
        if (!keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
    }

    /** An answer is written: close, or read the next request once none is outstanding. */
    private void answered(ChannelHandlerContext ctx, ChannelFuture written, boolean keepAlive) {
        if (!keepAlive) {
            written.addListener(ChannelFutureListener.CLOSE);
        } else if (--outstanding == 0) {
            ctx.channel().config().setAutoRead(true);
            ctx.read();
        }
    }

    /** A streaming body's chunks, written on the connection's event loop in the order sent. */
    private static final class ChannelSink implements StreamingBody.Sink {
        private final ChannelHandlerContext ctx;
        private final Runnable onEnd;
        private final AtomicBoolean ended = new AtomicBoolean();

        ChannelSink(ChannelHandlerContext ctx, Runnable onEnd) {
            this.ctx = ctx;
            this.onEnd = onEnd;
        }

        @Override
        public CompletableFuture<Void> send(byte[] chunk) {
            CompletableFuture<Void> written = new CompletableFuture<>();
            ctx.executor().execute(() -> ctx.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(chunk))).addListener(w -> {
                if (w.isSuccess()) {
                    written.complete(null);
                } else {
                    written.completeExceptionally(w.cause());
                }
            }));
            return written;
        }

        @Override
        public void end() {
            if (ended.compareAndSet(false, true)) {
                ctx.executor().execute(onEnd);
            }
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (streaming != null) {
            streaming.cancel();
            streaming = null;
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof IdleStateEvent && outstanding == 0) {
            ctx.close();
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("gateway connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
