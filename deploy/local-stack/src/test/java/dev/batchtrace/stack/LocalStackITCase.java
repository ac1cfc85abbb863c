package dev.batchtrace.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

class LocalStackITCase {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String SCHEMA =
            "{\"schema\":\"{\\\"type\\\":\\\"record\\\",\\\"name\\\":\\\"Marker\\\",\\\"fields\\\":[{\\\"name\\\":\\\"x\\\",\\\"type\\\":\\\"int\\\"}]}\"}";

    @Test
    void upStatusUpDownUpReusesDataDown() throws Exception {
        Path work = Path.of("target", "local-stack-it").toAbsolutePath();
        deleteTree(work);
        int[] ports = distinctFreePorts(5);
        StackConfig config =
                StackConfig.fromSettings(Checkout.locate().root(), Map.of(), Map.of())
                        .withWorkDir(work)
                        .withKafkaPorts(ports[0], ports[1])
                        .withRegistryPort(ports[2])
                        .withElasticsearchPorts(ports[3], ports[4]);
        LocalStack stack = LocalStack.at(config);
        try {
            // 1. up from nothing, in a separate JVM that exits: the servers must outlive it
            long start = System.nanoTime();
            List<String> progress = upInChildJvm(work, ports);
            System.err.printf(
                    "[LocalStackITCase] first up (child JVM) took %.1f s:%n  %s%n",
                    (System.nanoTime() - start) / 1e9, String.join("\n  ", progress));
            assertTrue(
                    progress.stream().anyMatch(l -> l.startsWith("Elasticsearch healthy at")),
                    progress.toString());

            // 2. status in "another" call: all running, each endpoint really answers
            StackStatus status = stack.status();
            System.err.print(status.table());
            assertTrue(status.allRunning(), status.table());
            String bootstrap = status.server(LocalStack.KAFKA).endpoint();
            String registry = status.server(LocalStack.SCHEMA_REGISTRY).endpoint();
            String es = status.server(LocalStack.ELASTICSEARCH).endpoint();
            assertEquals("127.0.0.1:" + ports[0], bootstrap);
            assertEquals("http://127.0.0.1:" + ports[2], registry);
            assertEquals("http://127.0.0.1:" + ports[3], es);
            createTopic(bootstrap, "survivor");
            String schemaId = registerSchema(registry);
            assertEquals(
                    200,
                    send(HttpRequest.newBuilder(URI.create(registry + "/apis/ccompat/v7/config"))
                                    .GET())
                            .statusCode());
            HttpResponse<String> index =
                    send(
                            HttpRequest.newBuilder(URI.create(es + "/survivor"))
                                    .PUT(HttpRequest.BodyPublishers.noBody()));
            assertEquals(200, index.statusCode(), index.body());
            Files.writeString(work.resolve("kafka").resolve("marker.txt"), "still here");
            Map<String, Long> pids = pids(status);

            // 3. up again: nothing restarted
            List<String> again = new ArrayList<>();
            StackStatus second = stack.up(again::add);
            assertTrue(second.allRunning(), second.table());
            assertEquals(
                    3,
                    again.stream().filter(line -> line.contains("already running")).count(),
                    again.toString());
            assertEquals(pids, pids(second));

            // 4. down: processes (and their children) gone, ports free
            List<String> stopping = new ArrayList<>();
            StackStatus down = stack.down(stopping::add);
            System.err.println("[LocalStackITCase] down: " + stopping);
            assertTrue(down.allStopped(), down.table());
            for (long pid : pids.values()) {
                assertFalse(
                        ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false),
                        "pid " + pid + " still alive");
            }
            for (int port : ports) {
                assertTrue(Ports.isFree("127.0.0.1", port), "port " + port + " still taken");
            }

            // 5. up again: data survives
            start = System.nanoTime();
            StackStatus third = stack.up(s -> {});
            System.err.printf(
                    "[LocalStackITCase] restart took %.1f s%n", (System.nanoTime() - start) / 1e9);
            assertTrue(third.allRunning(), third.table());
            assertTrue(listTopics(bootstrap).contains("survivor"));
            HttpResponse<String> indexAgain =
                    send(HttpRequest.newBuilder(URI.create(es + "/survivor")).GET());
            assertEquals(200, indexAgain.statusCode(), indexAgain.body());
            HttpResponse<String> schemaAgain =
                    send(
                            HttpRequest.newBuilder(
                                            URI.create(
                                                    registry
                                                            + "/apis/ccompat/v7/subjects/marker-value/versions/1"))
                                    .GET());
            assertEquals(200, schemaAgain.statusCode(), schemaAgain.body());
            assertTrue(schemaAgain.body().contains("\"id\":" + schemaId), schemaAgain.body());
            assertEquals(
                    "still here", Files.readString(work.resolve("kafka").resolve("marker.txt")));
        } finally {
            // 6. down
            StackStatus last = stack.down(s -> {});
            assertTrue(last.allStopped(), last.table());
        }
    }

    @Test
    void aTakenPortFailsBeforeAnythingStartsAndNamesTheSetting(
            @org.junit.jupiter.api.io.TempDir Path work) throws Exception {
        int[] ports = distinctFreePorts(5);
        StackConfig config =
                StackConfig.fromSettings(Checkout.locate().root(), Map.of(), Map.of())
                        .withWorkDir(work)
                        .withKafkaPorts(ports[0], ports[1])
                        .withRegistryPort(ports[2])
                        .withElasticsearchPorts(ports[3], ports[4]);
        try (java.net.ServerSocket squatter =
                new java.net.ServerSocket(
                        ports[4], 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            assertTrue(squatter.isBound());
            LocalStack stack = LocalStack.at(config);
            StackException e = assertThrows(StackException.class, () -> stack.up(s -> {}));
            assertTrue(
                    e.getMessage()
                            .startsWith(
                                    "Elasticsearch transport port 127.0.0.1:"
                                            + ports[4]
                                            + " is already in use"),
                    e.getMessage());
            assertTrue(
                    e.getMessage().contains("batchtrace.stack.elasticsearch.transport-port"),
                    e.getMessage());
            assertTrue(
                    e.getMessage().contains("BATCHTRACE_STACK_ELASTICSEARCH_TRANSPORT_PORT"),
                    e.getMessage());
            assertTrue(stack.status().allStopped(), stack.status().table());
            assertFalse(
                    Ports.isListening("127.0.0.1", ports[0]), "Kafka must not have been started");
        }
    }

    /** Runs {@code LocalStackMain up} in its own JVM and returns its output lines. */
    private static List<String> upInChildJvm(Path work, int[] ports) throws Exception {
        String classes =
                Path.of(
                                LocalStack.class
                                        .getProtectionDomain()
                                        .getCodeSource()
                                        .getLocation()
                                        .toURI())
                        .toString();
        Process child =
                new ProcessBuilder(
                                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                "-Dbatchtrace.stack.dir=" + work,
                                "-Dbatchtrace.stack.kafka.port=" + ports[0],
                                "-Dbatchtrace.stack.kafka.controller-port=" + ports[1],
                                "-Dbatchtrace.stack.registry.port=" + ports[2],
                                "-Dbatchtrace.stack.elasticsearch.port=" + ports[3],
                                "-Dbatchtrace.stack.elasticsearch.transport-port=" + ports[4],
                                "-cp",
                                classes,
                                LocalStackMain.class.getName(),
                                "up")
                        .redirectErrorStream(true)
                        .start();
        child.getOutputStream().close();
        List<String> lines =
                new String(
                                child.getInputStream().readAllBytes(),
                                java.nio.charset.StandardCharsets.UTF_8)
                        .lines()
                        .toList();
        assertTrue(child.waitFor(300, TimeUnit.SECONDS));
        assertEquals(0, child.exitValue(), String.join("\n", lines));
        return lines;
    }

    private static Map<String, Long> pids(StackStatus status) {
        Map<String, Long> pids = new java.util.TreeMap<>();
        status.servers().forEach(s -> pids.put(s.name(), s.pid()));
        return pids;
    }

    private static void createTopic(String bootstrap, String topic) throws Exception {
        try (Admin admin =
                Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        }
    }

    private static Set<String> listTopics(String bootstrap) throws Exception {
        try (Admin admin =
                Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            return admin.listTopics().names().get(30, TimeUnit.SECONDS);
        }
    }

    private static String registerSchema(String registry) throws Exception {
        HttpResponse<String> r =
                send(
                        HttpRequest.newBuilder(
                                        URI.create(
                                                registry
                                                        + "/apis/ccompat/v7/subjects/marker-value/versions"))
                                .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                                .POST(HttpRequest.BodyPublishers.ofString(SCHEMA)));
        assertEquals(200, r.statusCode(), r.body());
        return r.body().replaceAll("[^0-9]", "");
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int[] distinctFreePorts(int n) {
        Set<Integer> ports = new LinkedHashSet<>();
        while (ports.size() < n) {
            ports.add(Ports.freePort("127.0.0.1"));
        }
        return ports.stream().mapToInt(Integer::intValue).toArray();
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
