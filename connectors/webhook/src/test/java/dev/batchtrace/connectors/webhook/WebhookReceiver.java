package dev.batchtrace.connectors.webhook;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A webhook receiver on a free loopback port (the JDK's HTTP server) that answers each request as a
 * script says, by Idempotency-Key and attempt number, and records every request it saw.
 */
final class WebhookReceiver implements AutoCloseable {

    /** What the receiver does with one request. */
    enum Answer {
        OK(200),
        UNAVAILABLE(503),
        /** 429 with {@code Retry-After: 1}. */
        TOO_MANY_REQUESTS(429),
        /** Closes the connection without an answer. */
        DROP(0),
        BAD_REQUEST(400),
        /** 200 after {@link #SLOW_MILLIS}: a receiver that takes its time. */
        SLOW(200);

        static final long SLOW_MILLIS = 2000;

        final int status;

        Answer(int status) {
            this.status = status;
        }
    }

    /**
     * Chooses the answer for attempt {@code attempt} (1 = first) of an Idempotency-Key; attempts
     * are counted per path and key, so two URLs on one receiver each get the whole script.
     */
    @FunctionalInterface
    interface Script {
        Answer answer(String idempotencyKey, int attempt);
    }

    /** One request as the receiver saw it. */
    record Request(
            String path,
            String idempotencyKey,
            Map<String, String> headers,
            String body,
            Instant at,
            int attempt,
            Answer answer) {}

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(8);
    private final Script script;
    private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
    private final List<Request> requests = new ArrayList<>(); // guarded by itself

    private WebhookReceiver(Script script) throws IOException {
        this.script = script;
        this.server =
                HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    static WebhookReceiver start(Script script) throws IOException {
        return new WebhookReceiver(script);
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    List<Request> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    /** Requests answered 2xx, i.e. deliveries the sender saw succeed. */
    List<Request> delivered() {
        return requests().stream()
                .filter(r -> r.answer() == Answer.OK || r.answer() == Answer.SLOW)
                .toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
            int attempt =
                    attempts.computeIfAbsent(
                                    exchange.getRequestURI().getPath() + " " + key,
                                    k -> new AtomicInteger())
                            .incrementAndGet();
            Answer answer = script.answer(key, attempt);
            Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            exchange.getRequestHeaders()
                    .forEach((name, values) -> headers.put(name, values.get(0)));
            synchronized (requests) {
                requests.add(
                        new Request(
                                exchange.getRequestURI().getPath(),
                                key,
                                headers,
                                body,
                                Instant.now(),
                                attempt,
                                answer));
            }
            if (answer == Answer.SLOW) {
                try {
                    Thread.sleep(Answer.SLOW_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (answer == Answer.DROP) {
                exchange.close(); // no response headers sent yet: the server closes the socket
                return;
            }
            if (answer == Answer.TOO_MANY_REQUESTS) {
                exchange.getResponseHeaders().set("Retry-After", "1");
            }
            byte[] reply =
                    (answer == Answer.BAD_REQUEST
                                    ? "{\"error\":\"unknown channel #quality-alerts\"}"
                                    : "{\"ok\":" + (answer == Answer.OK) + "}")
                            .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(answer.status, reply.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(reply);
            }
        } finally {
            exchange.close();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
