package io.pontoon.gateway;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.timeout.IdleStateEvent;
import io.pontoon.gateway.auth.SigV4Verifier;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A connection's handlers once its HTTP version is known. Both versions end in the same request handlers
 * (admission, aggregation, exchange): over HTTP/1.1 once per connection, over HTTP/2 once per stream, each stream's
 * frames turned into HTTP/1.1 objects first, so that the protocols never see which version carried a request.
 */
final class Pipelines {
    static final int MAX_INITIAL_LINE_BYTES = 8 << 10;
    static final int MAX_HEADER_BYTES = 16 << 10;
    /** HTTP/2 streams a connection may have open at once (each holds at most one request). */
    static final int MAX_CONCURRENT_STREAMS = 100;
    private final GatewayConfig config;
    private final List<Protocol> protocols;
    private final AtomicLong bufferFreeBytes;
    private final SigV4Verifier verifier;
    private final GatewayCaller.Refusals refusals;

    Pipelines(GatewayConfig config, List<Protocol> protocols, AtomicLong bufferFreeBytes, SigV4Verifier verifier, GatewayCaller.Refusals refusals) {
        this.config = config;
        this.refusals = refusals;
        this.protocols = protocols;
        this.bufferFreeBytes = bufferFreeBytes;
        this.verifier = verifier;
    }

    void http1(ChannelPipeline pipeline) {
        pipeline.addLast(new HttpServerCodec(MAX_INITIAL_LINE_BYTES, MAX_HEADER_BYTES, 64 << 10));
        pipeline.addLast(requestHandlers());
    }

    void http2(ChannelPipeline pipeline) {
        Http2FrameCodec codec = Http2FrameCodecBuilder.forServer().initialSettings(Http2Settings.defaultSettings()
                .maxConcurrentStreams(MAX_CONCURRENT_STREAMS).maxHeaderListSize(MAX_HEADER_BYTES)).build();
        pipeline.addLast(codec, new IdleWithoutStreams(codec), new Http2MultiplexHandler(new ChannelInitializer<Http2StreamChannel>() {
            @Override
            protected void initChannel(Http2StreamChannel stream) {
                stream.pipeline().addLast(new Http2StreamFrameToHttpObjectCodec(true));
                stream.pipeline().addLast(requestHandlers());
            }
        }));
    }

    private ChannelHandler[] requestHandlers() {
        return new ChannelHandler[]{
                new RequestAdmission(config.maxRequestBytes(), bufferFreeBytes, config.idleTimeoutMs()),
                new HttpObjectAggregator(config.maxRequestBytes()),
                new ExchangeHandler(protocols, config.advertisedUrl(), bufferFreeBytes, verifier, refusals)};
    }

    /** Closes an idle HTTP/2 connection once no stream is open (a SubscribeToShard stream keeps it). */
    private static final class IdleWithoutStreams extends ChannelDuplexHandler {
        private final Http2FrameCodec codec;

        IdleWithoutStreams(Http2FrameCodec codec) {
            this.codec = codec;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
            if (event instanceof IdleStateEvent && codec.connection().numActiveStreams() == 0) {
                ctx.close();
                return;
            }
            super.userEventTriggered(ctx, event);
        }
    }
}
