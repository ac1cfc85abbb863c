package dev.batchtrace.stack;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/** A started server: its OS process (maybe started by another JVM), endpoint and log. */
public final class ServerProcess {
    private final String name;
    private final String endpoint;
    private final ProcessHandle handle;
    private final Path log;
    private final Process process; // null when the process was started by another JVM

    ServerProcess(String name, String endpoint, ProcessHandle handle, Path log, Process process) {
        this.name = name;
        this.endpoint = endpoint;
        this.handle = handle;
        this.log = log;
        this.process = process;
    }

    public String name() {
        return name;
    }

    public String endpoint() {
        return endpoint;
    }

    public long pid() {
        return handle.pid();
    }

    public Path log() {
        return log;
    }

    /** When the OS started the process (recorded with its PID), or null when the OS hides it. */
    Instant startTime() {
        return ServerLauncher.startTime(handle).orElse(null);
    }

    public boolean isAlive() {
        return handle.isAlive();
    }

    /** Exit code when this JVM started the process and it has exited, else a placeholder text. */
    String exitDescription() {
        if (process != null && !process.isAlive()) {
            return "exit code " + process.exitValue();
        }
        return "process gone";
    }

    /**
     * Stops the process and all its descendants: SIGTERM first, SIGKILL for whatever still runs
     * after {@code grace}. Returns once every process of the tree has exited (or 10 s after
     * SIGKILL).
     */
    public void stop(Duration grace) {
        stopTree(handle, grace);
    }

    static void stopTree(ProcessHandle root, Duration grace) {
        // collect the tree first: once the root dies its children are re-parented and lost to us
        List<ProcessHandle> tree =
                new ArrayList<>(Stream.concat(Stream.of(root), root.descendants()).toList());
        tree.forEach(ProcessHandle::destroy);
        List<ProcessHandle> left = awaitExit(tree, grace);
        if (!left.isEmpty()) {
            left.forEach(ProcessHandle::destroyForcibly);
            awaitExit(left, Duration.ofSeconds(10));
        }
    }

    private static List<ProcessHandle> awaitExit(List<ProcessHandle> processes, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<ProcessHandle> left = new ArrayList<>();
        for (ProcessHandle p : processes) {
            long remaining = deadline - System.nanoTime();
            try {
                CompletableFuture<ProcessHandle> exit = p.onExit();
                exit.get(Math.max(remaining, 1), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                left.add(p);
            } catch (ExecutionException e) {
                left.add(p);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                left.add(p);
            }
        }
        left.removeIf(p -> !p.isAlive());
        return left;
    }

    @Override
    public String toString() {
        return name + " at " + endpoint + " (pid " + pid() + ", log " + log + ")";
    }
}
