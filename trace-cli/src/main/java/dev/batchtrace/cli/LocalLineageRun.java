package dev.batchtrace.cli;

import dev.batchtrace.connectors.elasticsearch.ElasticsearchSettings;
import dev.batchtrace.connectors.elasticsearch.IndexTemplates;
import dev.batchtrace.connectors.kafka.KafkaConnectionCheck;
import dev.batchtrace.connectors.kafka.KafkaSettings;
import dev.batchtrace.connectors.registry.ConfluentSchemaRegistryClient;
import dev.batchtrace.connectors.registry.RegistrySettings;
import dev.batchtrace.jobs.lineage.AlertNotifier;
import dev.batchtrace.jobs.lineage.LineageJob;
import dev.batchtrace.jobs.lineage.LineageJobConfig;
import dev.batchtrace.jobs.lineage.LineageSinks;
import dev.batchtrace.jobs.lineage.LineageSources;
import dev.batchtrace.jobs.machine.MachineJob;
import dev.batchtrace.jobs.machine.MachineJobConfig;
import dev.batchtrace.jobs.machine.MachineSinks;
import dev.batchtrace.jobs.machine.MachineSources;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The lineage job in a local Flink (RocksDB, web UI on loopback). Its checkpoints are kept in the
 * work folder and the next run resumes from the newest one, so stopping and starting {@code
 * bin/trace run} loses nothing.
 *
 * <p>A run without a checkpoint starts with empty state, so it must not see what an earlier run
 * left behind: it gets a run id that names its own consumer groups, transactional ids and feedback
 * topic (old closure messages carry versions the new state would wrongly compare against), and it
 * reads the input topics from the beginning. Later runs that resume from its checkpoints reuse the
 * id, which is the checkpoint folder's name.
 */
final class LocalLineageRun {
    static final int DEFAULT_WEB_UI_PORT = 8082;

    /** The run id among the settings (read by this class only; no job sees it). */
    private static final String RUN_ID_KEY = "local.run-id";

    private static final DateTimeFormatter RUN_ID =
            DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private LocalLineageRun() {}

    /** Where the job's checkpoints live: {@code <checkpoints>/<runId>/<jobId>/chk-N}. */
    /**
     * @param stale run folders whose checkpoints an older version of the jobs wrote (not resumed)
     */
    record Resume(String runId, Optional<Path> checkpoint, List<Path> stale) {}

    /**
     * What the jobs keep in state and how they read it. Bump it when a change makes old state wrong
     * for the new code (a new state the old runs never filled, a changed meaning): runs written by
     * another version are then not resumed, and the next run recomputes from the topics. 2:
     * balance, QC, machine runs, work-order windows (issues 4 and 5). 3: runs of version 2 may hold
     * machine runs lost to a slow-starting input (issue 13); recompute them. 4: closure slots and
     * difference messages (issue 9). 5: a lot's facts as one entry per source and a summary,
     * work-order counts, receipts keyed by receipt id (issues 9, 10). The same number as {@link
     * LineageJob#STATE_VERSION}, which the job itself enforces on every restore (state of a newer
     * version is refused, {@code StateVersionGuard}); a local run goes further and does not resume
     * another version's checkpoints at all, older or newer: it recomputes under a new run id.
     */
    static final String STATE_VERSION = String.valueOf(LineageJob.STATE_VERSION);

    /**
     * Settings under this prefix go, without it, to the local Flink's own configuration (e.g.
     * {@code flink.taskmanager.network.memory.buffer-debloat.enabled=true}); the jobs never see
     * them.
     */
    static final String FLINK_PREFIX = "flink.";

    /** The file in a run folder that names the state version of its checkpoints. */
    static final String STATE_VERSION_FILE = "state-version";

    /**
     * Job settings for the given endpoints and run; a config file's keys win over these. A run
     * without checkpoint gets its own groups, transactional ids, feedback and machine-summaries
     * topics.
     */
    static LineageJobConfig config(
            Endpoints endpoints, String runId, Map<String, String> overrides) {
        return LineageJobConfig.fromMap(settings(endpoints, runId, overrides));
    }

