package io.pontoon.chaos;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** POSIX signals to other processes (Java can only send TERM and KILL itself). */
final class Signals {
    private Signals() {
    }

    /** {@code kill -SIG pid}; fails if kill does. */
    static void send(long pid, String sig) throws IOException {
        Process k = new ProcessBuilder("kill", "-" + sig, Long.toString(pid)).redirectErrorStream(true).start();
        try {
            if (!k.waitFor(10, TimeUnit.SECONDS) || k.exitValue() != 0) {
                String out = new String(k.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                throw new IOException("kill -" + sig + " " + pid + " failed: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while sending SIG" + sig + " to " + pid, e);
        }
    }
}
