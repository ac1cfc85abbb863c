package dev.batchtrace.stack;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TestServersReaperTest {

    @Test
    void stopsServersOfAKilledTestJvmAndLeavesLiveOnesAlone() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        assertTrue(gone.waitFor(10, TimeUnit.SECONDS));
        Path target = TestServers.baseDir().getParent();
        Path deadDir = target.resolve("test-servers-" + gone.pid());
        Path liveDir =
                target.resolve("test-servers-" + ProcessHandle.current().pid() + "-not-a-match");
        Files.createDirectories(deadDir.resolve("kafka"));
        Files.createDirectories(liveDir);
        // "; true" keeps sh from exec-ing sleep, so the marker stays in a command line
        Process leftover =
                new ProcessBuilder(
                                "/bin/sh",
                                "-c",
                                "sleep 600; true",
                                deadDir.resolve("kafka/server.properties").toString())
                        .start();
        Process unrelated =
                new ProcessBuilder("/bin/sh", "-c", "sleep 600; true", liveDir.toString()).start();
        try {
            Thread.sleep(200);
            TestServers.reapLeftovers();
            assertTrue(leftover.waitFor(30, TimeUnit.SECONDS), "leftover server still running");
            assertFalse(Files.exists(deadDir));
            assertTrue(unrelated.isAlive());
            assertTrue(Files.exists(liveDir));
        } finally {
            ServerProcess.stopTree(leftover.toHandle(), java.time.Duration.ofSeconds(5));
            ServerProcess.stopTree(unrelated.toHandle(), java.time.Duration.ofSeconds(5));
            Files.deleteIfExists(liveDir);
        }
    }
}
