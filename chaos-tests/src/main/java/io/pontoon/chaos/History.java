package io.pontoon.chaos;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A thread-safe, append-only history: kept in memory for the checkers and written to a JSON-lines file
 * (one {@link Op} per line) as it happens, so a crashed run still leaves its history on disk.
 */
public final class History implements AutoCloseable {
    private final long startNanos = System.nanoTime();
    private final List<Op> ops = new ArrayList<>();
    private final BufferedWriter out;

    public History(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
    }

    /** An in-memory history (tests). */
    public History() {
        this.out = null;
    }

    public Op add(String process, String type, String f, Object value) {
        return add(process, type, f, value, null);
    }

    public synchronized Op add(String process, String type, String f, Object value, String error) {
        Op op = new Op(System.nanoTime() - startNanos, process, type, f, value, error);
        ops.add(op);
        if (out != null) {
            try {
                out.write(op.toJson());
                out.write('\n');
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return op;
    }

    public synchronized List<Op> ops() {
        return Collections.unmodifiableList(new ArrayList<>(ops));
    }

    @Override
    public synchronized void close() throws IOException {
        if (out != null) out.close();
    }

    /** Reads a history file written by this class. */
    public static List<Op> read(Path file) throws IOException {
        List<Op> ops = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) ops.add(Op.fromJson(line));
        }
        return ops;
    }
}
