package io.pontoon.gateway;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http2.Http2CodecUtil;

import java.util.List;
import java.util.function.Consumer;

/**
 * Tells HTTP/2 with prior knowledge (a cleartext connection that opens with the HTTP/2 preface, as the AWS SDKs'
 * HTTP/2 clients open {@code http://} endpoints) from HTTP/1.1 by the connection's first bytes, sets the pipeline up
 * for the one it is, and steps aside; the bytes it read go on to the new handlers.
 */
final class HttpVersionSniffer extends ByteToMessageDecoder {
    private static final ByteBuf PREFACE = Http2CodecUtil.connectionPrefaceBuf();
    private final Consumer<ChannelPipeline> http1;
    private final Consumer<ChannelPipeline> http2;

    HttpVersionSniffer(Consumer<ChannelPipeline> http1, Consumer<ChannelPipeline> http2) {
        this.http1 = http1;
        this.http2 = http2;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        int n = Math.min(in.readableBytes(), PREFACE.readableBytes());
        boolean prefaceSoFar = ByteBufUtil.equals(in, in.readerIndex(), PREFACE, PREFACE.readerIndex(), n);
        if (prefaceSoFar && n < PREFACE.readableBytes()) {
            return; // too few bytes to tell yet
        }
        (prefaceSoFar ? http2 : http1).accept(ctx.pipeline());
        ctx.pipeline().remove(this);
    }
}
