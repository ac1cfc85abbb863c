package dev.batchtrace.stack;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generic start/wait/stop logic, with a shell script standing in for a server. */
class ServerLauncherTest {

    /** A "server" that runs a shell script and is healthy when the script printed READY. */
    private static final class ScriptServer extends ServerLauncher {
        private final String script;

        ScriptServer(Path dir, String script) {
            super("script", "Script server", dir, "127.0.0.1");
            this.script = script;
        }

        @Override
        String endpoint() {
            return "script";
        }

        @Override
        List<PortUse> ports() {
            return List.of();
        }

        @Override
        protected List<String> prepareCommand() {
            return List.of("/bin/sh", "-c", script, commandMarker());
        }

        @Override
        boolean isHealthy() {
            return LogTail.contains(logFile(), "READY");
        }

        @Override
        protected String commandMarker() {
            return marker();
        }

        String marker() {
            return dir.resolve("marker").toString();
        }
    }

    @Test
    void aServerThatExitsDuringStartupIsReportedWithItsLog(@TempDir Path dir) {
        ScriptServer server =
                new ScriptServer(
                        dir, "for i in $(seq 1 40); do echo line $i; done; echo boom >&2; exit 3");
        StackException e =
                assertThrows(
                        StackException.class, () -> server.start(Duration.ofSeconds(20), false));
        String message = e.getMessage();
        assertTrue(
                message.startsWith("Script server exited during startup (exit code 3)."), message);
        assertTrue(message.contains("Last lines of " + dir.resolve("script.log")), message);
        assertTrue(message.contains("  | boom\n"), message);
        assertTrue(message.contains("  | line 40\n"), message);
        assertFalse(message.contains("  | line 10\n"), "only the last ~30 lines: " + message);
    }

    @Test
    void aServerThatNeverGetsHealthyIsStoppedWithItsChildren(@TempDir Path dir) throws Exception {
        // the script starts a child that would outlive a kill of the script alone
        ScriptServer server = new ScriptServer(dir, "echo starting; sleep 600 & sleep 600; wait");
        ServerProcess process = server.launch(false);
        Thread.sleep(300);
        List<ProcessHandle> tree =
                ProcessHandle.of(process.pid()).orElseThrow().descendants().toList();
        assertFalse(tree.isEmpty(), "expected child processes");
        assertTrue(server.isOurs(ProcessHandle.of(process.pid()).orElseThrow()));
        StackException e =
                assertThrows(
                        StackException.class,
                        () -> server.awaitHealthy(process, Duration.ofSeconds(1)));
        assertTrue(
                e.getMessage().startsWith("Script server did not get healthy within 1 s"),
                e.getMessage());
        assertTrue(e.getMessage().contains("  | starting"), e.getMessage());
        assertFalse(process.isAlive());
        for (ProcessHandle child : tree) {
            assertFalse(child.isAlive(), "child " + child.pid() + " still alive");
        }
    }

    @Test
    void aHealthyServerIsReturnedRunningAndAnotherProcessIsNotOurs(@TempDir Path dir) {
        ScriptServer server = new ScriptServer(dir, "echo READY; sleep 600");
        ServerProcess process = assertDoesNotThrowStart(server);
        try {
            assertTrue(process.isAlive());
            assertFalse(server.isOurs(ProcessHandle.current()));
        } finally {
            process.stop(Duration.ofSeconds(10));
        }
        assertFalse(process.isAlive());
    }

    @Test
    void aMarkerMustBeAWholeArgumentNotPartOfOne() {
        String marker = "/home/op/stack/kafka/server.properties";
        assertTrue(ServerLauncher.hasArgument(List.of("java", "kafka.Kafka", marker), marker));
        // another stack whose path ends the same way
        assertFalse(
                ServerLauncher.hasArgument(
                        List.of("java", "kafka.Kafka", "/srv" + marker), marker));
        assertFalse(ServerLauncher.hasArgument(List.of("java", marker + ".bak"), marker));
        assertFalse(ServerLauncher.hasArgument(List.of("tail", "-f " + marker), marker));
        assertFalse(ServerLauncher.hasArgument(List.of(), marker));
    }

    @Test
    void aProcessWhosePathOnlyEndsLikeTheMarkerIsNotOurs(@TempDir Path dir) throws Exception {
        ScriptServer server = new ScriptServer(dir, "true");
        Process lookalike = processWithArgument("/other" + server.marker());
        Process real = processWithArgument(server.marker());
        try {
            assertFalse(server.isOurs(lookalike.toHandle()));
            assertTrue(server.isOurs(real.toHandle()));
            assertTrue(
                    ServerLauncher.arguments(real.pid()).contains(server.marker()),
                    ServerLauncher.arguments(real.pid()).toString());
        } finally {
            ServerProcess.stopTree(lookalike.toHandle(), Duration.ofSeconds(5));
            ServerProcess.stopTree(real.toHandle(), Duration.ofSeconds(5));
        }
    }

    @Test
    void aPidWithTheMarkerButAnotherStartTimeIsNotOurs(@TempDir Path dir) throws Exception {
        ScriptServer server = new ScriptServer(dir, "true");
        Process real = processWithArgument(server.marker());
        try {
            Instant started = ServerLauncher.startTime(real.toHandle()).orElseThrow();
            assertTrue(server.isOurs(real.toHandle(), started));
            // what a recorded PID looks like after the OS handed it to a new process
            assertFalse(server.isOurs(real.toHandle(), started.minusSeconds(60)));
            assertFalse(server.isOurs(real.toHandle(), started.plusMillis(10)));
        } finally {
            ServerProcess.stopTree(real.toHandle(), Duration.ofSeconds(5));
        }
        assertFalse(server.isOurs(real.toHandle(), null), "an exited process is not ours");
    }

    /**
     * A process with {@code argument} in its command line and no child: sh waits in its builtin
     * {@code read} on the stdin pipe this JVM holds open (a child {@code sleep} could be orphaned
     * when the process is stopped before it forked).
     */
    static Process processWithArgument(String argument) throws IOException {
        return new ProcessBuilder("/bin/sh", "-c", "read line", argument).start();
    }

    private static ServerProcess assertDoesNotThrowStart(ScriptServer server) {
        try {
            return server.start(Duration.ofSeconds(20), false);
        } catch (StackException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }
}
