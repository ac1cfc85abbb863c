package dev.batchtrace.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class ConsumerLagTest {

    @Test
    void lagIsTheEndsMinusTheCommittedOffsetsOfTheTopicsPartitions() {
        TopicPartition a0 = new TopicPartition("mes.work-orders.run", 0);
        TopicPartition a1 = new TopicPartition("mes.work-orders.run", 1);
        TopicPartition other = new TopicPartition("qms.qc-results.run", 0);
        Map<TopicPartition, Long> ends = Map.of(a0, 1_000L, a1, 500L, other, 9_999L);
        assertEquals(
                300,
                ConsumerLag.lagOf(
                        "mes.work-orders.run",
                        ends,
                        Map.of(a0, new OffsetAndMetadata(800), a1, new OffsetAndMetadata(400))));
        // nothing committed on partition 1 yet: all of it; a commit past the end (a race
        // between the two questions) counts as none
        assertEquals(
                500,
                ConsumerLag.lagOf(
                        "mes.work-orders.run", ends, Map.of(a0, new OffsetAndMetadata(1_001))));
    }
}
