package dev.batchtrace.stack;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
    private static final Map<String, CompletableFuture<Started>> SERVERS =
            new ConcurrentHashMap<>();
    private static final List<ServerProcess> RUNNING = new ArrayList<>();
    private static boolean hookInstalled;

    private TestServers() {}

    private record Started(ServerProcess process, String url) {}

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

    private static String get(String name, StartAction action) {
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
    private interface StartAction {
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
    private static ServerProcess startWithRetries(Supplier<ServerLauncher> launchers)
            throws StackException {
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

    private static synchronized void register(ServerProcess process) {
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
        for (String data : List.of("kafka/data", "elasticsearch/data", "elasticsearch/tmp")) {
            deleteQuietly(baseDir().resolve(data));
        }
    }

    /**
     * A test JVM killed with SIGKILL (e.g. a fork timeout) cannot run its shutdown hook: stop the
     * servers it left behind, found by their directory target/test-servers-DEADPID in their command
     * line.
     */
    static void reapLeftovers() {
        Path target = baseDir().getParent();
        if (target == null || !Files.isDirectory(target)) {
            return;
        }
        try (var dirs = Files.list(target)) {
            for (Path dir : dirs.toList()) {
                String name = dir.getFileName().toString();
                if (!name.matches("test-servers-\\d+")) {
                    continue;
                }
                long owner = Long.parseLong(name.substring("test-servers-".length()));
                if (owner == ProcessHandle.current().pid()
                        || ProcessHandle.of(owner).map(ProcessHandle::isAlive).orElse(false)) {
                    continue;
                }
                String marker = dir.toAbsolutePath() + java.io.File.separator;
                ProcessHandle.allProcesses()
                        .filter(
                                p ->
                                        p.info()
                                                .commandLine()
                                                .map(c -> c.contains(marker))
                                                .orElse(false))
                        .toList()
                        .forEach(p -> ServerProcess.stopTree(p, Duration.ofSeconds(20)));
                deleteQuietly(dir);
            }
        } catch (IOException | RuntimeException e) {
            // best effort: leftovers only cost memory
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