    /**
     * The local jobs' parallelism: half the machine's cores, at least 1. A node-stage subtask wants
     * a core of its own; Kafka, the registry, Elasticsearch and the other stages share the rest. On
     * 2 cores, parallelism 2 oversubscribed the machine: the bulk history replayed in 234-279 s
     * with 500-575 CPU-s, against 174 s and 313 CPU-s at 1 (BENCHMARKS.md, 2026-12-06 afternoon).
     * {@code lineage.parallelism} in the config file or a job setting wins.
     */
    static int localParallelism() {
        return localParallelism(Runtime.getRuntime().availableProcessors());
    }

    static int localParallelism(int cores) {
        return Math.max(1, cores / 2);
    }

    /** The job's settings as keys and values (also read by the alert notifier). */
    static Map<String, String> settings(
            Endpoints endpoints, String runId, Map<String, String> overrides) {
        LineageJobConfig.Topics defaults = LineageJobConfig.Topics.defaults();
        Map<String, String> settings = new TreeMap<>();
        settings.put(KafkaSettings.BOOTSTRAP_SERVERS, endpoints.kafkaBootstrapServers());
        settings.put(RegistrySettings.URL, endpoints.schemaRegistryUrl());
        settings.put(ElasticsearchSettings.HOSTS, endpoints.elasticsearchUrl());
        settings.put(LineageJobConfig.PARALLELISM_KEY, String.valueOf(localParallelism()));
        settings.put(KafkaSettings.GROUP_ID_PREFIX, "batchtrace-local-" + runId);
        settings.put(LineageJobConfig.TRANSACTIONAL_ID_PREFIX_KEY, "batchtrace-lineage-" + runId);
        settings.put(LineageJobConfig.TOPIC_FEEDBACK_KEY, defaults.feedback() + "." + runId);
        // summaries merge by "covers more events": a run recomputing from scratch must not meet an
        // earlier run's summaries
        settings.put(
                LineageJobConfig.TOPIC_MACHINE_SUMMARIES_KEY,
                defaults.machineSummaries() + "." + runId);
        settings.put(RUN_ID_KEY, runId);
        settings.putAll(overrides);
        return settings;
    }

    /**
     * The machine job's settings for this local run: the shared connection keys, the machine job's
     * own keys from the config file, and per-run groups and transactional ids like the lineage job.
     */
    static MachineJobConfig machineConfig(Map<String, String> settings) {
        return machineConfig(settings, Map.of());
    }

    /** As {@link #machineConfig(Map)}, with keys only the machine job knows (its input topic). */
    static MachineJobConfig machineConfig(
            Map<String, String> settings, Map<String, String> machineOverrides) {
        String runId = settings.get(RUN_ID_KEY);
        Map<String, String> machine = new TreeMap<>();
        settings.forEach(
                (key, value) -> {
                    boolean jobKey =
                            key.startsWith("topic.")
                                    || key.startsWith("lineage.")
                                    || key.startsWith("machine.")
                                    || key.equals(KafkaSettings.GROUP_ID_PREFIX);
                    if (!jobKey || MachineJobConfig.KNOWN_KEYS.contains(key)) {
                        machine.put(key, value);
                    }
                });
        machine.remove(RUN_ID_KEY);
        machine.putIfAbsent(KafkaSettings.GROUP_ID_PREFIX, "batchtrace-machine-local-" + runId);
        machine.putIfAbsent(
                MachineJobConfig.TRANSACTIONAL_ID_PREFIX_KEY, "batchtrace-machine-" + runId);
        // a local run reads finished days: let an input that has gone quiet stop holding back
        // event time soon (on a plant's live streams the job's default applies)
        machine.putIfAbsent(MachineJobConfig.SOURCE_IDLE_TIMEOUT_KEY, "2s");
        machine.putAll(machineOverrides);
        return MachineJobConfig.fromMap(machine);
    }

