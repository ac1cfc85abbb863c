package dev.batchtrace.stack;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reaper stops only servers of a test JVM that is certainly gone. */
class TestServersReaperTest {

    private static final Duration QUIET = Duration.ofMinutes(5);

    @TempDir Path target;
    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void stopProcesses() {
        started.forEach(p -> ServerProcess.stopTree(p.toHandle(), Duration.ofSeconds(5)));
    }

    @Test
    void stopsTheServersOfAKilledTestJvmButNotATailOfItsLog() throws Exception {
        long pid = deadPid();
        Path dir = serversDir(pid);
        ownedBy(dir, pid, Instant.parse("2026-01-01T00:00:00Z"));
        Process kafka = fakeServer(KafkaLauncher.marker(dir.resolve("kafka")));
        Process elasticsearch =
                fakeServer(ElasticsearchLauncher.marker(dir.resolve("elasticsearch")));
        Process tail = fakeServer(dir.resolve("kafka").resolve("kafka.log").toString());
        Process elsewhere = fakeServer("/srv" + KafkaLauncher.marker(dir.resolve("kafka")));
        ageTree(dir);

        TestServers.reapLeftovers(target, QUIET);

        assertTrue(kafka.waitFor(30, TimeUnit.SECONDS), "leftover Kafka still running");
        assertTrue(elasticsearch.waitFor(30, TimeUnit.SECONDS), "leftover ES still running");
        assertTrue(tail.isAlive(), "a process that only names a file in the folder was stopped");
        assertTrue(elsewhere.isAlive(), "another stack's server whose path ends alike was stopped");
        assertFalse(Files.exists(dir));
    }

    @Test
    void aFolderWithoutOwnerFileIsLeftAlone() throws Exception {
        Path dir = serversDir(deadPid());
        Process kafka = fakeServer(KafkaLauncher.marker(dir.resolve("kafka")));
        ageTree(dir);

        TestServers.reapLeftovers(target, QUIET);

        assertTrue(Files.exists(dir));
        assertTrue(kafka.isAlive());
    }

    @Test
    void aRecentlyChangedFolderIsLeftAlone() throws Exception {
        long pid = deadPid();
        Path dir = serversDir(pid);
        ownedBy(dir, pid, null);
        Process kafka = fakeServer(KafkaLauncher.marker(dir.resolve("kafka")));
        ageTree(dir);
        Files.setLastModifiedTime(dir.resolve("kafka"), FileTime.from(Instant.now()));

        TestServers.reapLeftovers(target, QUIET);

        assertTrue(Files.exists(dir));
        assertTrue(kafka.isAlive());
    }

    @Test
    void aLiveOwnerKeepsItsServersAndAReusedPidDoesNot() throws Exception {
        Process owner = fakeServer("owner");
        Instant ownerStart = ServerLauncher.startTime(owner.toHandle()).orElseThrow();
        Path alive = serversDir(owner.pid());
        ownedBy(alive, owner.pid(), ownerStart);
        Process aliveServer = fakeServer(KafkaLauncher.marker(alive.resolve("kafka")));
        ageTree(alive);

        TestServers.reapLeftovers(target, QUIET);
        assertTrue(Files.exists(alive));
        assertTrue(aliveServer.isAlive());

        // the same PID, but the owner file names a JVM that started at another time
        ownedBy(alive, owner.pid(), ownerStart.minusSeconds(3600));
        ageTree(alive);
        TestServers.reapLeftovers(target, QUIET);
        assertTrue(aliveServer.waitFor(30, TimeUnit.SECONDS), "server of a reused PID kept");
        assertFalse(Files.exists(alive));
        assertTrue(owner.isAlive(), "the process that reused the PID is not a server");
    }

    @Test
    void theOwnerFileTellsWhetherItsJvmIsGone(@TempDir Path base) throws Exception {
        assertFalse(TestServers.ownerIsGone(base), "no owner file: cannot tell");
        TestServers.writeOwnerFile(base, ProcessHandle.current());
        assertFalse(TestServers.ownerIsGone(base), "this JVM is running");

        Process owner = fakeServer("owner");
        TestServers.writeOwnerFile(base, owner.toHandle());
        assertFalse(TestServers.ownerIsGone(base), "the owner is running");
        owner.destroyForcibly();
        assertTrue(owner.waitFor(10, TimeUnit.SECONDS));
        assertTrue(TestServers.ownerIsGone(base), "the owner has exited");
    }

    private static long deadPid() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        assertTrue(gone.waitFor(10, TimeUnit.SECONDS));
        return gone.pid();
    }

    private Path serversDir(long pid) throws IOException {
        Path dir = target.resolve("test-servers-" + pid);
        Files.createDirectories(dir.resolve("kafka"));
        Files.createDirectories(dir.resolve("elasticsearch"));
        return dir;
    }

    private static void ownedBy(Path dir, long pid, Instant start) throws IOException {
        Properties p = new Properties();
        p.setProperty("pid", Long.toString(pid));
        if (start != null) {
            p.setProperty("started", start.toString());
        }
        try (var out = Files.newBufferedWriter(dir.resolve(TestServers.OWNER_FILE))) {
            p.store(out, null);
        }
    }

    /** A process whose last argument is {@code argument}, standing in for a server. */
    private Process fakeServer(String argument) throws IOException {
        Process p = ServerLauncherTest.processWithArgument(argument);
        started.add(p);
        return p;
    }

    /** Makes everything in the folder look untouched for longer than the quiet period. */
    private static void ageTree(Path dir) throws IOException {
        FileTime old = FileTime.from(Instant.now().minus(QUIET).minusSeconds(60));
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.toList()) {
                Files.setLastModifiedTime(p, old);
            }
        }
    }
}
