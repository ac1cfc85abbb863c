package dev.batchtrace.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/** Port checks on the loopback interface the servers bind to. */
public final class Ports {
    private Ports() {}

    /** True when nothing listens on {@code host:port} and we could bind it ourselves. */
    public static boolean isFree(String host, int port) {
        // SO_REUSEADDR like the servers themselves: only a listening socket makes a port taken,
        // not connections of a stopped server lingering in TIME_WAIT
        return canBind(host, port, true);
    }

    /**
     * Whether a server socket binds {@code host:port}; without {@code reuseAddress} a connection
     * still holding the port counts as taking it.
     */
    private static boolean canBind(String host, int port, boolean reuseAddress) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(reuseAddress);
            socket.bind(new InetSocketAddress(InetAddress.getByName(host), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** True when something accepts TCP connections on {@code host:port}. */
    public static boolean isListening(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * A port free right now, chosen below the OS's ephemeral range: a port from the ephemeral range
     * (what binding port 0 returns) can be taken by any outgoing connection before the server binds
     * it, which made an Elasticsearch node of a test fail to start in CI. Never the same port twice
     * in one JVM; another process may still take it before use.
     */
    public static int freePort(String host) {
        int[] range = CHOOSABLE;
        int size = range[1] - range[0];
        int start = ThreadLocalRandom.current().nextInt(size);
        for (int i = 0; i < size; i++) {
            int port = range[0] + (start + i) % size;
            if (HANDED_OUT.contains(port) || !canBind(host, port, false)) {
                continue;
            }
            if (HANDED_OUT.add(port)) {
                return port;
            }
        }
        throw new UncheckedIOException(
                new IOException(
                        "no free port on " + host + " in " + range[0] + "-" + (range[1] - 1)));
    }

    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    /** {@link #choosableRange()}, read once. */
    private static final int[] CHOOSABLE = choosableRange();

    /**
     * [from, to) outside the ephemeral range; Linux says where that is (a /proc file reads as empty
     * with Files.readString: its size is 0), elsewhere below 32768.
     */
    static int[] choosableRange() {
        // Linux's default; below it is below IANA's dynamic range (49152-65535) too
        int low = 32768;
        int high = 60999;
        try {
            String[] parts =
                    Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range"))
                            .get(0)
                            .trim()
                            .split("\\s+");
            low = Integer.parseInt(parts[0]);
            high = Integer.parseInt(parts[1]);
        } catch (IOException | RuntimeException e) {
            // not Linux (or /proc not readable): keep the default
        }
        if (low - 1024 >= 2000) {
            return new int[] {Math.max(1024, Math.min(10000, low - 2000)), low};
        }
        return new int[] {high + 1, 65536};
    }

    /**
     * Fails when the port is taken.
     *
     * @param what which server and port, e.g. "Kafka broker port"
     * @param setting how the operator changes it, e.g. "-Dbatchtrace.stack.kafka.port /
     *     BATCHTRACE_STACK_KAFKA_PORT"
     */
    public static void requireFree(String host, int port, String what, String setting)
            throws PortTakenException {
        if (!isFree(host, port)) {
            throw new PortTakenException(
                    what
                            + " "
                            + host
                            + ":"
                            + port
                            + " is already in use by another process."
                            + " Stop that process or choose another port with "
                            + setting
                            + ".",
                    port);
        }
    }
}
