package dev.batchtrace.jobs.lineage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.GenericTypeInfo;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.junit.jupiter.api.Test;

/** The wiring, without running it: uids, names, checkpointing, parallelism, no Kryo types. */
class LineageJobTopologyTest {

    private static LineageJobConfig config() throws Exception {
        return LineageJobConfig.fromArgs(
                "--bootstrap.servers", "127.0.0.1:9",
                "--schema.registry.url", "http://127.0.0.1:9",
                "--elasticsearch.hosts", "http://127.0.0.1:9",
                "--lineage.parallelism", "2");
    }

    private static StreamGraph graph(LineageJobConfig config) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        LineageJob.configure(env, config);
        LineageJob.defineWorkflow(
                env,
                LineageSources.kafka(config),
                LineageSinks.kafka(config),
                config.coalesceDelay());
        return env.getStreamGraph();
    }

    @Test
    void everyOperatorHasAStableUniqueUidAndAName() throws Exception {
        StreamGraph graph = graph(config());
        Set<String> uids = new HashSet<>();
        for (StreamNode node : graph.getStreamNodes()) {
            assertNotNull(
                    node.getTransformationUID(), "operator without uid: " + node.getOperatorName());
            assertTrue(
                    uids.add(node.getTransformationUID()),
                    "duplicate uid " + node.getTransformationUID());
            assertFalse(node.getOperatorName().isBlank());
        }
        // Sinks v2 expand to writer (+ committer) operators whose uids derive from the sink's uid.
        Set<String> declared =
                new TreeSet<>(
                        List.of(
                                LineageJob.UID_GOODS_RECEIPTS_SOURCE,
                                LineageJob.UID_GOODS_RECEIPTS_SPLIT,
                                LineageJob.UID_WORK_ORDERS_SOURCE,
                                LineageJob.UID_WORK_ORDERS_SPLIT,
                                LineageJob.UID_DISPATCH_NOTES_SOURCE,
                                LineageJob.UID_DISPATCH_NOTES_SPLIT,
                                LineageJob.UID_GOODS_RECEIPT_FACTS,
                                LineageJob.UID_WORK_ORDER_LINKS,
                                LineageJob.UID_DISPATCH_NOTE_REVISIONS,
                                LineageJob.UID_OUTPUT_SERIALS_FILTER,
                                LineageJob.UID_OUTPUT_SERIALS,
                                LineageJob.UID_UNITS,
                                LineageJob.UID_FEEDBACK_SOURCE,
                                LineageJob.UID_LINEAGE_NODES,
                                LineageJob.UID_DOCUMENTS_SOURCE,
                                LineageJob.UID_LOT_FLAGS_SOURCE,
                                LineageJob.UID_LOT_FLAGS_SPLIT,
                                LineageJob.UID_LOT_FLAG_UPDATES,
                                LineageJob.UID_WORK_ORDER_LOT_USAGES,
                                LineageJob.UID_QC_RESULTS_SOURCE,
                                LineageJob.UID_QC_RESULTS_SPLIT,
                                LineageJob.UID_QC_RESULT_CHECKS,
                                LineageJob.UID_QC_RESULT_WORK_ORDER_CHECKS,
                                LineageJob.UID_MACHINE_SUMMARIES_SOURCE,
                                LineageJob.UID_MACHINE_SUMMARIES_SPLIT,
                                LineageJob.UID_MACHINE_SUMMARY_ATTACHMENTS,
                                LineageJob.UID_QC_PRODUCED_LOTS,
                                LineageJob.UID_QC_UNTAGGED_CHECKS,
                                LineageJob.UID_QC_LOT_ROUTING,
                                LineageJob.UID_ALERT_QUIET_PERIOD,
                                LineageJob.UID_ALERT_DOCUMENTS_FILTER,
                                LineageJob.UID_OTHER_DOCUMENTS_FILTER,
                                LineageJob.UID_STATE_VERSION_GUARD,
                                LineageJob.UID_HANGING_TRANSACTION_WATCH));
        assertTrue(uids.containsAll(declared), "missing: " + declared + " in " + uids);
        for (String sink :
                List.of(
                        LineageJob.UID_DEAD_LETTERS_SINK,
                        LineageJob.UID_FEEDBACK_SINK,
                        LineageJob.UID_DOCUMENTS_SINK,
                        LineageJob.UID_ELASTICSEARCH_SINK,
                        LineageJob.UID_ALERTS_SINK)) {
            assertTrue(uids.stream().anyMatch(u -> u.startsWith(sink)), sink + " in " + uids);
        }
    }

    @Test
    void shipmentAlertsGoOutWithoutTheStockAlertsQuietPeriod() throws Exception {
        StreamGraph graph = graph(config());
        StreamNode shipmentAlerts = node(graph, "shipment alerts: closure and index holds");
        StreamNode quietPeriod = node(graph, "stock alerts: quiet period");
        Set<String> targets = new TreeSet<>();
        for (var edge : shipmentAlerts.getOutEdges()) {
            targets.add(graph.getStreamNode(edge.getTargetId()).getOperatorName());
        }
        assertFalse(
                targets.contains(quietPeriod.getOperatorName()),
                "shipment alerts pass the quiet period: " + targets);
        assertTrue(
                targets.stream().anyMatch(t -> t.startsWith("hold alerts -> trace.alerts")),
                "records to the alerts sink: " + targets);
        assertTrue(
                targets.stream().anyMatch(t -> t.startsWith("trace documents -> documents topic")),
                "documents to the documents sink: " + targets);
        // the nodes' stock alerts still wait there
        assertTrue(
                quietPeriod.getInEdges().stream()
                        .anyMatch(
                                e ->
                                        graph.getStreamNode(e.getSourceId())
                                                .getOperatorName()
                                                .startsWith("lineage node")),
                "the quiet period hears the nodes");
    }

    @Test
    void theHangingTransactionCheckRidesOnTheDocumentsSourceAndGoesWhenTurnedOff()
            throws Exception {
        StreamGraph graph = graph(config());
        StreamNode watch =
                node(
                        graph,
                        "trace documents: check the transactional topics for hanging transactions");
        assertEquals(
                List.of("Source: trace documents"),
                watch.getInEdges().stream()
                        .map(e -> graph.getStreamNode(e.getSourceId()).getOperatorName())
                        .toList());

        LineageJobConfig off =
                LineageJobConfig.fromArgs(
                        "--bootstrap.servers", "127.0.0.1:9",
                        "--schema.registry.url", "http://127.0.0.1:9",
                        "--elasticsearch.hosts", "http://127.0.0.1:9",
                        "--lineage.hanging-transaction-check-interval", "0");
        assertFalse(
                graph(off).getStreamNodes().stream()
                        .anyMatch(
                                n ->
                                        LineageJob.UID_HANGING_TRANSACTION_WATCH.equals(
                                                n.getTransformationUID())),
                "no check when it is off");
    }

    private static StreamNode node(StreamGraph graph, String name) {
        return graph.getStreamNodes().stream()
                .filter(n -> n.getOperatorName().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no operator named " + name));
    }

    @Test
    void checkpointingParallelismAndMaxParallelismComeFromTheConfig() throws Exception {
        LineageJobConfig config = config();
        StreamGraph graph = graph(config);
        assertEquals(1000, graph.getCheckpointConfig().getCheckpointInterval());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        LineageJob.configure(env, config);
        assertEquals(128, env.getMaxParallelism());
        assertEquals(2, env.getParallelism());
    }

    @Test
    void noStreamTravelsAsAKryoGenericType() throws Exception {
        StreamGraph graph = graph(config());
        assertTrue(
                graph.getStreamNodes().stream()
                        .anyMatch(
                                n ->
                                        n.getTypeSerializerOut()
                                                instanceof LineageMessageTypeInfo.Serializer),
                "lineage messages travel in their codec bytes");
        for (StreamNode node : graph.getStreamNodes()) {
            List<Object> serializers = new java.util.ArrayList<>();
            serializers.addAll(java.util.Arrays.asList(node.getTypeSerializersIn()));
            serializers.add(node.getTypeSerializerOut());
            for (Object serializer : serializers) {
                assertFalse(
                        serializer != null && serializer.getClass().getName().contains("Kryo"),
                        node.getOperatorName() + " uses " + serializer);
            }
            for (var edge : node.getOutEdges()) {
                if (edge.getOutputTag() != null) {
                    TypeInformation<?> type = edge.getOutputTag().getTypeInfo();
                    assertFalse(
                            type instanceof GenericTypeInfo,
                            node.getOperatorName() + " side output is a Kryo type: " + type);
                }
            }
        }
    }
}
