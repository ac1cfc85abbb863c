package dev.batchtrace.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.batchtrace.events.LotFlag;
import dev.batchtrace.events.LotFlagAction;
import dev.batchtrace.events.LotFlagSeverity;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * A flag on the lot that reaches the most shipments (issue 9: "a flag on a bulk lot: last alert
 * within 2 s"): a HOLD is published, and {@code trace-alerts} is asked every {@link #POLL} until
 * every shipment downstream of the lot has its AFFECTED_SHIPMENT alert (one per flag and shipment).
 * Reports when the last one was raised by the job ({@code raisedAt}) and when it was searchable.
 */
public final class FlagProbe {

    public static final Duration POLL = Duration.ofMillis(100);
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @param expected shipments downstream of the flagged lot
     * @param alerts AFFECTED_SHIPMENT alerts of the flag found at the end
     * @param lastRaisedMillis flag published -> the latest {@code raisedAt} among them
     * @param allSearchableMillis flag published -> all of them searchable (-1: not within timeout)
     */
    public record Result(
            String lotCode,
            int expected,
            long alerts,
            double lastRaisedMillis,
            double allSearchableMillis) {}

    private final ElasticsearchProbe es;
    private final String alertsIndex;

    public FlagProbe(ElasticsearchProbe es, String alertsIndex) {
        this.es = es;
        this.alertsIndex = alertsIndex;
    }

    public static LotFlag hold(String flagId, String lotCode, Instant at) {
        return LotFlag.newBuilder()
                .setFlagId(flagId)
                .setLotCode(lotCode)
                .setAction(LotFlagAction.HOLD)
                .setReason("benchmark: flag -> alerts")
                .setSeverity(LotFlagSeverity.MAJOR)
                .setFlaggedBy("bin/trace bench")
                .setFlaggedAt(at)
                .build();
    }

    public Result run(
            String flagId,
            String lotCode,
            int expected,
            Consumer<LotFlag> publish,
            Duration timeout)
            throws Exception {
        Instant published = Instant.now();
        long start = System.nanoTime();
        publish.accept(hold(flagId, lotCode, published));
        long deadline = start + timeout.toNanos();
        double searchable = -1;
        JsonNode answer = null;
        while (System.nanoTime() < deadline) {
            Thread.sleep(POLL.toMillis());
            answer = es.answer(alertsIndex, query(flagId));
            if (answer.path("hits").path("total").path("value").asLong() >= expected) {
                searchable = (System.nanoTime() - start) / 1e6;
                break;
            }
        }
        long alerts = answer == null ? 0 : answer.path("hits").path("total").path("value").asLong();
        JsonNode last =
                answer == null ? null : answer.path("aggregations").path("last").path("value");
        double lastRaised =
                last == null || last.isNull() || last.isMissingNode()
                        ? -1
                        : last.asDouble() - published.toEpochMilli();
        return new Result(lotCode, expected, alerts, lastRaised, searchable);
    }

    private static String query(String flagId) {
        ObjectNode body = JSON.createObjectNode();
        body.put("size", 0);
        body.put("track_total_hits", true);
        var filter = body.putObject("query").putObject("bool").putArray("filter");
        filter.addObject().putObject("term").put("flagId", flagId);
        filter.addObject().putObject("term").put("kind", "AFFECTED_SHIPMENT");
        filter.addObject().putObject("term").put("status", "OPEN");
        body.putObject("aggs").putObject("last").putObject("max").put("field", "raisedAt");
        return body.toString();
    }
}
