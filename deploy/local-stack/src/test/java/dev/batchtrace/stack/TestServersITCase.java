package dev.batchtrace.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TestServersITCase {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void startAllInParallel() {
        long start = System.nanoTime();
        TestServers.startAll();
        System.err.printf(
                "[TestServersITCase] all three healthy after %.1f s%n",
                (System.nanoTime() - start) / 1e9);
    }

    @Test
    void kafkaBrokerCreatesAndListsTopics() throws Exception {
        String bootstrap = TestServers.kafkaBootstrapServers();
        assertTrue(bootstrap.matches("127\\.0\\.0\\.1:\\d+"), bootstrap);
        try (Admin admin =
                Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic("test-servers-topic", 2, (short) 1)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
            Set<String> names = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            assertTrue(names.contains("test-servers-topic"), names.toString());
        }
    }

    @Test
    void schemaRegistrySpeaksTheConfluentApiWithBackwardDefault() throws Exception {
        String url = TestServers.schemaRegistryUrl();
        assertTrue(url.endsWith("/apis/ccompat/v7"), url);
        HttpResponse<String> config =
                send(HttpRequest.newBuilder(URI.create(url + "/config")).GET());
        assertEquals(200, config.statusCode());
        assertTrue(config.body().contains("BACKWARD"), config.body());

        String schema =
                "{\"schema\":\"{\\\"type\\\":\\\"record\\\",\\\"name\\\":\\\"Probe\\\",\\\"fields\\\":[{\\\"name\\\":\\\"x\\\",\\\"type\\\":\\\"int\\\"}]}\"}";
        HttpResponse<String> registered =
                send(
                        HttpRequest.newBuilder(URI.create(url + "/subjects/probe-value/versions"))
                                .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                                .POST(HttpRequest.BodyPublishers.ofString(schema)));
        assertEquals(200, registered.statusCode(), registered.body());
        assertTrue(registered.body().matches("\\{\"id\":\\d+}"), registered.body());
    }

    @Test
    void elasticsearchIndexesAndCounts() throws Exception {
        String url = TestServers.elasticsearchUrl();
        HttpResponse<String> health =
                send(
                        HttpRequest.newBuilder(
                                        URI.create(
                                                url
                                                        + "/_cluster/health?wait_for_status=yellow&timeout=5s"))
                                .GET());
        assertEquals(200, health.statusCode(), health.body());
        HttpResponse<String> indexed =
                send(
                        HttpRequest.newBuilder(URI.create(url + "/probe/_doc/1?refresh=true"))
                                .header("Content-Type", "application/json")
                                .PUT(HttpRequest.BodyPublishers.ofString("{\"batch\":\"B-1\"}")));
        assertTrue(indexed.statusCode() == 201 || indexed.statusCode() == 200, indexed.body());
        HttpResponse<String> count =
                send(HttpRequest.newBuilder(URI.create(url + "/probe/_count")).GET());
        assertTrue(count.body().contains("\"count\":1"), count.body());
    }

    @Test
    void serversAreSharedWithinTheJvm() {
        assertSame(TestServers.kafkaBootstrapServers(), TestServers.kafkaBootstrapServers());
        assertEquals(TestServers.elasticsearchUrl(), TestServers.elasticsearchUrl());
        assertTrue(
                TestServers.baseDir()
                        .toString()
                        .contains("test-servers-" + ProcessHandle.current().pid()));
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
