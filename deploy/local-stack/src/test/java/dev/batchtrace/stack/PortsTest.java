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

    @Test
    void freePortsComeFromBelowTheEphemeralRangeAndNeverRepeat() {
        int[] range = Ports.choosableRange();
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        for (int i = 0; i < 50; i++) {
            int port = Ports.freePort("127.0.0.1");
            assertTrue(
                    port >= range[0] && port < range[1],
                    port + " outside " + range[0] + "-" + range[1]);
            assertTrue(seen.add(port), "port " + port + " handed out twice");
        }
    }

    @Test
    void theChoosableRangeLeavesOutLinuxsEphemeralPorts() throws Exception {
        java.nio.file.Path proc = java.nio.file.Path.of("/proc/sys/net/ipv4/ip_local_port_range");
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isReadable(proc));
        String[] parts = java.nio.file.Files.readAllLines(proc).get(0).trim().split("\\s+");
        int low = Integer.parseInt(parts[0]);
        int high = Integer.parseInt(parts[1]);
        int[] range = Ports.choosableRange();
        assertTrue(range[1] <= low || range[0] > high, "range overlaps " + low + "-" + high);
        assertTrue(range[1] - range[0] >= 1000, "range too small");
    }
}
