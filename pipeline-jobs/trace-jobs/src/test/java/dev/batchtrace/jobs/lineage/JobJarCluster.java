package dev.batchtrace.jobs.lineage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.batchtrace.stack.Ports;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A Flink session cluster of real processes for {@link JobJarITCase}: one JobManager ({@code
 * StandaloneSessionClusterEntrypoint}) and one TaskManager ({@code TaskManagerRunner}), each its
 * own JVM, started the way {@code bin/jobmanager.sh} and {@code bin/taskmanager.sh} start them;
 * jobs are submitted with {@code CliFrontend run}, which is what {@code bin/flink run} executes.
 * The classpath is a distribution's {@code lib/}: the registry serves no flink-dist, so the pom
 * copies the modules flink-dist bundles (the Flink closure the job declares {@code provided}) and
 * log4j into {@code target/flink-cluster/lib}. REST and RPC listen on free loopback ports.
 */
final class JobJarCluster implements AutoCloseable {

    /** Where the pom copies the cluster's classpath (pre-integration-test). */
    static final Path LIB = Path.of("target/flink-cluster/lib").toAbsolutePath();

    private static final String HOST = "127.0.0.1";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern JOB_ID =
            Pattern.compile("Job has been submitted with JobID ([0-9a-f]{32})");
    private static final String BASH_JAVA_UTILS_RESULT = "BASH_JAVA_UTILS_EXEC_RESULT:";
    private static final Set<String> TERMINAL =
            Set.of("FAILED", "CANCELED", "FINISHED", "SUSPENDED");

    /** The JVM flags Flink's default config.yaml sets for Java 17 (env.java.opts.all). */
    private static final List<String> JAVA_17_OPTS =
            List.of(
                    "--add-exports=java.base/sun.net.util=ALL-UNNAMED",
                    "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
                    "--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED",
                    "--add-opens=java.base/java.lang=ALL-UNNAMED",
                    "--add-opens=java.base/java.net=ALL-UNNAMED",
                    "--add-opens=java.base/java.io=ALL-UNNAMED",
                    "--add-opens=java.base/java.nio=ALL-UNNAMED",
                    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
                    "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
                    "--add-opens=java.base/java.text=ALL-UNNAMED",
                    "--add-opens=java.base/java.time=ALL-UNNAMED",
                    "--add-opens=java.base/java.util=ALL-UNNAMED",
                    "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
                    "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
                    "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED");

    private final Path home;
    private final Path conf;
    private final Path logs;
    private final int restPort;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** Every process started, for the stop; the daemons are the JobManager and TaskManager. */
    private final List<Process> processes = new ArrayList<>();

    private final List<Process> daemons = new ArrayList<>();
    private final Thread shutdownHook = new Thread(this::stopAll, "job-jar-cluster-stop");
    private boolean closed;

    private JobJarCluster(Path home, int restPort) {
        this.home = home;
        this.conf = home.resolve("conf");
        this.logs = home.resolve("log");
        this.restPort = restPort;
    }

    /**
     * Starts the JobManager and one TaskManager with {@code slots} slots under {@code home} and
     * waits until the TaskManager has registered its slots.
     */
    static JobJarCluster start(Path home, int slots, Duration timeout) throws Exception {
        requireDistribution();
        JobJarCluster cluster = new JobJarCluster(home.toAbsolutePath(), Ports.freePort(HOST));
        Runtime.getRuntime().addShutdownHook(cluster.shutdownHook);
        try {
            cluster.writeConfiguration(slots);
            cluster.launchDerived(
                    "jobmanager",
                    "GET_JM_RESOURCE_PARAMS",
                    "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint");
            cluster.launchDerived(
                    "taskmanager",
                    "GET_TM_RESOURCE_PARAMS",
                    "org.apache.flink.runtime.taskexecutor.TaskManagerRunner");
            cluster.awaitSlots(slots, timeout);
            return cluster;
        } catch (Exception | Error e) {
            String tails = cluster.logTails(40);
            cluster.close();
            throw new IllegalStateException(
                    "the Flink session cluster did not start: " + e.getMessage() + tails, e);
        }
    }

