package io.pontoon.server.config;

/**
 * The audit log's bounds (docs/configuration.md, {@code audit.*}): it rotates at {@code maxFileBytes} and keeps
 * {@code maxFiles} files, so it never holds more than their product.
 */
public record AuditConfig(long maxFileBytes, int maxFiles) {
    public AuditConfig {
        if (maxFileBytes < 64 << 10 || maxFileBytes > 1L << 30) {
            throw new ConfigException("audit.max.file.bytes: must be 65536 (64 KiB) .. 1073741824 (1 GiB)");
        }
        if (maxFiles < 1 || maxFiles > 100) {
            throw new ConfigException("audit.max.files: must be 1..100");
        }
    }
}
