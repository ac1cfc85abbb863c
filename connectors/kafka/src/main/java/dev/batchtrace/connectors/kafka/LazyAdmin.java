package dev.batchtrace.connectors.kafka;

import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;

/**
 * One admin client, opened at the first question and kept for the questions after it (pollers ask
 * every interval); closing it waits at most 5 s for calls in flight, so a task that closes it never
 * hangs on a broker that does not answer. A question after {@link #close} opens a new one.
 */
final class LazyAdmin implements AutoCloseable {

    private final Properties clientProperties;
    private Admin admin;

    LazyAdmin(Properties clientProperties) {
        this.clientProperties = clientProperties;
    }

    synchronized Admin get() {
        if (admin == null) {
            admin = Admin.create(clientProperties);
        }
        return admin;
    }

    @Override
    public synchronized void close() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
            admin = null;
        }
    }
}