    /** Fails with a hint when the pom has not copied the cluster's classpath. */
    static void requireDistribution() throws IOException {
        List<String> jars;
        try (Stream<Path> files = Files.isDirectory(LIB) ? Files.list(LIB) : Stream.empty()) {
            jars = files.map(j -> j.getFileName().toString()).toList();
        }
        for (String module : List.of("flink-runtime-", "flink-clients-", "log4j-core-")) {
            if (jars.stream().noneMatch(j -> j.startsWith(module))) {
                throw new IllegalStateException(
                        "no "
                                + module
                                + "*.jar in "
                                + LIB
                                + ": run this test through Maven (`mvn -pl pipeline-jobs/trace-jobs"
                                + " verify`), whose pre-integration-test phase copies the cluster's"
                                + " classpath there");
            }
        }
        // What the job jar must bring itself: found here, it would hide a jar that lacks it.
        for (String own :
                List.of("kafka-clients-", "avro-", "elasticsearch-java-", "flink-avro-")) {
            if (jars.stream().anyMatch(j -> j.startsWith(own))) {
                throw new IllegalStateException(
                        LIB + " must not hold " + own + "*.jar: the job jar has to carry it");
            }
        }
    }

    /** The cluster's {@code io.tmp.dirs}: the TaskManager's RocksDB instances live under it. */
    Path tmpDir() {
        return home.resolve("tmp");
    }

    String restUrl() {
        return "http://" + HOST + ":" + restPort;
    }

    private void writeConfiguration(int slots) throws IOException {
        Files.createDirectories(conf);
        Files.createDirectories(logs);
        Files.createDirectories(home.resolve("plugins"));
        Files.createDirectories(home.resolve("tmp"));
        List<String> yaml =
                List.of(
                        "jobmanager.rpc.address: " + HOST,
                        "jobmanager.rpc.port: " + Ports.freePort(HOST),
                        "jobmanager.bind-host: " + HOST,
                        // modest JVMs: heap about 450m each (BashJavaUtils derives the flags)
                        "jobmanager.memory.process.size: 1024m",
                        "jobmanager.execution.failover-strategy: region",
                        "taskmanager.host: " + HOST,
                        "taskmanager.bind-host: " + HOST,
                        "taskmanager.numberOfTaskSlots: " + slots,
                        "taskmanager.memory.process.size: 1280m",
                        "taskmanager.memory.managed.fraction: 0.2",
                        "parallelism.default: " + slots,
                        "rest.address: " + HOST,
                        "rest.bind-address: " + HOST,
                        "rest.port: " + restPort,
                        "state.backend.type: rocksdb",
                        "execution.checkpointing.interval: 1s",
                        "execution.checkpointing.dir: '"
                                + home.resolve("checkpoints").toUri()
                                + "'",
                        "io.tmp.dirs: '" + home.resolve("tmp") + "'");
        Files.write(conf.resolve("config.yaml"), yaml, StandardCharsets.UTF_8);
        // One file per process, like the distribution's log4j.properties / log4j-cli.properties.
        List<String> log4j =
                List.of(
                        "rootLogger.level = INFO",
                        "rootLogger.appenderRef.file.ref = MainAppender",
                        "appender.main.name = MainAppender",
                        "appender.main.type = File",
                        "appender.main.fileName = ${sys:log.file}",
                        "appender.main.append = true",
                        "appender.main.layout.type = PatternLayout",
                        "appender.main.layout.pattern = %d{HH:mm:ss,SSS} %-5p %c{1} - %m%n",
                        "# the Kafka clients print their whole configuration at INFO",
                        "logger.kafka.name = org.apache.kafka",
                        "logger.kafka.level = WARN");
        Files.write(conf.resolve("log4j.properties"), log4j, StandardCharsets.UTF_8);
    }

