package dev.batchtrace.stack;

import dev.batchtrace.stack.StackConfig.Setting;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The developer stack behind {@code bin/trace stack up|status|down}: Kafka, the schema registry and
 * Elasticsearch as separate OS processes that outlive the JVM that started them. PIDs and ports are
 * recorded in {@code <workDir>/stack.properties}; data and logs stay in the work dir, so a later
 * {@code up} reuses topics, schemas and indices.
 */
public final class LocalStack {
    public static final String KAFKA = "kafka";
    public static final String SCHEMA_REGISTRY = "schema-registry";
    public static final String ELASTICSEARCH = "elasticsearch";

    private static final Duration STOP_GRACE = Duration.ofSeconds(60);

    private final StackConfig config;
    private final Checkout checkout;

    private LocalStack(StackConfig config) {
        this.config = config;
        this.checkout = new Checkout(config.home());
    }

    public static LocalStack at(StackConfig config) {
        return new LocalStack(config);
    }

    public StackConfig config() {
        return config;
    }

    /**
     * Starts every server that is not running and waits until all are healthy. Servers already
     * running are left alone ("already running").
     *
     * @throws StackException when a port is taken, a distribution or JDK is missing, or a server
     *     does not get healthy (the message includes the end of its log)
     */
    @SuppressWarnings("try") // the lock is held for the body, not used in it
    public StackStatus up(Consumer<String> progress) throws StackException {
        try (StackLock lock = lock()) {
            StackRecord record = readRecord();
            List<ServerLauncher> recorded = launchers(record);
            List<ServerLauncher> configured = launchers(StackRecord.empty(config));
            List<Pending> pending = new ArrayList<>();
            List<ServerLauncher> toStart = new ArrayList<>();
            for (int i = 0; i < recorded.size(); i++) {
                ServerLauncher launcher = recorded.get(i);
                Optional<ProcessHandle> process = ourProcess(launcher, record);
                if (process.isEmpty()) {
                    toStart.add(configured.get(i));
                } else if (launcher.isHealthy()) {
                    progress.accept(
                            launcher.displayName()
                                    + " already running at "
                                    + launcher.endpoint()
                                    + " (pid "
                                    + process.get().pid()
                                    + ")");
                } else {
                    progress.accept(
                            launcher.displayName()
                                    + " is running (pid "
                                    + process.get().pid()
                                    + ") but not healthy yet; waiting for it");
                    pending.add(
                            new Pending(
                                    launcher,
                                    new ServerProcess(
                                            launcher.name(),
                                            launcher.endpoint(),
                                            process.get(),
                                            launcher.logFile(),
                                            null)));
                }
            }
            // check every port before starting anything: fail fast, not half-started
            for (ServerLauncher launcher : toStart) {
                for (ServerLauncher.PortUse port : launcher.ports()) {
                    Ports.requireFree(
                            config.host(),
                            port.port(),
                            launcher.displayName() + " " + port.what(),
                            port.setting());
                }
            }
            for (ServerLauncher launcher : toStart) {
                progress.accept(
                        "Starting "
                                + launcher.displayName()
                                + " on "
                                + launcher.endpoint()
                                + " (log "
                                + launcher.logFile()
                                + ")");
                ServerProcess process = launcher.launch(true);
                // recorded before it is healthy, so that `down` can stop a server stuck in startup
                record = started(record, launcher, process.pid(), process.startTime());
                writeRecord(record);
                pending.add(new Pending(launcher, process));
            }
            List<String> failures = new ArrayList<>();
            for (Pending p : pending) {
                try {
                    p.launcher().awaitHealthy(p.process(), config.startTimeout());
                    progress.accept(
                            String.format(
                                    "%s healthy at %s after %.1f s (pid %d)",
                                    p.launcher().displayName(),
                                    p.launcher().endpoint(),
                                    (System.nanoTime() - p.startNanos()) / 1e9,
                                    p.process().pid()));
                } catch (StackException e) {
                    failures.add(e.getMessage());
                    record = stopped(record, p.launcher().name());
                    writeRecord(record);
                }
            }
            if (!failures.isEmpty()) {
                throw new StackException(String.join("\n\n", failures));
            }
        }
        return status();
    }

