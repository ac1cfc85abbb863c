package dev.batchtrace.jobs.lineage;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.batchtrace.connectors.gateway.JsonLinesReader;
import dev.batchtrace.connectors.gateway.LineResult;
import dev.batchtrace.connectors.gateway.ParsedEvent;
import dev.batchtrace.connectors.kafka.AvroKafkaDeserializer;
import dev.batchtrace.connectors.registry.ConfluentSchemaRegistryClient;
import dev.batchtrace.connectors.registry.RegistrySettings;
import dev.batchtrace.events.TraceAlert;
import dev.batchtrace.lineage.reference.LineageReference;
import dev.batchtrace.stack.TestServers;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 13, transient alerts: lot RM-T is put on hold while work order WO-T's consumption of it
 * stands, so the hold reaches SA-T and SA-T raises an AFFECTED_STOCK alert; seconds later the
 * consumption is reversed (wrong lot scanned), so SA-T is no longer affected and its alert
 * resolves. With a quiet period of 20 s (generous: the machine may be busy) neither the OPEN nor
 * the RESOLVED record reaches trace.alerts, nor a trace-alerts document for SA-T, and the operator
 * counts the suppressed alert (so the transient alert really was raised upstream). A lasting hold
 * on RM-L (consumed into SA-L) goes out after the period as before; documents and open alerts equal
 * the batch reference.
 */
class TransientAlertITCase {

