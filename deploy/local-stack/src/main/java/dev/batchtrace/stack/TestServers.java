package dev.batchtrace.stack;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Real servers for tests: each is started at most once per JVM, lazily, on free loopback ports,
 * under {@code <working dir>/target/test-servers-<pid>/}, and stopped by a shutdown hook.
 *
 * <pre>
 * String bootstrap = TestServers.kafkaBootstrapServers(); // 127.0.0.1:PORT
 * String registry = TestServers.schemaRegistryUrl();      // http://127.0.0.1:PORT/apis/ccompat/v7
 * String es = TestServers.elasticsearchUrl();              // http://127.0.0.1:PORT
 * </pre>
 *
 * Concurrent calls for different servers start them in parallel; {@link #startAll()} starts all
 * three at once. A failed start is remembered and every later call fails with the same message.
 */
public final class TestServers {
    /**
     * System property: the folder for the servers' data and logs (default target/test-servers-PID).
     */
    public static final String DIR_PROPERTY = "batchtrace.test-servers.dir";

    /** System property: seconds to wait for each server to get healthy (default 180). */
    public static final String TIMEOUT_PROPERTY = "batchtrace.test-servers.timeout-seconds";

    private static final String HOST = "127.0.0.1";
    private static final int ATTEMPTS = 3;

    /** In each servers' folder: PID and start time of the JVM that owns them. */
    static final String OWNER_FILE = "owner.properties";

    /** A folder changed more recently than this may belong to a JVM still setting up. */
    private static final Duration REAP_QUIET_PERIOD = Duration.ofMinutes(5);

    private static final Map<String, CompletableFuture<Started>> SERVERS =
            new ConcurrentHashMap<>();
    private static final List<ServerProcess> RUNNING = new ArrayList<>();
    private static boolean hookInstalled;
    private static boolean ownerFileWritten;

    private TestServers() {}

    record Started(ServerProcess process, String url) {}

    /** Bootstrap servers of a real single-node Kafka KRaft broker, e.g. 127.0.0.1:PORT. */
    public static String kafkaBootstrapServers() {
        return get("kafka", TestServers::startKafka);
    }

    /** Confluent API base of a real schema registry, e.g. http://127.0.0.1:PORT/apis/ccompat/v7. */
    public static String schemaRegistryUrl() {
        return get("schema-registry", TestServers::startRegistry);
    }

    /** A real Elasticsearch node, e.g. http://127.0.0.1:PORT. */
    public static String elasticsearchUrl() {
        return get("elasticsearch", TestServers::startElasticsearch);
    }

    /** Starts all three servers in parallel (those not started yet) and waits for them. */
    public static void startAll() {
        List<CompletableFuture<Started>> all =
                List.of(
                        future("kafka", TestServers::startKafka),
                        future("schema-registry", TestServers::startRegistry),
                        future("elasticsearch", TestServers::startElasticsearch));
        all.forEach(TestServers::join);
    }

    /**
     * A schema registry of the calling test's own (H2 file storage: schemas and ids survive a
     * restart), which the test may stop and start; {@link RestartableServer#url()} is its Confluent
     * API base.
     */
    public static RestartableServer restartableSchemaRegistry(String name) throws StackException {
        Checkout checkout = Checkout.locate();
        return RestartableServer.start(
                () ->
                        new SchemaRegistryLauncher(
                                checkout,
                                baseDir().resolve(name),
                                HOST,
                                Ports.freePort(HOST),
                                "(chosen automatically)",
                                true),
                launcher -> ((SchemaRegistryLauncher) launcher).confluentApiUrl(),
                timeout());
    }

    /** An Elasticsearch node of the calling test's own, which the test may stop and start. */
    public static RestartableServer restartableElasticsearch(String name) throws StackException {
        Checkout checkout = Checkout.locate();
        return RestartableServer.start(
                () ->
                        new ElasticsearchLauncher(
                                checkout,
                                baseDir().resolve(name),
                                HOST,
                                Ports.freePort(HOST),
                                Ports.freePort(HOST),
                                "(chosen automatically)",
                                "(chosen automatically)"),
                ServerLauncher::endpoint,
                timeout());
    }

    /** A Kafka broker of the calling test's own, which the test may stop and start. */
    public static RestartableServer restartableKafka(String name) throws StackException {
        Checkout checkout = Checkout.locate();
        return RestartableServer.start(
                () ->
                        new KafkaLauncher(
                                checkout,
                                baseDir().resolve(name),
                                HOST,
                                Ports.freePort(HOST),
                                Ports.freePort(HOST),
                                "(chosen automatically)",
                                "(chosen automatically)"),
                ServerLauncher::endpoint,
                timeout());
    }

    static String get(String name, StartAction action) {
        return join(future(name, action)).url();
    }

    private static CompletableFuture<Started> future(String name, StartAction action) {
        return SERVERS.computeIfAbsent(
                name, n -> CompletableFuture.supplyAsync(unchecked(action), runnerFor(n)));
    }

    private static java.util.concurrent.Executor runnerFor(String name) {
        return task -> {
            Thread thread = new Thread(task, "test-servers-start-" + name);
            thread.setDaemon(true);
            thread.start();
        };
    }

    private static Started join(CompletableFuture<Started> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IllegalStateException ise) {
                throw new IllegalStateException(ise.getMessage(), ise);
            }
            throw new IllegalStateException("Test server failed to start: " + cause, cause);
        }
    }

    @FunctionalInterface
    interface StartAction {
        Started start() throws StackException;
    }

    private static Supplier<Started> unchecked(StartAction action) {
        return () -> {
            try {
                return action.start();
            } catch (StackException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        };
    }

    private static Started startKafka() throws StackException {
        Checkout checkout = Checkout.locate();
        ServerProcess p =
                startWithRetries(
                        () ->
                                new KafkaLauncher(
                                        checkout,
                                        baseDir().resolve("kafka"),
                                        HOST,
                                        Ports.freePort(HOST),
                                        Ports.freePort(HOST),
                                        "(chosen automatically)",
                                        "(chosen automatically)"));
        return new Started(p, p.endpoint());
    }

    private static Started startRegistry() throws StackException {
        Checkout checkout = Checkout.locate();
        SchemaRegistryLauncher[] last = new SchemaRegistryLauncher[1];
        ServerProcess p =
                startWithRetries(
                        () ->
                                last[0] =
                                        new SchemaRegistryLauncher(
                                                checkout,
                                                baseDir().resolve("schema-registry"),
                                                HOST,
                                                Ports.freePort(HOST),
                                                "(chosen automatically)",
                                                false));
        return new Started(p, last[0].confluentApiUrl());
    }

    private static Started startElasticsearch() throws StackException {
        Checkout checkout = Checkout.locate();
        ServerProcess p =
                startWithRetries(
                        () ->
                                new ElasticsearchLauncher(
                                        checkout,
                                        baseDir().resolve("elasticsearch"),
                                        HOST,
                                        Ports.freePort(HOST),
                                        Ports.freePort(HOST),
                                        "(chosen automatically)",
                                        "(chosen automatically)"));
        return new Started(p, p.endpoint());
    }

    /**
     * Another JVM may take a "free" port between our check and the server's bind: retry with new
     * ports when the port was taken or the server could not bind.
     */
    static ServerProcess startWithRetries(Supplier<ServerLauncher> launchers)
            throws StackException {
        claimBaseDir();
        for (int attempt = 1; ; attempt++) {
            ServerLauncher launcher = launchers.get();
            try {
                long started = System.nanoTime();
                ServerProcess process = launcher.launch(false);
                register(process);
                launcher.awaitHealthy(process, timeout());
                System.err.printf(
                        "[TestServers] %s healthy at %s in %.1f s (pid %d, log %s)%n",
                        launcher.displayName(),
                        launcher.endpoint(),
                        (System.nanoTime() - started) / 1e9,
                        process.pid(),
                        process.log());
                return process;
            } catch (StackException e) {
                boolean bindProblem =
                        e instanceof PortTakenException
                                || LogTail.contains(launcher.logFile(), "Address already in use")
                                || LogTail.contains(launcher.logFile(), "BindException");
                if (!bindProblem || attempt >= ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    static synchronized void register(ServerProcess process) {
        if (!hookInstalled) {
            reapLeftovers();
            Runtime.getRuntime()
                    .addShutdownHook(new Thread(TestServers::stopAll, "test-servers-stop"));
            hookInstalled = true;
        }
        RUNNING.add(process);
    }

    private static void stopAll() {
        List<ServerProcess> processes;
        synchronized (TestServers.class) {
            processes = new ArrayList<>(RUNNING);
        }
        // stop in parallel: a shutdown hook should not take 3 x the slowest stop
        processes.stream()
                .map(p -> CompletableFuture.runAsync(() -> p.stop(Duration.ofSeconds(20))))
                .toList()
                .forEach(CompletableFuture::join);
        // data is big (Kafka segments, ES indices); logs stay for post-mortems
        for (String data :
                List.of(
                        "kafka/data",
                        "elasticsearch/data",
                        "elasticsearch/tmp",
                        SecuredTestServers.DIR + "/kafka/data",
                        SecuredTestServers.DIR + "/elasticsearch/data",
                        SecuredTestServers.DIR + "/elasticsearch/tmp")) {
            deleteQuietly(baseDir().resolve(data));
        }
    }

    /**
     * A test JVM killed with SIGKILL (e.g. a fork timeout) cannot run its shutdown hook: stop the
     * servers it left behind and delete their directory.
     */
    static void reapLeftovers() {
        Path target = baseDir().getParent();
        if (target != null) {
            reapLeftovers(target, REAP_QUIET_PERIOD);
        }
    }

    /**
     * Reaps each {@code test-servers-<pid>} directory under {@code target} whose {@value
     * #OWNER_FILE} shows its JVM is gone (no such PID, or a PID reused by a process started at
     * another time) and that nothing changed for {@code quietPeriod}. Only processes with one of
     * that directory's launcher marker arguments are stopped: a {@code tail -f} of one of its logs
     * is not a server. Without an owner file nothing is touched.
     */
    static void reapLeftovers(Path target, Duration quietPeriod) {
        if (!Files.isDirectory(target)) {
            return;
        }
        try (var dirs = Files.list(target)) {
            for (Path dir : dirs.toList()) {
                if (!dir.getFileName().toString().matches("test-servers-\\d+")
                        || !ownerIsGone(dir)
                        || changedWithin(dir, quietPeriod)) {
                    continue;
                }
                Set<String> markers = launcherMarkers(dir);
                long self = ProcessHandle.current().pid();
                ProcessHandle.allProcesses()
                        .filter(p -> p.pid() != self)
                        .filter(
                                p ->
                                        ServerLauncher.arguments(p.pid()).stream()
                                                .anyMatch(markers::contains))
                        .toList()
                        .forEach(p -> ServerProcess.stopTree(p, Duration.ofSeconds(20)));
                deleteQuietly(dir);
            }
        } catch (IOException | RuntimeException e) {
            // best effort: leftovers only cost memory
        }
    }

    /** The marker arguments of the three servers TestServers starts under {@code base}. */
    static Set<String> launcherMarkers(Path base) {
        Path dir = base.toAbsolutePath().normalize();
        Path secured = dir.resolve(SecuredTestServers.DIR);
        return Set.of(
                KafkaLauncher.marker(dir.resolve("kafka")),
                SchemaRegistryLauncher.marker(dir.resolve("schema-registry")),
                ElasticsearchLauncher.marker(dir.resolve("elasticsearch")),
                KafkaLauncher.marker(secured.resolve("kafka")),
                SchemaRegistryLauncher.marker(secured.resolve("schema-registry")),
                ElasticsearchLauncher.marker(secured.resolve("elasticsearch")));
    }

    /** Writes {@value #OWNER_FILE}: this JVM's PID and start time. */
    static void writeOwnerFile(Path base, ProcessHandle owner) throws IOException {
        Properties p = new Properties();
        p.setProperty("pid", Long.toString(owner.pid()));
        ServerLauncher.startTime(owner).ifPresent(t -> p.setProperty("started", t.toString()));
        Files.createDirectories(base);
        try (var out = Files.newBufferedWriter(base.resolve(OWNER_FILE))) {
            p.store(out, "the test JVM that owns these servers");
        }
    }

    /** True only when the owner file names a JVM that is certainly no longer running. */
    static boolean ownerIsGone(Path base) {
        Properties p = new Properties();
        try (var in = Files.newBufferedReader(base.resolve(OWNER_FILE))) {
            p.load(in);
        } catch (IOException e) {
            return false; // no owner file: cannot tell whose it is
        }
        long pid;
        Instant started;
        try {
            pid = Long.parseLong(p.getProperty("pid", "").trim());
            String s = p.getProperty("started");
            started = s == null ? null : Instant.parse(s.trim());
        } catch (RuntimeException e) {
            return false;
        }
        if (pid == ProcessHandle.current().pid()) {
            return false;
        }
        Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        if (process.isEmpty()) {
            return true;
        }
        // alive: gone only if the PID now belongs to a process started at another time
        Optional<Instant> now = ServerLauncher.startTime(process.get());
        return started != null && now.isPresent() && !now.get().equals(started);
    }

    /** True when the directory or an entry directly in it was modified within {@code period}. */
    static boolean changedWithin(Path dir, Duration period) throws IOException {
        Instant limit = Instant.now().minus(period);
        if (Files.getLastModifiedTime(dir).toInstant().isAfter(limit)) {
            return true;
        }
        try (var entries = Files.list(dir)) {
            for (Path entry : entries.toList()) {
                if (Files.getLastModifiedTime(entry).toInstant().isAfter(limit)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Records this JVM as the owner of the servers' folder, before the first server starts. */
    private static synchronized void claimBaseDir() throws StackException {
        if (ownerFileWritten) {
            return;
        }
        try {
            writeOwnerFile(baseDir(), ProcessHandle.current());
            ownerFileWritten = true;
        } catch (IOException e) {
            throw new StackException("Cannot write " + baseDir().resolve(OWNER_FILE) + ": " + e, e);
        }
    }

    static Path baseDir() {
        String explicit = System.getProperty(DIR_PROPERTY);
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit).toAbsolutePath();
        }
        return Path.of(
                        System.getProperty("user.dir"),
                        "target",
                        "test-servers-" + ProcessHandle.current().pid())
                .toAbsolutePath();
    }

    private static Duration timeout() {
        return Duration.ofSeconds(Long.getLong(TIMEOUT_PROPERTY, 180));
    }

    private static void deleteQuietly(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try {
            Files.walkFileTree(
                    dir,
                    new SimpleFileVisitor<>() {
                        @Override
                        public FileVisitResult visitFile(Path f, BasicFileAttributes a)
                                throws IOException {
                            Files.deleteIfExists(f);
                            return FileVisitResult.CONTINUE;
                        }

                        @Override
                        public FileVisitResult postVisitDirectory(Path d, IOException e)
                                throws IOException {
                            Files.deleteIfExists(d);
                            return FileVisitResult.CONTINUE;
                        }
                    });
        } catch (IOException e) {
            // best effort at JVM exit
        }
    }
}