    /**
     * The newest retained checkpoint of this state version and its run, or a new run id when there
     * is none; run folders of other versions are listed as stale.
     */
    static Resume resume(Path workDir) throws IOException {
        Path checkpoints = checkpointsDir(workDir);
        List<Path> stale = new ArrayList<>();
        if (Files.isDirectory(checkpoints)) {
            try (Stream<Path> runs = Files.list(checkpoints)) {
                runs.filter(Files::isDirectory)
                        .filter(run -> !STATE_VERSION.equals(stateVersion(run)))
                        .sorted()
                        .forEach(stale::add);
            }
        }
        // the newest checkpoint this version wrote; none: a new run recomputes from the topics
        Optional<Path> newest = newestCheckpoint(checkpoints, stale);
        String runId =
                newest.map(chk -> chk.getParent().getParent().getFileName().toString())
                        .orElseGet(() -> RUN_ID.format(ZonedDateTime.now()));
        return new Resume(runId, newest, stale);
    }

    private static String stateVersion(Path run) {
        try {
            return Files.readString(run.resolve(STATE_VERSION_FILE)).strip();
        } catch (IOException e) {
            return null; // written before versions were recorded
        }
    }

    static Path checkpointsDir(Path workDir) {
        return workDir.resolve("flink-checkpoints");
    }

    /**
     * The local Flink's temporary files (its RocksDB instances, blobs): {@code
     * <work>/flink-tmp/<pid>}, not {@code /tmp}. A process that ends without closing the mini
     * cluster (Ctrl-C, the end of a benchmark) leaves them behind, up to 100 MB a run; keyed by
     * process, the next run can tell them from a running one's and delete them ({@link
     * #removeLeftovers}).
     */
    static Path tmpDir(Path workDir) {
        return tmpRoot(workDir).resolve(String.valueOf(ProcessHandle.current().pid()));
    }

    static Path tmpRoot(Path workDir) {
        return workDir.resolve("flink-tmp");
    }

