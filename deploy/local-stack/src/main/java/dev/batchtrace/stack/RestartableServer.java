package dev.batchtrace.stack;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * A server of one fault test's own, which the test stops and starts again on the same ports with
 * the same data (a registry outage, an Elasticsearch outage, a broker restart). Not shared with
 * other tests; stopped with the JVM like {@link TestServers}' shared servers. Made by {@link
 * TestServers#restartableSchemaRegistry}, {@link TestServers#restartableElasticsearch}, {@link
 * TestServers#restartableKafka}.
 */
public final class RestartableServer {

    private final ServerLauncher launcher;
    private final String url;
    private final Duration timeout;
    private ServerProcess process;

    private RestartableServer(
            ServerLauncher launcher, String url, Duration timeout, ServerProcess process) {
        this.launcher = launcher;
        this.url = url;
        this.timeout = timeout;
        this.process = process;
    }

    /**
     * Starts the first process; a port taken between choosing and binding makes a new launcher (new
     * ports), later restarts keep the ports of the one that started.
     */
    static RestartableServer start(
            Supplier<ServerLauncher> launchers,
            java.util.function.Function<ServerLauncher, String> url,
            Duration timeout)
            throws StackException {
        ServerLauncher[] last = new ServerLauncher[1];
        ServerProcess first =
                TestServers.startWithRetries(
                        () -> {
                            last[0] = launchers.get();
                            return last[0];
                        });
        return new RestartableServer(last[0], url.apply(last[0]), timeout, first);
    }

    /** Where clients reach it (the same before and after a restart). */
    public String url() {
        return url;
    }

    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Stops it: SIGTERM, SIGKILL after 20 s; returns once the process tree has exited. */
    public synchronized void stop() {
        if (process != null) {
            process.stop(Duration.ofSeconds(20));
            process = null;
        }
    }

    /** Starts it again (same ports, same data) and waits until it is healthy. */
    public synchronized void start() throws StackException {
        if (isRunning()) {
            return;
        }
        ServerProcess started = launcher.launch(false);
        TestServers.register(started);
        launcher.awaitHealthy(started, timeout);
        process = started;
    }

    @Override
    public synchronized String toString() {
        return launcher.displayName() + " at " + url + (isRunning() ? "" : " (stopped)");
    }
}
