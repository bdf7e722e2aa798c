package io.pontoon.server.audit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * A node's append-only audit log: one JSON line per administrative action (who, what, on which resource, from
 * where, with what result) and per refused authentication, in {@code <data.dir>/audit/audit.log}. Bounded: when the
 * file would pass {@code maxFileBytes} it becomes {@code audit.log.1} (older files shift up, the oldest beyond
 * {@code maxFiles} is deleted), so the log never holds more than {@code maxFiles x maxFileBytes}. A write that fails
 * (a full disk) is logged, never thrown: auditing must not take the node down.
 */
public final class AuditLog implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AuditLog.class);
    private static final JsonFactory JSON = new JsonFactory();
    public static final String FILE = "audit.log";
    /** Characters kept of each field: a claimed key id or a resource name comes from the caller, before validation. */
    static final int MAX_FIELD_CHARS = 256;

    private final Path dir;
    private final long maxFileBytes;
    private final int maxFiles;
    private OutputStream out;
    private long size;

    /** One audited event. {@code who} is an access key id or "anonymous"; {@code result} "OK" or the status and AWS code. */
    public record Event(Instant time, String who, String from, String action, String resource, String result) {
    }

    public AuditLog(Path dir, long maxFileBytes, int maxFiles) throws IOException {
        this.dir = dir;
        this.maxFileBytes = maxFileBytes;
        this.maxFiles = maxFiles;
        Files.createDirectories(dir);
        open();
    }

    public synchronized void record(Event e) {
        byte[] line = line(e);
        try {
            if (size > 0 && size + line.length > maxFileBytes) {
                rotate();
            }
            out.write(line);
            out.flush();
            size += line.length;
        } catch (IOException ex) {
            LOG.error("audit log write failed ({}): {}", dir, ex.getMessage());
        }
    }

    static byte[] line(Event e) {
        StringWriter w = new StringWriter(256);
        try (JsonGenerator g = JSON.createGenerator(w)) {
            g.writeStartObject();
            g.writeStringField("time", e.time().toString());
            g.writeStringField("who", clip(e.who()));
            g.writeStringField("from", clip(e.from()));
            g.writeStringField("action", clip(e.action()));
            g.writeStringField("resource", clip(e.resource()));
            g.writeStringField("result", clip(e.result()));
            g.writeEndObject();
        } catch (IOException ex) {
            throw new IllegalStateException("writing JSON to a string cannot fail", ex);
        }
        w.write('\n');
        return w.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String clip(String s) {
        return s == null ? "" : s.length() <= MAX_FIELD_CHARS ? s : s.substring(0, MAX_FIELD_CHARS) + "...";
    }

    private void open() throws IOException {
        Path file = dir.resolve(FILE);
        out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        size = Files.size(file);
    }

    private void rotate() throws IOException {
        out.close();
        Files.deleteIfExists(dir.resolve(FILE + "." + (maxFiles - 1)));
        for (int i = maxFiles - 2; i >= 1; i--) {
            Path from = dir.resolve(FILE + "." + i);
            if (Files.exists(from)) {
                Files.move(from, dir.resolve(FILE + "." + (i + 1)), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        if (maxFiles > 1) {
            Files.move(dir.resolve(FILE), dir.resolve(FILE + ".1"), StandardCopyOption.REPLACE_EXISTING);
        } else {
            Files.delete(dir.resolve(FILE));
        }
        open();
    }

    @Override
    public synchronized void close() {
        try {
            out.close();
        } catch (IOException e) {
            LOG.warn("closing the audit log failed: {}", e.getMessage());
        }
    }
}
