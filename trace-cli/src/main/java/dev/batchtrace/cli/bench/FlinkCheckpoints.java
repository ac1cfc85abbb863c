package dev.batchtrace.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The latest completed checkpoint of a job, from the Flink REST API ({@code
 * /jobs/:id/checkpoints}).
 */
public final class FlinkCheckpoints {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @param id the checkpoint's id, -1 when none completed yet
     * @param stateBytes full state size (all of RocksDB's files the checkpoint refers to)
     * @param checkpointedBytes what this (incremental) checkpoint wrote
     * @param durationMillis trigger to the last acknowledgement
     */
    public record Latest(long id, long stateBytes, long checkpointedBytes, long durationMillis) {
        static final Latest NONE = new Latest(-1, -1, -1, -1);
    }

    private final String url;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /**
     * @param baseUrl the web UI, e.g. {@code http://127.0.0.1:8082}
     */
    public FlinkCheckpoints(String baseUrl, String jobId) {
        this.url = baseUrl + "/jobs/" + jobId + "/checkpoints";
    }

    public Latest latest() throws IOException, InterruptedException {
        HttpResponse<String> response =
                http.send(
                        HttpRequest.newBuilder(URI.create(url))
                                .timeout(Duration.ofSeconds(10))
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        return response.statusCode() == 200 ? parse(response.body()) : Latest.NONE;
    }

    static Latest parse(String body) throws IOException {
        JsonNode completed = JSON.readTree(body).path("latest").path("completed");
        if (!completed.isObject()) {
            return Latest.NONE;
        }
        return new Latest(
                completed.path("id").asLong(-1),
                completed.path("state_size").asLong(-1),
                completed.path("checkpointed_size").asLong(-1),
                completed.path("end_to_end_duration").asLong(-1));
    }
}
