package dev.batchtrace.cli;

import static dev.batchtrace.cli.CliRun.trace;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchtrace.connectors.gateway.JsonLinesReader;
import dev.batchtrace.connectors.gateway.LineResult;
import dev.batchtrace.connectors.gateway.ParsedEvent;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchCommandTest {

    @TempDir Path dir;

    @Test
    void writeGivesTheHistoryAsJsonLinesThatPublishReads() throws Exception {
        Path file = dir.resolve("tiny.jsonl");
        CliRun run = trace("bench", "--profile", "tiny", "--seed", "5", "--write", file.toString());
        assertEquals(0, run.exitCode(), run.out() + run.err());
        List<LineResult> lines = new JsonLinesReader().readAll(file);
        assertTrue(lines.size() > 1000, "lines: " + lines.size());
        assertTrue(lines.stream().allMatch(ParsedEvent.class::isInstance));
        assertTrue(run.out().contains("Wrote " + String.format("%,d", lines.size()) + " events"));
    }

    @Test
    void parametersOverrideTheProfile() {
        BenchCommand bench = new BenchCommand();
        picocli.CommandLine cli = new picocli.CommandLine(bench);
        cli.parseArgs(
                "--profile",
                "bulk",
                "--bulk",
                "2:300",
                "--silo",
                "1:500:40",
                "--lots",
                "900",
                "--machine-share",
                "0.5");
        var p = bench.parameters();
        assertEquals(2, p.bulkLots());
        assertEquals(300, p.bulkConsumers());
        assertEquals(500, p.siloDeliveries());
        assertEquals(40, p.siloConsumers());
        assertEquals(900, p.rawLots());
        assertEquals(0.5, p.machineEventShare());
        assertEquals(12_000, p.workOrdersPerLevel()); // from the profile
    }

    @Test
    void theFlagProbeRunsByDefaultAndNoFlagProbeSkipsIt() {
        BenchCommand defaults = new BenchCommand();
        new picocli.CommandLine(defaults).parseArgs();
        assertTrue(defaults.flagProbe, "on by default");
        BenchCommand skipped = new BenchCommand();
        new picocli.CommandLine(skipped).parseArgs("--no-flag-probe");
        assertFalse(skipped.flagProbe, "--no-flag-probe skips it");
        BenchCommand asked = new BenchCommand();
        new picocli.CommandLine(asked).parseArgs("--flag-probe");
        assertTrue(asked.flagProbe, "--flag-probe runs it");
    }

    @Test
    void jobSettingsReachTheRunAndTopicsStayTheRuns() {
        var settings =
                BenchCommand.runSettings(
                        "bench-x",
                        java.util.Map.of("checkpoint.interval", "2s", "lineage.hub-fan-in", "500"));
        assertEquals("2s", settings.get("checkpoint.interval"));
        assertEquals("500", settings.get("lineage.hub-fan-in"));
        assertEquals(BenchCommand.topicOverrides("bench-x").size() + 2, settings.size());
        var flink =
                BenchCommand.runSettings(
                        "bench-x",
                        java.util.Map.of(
                                "flink.taskmanager.network.memory.buffer-debloat.enabled", "true"));
        assertEquals("true", flink.get("flink.taskmanager.network.memory.buffer-debloat.enabled"));
        var bulk =
                BenchCommand.runSettings(
                        "bench-x", java.util.Map.of("elasticsearch.bulk.flush-interval", "1s"));
        assertEquals("1s", bulk.get("elasticsearch.bulk.flush-interval"));
        var refresh =
                BenchCommand.runSettings(
                        "bench-x",
                        java.util.Map.of("elasticsearch.index.refresh-interval", "500ms"));
        assertEquals("500ms", refresh.get("elasticsearch.index.refresh-interval"));
        var client =
                BenchCommand.runSettings(
                        "bench-x", java.util.Map.of("kafka.client.fetch.max.wait.ms", "25"));
        assertEquals("25", client.get("kafka.client.fetch.max.wait.ms"));
        for (String refused :
                List.of(
                        "topic.documents",
                        "bootstrap.servers",
                        "lineage.typo",
                        "elasticsearch.hosts",
                        "kafka.client.group.id",
                        "kafka.client.transactional.id",
                        "kafka.client.isolation.level")) {
            var error =
                    org.junit.jupiter.api.Assertions.assertThrows(
                            picocli.CommandLine.ParameterException.class,
                            () ->
                                    BenchCommand.runSettings(
                                            "bench-x", java.util.Map.of(refused, "x")));
            assertTrue(error.getMessage().contains(refused), error.getMessage());
        }
    }

    @Test
    void aMalformedOptionIsNamed() {
        CliRun run = trace("bench", "--bulk", "5", "--write", dir.resolve("x.jsonl").toString());
        assertEquals(1, run.exitCode());
        assertTrue(run.err().contains("--bulk takes 2 numbers"), run.err());
    }

    @Test
    void theCheckpointFolderSizeCountsRegularFilesAndAMissingFolderIsEmpty() throws Exception {
        Path checkpoints = dir.resolve("checkpoints");
        java.nio.file.Files.createDirectories(checkpoints.resolve("job/chk-3"));
        java.nio.file.Files.createDirectories(checkpoints.resolve("job/shared"));
        java.nio.file.Files.write(checkpoints.resolve("job/chk-3/_metadata"), new byte[1000]);
        java.nio.file.Files.write(checkpoints.resolve("job/shared/000012.sst"), new byte[234]);
        assertEquals(1234, BenchCommand.folderSize(checkpoints));
        assertEquals(0, BenchCommand.folderSize(dir.resolve("never-made")));
    }
}
