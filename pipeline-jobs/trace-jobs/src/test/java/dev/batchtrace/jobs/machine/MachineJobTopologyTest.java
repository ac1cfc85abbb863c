package dev.batchtrace.jobs.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.junit.jupiter.api.Test;

/** The machine job's wiring, without running it: uids, checkpointing, parallelism, no Kryo. */
class MachineJobTopologyTest {

    private static MachineJobConfig config() throws Exception {
        return MachineJobConfig.fromArgs(
                "--bootstrap.servers", "127.0.0.1:9",
                "--schema.registry.url", "http://127.0.0.1:9",
                "--machine.parallelism", "2",
                "--checkpoint.interval", "2s");
    }

    private static StreamGraph graph(MachineJobConfig config) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        MachineJob.configure(env, config);
        MachineJob.defineWorkflow(
                env, MachineSources.kafka(config), MachineSinks.kafka(config), config);
        return env.getStreamGraph();
    }

    @Test
    void everyOperatorHasAStableUniqueUidAndNoStreamIsKryo() throws Exception {
        StreamGraph graph = graph(config());
        Set<String> uids = new HashSet<>();
        for (StreamNode node : graph.getStreamNodes()) {
            assertNotNull(node.getTransformationUID(), node.getOperatorName());
            assertTrue(uids.add(node.getTransformationUID()), node.getTransformationUID());
            List<Object> serializers = new ArrayList<>(Arrays.asList(node.getTypeSerializersIn()));
            serializers.add(node.getTypeSerializerOut());
            for (Object serializer : serializers) {
                assertFalse(
                        serializer != null && serializer.getClass().getName().contains("Kryo"),
                        node.getOperatorName() + " uses " + serializer);
            }
        }
        for (String uid :
                List.of(
                        MachineJob.UID_MACHINE_EVENTS_SOURCE,
                        MachineJob.UID_MACHINE_EVENTS_SPLIT,
                        MachineJob.UID_WORK_ORDERS_SOURCE,
                        MachineJob.UID_WORK_ORDERS_SPLIT,
                        MachineJob.UID_RUN_BOUNDARY_FILTER,
                        MachineJob.UID_WORK_ORDER_MACHINES,
                        MachineJob.UID_ATTRIBUTION)) {
            assertTrue(uids.contains(uid), uid + " in " + uids);
        }
        for (String sink :
                List.of(MachineJob.UID_SUMMARIES_SINK, MachineJob.UID_DEAD_LETTERS_SINK)) {
            assertTrue(uids.stream().anyMatch(u -> u.startsWith(sink)), sink + " in " + uids);
        }
    }

    @Test
    void checkpointingAndParallelismComeFromTheConfig() throws Exception {
        MachineJobConfig config = config();
        assertEquals(2000, graph(config).getCheckpointConfig().getCheckpointInterval());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        MachineJob.configure(env, config);
        assertEquals(128, env.getMaxParallelism());
        assertEquals(2, env.getParallelism());
    }
}
