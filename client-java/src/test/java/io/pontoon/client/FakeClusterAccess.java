package io.pontoon.client;

/** Public handle on {@link FakeCluster} for tests in other packages. */
public final class FakeClusterAccess implements AutoCloseable {
    private final FakeCluster cluster;

    public FakeClusterAccess() throws Exception {
        this.cluster = new FakeCluster(1);
    }

    public String endpoint() {
        return cluster.node(0).address;
    }

    public PontoonClient.Builder clientBuilder() {
        return cluster.clientBuilder();
    }

    @Override
    public void close() {
        cluster.close();
    }
}
