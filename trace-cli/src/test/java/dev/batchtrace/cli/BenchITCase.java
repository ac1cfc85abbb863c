package dev.batchtrace.cli;

import static dev.batchtrace.cli.CliRun.trace;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.batchtrace.cli.bench.ElasticsearchProbe;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code trace bench} end to end on the tiny profile: its own stack on free ports, the jobs until
 * every document equals the batch reference, then the questions and the report.
 */
class BenchITCase {

    @TempDir static Path workDir;
    private static List<String> stackOptions;

    @AfterAll
    static void stopStack() {
        if (stackOptions != null) {
            List<String> down = new ArrayList<>(List.of("stack", "down"));
            down.addAll(stackOptions);
            trace(down.toArray(String[]::new));
        }
    }

    @Test
    void benchOnTheTinyProfileConvergesAndFillsEveryFigure() throws Exception {
        List<Integer> ports = freePorts(6);
        stackOptions =
                List.of(
                        "--work-dir", workDir.toString(),
                        "--kafka-port", ports.get(0).toString(),
                        "--kafka-controller-port", ports.get(1).toString(),
                        "--registry-port", ports.get(2).toString(),
                        "--elasticsearch-port", ports.get(3).toString(),
                        "--elasticsearch-transport-port", ports.get(4).toString());
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "bench",
                                "--profile",
                                "tiny",
                                "--queries",
                                "20",
                                "--freshness-seconds",
                                "5",
                                "--timeout",
                                "400",
                                "--json",
                                "--web-ui-port",
                                ports.get(5).toString()));
        String pgUrl = System.getProperty("bench.pg-url");
        if (pgUrl != null) {
            args.addAll(List.of("--pg-url", pgUrl));
        }
        args.addAll(stackOptions);

        CliRun bench = trace(args.toArray(String[]::new));

        assertEquals(0, bench.exitCode(), bench.out() + bench.err());
        JsonNode report = new ObjectMapper().readTree(bench.out());
        JsonNode endToEnd = report.path("end to end");
        assertTrue(
                endToEnd.path("documents right").asText().startsWith("yes (all "),
                endToEnd.toString());
        assertTrue(
                endToEnd.path("sustained rate").path("value").asDouble() > 0, endToEnd.toString());
        assertTrue(
                endToEnd.path("job start -> documents right").path("value").asDouble() > 0,
                endToEnd.toString());
        assertTrue(report.path("publish").path("rate").path("value").asDouble() > 0);
        JsonNode cost = report.path("cost");
        for (String figure :
                List.of("feedback topic", "documents topic", "RocksDB checkpoint folder")) {
            assertTrue(cost.path(figure).path("value").asLong() > 0, figure + ": " + cost);
        }
        assertTrue(report.path("index size").path("trace-lots-v1").asText().contains("bytes"));
        // every freshness probe's effects became searchable, and the figures say how fast
        JsonNode freshness = report.path("freshness");
        assertEquals(
                0, freshness.path("probes not searchable in time").asInt(-1), freshness.toString());
        assertTrue(
                freshness.path("receipt -> lot searchable").asText().startsWith("p50 "),
                freshness.toString());
        assertTrue(
                freshness
                        .path("dispatch -> shipment searchable with the lot as ancestor")
                        .asText()
                        .startsWith("p50 "),
                freshness.toString());
        // 5 s of probes: one window of sending, with both figures
        List<String> windows = new java.util.ArrayList<>();
        freshness
                .properties()
                .forEach(
                        e -> {
                            if (e.getKey().startsWith("probes sent ")) {
                                windows.add(e.getKey() + ": " + e.getValue().asText());
                            }
                        });
        assertEquals(1, windows.size(), freshness.toString());
        assertTrue(windows.get(0).startsWith("probes sent 0-10 s ("), windows.toString());
        assertTrue(windows.get(0).contains(": lot p50 "), windows.toString());
        assertTrue(windows.get(0).contains(", shipment p50 "), windows.toString());
        // the flag on the lot reaching the most shipments raised one alert per shipment
        JsonNode flag = report.path("flag -> alerts");
        assertTrue(
                flag.path("flagged lot").asText().contains("shipments downstream"),
                flag.toString());
        assertTrue(
                flag.path("flag published -> all alerts searchable").asText().endsWith(" ms"),
                flag.toString());
        JsonNode questions = report.path("elasticsearch questions");
        assertEquals(4, questions.size(), questions.toString());
        questions.forEach(q -> assertTrue(q.asText().contains("took p50"), q.asText()));
        assertTrue(
                questions.has("floor: an empty search (size 0, no count)"), questions.toString());
        String timedOn = report.path("questions").path("elasticsearch timed on").asText();
        assertTrue(
                timedOn.startsWith("a quiet index") || timedOn.startsWith("an index still"),
                timedOn);
        JsonNode peer = report.path("postgresql");
        // either the peer answered all three questions, or it says why it was skipped
        assertTrue(
                peer.has("customers of a supplier lot")
                        || peer.path("peer").asText().startsWith("skipped: no PostgreSQL"),
                peer.toString());
        // progress lines went to stderr, so stdout is the JSON alone
        assertTrue(bench.err().contains("documents right:"), bench.err());

        searchIdsSeesADocumentOnlyAfterARefresh("http://127.0.0.1:" + ports.get(3));
    }

    /**
     * The freshness probe's look: a document counts once a search finds it (as for the query
     * commands), not when the realtime multi-get already returns it before the refresh.
     */
    private static void searchIdsSeesADocumentOnlyAfterARefresh(String elasticsearch)
            throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String index = "freshness-look-check";
        assertEquals(
                200,
                send(
                        http,
                        "PUT",
                        elasticsearch + "/" + index,
                        "{\"settings\":{\"index\":{\"refresh_interval\":\"-1\","
                                + "\"number_of_replicas\":0}}}"));
        assertEquals(
                201,
                send(
                        http,
                        "PUT",
                        elasticsearch + "/" + index + "/_doc/LOT-1",
                        "{\"lotCode\":\"LOT-1\"}"));
        ElasticsearchProbe es = new ElasticsearchProbe(elasticsearch);
        List<String> ids = List.of("LOT-1", "LOT-2");
        assertEquals(Set.of("LOT-1"), es.get(index, ids, List.of("lotCode")).keySet());
        assertEquals(Set.of(), es.searchIds(index, ids, List.of("lotCode")).keySet());
        assertEquals(200, send(http, "POST", elasticsearch + "/" + index + "/_refresh", ""));
        Map<String, JsonNode> found = es.searchIds(index, ids, List.of("lotCode"));
        assertEquals(Set.of("LOT-1"), found.keySet());
        assertEquals("LOT-1", found.get("LOT-1").path("lotCode").asText());
        assertEquals(200, send(http, "DELETE", elasticsearch + "/" + index, null));
    }

    private static int send(HttpClient http, String method, String url, String json)
            throws Exception {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json");
        request.method(
                method,
                json == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private static List<Integer> freePorts(int count) throws Exception {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                sockets.add(new ServerSocket(0));
            }
            return sockets.stream().map(ServerSocket::getLocalPort).toList();
        } finally {
            for (ServerSocket socket : sockets) {
                socket.close();
            }
        }
    }
}
