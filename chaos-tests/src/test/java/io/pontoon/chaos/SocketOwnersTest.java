package io.pontoon.chaos;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.*;

/** A loopback connection's client end is found in the process that holds it, and only there. */
class SocketOwnersTest {

    @Test
    void theProcessHoldingTheClientEndIsFound() throws Exception {
        long self = ProcessHandle.current().pid();
        long parent = ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(1L);
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Socket client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
             Socket accepted = server.accept()) {
            long inode = SocketOwners.inodeOf(client.getLocalPort(), server.getLocalPort()).orElseThrow();
            assertEquals(OptionalLong.of(self), SocketOwners.holderOf(inode, List.of(parent, self)));
            assertEquals(OptionalLong.empty(), SocketOwners.holderOf(inode, List.of(parent)), "the parent does not hold it");
            assertEquals(OptionalLong.empty(), SocketOwners.inodeOf(server.getLocalPort(), client.getLocalPort() + 1),
                    "a connection that does not exist has no socket");
        }
    }

    @Test
    void procNetTcpRowsAreMatchedByBothPorts() {
        String row = "   3: 0100007F:A1B2 0100007F:1F90 01 00000000:00000000 00:00000000 00000000  1000        0 98765 1 0 20 4 30 10 -1";
        assertEquals(OptionalLong.of(98765), SocketOwners.match(row, 0xA1B2, 0x1F90));
        assertEquals(OptionalLong.empty(), SocketOwners.match(row, 0x1F90, 0xA1B2), "the server's end is not the client's");
        assertEquals(OptionalLong.empty(), SocketOwners.match("  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode", 1, 2));
    }
}
