package dev.batchtrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which retained checkpoint a local run resumes from: only one this version of the jobs wrote. */
class LocalLineageRunTest {

    @TempDir Path work;

    /** A retained checkpoint {@code <run>/<job>/chk-N/_metadata}, modified at {@code second}. */
    private Path checkpoint(String run, String version, int n, long second) throws IOException {
        Path runDir = LocalLineageRun.checkpointsDir(work).resolve(run);
        Path chk = runDir.resolve("job-1").resolve("chk-" + n);
        Files.createDirectories(chk);
        Path metadata = Files.writeString(chk.resolve("_metadata"), "x");
        Files.setLastModifiedTime(metadata, FileTime.from(Instant.ofEpochSecond(second)));
        Files.setLastModifiedTime(chk, FileTime.from(Instant.ofEpochSecond(second)));
        if (version != null) {
            Files.writeString(runDir.resolve(LocalLineageRun.STATE_VERSION_FILE), version + "\n");
        }
        return chk;
    }

    @Test
    void resumesTheNewestCheckpointOfThisVersionAndNamesOlderRunsAsStale() throws IOException {
        Path current = checkpoint("20261124-100000", LocalLineageRun.STATE_VERSION, 7, 1_000);
        checkpoint("20261124-090000", LocalLineageRun.STATE_VERSION, 3, 500);
        checkpoint("20261123-080000", null, 40, 2_000); // newer, but from before versions

        LocalLineageRun.Resume resume = LocalLineageRun.resume(work);

        assertEquals("20261124-100000", resume.runId());
        assertEquals(Optional.of(current), resume.checkpoint());
        assertEquals(
                List.of(LocalLineageRun.checkpointsDir(work).resolve("20261123-080000")),
                resume.stale());
    }

    @Test
    void onlyOlderVersionsMeansANewRunThatRecomputesFromTheTopics() throws IOException {
        checkpoint("20261123-080000", null, 40, 2_000);
        checkpoint("20261123-070000", "1", 12, 1_000);

        LocalLineageRun.Resume resume = LocalLineageRun.resume(work);

        assertTrue(resume.checkpoint().isEmpty());
        assertNotEquals("20261123-080000", resume.runId());
        assertEquals(2, resume.stale().size());
    }

    @Test
    void aNewerVersionsCheckpointsAreNotResumedByAnOlderOne() throws IOException {
        // a rollback of bin/trace to an older build: the newer run's state is not read
        String newer = String.valueOf(Integer.parseInt(LocalLineageRun.STATE_VERSION) + 1);
        checkpoint("20261125-080000", newer, 9, 3_000);

        LocalLineageRun.Resume resume = LocalLineageRun.resume(work);

        assertTrue(resume.checkpoint().isEmpty(), "recomputes from the topics instead");
        assertNotEquals("20261125-080000", resume.runId(), "under a new run id");
        assertEquals(
                List.of(LocalLineageRun.checkpointsDir(work).resolve("20261125-080000")),
                resume.stale());
    }

    @Test
    void aFreshWorkFolderHasNothingToResume() throws IOException {
        LocalLineageRun.Resume resume = LocalLineageRun.resume(work);
        assertTrue(resume.checkpoint().isEmpty());
        assertEquals(List.of(), resume.stale());
    }

    @Test
    void flinkKeysGoToTheLocalFlinkWithoutTheirPrefixAndNothingElseDoes() {
        var settings =
                java.util.Map.of(
                        "flink.taskmanager.network.memory.buffer-debloat.enabled", "true",
                        "flink.", "empty key",
                        "checkpoint.interval", "2s",
                        "bootstrap.servers", "localhost:9092");

        assertEquals(
                java.util.Map.of("taskmanager.network.memory.buffer-debloat.enabled", "true"),
                LocalLineageRun.localFlinkSettings(settings));
        // the lineage job and the machine job accept the runs' settings with the flink keys in them
        var endpoints =
                new Endpoints("localhost:9092", "http://localhost:8081", "http://localhost:9200");
        var all = LocalLineageRun.settings(endpoints, "run-1", settings);
        LocalLineageRun.config(endpoints, "run-1", settings);
        LocalLineageRun.machineConfig(all);
    }

    @Test
    void localJobsRunOnHalfTheCoresAndASettingWins() {
        assertEquals(1, LocalLineageRun.localParallelism(1));
        assertEquals(1, LocalLineageRun.localParallelism(2));
        assertEquals(1, LocalLineageRun.localParallelism(3));
        assertEquals(4, LocalLineageRun.localParallelism(8));
        var endpoints =
                new Endpoints("localhost:9092", "http://localhost:8081", "http://localhost:9200");
        assertEquals(
                LocalLineageRun.localParallelism(),
                LocalLineageRun.config(endpoints, "run-1", java.util.Map.of()).parallelism());
        assertEquals(
                3,
                LocalLineageRun.config(
                                endpoints, "run-1", java.util.Map.of("lineage.parallelism", "3"))
                        .parallelism());
    }

    @Test
    void theTemporaryFilesOfEndedRunsGoAndARunningOnesStay() throws Exception {
        Path root = LocalLineageRun.tmpRoot(work);
        Process ended = new ProcessBuilder("true").start();
        ended.waitFor();
        Path endedRun = root.resolve(String.valueOf(ended.pid())).resolve("tm_0/tmp/db");
        Files.createDirectories(endedRun);
        Files.writeString(endedRun.resolve("000012.sst"), "x");
        Path running = LocalLineageRun.tmpDir(work);
        Files.createDirectories(running);
        Path notARun = Files.createDirectories(root.resolve("kept-by-hand"));

        List<Path> removed = LocalLineageRun.removeLeftovers(root);

        assertEquals(List.of(root.resolve(String.valueOf(ended.pid()))), removed);
        assertFalse(Files.exists(root.resolve(String.valueOf(ended.pid()))));
        assertTrue(Files.isDirectory(running), "this process runs: its folder stays");
        assertTrue(Files.isDirectory(notARun));
        assertEquals(List.of(), LocalLineageRun.removeLeftovers(work.resolve("absent")));
    }
}