    /**
     * Starts a cluster process as {@code bin/jobmanager.sh} / {@code bin/taskmanager.sh} do: JVM
     * memory flags and the derived memory options come from {@code BashJavaUtils} (the TaskManager
     * refuses to start without the latter).
     */
    private void launchDerived(String name, String resourceCommand, String mainClass)
            throws Exception {
        List<String> command = javaCommand(List.of("-Xmx128m"));
        command.add("org.apache.flink.runtime.util.bash.BashJavaUtils");
        command.add(resourceCommand);
        command.add("--configDir");
        command.add(conf.toString());
        Path out = logs.resolve(name + "-resources.out");
        Process utils = start(command, out);
        if (!utils.waitFor(60, TimeUnit.SECONDS) || utils.exitValue() != 0) {
            utils.destroyForcibly();
            throw new IllegalStateException(
                    "BashJavaUtils " + resourceCommand + " failed" + tail(out, 40));
        }
        List<String> results =
                Files.readAllLines(out, StandardCharsets.UTF_8).stream()
                        .filter(line -> line.startsWith(BASH_JAVA_UTILS_RESULT))
                        .map(line -> line.substring(BASH_JAVA_UTILS_RESULT.length()).strip())
                        .toList();
        if (results.isEmpty()) {
            throw new IllegalStateException(
                    "BashJavaUtils " + resourceCommand + " printed no result" + tail(out, 40));
        }
        List<String> args = new ArrayList<>(List.of("--configDir", conf.toString()));
        if (results.size() > 1) {
            args.addAll(Arrays.asList(results.get(1).split("\\s+")));
        }
        daemons.add(launch(name, Arrays.asList(results.get(0).split("\\s+")), mainClass, args));
    }

    private Process launch(String name, List<String> jvmFlags, String mainClass, List<String> args)
            throws IOException {
        List<String> command = javaCommand(jvmFlags);
        command.add("-Dlog.file=" + logs.resolve(name + ".log"));
        command.add("-Dlog4j.configurationFile=" + conf.resolve("log4j.properties").toUri());
        command.add(mainClass);
        command.addAll(args);
        return start(command, logs.resolve(name + ".out"));
    }

