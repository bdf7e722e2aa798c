package io.pontoon.gateway;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.ssl.SslContext;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * On a gateway that serves HTTPS only: a connection that opens with a TLS handshake record gets TLS and then the
 * HTTP version sniffer; one that opens with anything else (plain HTTP) is answered with a 400 that says HTTPS is
 * required, and closed, as web servers answer plain HTTP on an HTTPS port.
 */
final class TlsSniffer extends ByteToMessageDecoder {
    static final String PLAINTEXT_REFUSED = "This Pontoon endpoint requires HTTPS (TLS): use an https:// endpoint URL and trust the cluster CA.";
    private static final byte TLS_HANDSHAKE_RECORD = 0x16;
    private final SslContext ssl;
    private final ChannelHandler next;

    TlsSniffer(SslContext ssl, ChannelHandler next) {
        this.ssl = ssl;
        this.next = next;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (!in.isReadable()) {
            return;
        }
        if (in.getByte(in.readerIndex()) == TLS_HANDSHAKE_RECORD) {
            ctx.pipeline().addAfter(ctx.name(), null, next);
            ctx.pipeline().addAfter(ctx.name(), null, ssl.newHandler(ctx.alloc()));
            ctx.pipeline().remove(this);
            return;
        }
        in.skipBytes(in.readableBytes());
        byte[] body = PLAINTEXT_REFUSED.getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: " + body.length
                + "\r\nConnection: close\r\n\r\n";
        ctx.writeAndFlush(Unpooled.wrappedBuffer(head.getBytes(StandardCharsets.US_ASCII), body)).addListener(ChannelFutureListener.CLOSE);
    }
}