    /** Checks each recorded process: alive, really our server (command line) and healthy. */
    public StackStatus status() {
        StackRecord record;
        try {
            record = readRecord();
        } catch (StackException e) {
            record = StackRecord.empty(config);
        }
        List<ServerStatus> servers = new ArrayList<>();
        for (ServerLauncher launcher : launchers(record)) {
            servers.add(statusOf(launcher, record));
        }
        return new StackStatus(servers);
    }

    /** Stops exactly the recorded processes (with their child processes) and waits for them. */
    @SuppressWarnings("try") // the lock is held for the body, not used in it
    public StackStatus down(Consumer<String> progress) {
        try (StackLock lock = lock()) {
            StackRecord record = readRecord();
            List<ServerLauncher> launchers = new ArrayList<>(launchers(record));
            // reverse start order: consumers of Kafka/registry (none here yet) first
            java.util.Collections.reverse(launchers);
            for (ServerLauncher launcher : launchers) {
                long pid = pid(record, launcher.name());
                Optional<ProcessHandle> process = ourProcess(launcher, record);
                if (process.isPresent()) {
                    progress.accept("Stopping " + launcher.displayName() + " (pid " + pid + ")");
                    long start = System.nanoTime();
                    ServerProcess.stopTree(process.get(), STOP_GRACE);
                    progress.accept(
                            String.format(
                                    "%s stopped after %.1f s",
                                    launcher.displayName(), (System.nanoTime() - start) / 1e9));
                } else if (pid > 0
                        && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                    progress.accept(
                            launcher.displayName()
                                    + ": recorded pid "
                                    + pid
                                    + " is another program now; left alone");
                } else {
                    progress.accept(launcher.displayName() + " is not running");
                }
                record = stopped(record, launcher.name());
                writeRecord(record);
            }
        } catch (StackException e) {
            progress.accept(e.getMessage());
        }
        return status();
    }

    private ServerStatus statusOf(ServerLauncher launcher, StackRecord record) {
        String name = launcher.name();
        long pid = pid(record, name);
        if (pid <= 0) {
            return new ServerStatus(
                    name, launcher.endpoint(), 0, ServerState.STOPPED, "not running");
        }
        Optional<ProcessHandle> handle = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        if (handle.isEmpty()) {
            return new ServerStatus(
                    name,
                    launcher.endpoint(),
                    pid,
                    ServerState.STOPPED,
                    "process " + pid + " has exited; see " + launcher.logFile());
        }
        if (!launcher.isOurs(handle.get(), started(record, name))) {
            return new ServerStatus(
                    name,
                    launcher.endpoint(),
                    pid,
                    ServerState.STOPPED,
                    "pid " + pid + " is another program now (stale record)");
        }
        if (launcher.isHealthy()) {
            return new ServerStatus(
                    name,
                    launcher.endpoint(),
                    pid,
                    ServerState.RUNNING,
                    "log " + launcher.logFile());
        }
        return new ServerStatus(
                name, launcher.endpoint(), pid, ServerState.UNHEALTHY, launcher.unhealthyDetail());
    }

    /** The recorded process of this server, if it is still that process. */
    private static Optional<ProcessHandle> ourProcess(ServerLauncher launcher, StackRecord record) {
        long pid = pid(record, launcher.name());
        if (pid <= 0) {
            return Optional.empty();
        }
        Instant started = started(record, launcher.name());
        return ProcessHandle.of(pid).filter(p -> launcher.isOurs(p, started));
    }

    /** Launchers in start order for the ports of {@code record}. */
    private List<ServerLauncher> launchers(StackRecord record) {
        Path work = config.workDir();
        return List.of(
                new KafkaLauncher(
                        checkout,
                        work.resolve(KAFKA),
                        record.host(),
                        record.kafkaPort(),
                        record.kafkaControllerPort(),
                        Setting.KAFKA_PORT.howToChange(),
                        Setting.KAFKA_CONTROLLER_PORT.howToChange()),
                new SchemaRegistryLauncher(
                        checkout,
                        work.resolve(SCHEMA_REGISTRY),
                        record.host(),
                        record.registryPort(),
                        Setting.REGISTRY_PORT.howToChange(),
                        true),
                new ElasticsearchLauncher(
                        checkout,
                        work.resolve(ELASTICSEARCH),
                        record.host(),
                        record.elasticsearchPort(),
                        record.elasticsearchTransportPort(),
                        Setting.ELASTICSEARCH_PORT.howToChange(),
                        Setting.ELASTICSEARCH_TRANSPORT_PORT.howToChange()));
    }