    private List<String> javaCommand(List<String> jvmFlags) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmFlags);
        command.addAll(JAVA_17_OPTS);
        command.add("-classpath");
        command.add(LIB + "/*");
        return command;
    }

    private Process start(List<String> command, Path output) throws IOException {
        ProcessBuilder builder =
                new ProcessBuilder(command)
                        .directory(home.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(output.toFile());
        builder.environment().put("FLINK_CONF_DIR", conf.toString());
        builder.environment().put("FLINK_LIB_DIR", LIB.toString());
        builder.environment().put("FLINK_PLUGINS_DIR", home.resolve("plugins").toString());
        builder.environment().remove("JAVA_TOOL_OPTIONS");
        Process process = builder.start();
        synchronized (this) {
            processes.add(process);
        }
        return process;
    }

    private void awaitSlots(int slots, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer yet";
        while (System.nanoTime() < deadline) {
            for (Process process : daemons) {
                if (!process.isAlive()) {
                    throw new IllegalStateException(
                            "a cluster process exited with code " + process.exitValue());
                }
            }
            try {
                JsonNode overview = get("/overview");
                last = overview.toString();
                if (overview.path("taskmanagers").asInt() == 1
                        && overview.path("slots-total").asInt() == slots) {
                    return;
                }
            } catch (IOException e) {
                last = e.toString(); // REST endpoint not up yet
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException(
                "no TaskManager with " + slots + " slots within " + timeout + "; last: " + last);
    }

    /**
     * {@code flink run -d JAR ARGS...}: runs the jar's main class (from its manifest) in a client
     * JVM against this cluster; returns the submitted job's id.
     */
    String submit(Path jar, List<String> programArgs, Duration timeout) throws Exception {
        List<String> args = new ArrayList<>(List.of("run", "-d", jar.toAbsolutePath().toString()));
        args.addAll(programArgs);
        Process client =
                launch(
                        "client",
                        List.of("-Xmx256m"),
                        "org.apache.flink.client.cli.CliFrontend",
                        args);
        Path out = logs.resolve("client.out");
        if (!client.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            client.destroyForcibly();
            throw new IllegalStateException(
                    "flink run did not return within " + timeout + tail(out, 40));
        }
        String output = Files.readString(out, StandardCharsets.UTF_8);
        Matcher id = JOB_ID.matcher(output);
        if (client.exitValue() != 0 || !id.find()) {
            throw new IllegalStateException(
                    "flink run failed (exit code "
                            + client.exitValue()
                            + "):\n"
                            + output
                            + tail(logs.resolve("client.log"), 40));
        }
        return id.group(1);
    }

    /** GET on the REST API, as JSON. */
    JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> response =
                http.send(
                        HttpRequest.newBuilder(URI.create(restUrl() + path))
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        if (response.statusCode() != 200) {
            throw new IOException(
                    "GET " + path + " -> " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }

    /** The job's status, e.g. RUNNING. */
    String jobState(String jobId) throws IOException, InterruptedException {
        return get("/jobs/" + jobId).path("state").asText();
    }

    /**
     * The job's first failure (task and the head of its stack trace), or null while it has none: a
     * failing job restarts for ever under the default restart strategy, so callers look here.
     */
    String firstFailure(String jobId) throws IOException, InterruptedException {
        JsonNode entries =
                get("/jobs/" + jobId + "/exceptions").path("exceptionHistory").path("entries");
        if (entries.isEmpty()) {
            return null;
        }
        JsonNode first = entries.get(entries.size() - 1);
        String[] trace = first.path("stacktrace").asText().split("\r?\n");
        return "in "
                + first.path("taskName").asText("(no task)")
                + ":\n"
                + String.join("\n", Arrays.asList(trace).subList(0, Math.min(trace.length, 25)));
    }

    static boolean isTerminal(String state) {
        return TERMINAL.contains(state);
    }

    /** Cancels the job ({@code PATCH /jobs/ID?mode=cancel}) and waits for CANCELED. */
    String cancel(String jobId, Duration timeout) throws Exception {
        HttpResponse<String> response =
                http.send(
                        HttpRequest.newBuilder(
                                        URI.create(restUrl() + "/jobs/" + jobId + "?mode=cancel"))
                                .method("PATCH", HttpRequest.BodyPublishers.noBody())
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        if (response.statusCode() != 202) {
            throw new IllegalStateException(
                    "cancel " + jobId + " -> " + response.statusCode() + ": " + response.body());
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        String state = jobState(jobId);
        while (!isTerminal(state) && System.nanoTime() < deadline) {
            Thread.sleep(200);
            state = jobState(jobId);
        }
        return state;
    }

    /** The last lines of every log of the cluster and the client, for failure messages. */
    String logTails(int lines) {
        StringBuilder text = new StringBuilder();
        try (Stream<Path> files = Files.isDirectory(logs) ? Files.list(logs) : Stream.empty()) {
            files.sorted().forEach(file -> text.append(tail(file, lines)));
        } catch (IOException e) {
            text.append("\n(could not list ").append(logs).append(": ").append(e).append(')');
        }
        return text.toString();
    }

    private static String tail(Path file, int lines) {
        if (!Files.isRegularFile(file)) {
            return "\n(" + file + " missing)";
        }
        // read only the end: a TaskManager log can be large
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            long length = in.length();
            int size = (int) Math.min(length, 64 * 1024);
            byte[] bytes = new byte[size];
            in.seek(length - size);
            in.readFully(bytes);
            String[] all = new String(bytes, StandardCharsets.UTF_8).split("\r?\n");
            StringBuilder text =
                    new StringBuilder("\n--- last lines of ").append(file).append('\n');
            for (int i = Math.max(0, all.length - lines); i < all.length; i++) {
                text.append("  | ").append(all[i]).append('\n');
            }
            return text.toString();
        } catch (IOException e) {
            return "\n(could not read " + file + ": " + e + ")";
        }
    }

    /** Stops every process this cluster started, with all their descendants. */
    @Override
    public void close() {
        stopAll();
        if (!closed) {
            closed = true;
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException e) {
                // the JVM is already shutting down: the hook runs (or ran) anyway
            }
        }
    }

    private synchronized void stopAll() {
        // collect whole trees first: once a parent dies its children are re-parented and lost
        List<ProcessHandle> tree = new ArrayList<>();
        for (Process process : processes) {
            tree.add(process.toHandle());
            process.descendants().forEach(tree::add);
        }
        tree.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        for (ProcessHandle handle : tree) {
            try {
                long left = Math.max(1, deadline - System.nanoTime());
                handle.onExit().get(left, TimeUnit.NANOSECONDS);
            } catch (TimeoutException | ExecutionException e) {
                handle.destroyForcibly();
            } catch (InterruptedException e) {
                handle.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        for (ProcessHandle handle : tree) {
            try {
                handle.onExit().get(10, TimeUnit.SECONDS);
            } catch (TimeoutException | ExecutionException | InterruptedException e) {
                // SIGKILLed and still not reaped: nothing more a JVM can do
            }
        }
        processes.clear();
    }
}
