package dev.batchtrace.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/** Port checks on the loopback interface the servers bind to. */
public final class Ports {
    private Ports() {}

    /** True when nothing listens on {@code host:port} and we could bind it ourselves. */
    public static boolean isFree(String host, int port) {
        try (ServerSocket socket = new ServerSocket()) {
            // SO_REUSEADDR like the servers themselves: only a listening socket makes a port taken,
            // not connections of a stopped server lingering in TIME_WAIT
            socket.setReuseAddress(true);
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

    /** A port the OS considers free right now (another process may still take it before use). */
    public static int freePort(String host) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(InetAddress.getByName(host), 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on " + host, e);
        }
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
