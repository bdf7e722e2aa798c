package io.pontoon.chaos;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.OptionalLong;

/**
 * Which process holds the client end of a TCP connection, read from Linux's /proc: the socket's inode from
 * {@code /proc/net/tcp{,6}}, then the process whose file descriptors include {@code socket:[inode]}.
 *
 * <p>Why: on loopback every node connects from 127.0.0.1, so the {@link LinkProxy} cannot tell nodes apart by
 * address; the owning process can be read instead (the harness started the nodes, so it may read their fds).
 */
final class SocketOwners {
    private static final List<Path> TABLES = List.of(Path.of("/proc/net/tcp"), Path.of("/proc/net/tcp6"));

    private SocketOwners() {
    }

    /** The pid among {@code candidates} whose file descriptors include the socket {@code inode}; empty if none. */
    static OptionalLong holderOf(long inode, Collection<Long> candidates) {
        String link = "socket:[" + inode + "]";
        for (long pid : candidates) {
            if (holds(pid, link)) return OptionalLong.of(pid);
        }
        return OptionalLong.empty();
    }

    /**
     * The inode of the open socket bound to local port {@code clientPort} and connected to remote port
     * {@code serverPort}; empty if there is none (never was, or already closed).
     */
    static OptionalLong inodeOf(int clientPort, int serverPort) throws IOException {
        for (Path table : TABLES) {
            if (!Files.isReadable(table)) continue;
            for (String line : Files.readAllLines(table)) {
                OptionalLong inode = match(line, clientPort, serverPort);
                if (inode.isPresent()) return inode;
            }
        }
        return OptionalLong.empty();
    }

    /** One /proc/net/tcp row: {@code sl local_address rem_address st ... uid timeout inode}; addresses are HEXIP:HEXPORT. */
    static OptionalLong match(String line, int clientPort, int serverPort) {
        String[] f = line.trim().split("\\s+");
        if (f.length < 10 || !f[0].endsWith(":")) return OptionalLong.empty(); // the header row
        if (port(f[1]) != clientPort || port(f[2]) != serverPort) return OptionalLong.empty();
        long inode = Long.parseLong(f[9]);
        return inode == 0 ? OptionalLong.empty() : OptionalLong.of(inode); // 0: a socket in TIME_WAIT, owned by nobody
    }

    private static int port(String hexAddress) {
        return Integer.parseInt(hexAddress.substring(hexAddress.indexOf(':') + 1), 16);
    }

    private static boolean holds(long pid, String socketLink) {
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path fd : fds) {
                try {
                    if (socketLink.equals(Files.readSymbolicLink(fd).toString())) return true;
                } catch (IOException closedMeanwhile) {
                    // the fd went away while we looked: not the one we want
                }
            }
        } catch (IOException | SecurityException gone) {
            // the process exited or is not ours to read
        }
        return false;
    }
}
