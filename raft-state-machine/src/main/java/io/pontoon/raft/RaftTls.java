package io.pontoon.raft;

import org.apache.ratis.conf.Parameters;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.grpc.GrpcTlsConfig;

import javax.net.ssl.KeyManager;
import javax.net.ssl.TrustManager;

/**
 * Mutual TLS between the nodes' Raft endpoints: each side presents its node certificate and accepts only a peer whose
 * certificate chains to the cluster CA, so a machine without such a certificate can neither join a group nor talk to
 * one. The managers may change what they hold (certificate reload); Ratis asks them at every handshake.
 */
public record RaftTls(KeyManager keyManager, TrustManager trustManager) {
    /** Ratis parameters for a server or a client of this node: every Ratis gRPC endpoint with mutual TLS. */
    Parameters parameters() {
        Parameters p = new Parameters();
        GrpcTlsConfig tls = new GrpcTlsConfig(keyManager, trustManager, true);
        GrpcConfigKeys.Server.setTlsConf(p, tls);
        GrpcConfigKeys.Client.setTlsConf(p, tls);
        GrpcConfigKeys.Admin.setTlsConf(p, tls);
        return p;
    }
}
