package dev.batchtrace.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckoutAndLogTest {

    @Test
    void findsThisCheckoutFromTheModuleDirectory() throws Exception {
        Checkout checkout = Checkout.locate();
        assertTrue(
                Files.isDirectory(checkout.root().resolve("deploy/local-stack")),
                checkout.toString());
    }

    @Test
    void aMissingDistributionSaysWhatToBuild(@TempDir Path root) throws Exception {
        Files.createDirectories(root.resolve("deploy/kafka-broker"));
        Checkout checkout = new Checkout(root);
        StackException e = assertThrows(StackException.class, checkout::registryRunnerJar);
        assertTrue(
                e.getMessage().startsWith("Schema registry distribution is not built"),
                e.getMessage());
        assertTrue(e.getMessage().contains("mvn -B -DskipTests install"), e.getMessage());
        assertTrue(e.getMessage().contains("-pl deploy/schema-registry"), e.getMessage());
        assertThrows(StackException.class, checkout::kafkaLib);
        assertThrows(StackException.class, checkout::elasticsearchHome);
    }

    @Test
    void logTailKeepsTheLastLines(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("server.log");
        Files.writeString(
                log,
                IntStream.rangeClosed(1, 100)
                                .mapToObj(i -> "line " + i)
                                .collect(Collectors.joining("\n"))
                        + "\n");
        List<String> tail = LogTail.lastLines(log, 30);
        assertEquals(30, tail.size());
        assertEquals("line 71", tail.get(0));
        assertEquals("line 100", tail.get(29));
        assertTrue(LogTail.describe(log, 2).contains("  | line 99\n  | line 100\n"));
        assertTrue(LogTail.contains(log, "line 42"));
        assertTrue(LogTail.describe(dir.resolve("none.log"), 5).contains("empty or missing"));
    }

    @Test
    void statusTableListsEveryServer() {
        StackStatus status =
                new StackStatus(
                        List.of(
                                new ServerStatus(
                                        "kafka", "127.0.0.1:9092", 12, ServerState.RUNNING, "ok"),
                                new ServerStatus(
                                        "elasticsearch",
                                        "http://127.0.0.1:9200",
                                        0,
                                        ServerState.STOPPED,
                                        "not started")));
        assertTrue(!status.allRunning() && !status.allStopped());
        String table = status.table();
        assertTrue(
                table.lines()
                        .anyMatch(
                                l ->
                                        l.startsWith("kafka")
                                                && l.contains("RUNNING")
                                                && l.contains("12")),
                table);
        assertTrue(
                table.lines()
                        .anyMatch(
                                l ->
                                        l.startsWith("elasticsearch")
                                                && l.contains("STOPPED")
                                                && l.contains(" - ")),
                table);
        assertEquals(ServerState.RUNNING, status.server("kafka").state());
    }
}
