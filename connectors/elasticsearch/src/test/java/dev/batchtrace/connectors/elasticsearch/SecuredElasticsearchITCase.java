package dev.batchtrace.connectors.elasticsearch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import dev.batchtrace.stack.SecuredTestServers;
import java.io.IOException;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.ExceptionUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A real Elasticsearch 9.5.3 node with security on (HTTPS with a certificate generated for the
 * test, users in the file realm): templates, the sink and plain requests with TLS + basic auth from
 * {@code elasticsearch.*} keys; a wrong password, an unknown API key and an untrusted certificate
 * fail at once with a message that names what to fix, and the sink does not retry a 401.
 *
 * <p>API keys: this distribution (integ-test zip) cannot create them (the {@code .security} index
 * needs the {@code pattern_capture} filter of a module it lacks), so only their rejection is
 * exercised here.
 */
class SecuredElasticsearchITCase {

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    @Test
    void templatesSinkAndReadsWorkOverTlsWithBasicAuth() throws Exception {
        SecuredTestServers.Elasticsearch node = SecuredTestServers.elasticsearch();
        assertTrue(node.url().startsWith("https://127.0.0.1:"), node.url());
        ElasticsearchSettings settings = settings(node, node.password());
        assertFalse(settings.toString().contains(node.password()), settings.toString());

        ElasticsearchClients.verify(settings);
        IndexTemplates.install(settings, line -> {});

        String index = "it-secured-" + UUID.randomUUID().toString().substring(0, 8);
        StreamExecutionEnvironment env = environment();
        env.fromSequence(0, 99)
                .sinkTo(
                        ElasticsearchSink.of(
                                settings.withBulk(50, 5 * 1024 * 1024, Duration.ofMillis(100), 2),
                                new ElasticsearchSinkITCase.LotConverter(index)));
        env.execute("secured elasticsearch sink");

        try (ElasticsearchClient client = ElasticsearchClients.create(settings)) {
            client.indices().refresh(r -> r.index(index));
            assertEquals(100, client.count(c -> c.index(index)).count());
            assertTrue(client.indices().existsAlias(a -> a.name(TraceIndex.LOTS.alias())).value());
        }

        // the truststore form of the same trust
        Map<String, String> keys = keys(node, node.password());
        keys.remove(ElasticsearchSettings.TLS_CA_CERTIFICATE);
        keys.put(ElasticsearchSettings.TLS_TRUSTSTORE, node.tls().truststore().toString());
        keys.put(ElasticsearchSettings.TLS_TRUSTSTORE_PASSWORD, node.tls().password());
        ElasticsearchClients.verify(ElasticsearchSettings.fromMap(keys));
    }

    @Test
    void wrongPasswordIsA401NamingTheUserNotThePassword() throws Exception {
        SecuredTestServers.Elasticsearch node = SecuredTestServers.elasticsearch();
        String wrong = "not-" + node.password();
        ElasticsearchSettings settings = settings(node, wrong);

        ElasticsearchAuthException check =
                assertThrows(
                        ElasticsearchAuthException.class,
                        () -> ElasticsearchClients.verify(settings));
        assertEquals(401, check.status());
        String message = check.getMessage();
        assertTrue(message.contains("HTTP 401 Unauthorized"), message);
        assertTrue(message.contains("Elasticsearch at " + node.url()), message);
        assertTrue(
                message.contains("user '" + SecuredTestServers.ELASTICSEARCH_USER + "'"), message);
        assertTrue(message.contains("elasticsearch.username / elasticsearch.password"), message);
        assertFalse(message.contains(wrong), message);

        ElasticsearchAuthException templates =
                assertThrows(
                        ElasticsearchAuthException.class,
                        () -> IndexTemplates.install(settings, line -> {}));
        assertEquals(401, templates.status());
    }

