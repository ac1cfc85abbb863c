package dev.batchtrace.stack;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class PortsTest {

    @Test
    void aListeningPortIsTakenAndTheMessageSaysHowToChangeIt() throws Exception {
        try (ServerSocket other = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int port = other.getLocalPort();
            assertFalse(Ports.isFree("127.0.0.1", port));
            assertTrue(Ports.isListening("127.0.0.1", port));
            PortTakenException e =
                    assertThrows(
                            PortTakenException.class,
                            () ->
                                    Ports.requireFree(
                                            "127.0.0.1",
                                            port,
                                            "Kafka broker port",
                                            "-Dbatchtrace.stack.kafka.port=..."));
            assertEquals(port, e.port());
            assertTrue(
                    e.getMessage()
                            .startsWith(
                                    "Kafka broker port 127.0.0.1:" + port + " is already in use"),
                    e.getMessage());
            assertTrue(
                    e.getMessage().contains("-Dbatchtrace.stack.kafka.port=..."), e.getMessage());
        }
    }

    @Test
    void aClosedPortIsFreeAgain() throws Exception {
        int port;
        try (ServerSocket other = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = other.getLocalPort();
        }
        assertTrue(Ports.isFree("127.0.0.1", port));
        assertFalse(Ports.isListening("127.0.0.1", port));
        assertDoesNotThrow(() -> Ports.requireFree("127.0.0.1", port, "x", "y"));
    }

    @Test
    void freePortIsBindable() {
        int port = Ports.freePort("127.0.0.1");
        assertTrue(port > 0);
        assertTrue(Ports.isFree("127.0.0.1", port));
    }
}
