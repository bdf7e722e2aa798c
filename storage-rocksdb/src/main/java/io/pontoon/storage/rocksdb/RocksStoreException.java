package io.pontoon.storage.rocksdb;

/** A RocksDB or file-system failure of a partition store: a storage fault, which the caller must not swallow. */
public final class RocksStoreException extends RuntimeException {
    public RocksStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