    @Test
    void theSinkFailsOnA401AtOnceInsteadOfRetrying() throws Exception {
        SecuredTestServers.Elasticsearch node = SecuredTestServers.elasticsearch();
        ElasticsearchSettings settings =
                settings(node, "wrong-" + node.password())
                        // a retried 401 would take minutes with these
                        .withRetry(20, Duration.ofSeconds(5), Duration.ofSeconds(30));
        StreamExecutionEnvironment env = environment();
        env.fromSequence(0, 9)
                .sinkTo(
                        ElasticsearchSink.of(
                                settings, new ElasticsearchSinkITCase.LotConverter("it-denied")));
        long started = System.nanoTime();
        CompletableFuture<Void> job =
                CompletableFuture.runAsync(
                        () -> {
                            try {
                                env.execute("secured elasticsearch sink, wrong password");
                            } catch (Exception e) {
                                throw new RuntimeException(e);
                            }
                        });
        ExecutionException failed =
                assertThrows(ExecutionException.class, () -> job.get(60, TimeUnit.SECONDS));
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        // the job's failure crosses Flink as a SerializedThrowable: look for the message
        Throwable auth =
                ExceptionUtils.findThrowableWithMessage(failed, "HTTP 401 Unauthorized")
                        .orElseThrow(() -> new AssertionError(failed));
        assertTrue(auth.getMessage().contains("not retried"), auth.getMessage());
        assertTrue(
                auth.getMessage().contains("user '" + SecuredTestServers.ELASTICSEARCH_USER + "'"),
                auth.getMessage());
        assertTrue(took.compareTo(Duration.ofSeconds(30)) < 0, "took " + took);
    }

    @Test
    void unknownApiKeyAndUntrustedCertificateAreNamed() throws Exception {
        SecuredTestServers.Elasticsearch node = SecuredTestServers.elasticsearch();
        Map<String, String> apiKey = keys(node, null);
        apiKey.put(
                ElasticsearchSettings.API_KEY,
                Base64.getEncoder().encodeToString("no-such-id:no-such-key".getBytes()));
        ElasticsearchAuthException key =
                assertThrows(
                        ElasticsearchAuthException.class,
                        () -> ElasticsearchClients.verify(ElasticsearchSettings.fromMap(apiKey)));
        assertEquals(401, key.status());
        assertTrue(key.getMessage().contains("elasticsearch.api-key"), key.getMessage());

        Map<String, String> untrusted = keys(node, node.password());
        untrusted.remove(ElasticsearchSettings.TLS_CA_CERTIFICATE);
        IOException tls =
                assertThrows(
                        IOException.class,
                        () ->
                                ElasticsearchClients.verify(
                                        ElasticsearchSettings.fromMap(untrusted)));
        assertTrue(
                tls.getMessage().startsWith("TLS handshake with Elasticsearch"), tls.getMessage());
        assertTrue(tls.getMessage().contains("elasticsearch.tls.ca-certificate"), tls.getMessage());
    }

    /** The keys an operator's config file carries. */
    private static Map<String, String> keys(
            SecuredTestServers.Elasticsearch node, String password) {
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put(ElasticsearchSettings.HOSTS, node.url());
        if (password != null) {
            keys.put(ElasticsearchSettings.USERNAME, node.user());
            keys.put(ElasticsearchSettings.PASSWORD, password);
        }
        keys.put(ElasticsearchSettings.TLS_CA_CERTIFICATE, node.tls().certificatePem().toString());
        keys.put(ElasticsearchSettings.CONNECT_TIMEOUT, "5s");
        keys.put(ElasticsearchSettings.SOCKET_TIMEOUT, "20s");
        return new HashMap<>(keys);
    }

    private static ElasticsearchSettings settings(
            SecuredTestServers.Elasticsearch node, String password) {
        return ElasticsearchSettings.fromMap(keys(node, password));
    }

    private static StreamExecutionEnvironment environment() {
        Configuration config = new Configuration();
        config.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
        env.setParallelism(2);
        return env;
    }
}