    private static final InMemoryReporter METRICS = InMemoryReporter.createWithRetainedMetrics();
    private static final Duration QUIET = Duration.ofSeconds(20);

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setConfiguration(clusterConfiguration())
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(FaultRun.PARALLELISM)
                            .build());

    private static Configuration clusterConfiguration() {
        Configuration config = new Configuration();
        config.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
        return METRICS.addToConfiguration(config);
    }

    private static final String RECEIPT =
            "{\"type\": \"GoodsReceipt\", \"receiptId\": \"GR-%1$s\", \"lotCode\": \"%1$s\","
                    + " \"materialCode\": \"PCABS-NAT\", \"materialName\": \"PC/ABS resin\","
                    + " \"supplierId\": \"SUP-POLY\", \"supplierName\": \"Polymer Werke GmbH\","
                    + " \"supplierLotCode\": \"L-%1$s\", \"quantity\": 1000, \"unit\": \"kg\","
                    + " \"unitCost\": 3.1, \"currency\": \"EUR\", \"receivedAt\":"
                    + " \"2026-11-02T07:00:00Z\", \"site\": \"PLANT-ULM\", \"purchaseOrder\":"
                    + " \"PO-1\"}";
    private static final String WORK_ORDER_EVENT =
            "{\"type\": \"WorkOrderEvent\", \"eventId\": \"%1$s-%2$s\", \"workOrderId\": \"%1$s\","
                    + " \"eventType\": \"%3$s\", \"occurredAt\": \"2026-11-02T08:%4$s:00Z\","
                    + " \"productCode\": \"HSG\", \"productName\": \"Housing\", \"machineId\":"
                    + " \"IMM-01\", \"lineId\": \"MOULD-1\", \"operatorId\": \"OP-1\","
                    + " \"lotCode\": \"%5$s\", \"quantity\": %6$s, \"unit\": \"%7$s\"%8$s}";
    private static final String HOLD =
            "{\"type\": \"LotFlag\", \"flagId\": \"FLAG-%1$s\", \"lotCode\": \"%1$s\", \"action\":"
                    + " \"HOLD\", \"reason\": \"supplier notice\", \"severity\": \"CRITICAL\","
                    + " \"flaggedBy\": \"qa\", \"flaggedAt\": \"2026-11-02T12:00:00Z\"}";

    private static String consumed(String workOrder, String lot, String minute) {
        return WORK_ORDER_EVENT.formatted(
                workOrder, "C", "MATERIAL_CONSUMED", minute, lot, "60", "kg", "");
    }

    private static String produced(String workOrder, String lot, String minute) {
        return WORK_ORDER_EVENT.formatted(
                workOrder, "P", "OUTPUT_PRODUCED", minute, lot, "100", "pcs", "");
    }

    private static List<SpecificRecordBase> parse(List<String> lines) throws Exception {
        List<SpecificRecordBase> events = new ArrayList<>();
        byte[] bytes = String.join("\n", lines).getBytes(StandardCharsets.UTF_8);
        for (LineResult line : new JsonLinesReader().readAll(new ByteArrayInputStream(bytes))) {
            if (!(line instanceof ParsedEvent parsed)) {
                fail("test event does not parse: " + line);
                return null;
            }
            events.add(parsed.value());
        }
        return events;
    }

    @Test
    void aStockAlertThatResolvesWithinTheQuietPeriodIsNeverSent() throws Exception {
        FaultRun run =
                new FaultRun(
                        "transient-alert",
                        TestServers.kafkaBootstrapServers(),
                        TestServers.schemaRegistryUrl(),
                        TestServers.elasticsearchUrl(),
                        Map.of(LineageJobConfig.ALERT_QUIET_PERIOD_KEY, QUIET.toSeconds() + "s"));
        List<SpecificRecordBase> first =
                parse(
                        List.of(
                                RECEIPT.formatted("RM-T"),
                                RECEIPT.formatted("RM-L"),
                                consumed("WO-T", "RM-T", "01"),
                                produced("WO-T", "SA-T", "02"),
                                consumed("WO-L", "RM-L", "03"),
                                produced("WO-L", "SA-L", "04"),
                                HOLD.formatted("RM-T"),
                                HOLD.formatted("RM-L")));
        List<SpecificRecordBase> reversal =
                parse(
                        List.of(
                                WORK_ORDER_EVENT.formatted(
                                        "WO-T",
                                        "R",
                                        "CONSUMPTION_REVERSED",
                                        "05",
                                        "RM-T",
                                        "60",
                                        "kg",
                                        ", \"reversesEventId\": \"WO-T-C\"")));
        List<SpecificRecordBase> all = new ArrayList<>(first);
        all.addAll(reversal);
        LineageReference.Result reference = LineageReference.withHolds(all);
        assertTrue(
                reference.alerts().values().stream().noneMatch(a -> "SA-T".equals(a.lotCode())),
                "in the end SA-T is not affected: " + reference.alerts());
        assertTrue(
                reference.alerts().values().stream().anyMatch(a -> "SA-L".equals(a.lotCode())),
                "SA-L's stock stays affected: " + reference.alerts());

        JobClient job = run.start();
        run.publish(run.serialize(first), Duration.ZERO);
        // the hold has reached SA-T (its lot document says so): its stock alert is raised now
        await(() -> onHold(run, "SA-T"), "SA-T on hold", Duration.ofMinutes(2));
        long heldSeen = System.nanoTime();
        run.publish(run.serialize(reversal), Duration.ZERO);
        await(() -> !onHold(run, "SA-T"), "SA-T released by the reversal", Duration.ofMinutes(2));
        Duration window = Duration.ofNanos(System.nanoTime() - heldSeen);
        assertTrue(
                window.compareTo(QUIET) < 0,
                "the alert resolved within the quiet period (else this test proves nothing): "
                        + window);

        run.awaitConvergence(job, reference, Duration.ofMinutes(2));
        Thread.sleep(QUIET.toMillis() + 2_000); // anything held would have gone out by now
        long suppressed =
                JobMetrics.sum(METRICS, job.getJobID(), AlertQuietPeriodFunction.SUPPRESSED_METRIC);
        run.stopAndCheckNothingDuplicated(job, reference);

        List<String> onTopic = new ArrayList<>();
        try (AvroKafkaDeserializer<TraceAlert> avro =
                AvroKafkaDeserializer.forSpecific(
                        new ConfluentSchemaRegistryClient(RegistrySettings.of(run.registryUrl)),
                        TraceAlert.class)) {
            for (TestStack.Committed record :
                    TestStack.readCommitted(run.bootstrap, run.topics.alerts())) {
                TraceAlert alert = avro.deserialize(run.topics.alerts(), record.value());
                onTopic.add(alert.getKind() + " " + alert.getLotCode() + " " + alert.getStatus());
            }
        }
        assertTrue(
                onTopic.stream().noneMatch(a -> a.contains(" SA-T ")),
                "no record of SA-T's transient alert: " + onTopic);
        assertTrue(
                onTopic.contains("AFFECTED_STOCK SA-L OPEN"), "SA-L's alert went out: " + onTopic);
        Map<String, String> alertDocs = new TreeMap<>();
        TestStack.alertDocuments(run.esUrl)
                .forEach((id, doc) -> alertDocs.put(id, doc.source().path("lotCode").asText()));
        assertTrue(
                !alertDocs.containsValue("SA-T"), "no trace-alerts document of SA-T: " + alertDocs);
        assertTrue(suppressed >= 1, "the transient alert was raised and suppressed: " + suppressed);
        System.out.printf(
                "transient-alert: SA-T on hold for about %d ms in Elasticsearch, %d alert(s)"
                        + " suppressed, on the topic: %s%n",
                window.toMillis(), suppressed, onTopic);
    }

    private static boolean onHold(FaultRun run, String lot) {
        try {
            TestStack.Stored doc = TestStack.documents(run.esUrl).get("trace-lots/" + lot);
            JsonNode source = doc == null ? null : doc.source();
            return source != null && source.path("onHold").asBoolean(false);
        } catch (Exception e) {
            return false;
        }
    }

    private static void await(BooleanSupplier condition, String what, Duration timeout)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(100);
        }
    }
}