    private static long pid(StackRecord record, String name) {
        return switch (name) {
            case KAFKA -> record.kafkaPid();
            case SCHEMA_REGISTRY -> record.registryPid();
            case ELASTICSEARCH -> record.elasticsearchPid();
            default -> throw new IllegalArgumentException(name);
        };
    }

    /** The recorded start time of the server's process, or null when unknown. */
    private static Instant started(StackRecord record, String name) {
        return switch (name) {
            case KAFKA -> record.kafkaStarted();
            case SCHEMA_REGISTRY -> record.registryStarted();
            case ELASTICSEARCH -> record.elasticsearchStarted();
            default -> throw new IllegalArgumentException(name);
        };
    }

    /** Records a server started now, on the configured ports. */
    private StackRecord started(
            StackRecord record, ServerLauncher launcher, long pid, Instant startTime) {
        StackRecord withHost = record.withHost(config.host());
        return switch (launcher.name()) {
            case KAFKA ->
                    withHost.withKafka(
                            pid, startTime, config.kafkaPort(), config.kafkaControllerPort());
            case SCHEMA_REGISTRY -> withHost.withRegistry(pid, startTime, config.registryPort());
            case ELASTICSEARCH ->
                    withHost.withElasticsearch(
                            pid,
                            startTime,
                            config.elasticsearchPort(),
                            config.elasticsearchTransportPort());
            default -> throw new IllegalArgumentException(launcher.name());
        };
    }

    private static StackRecord stopped(StackRecord record, String name) {
        return switch (name) {
            case KAFKA ->
                    record.withKafka(0, null, record.kafkaPort(), record.kafkaControllerPort());
            case SCHEMA_REGISTRY -> record.withRegistry(0, null, record.registryPort());
            case ELASTICSEARCH ->
                    record.withElasticsearch(
                            0,
                            null,
                            record.elasticsearchPort(),
                            record.elasticsearchTransportPort());
            default -> throw new IllegalArgumentException(name);
        };
    }

    private StackRecord readRecord() throws StackException {
        try {
            return StackRecord.read(config.workDir(), StackRecord.empty(config));
        } catch (IOException | RuntimeException e) {
            throw new StackException(
                    "Cannot read " + config.workDir().resolve(StackRecord.FILE_NAME) + ": " + e, e);
        }
    }

    private void writeRecord(StackRecord record) throws StackException {
        try {
            record.write(config.workDir());
        } catch (IOException e) {
            throw new StackException(
                    "Cannot write " + config.workDir().resolve(StackRecord.FILE_NAME) + ": " + e,
                    e);
        }
    }

    private record Pending(ServerLauncher launcher, ServerProcess process, long startNanos) {
        Pending(ServerLauncher launcher, ServerProcess process) {
            this(launcher, process, System.nanoTime());
        }
    }

    /** Only one up/down at a time per work dir (status does not lock). */
    private StackLock lock() throws StackException {
        try {
            Files.createDirectories(config.workDir());
            FileChannel channel =
                    FileChannel.open(
                            config.workDir().resolve("stack.lock"),
                            StandardOpenOption.CREATE,
                            StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                channel.close();
                throw new StackException(
                        "Another `stack up` or `stack down` is working on "
                                + config.workDir()
                                + "; wait for it to finish.");
            }
            return new StackLock(channel, lock);
        } catch (IOException e) {
            throw new StackException("Cannot lock " + config.workDir() + ": " + e, e);
        }
    }

    private record StackLock(FileChannel channel, FileLock lock) implements AutoCloseable {
        @Override
        public void close() {
            try {
                lock.release();
                channel.close();
            } catch (IOException e) {
                // closing the channel releases the lock anyway
            }
        }
    }
}