    /**
     * Deletes the folders under {@code root} named after a process that no longer runs; a running
     * process's folder, and anything not named by a process id, stays.
     *
     * @return the folders deleted
     */
    static List<Path> removeLeftovers(Path root) throws IOException {
        List<Path> removed = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return removed;
        }
        List<Path> folders;
        try (Stream<Path> children = Files.list(root)) {
            folders = children.filter(Files::isDirectory).sorted().toList();
        }
        for (Path folder : folders) {
            String name = folder.getFileName().toString();
            if (!name.matches("[0-9]{1,18}")
                    || ProcessHandle.of(Long.parseLong(name))
                            .map(ProcessHandle::isAlive)
                            .orElse(false)) {
                continue;
            }
            BenchCommand.deleteFolder(folder);
            removed.add(folder);
        }
        return removed;
    }

    /** Installs templates, creates the run's topics and starts the job; returns at once. */
    static JobClient start(
            Map<String, String> settings, Path workDir, Resume resume, int webUiPort, Output out)
            throws Exception {
        return start(settings, Map.of(), workDir, resume, webUiPort, out);
    }

    /**
     * As above; {@code machineOverrides} are machine-job keys the lineage job would reject (the
     * benchmark's own machine-events topic).
     */
    static JobClient start(
            Map<String, String> settings,
            Map<String, String> machineOverrides,
            Path workDir,
            Resume resume,
            int webUiPort,
            Output out)
            throws Exception {
        LineageJobConfig config = LineageJobConfig.fromMap(settings);
        // a wrong password or trust fails here, naming the server and user
        KafkaConnectionCheck.verify(config.kafka());
        new ConfluentSchemaRegistryClient(config.registry()).verifyAccess();
        // templates, versioned indices and aliases before any document is written (idempotent)
        IndexTemplates.install(config.elasticsearch(), line -> out.println("  " + line));
        LineageJobConfig.Topics topics = config.topics();
        TopicSetup.ensureTopics(config.kafka(), topics.all(), StackSetup.LOCAL_PARTITIONS);

        Path checkpoints = checkpointsDir(workDir).resolve(resume.runId());
        Files.createDirectories(checkpoints);
        Files.writeString(checkpoints.resolve(STATE_VERSION_FILE), STATE_VERSION + "\n");
        if (!resume.stale().isEmpty()) {
            out.println(
                    "  not resumed: checkpoints of an older version of the jobs in "
                            + resume.stale()
                            + " (their state lacks what this version keeps; delete them to"
                            + " reclaim the space)");
        }
        Configuration flink = new Configuration();
        flink.set(StateBackendOptions.STATE_BACKEND, config.stateBackend());
        flink.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpoints.toUri().toString());
        flink.set(
                CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
                ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        flink.set(CheckpointingOptions.MAX_RETAINED_CHECKPOINTS, 2);
        flink.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
        flink.set(RestOptions.ADDRESS, "127.0.0.1");
        flink.set(RestOptions.PORT, webUiPort);
        Path tmp = tmpDir(workDir);
        for (Path left : removeLeftovers(tmpRoot(workDir))) {
            out.println("  deleted the temporary files an ended run left in " + left);
        }
        Files.createDirectories(tmp);
        flink.set(CoreOptions.TMP_DIRS, tmp.toAbsolutePath().toString());
        Map<String, String> localFlink = localFlinkSettings(settings);
        flink.addAll(Configuration.fromMap(localFlink));
        localFlink.forEach(
                (key, value) -> out.println("  local Flink setting " + key + "=" + value));
        if (resume.checkpoint().isPresent()) {
            flink.set(StateRecoveryOptions.SAVEPOINT_PATH, resume.checkpoint().get().toString());
            out.println("  resuming from checkpoint " + resume.checkpoint().get());
        } else {
            out.println(
                    "  no earlier checkpoint: run "
                            + resume.runId()
                            + " starts with empty state and reads the input topics from the"
                            + " beginning");
        }
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(flink);
        LineageJob.configure(env, config);
        LineageJob.defineWorkflow(
                env,
                LineageSources.kafka(config),
                LineageSinks.kafka(config),
                config.coalesceDelay(),
                config.hubFanIn(),
                config.alertQuietPeriod());
        // the machine attribution job, its own job on a cluster, runs in the same local Flink here
        MachineJobConfig machine = machineConfig(settings, machineOverrides);
        MachineJob.defineWorkflow(
                env, MachineSources.kafka(machine), MachineSinks.kafka(machine), machine);
        out.println(
                "  machine events attributed to work orders in event time (allowed lateness "
                        + machine.allowedLateness()
                        + ") -> "
                        + machine.topics().machineSummaries());
        if (AlertNotifier.addTo(env, config, settings)) {
            out.println(
                    "  alerts are delivered to webhooks "
                            + AlertNotifier.webhooks(settings).orElseThrow());
        }
        JobClient job = env.executeAsync(config.jobName());
        out.println(
                "  job "
                        + job.getJobID()
                        + " running; Flink web UI: http://127.0.0.1:"
                        + webUiPort);
        return job;
    }

    /** The {@link #FLINK_PREFIX} settings without their prefix; other keys are not Flink's. */
    static Map<String, String> localFlinkSettings(Map<String, String> settings) {
        Map<String, String> flink = new TreeMap<>();
        settings.forEach(
                (key, value) -> {
                    if (key.startsWith(FLINK_PREFIX) && key.length() > FLINK_PREFIX.length()) {
                        flink.put(key.substring(FLINK_PREFIX.length()), value);
                    }
                });
        return flink;
    }

    /** The newest retained checkpoint (a chk-N folder with its _metadata). */
    static Optional<Path> newestCheckpoint(Path checkpoints) throws IOException {
        return newestCheckpoint(checkpoints, List.of());
    }

    /** The newest retained checkpoint outside the {@code skipped} run folders. */
    static Optional<Path> newestCheckpoint(Path checkpoints, List<Path> skipped)
            throws IOException {
        if (!Files.isDirectory(checkpoints)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.walk(checkpoints, 4)) {
            return files.filter(p -> p.getFileName().toString().equals("_metadata"))
                    .map(Path::getParent)
                    .filter(dir -> dir.getFileName().toString().startsWith("chk-"))
                    .filter(dir -> dir.getNameCount() - checkpoints.getNameCount() == 3)
                    .filter(dir -> !skipped.contains(dir.getParent().getParent()))
                    .max(Comparator.comparingLong(LocalLineageRun::lastModified));
        }
    }

    private static long lastModified(Path dir) {
        try {
            return Files.getLastModifiedTime(dir.resolve("_metadata")).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }

    /** Where progress lines go. */
    interface Output {
        void println(String line);
    }
}
