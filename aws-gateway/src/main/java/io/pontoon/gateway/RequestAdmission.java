package io.pontoon.gateway;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Admits a request by its headers, before its body is buffered: it must declare its length (411 otherwise), not
 * exceed the largest request (413) and fit in the node's request buffer (503, for the client to retry). A refused
 * request's connection is closed, so that its unread body is never read. An admitted request must arrive whole
 * within {@code receiveTimeoutMs} of its headers (a slow client is cut off); until it has, this handler holds its
 * share of the buffer and gives it back if the connection ends first; once it has, {@link ExchangeHandler} does.
 */
final class RequestAdmission extends ChannelInboundHandlerAdapter {
    private final int maxRequestBytes;
    private final AtomicLong bufferFreeBytes;
    private final long receiveTimeoutMs;
    private boolean refusing;
    /** Buffer bytes held for the request being received, not yet handed on whole. */
    private long receivingBytes;
    private ScheduledFuture<?> receiveDeadline;

    RequestAdmission(int maxRequestBytes, AtomicLong bufferFreeBytes, long receiveTimeoutMs) {
        this.maxRequestBytes = maxRequestBytes;
        this.bufferFreeBytes = bufferFreeBytes;
        this.receiveTimeoutMs = receiveTimeoutMs;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest request) {
            refusing = false;
            String refusal = refusal(request);
            if (refusal != null) {
                refusing = true;
                ReferenceCountUtil.release(msg);
                int status = Integer.parseInt(refusal.substring(0, 3));
                FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status),
                        ctx.alloc().buffer().writeBytes(refusal.substring(4).getBytes(StandardCharsets.UTF_8)));
                response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
                HttpUtil.setContentLength(response, response.content().readableBytes());
                ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
                return;
            }
            receivingBytes = Math.max(0, HttpUtil.getContentLength(request, 0L));
            receiveDeadline = ctx.executor().schedule(() -> {
                ctx.close();
            }, receiveTimeoutMs, TimeUnit.MILLISECONDS);
        } else if (refusing && msg instanceof HttpContent) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof LastHttpContent && receiveDeadline != null) {
            receiveDeadline.cancel(false);
            receiveDeadline = null;
            receivingBytes = 0; // handed on whole: ExchangeHandler gives the bytes back after the answer
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (receiveDeadline != null) {
            receiveDeadline.cancel(false);
        }
        bufferFreeBytes.addAndGet(receivingBytes);
        receivingBytes = 0;
        ctx.fireChannelInactive();
    }

    /** Why the request is refused ("status reason"), or null if admitted; an admitted request holds its length. */
    private String refusal(HttpRequest request) {
        if (request.decoderResult().isFailure()) {
            return "400 The request is not valid HTTP: " + request.decoderResult().cause().getMessage();
        }
        long length = HttpUtil.getContentLength(request, -1L);
        if (length < 0) {
            return HttpUtil.isTransferEncodingChunked(request) ? "411 A request must declare its Content-Length." : null;
        }
        if (length > maxRequestBytes) {
            return "413 The request body of " + length + " bytes is over the limit of " + maxRequestBytes + " bytes.";
        }
        if (bufferFreeBytes.addAndGet(-length) < 0) {
            bufferFreeBytes.addAndGet(length);
            return "503 The node is holding as many requests as it may; retry.";
        }
        return null;
    }
}
