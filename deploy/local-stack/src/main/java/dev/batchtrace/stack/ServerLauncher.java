package dev.batchtrace.stack;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Starts one server as its own OS process, output to a log file in its directory, and knows how to
 * tell it is healthy and that a PID is really this server.
 */
abstract class ServerLauncher {
    static final int LOG_TAIL_LINES = 30;
    private static final Path SETSID = Path.of("/usr/bin/setsid");

    /** A port the server binds, for the "port taken" message. */
    record PortUse(int port, String what, String setting) {}

    private final String name;
    private final String displayName;
    protected final Path dir;
    protected final String host;

    ServerLauncher(String name, String displayName, Path dir, String host) {
        this.name = name;
        this.displayName = displayName;
        this.dir = dir.toAbsolutePath().normalize();
        this.host = host;
    }

    final String name() {
        return name;
    }

    final String displayName() {
        return displayName;
    }

    final Path dir() {
        return dir;
    }

    final Path logFile() {
        return dir.resolve(name + ".log");
    }

    abstract String endpoint();

    abstract List<PortUse> ports();

    /** Writes config files (and runs one-off steps like formatting) and returns the command. */
    protected abstract List<String> prepareCommand() throws StackException;

    /** Adjusts the child's environment. */
    protected void environment(Map<String, String> env) {}

    /** A quick probe: true when the server answers as a healthy server should. */
    abstract boolean isHealthy();

    /** A short text saying why {@link #isHealthy()} is false, for status output. */
    String unhealthyDetail() {
        return "not answering at " + endpoint();
    }

    /** Text that appears in the command line of this server's process and no other. */
    protected abstract String commandMarker();

    /** Runs once the server is healthy (e.g. server-side defaults). */
    protected void afterHealthy() throws StackException {}

    /**
     * True when the process is this server: one of its arguments equals {@link #commandMarker()}
     * (not merely contains it: another stack's path may end the same way) and, when a start time
     * was recorded, it started then (guards against PID reuse).
     *
     * @param recordedStart the start time recorded at launch, or {@code null} when unknown
     */
    final boolean isOurs(ProcessHandle process, Instant recordedStart) {
        if (!process.isAlive()) {
            return false;
        }
        if (recordedStart != null && !startedAt(process, recordedStart)) {
            return false;
        }
        return hasArgument(arguments(process.pid()), commandMarker());
    }

    /** {@link #isOurs(ProcessHandle, Instant)} without a recorded start time. */
    final boolean isOurs(ProcessHandle process) {
        return isOurs(process, null);
    }

    /** The process's start time, as recorded next to its PID; empty when the OS hides it. */
    static Optional<Instant> startTime(ProcessHandle process) {
        // millisecond precision: what a properties file round-trips and /proc yields anyway
        return process.info().startInstant().map(i -> Instant.ofEpochMilli(i.toEpochMilli()));
    }

    private static boolean startedAt(ProcessHandle process, Instant recordedStart) {
        return startTime(process).map(recordedStart::equals).orElse(false);
    }

    /** True when one argument (argv[0] included) equals {@code marker} exactly. */
    static boolean hasArgument(List<String> arguments, String marker) {
        return arguments.contains(marker);
    }

    /**
     * The process's arguments as the kernel keeps them, argv[0] first; empty when unreadable. /proc
     * first: it is split exactly at NULs, where {@code Info.commandLine()} joins with spaces and
     * {@code Info.arguments()} may be missing.
     */
    static List<String> arguments(long pid) {
        try {
            byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
            List<String> args = new ArrayList<>();
            int start = 0;
            for (int i = 0; i < raw.length; i++) {
                if (raw[i] == 0) {
                    args.add(new String(raw, start, i - start, StandardCharsets.UTF_8));
                    start = i + 1;
                }
            }
            if (start < raw.length) {
                args.add(new String(raw, start, raw.length - start, StandardCharsets.UTF_8));
            }
            if (!args.isEmpty()) {
                return args;
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or the process is gone: ask the JDK
        }
        Optional<ProcessHandle.Info> info = ProcessHandle.of(pid).map(ProcessHandle::info);
        List<String> args = new ArrayList<>();
        info.flatMap(ProcessHandle.Info::command).ifPresent(args::add);
        info.flatMap(ProcessHandle.Info::arguments).ifPresent(a -> args.addAll(List.of(a)));
        return args;
    }

    /** Starts the process without waiting for it to become healthy. */
    final ServerProcess launch(boolean detach) throws StackException {
        for (PortUse port : ports()) {
            Ports.requireFree(host, port.port(), displayName + " " + port.what(), port.setting());
        }
        try {
            Files.createDirectories(dir);
            Path log = logFile();
            if (Files.exists(log)) {
                // keep one previous run; readiness checks read this run's log only
                Files.move(
                        log,
                        log.resolveSibling(log.getFileName() + ".1"),
                        StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new StackException("Cannot prepare " + dir + " for " + displayName + ": " + e, e);
        }
        List<String> command = new ArrayList<>();
        if (detach && Files.isExecutable(SETSID)) {
            // own session: the server survives the terminal and Ctrl-C of the CLI that started it
            command.add(SETSID.toString());
        }
        command.addAll(prepareCommand());
        ProcessBuilder builder =
                new ProcessBuilder(command)
                        .directory(dir.toFile())
                        .redirectErrorStream(true)
                        // a file, not a pipe: the server must outlive the JVM that started it
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()))
                        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        environment(builder.environment());
        try {
            Process process = builder.start();
            return new ServerProcess(name, endpoint(), process.toHandle(), logFile(), process);
        } catch (IOException e) {
            throw new StackException(
                    "Cannot start " + displayName + " (" + String.join(" ", command) + "): " + e,
                    e);
        }
    }

    /** Waits until healthy; on timeout or exit stops the process and explains with the log tail. */
    final void awaitHealthy(ServerProcess process, Duration timeout) throws StackException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw new StackException(
                        displayName
                                + " exited during startup ("
                                + process.exitDescription()
                                + ")."
                                + LogTail.describe(logFile(), LOG_TAIL_LINES));
            }
            if (isHealthy()) {
                try {
                    afterHealthy();
                } catch (StackException e) {
                    process.stop(Duration.ofSeconds(20));
                    throw e;
                }
                return;
            }
            if (System.nanoTime() > deadline) {
                process.stop(Duration.ofSeconds(20));
                throw new StackException(
                        displayName
                                + " did not get healthy within "
                                + timeout.toSeconds()
                                + " s ("
                                + unhealthyDetail()
                                + "); stopped it."
                                + LogTail.describe(logFile(), LOG_TAIL_LINES));
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.stop(Duration.ofSeconds(20));
                throw new StackException("Interrupted while waiting for " + displayName, e);
            }
        }
    }

    final ServerProcess start(Duration timeout, boolean detach) throws StackException {
        ServerProcess process = launch(detach);
        awaitHealthy(process, timeout);
        return process;
    }

    /** The java binary of the running JVM (Kafka and the registry run on it). */
    static String currentJava() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
