package dev.batchtrace.cli.explorer;

import dev.batchtrace.cli.query.RecallAlert;
import dev.batchtrace.cli.query.TraceQueries;
import io.javalin.http.sse.SseClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Alerts as they arrive: one poller reads the newest alerts of {@code trace-alerts} every interval
 * and sends each new alert, or a changed status (RESOLVED), to every connected page as a
 * server-sent event {@code alert}. One poll serves all pages, so open browsers do not multiply the
 * load on Elasticsearch. A page that connects first gets the newest {@value #HISTORY} alerts.
 */
final class AlertFeed implements AutoCloseable {

    static final int HISTORY = 20;
    private static final int WINDOW = 100;
    private static final Logger LOG = LoggerFactory.getLogger(AlertFeed.class);

    private final TraceQueries queries;
    private final Function<Object, String> json;
    private final Set<SseClient> clients = new CopyOnWriteArraySet<>();
    private final ScheduledExecutorService poller =
            Executors.newSingleThreadScheduledExecutor(
                    r -> {
                        Thread thread = new Thread(r, "explorer-alert-poller");
                        thread.setDaemon(true);
                        return thread;
                    });
    private final Map<String, String> statusById = new HashMap<>();
    private volatile List<RecallAlert> newest = List.of();
    private volatile String lastError;
    private boolean primed;

    AlertFeed(TraceQueries queries, Duration interval, Function<Object, String> json) {
        this.queries = queries;
        this.json = json;
        poller.scheduleWithFixedDelay(
                this::poll, 0, Math.max(100, interval.toMillis()), TimeUnit.MILLISECONDS);
    }

    /** A page connected: history first, then every new alert until it leaves. */
    void connect(SseClient client) {
        client.keepAlive();
        client.onClose(() -> clients.remove(client));
        List<RecallAlert> history =
                new ArrayList<>(newest.subList(0, Math.min(HISTORY, newest.size())));
        // oldest first, so a page that prepends each alert shows the newest on top
        for (int i = history.size() - 1; i >= 0; i--) {
            client.sendEvent("alert", json.apply(history.get(i)));
        }
        if (lastError != null) {
            client.sendEvent("problem", lastError);
        }
        clients.add(client);
    }

    List<RecallAlert> newest() {
        return newest;
    }

    private void poll() {
        List<RecallAlert> alerts;
        try {
            alerts = queries.latestAlerts(WINDOW);
        } catch (RuntimeException e) {
            // Elasticsearch away or no alerts index yet: say so once, keep polling
            String message = "alerts unavailable: " + e.getMessage();
            if (!message.equals(lastError)) {
                lastError = message;
                LOG.warn(message);
                clients.forEach(c -> c.sendEvent("problem", message));
            }
            return;
        }
        lastError = null;
        List<RecallAlert> changed = new ArrayList<>();
        // the first poll is history, not news
        boolean first = !primed;
        primed = true;
        for (RecallAlert alert : alerts) {
            String before = statusById.put(alert.alertId(), String.valueOf(alert.status()));
            if (!first && !String.valueOf(alert.status()).equals(before)) {
                changed.add(alert);
            }
        }
        newest = alerts;
        for (int i = changed.size() - 1; i >= 0; i--) {
            String event = json.apply(changed.get(i));
            for (SseClient client : clients) {
                if (client.terminated()) {
                    clients.remove(client);
                } else {
                    client.sendEvent("alert", event);
                }
            }
        }
    }

    @Override
    public void close() {
        poller.shutdownNow();
        clients.forEach(SseClient::close);
    }
}
