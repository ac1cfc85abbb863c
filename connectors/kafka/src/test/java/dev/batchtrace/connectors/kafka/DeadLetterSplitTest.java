package dev.batchtrace.connectors.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.batchtrace.events.DeadLetter;
import dev.batchtrace.events.GoodsReceipt;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class DeadLetterSplitTest {

    @Test
    void recordsGoToTheMainOutputAndDeadLettersToTheSideOutput() throws Exception {
        DeadLetter letter =
                DeadLetter.newBuilder()
                        .setSourceTopic("t")
                        .setPartition(0)
                        .setOffset(1L)
                        .setKey(null)
                        .setValue(ByteBuffer.wrap(new byte[] {9}))
                        .setError("WRONG_MAGIC_BYTE: first byte is 0x09")
                        .setFailedAt(Instant.EPOCH)
                        .build();
        OneInputStreamOperatorTestHarness<Decoded<GoodsReceipt>, GoodsReceipt> harness =
                new OneInputStreamOperatorTestHarness<>(
                        new ProcessOperator<>(new DeadLetterSplit.Splitter<GoodsReceipt>()));
        try {
            harness.open();
            harness.processElement(
                    new StreamRecord<>(Decoded.of(Samples.receipt(1), "t", 0, 0L, 5L)));
            harness.processElement(new StreamRecord<>(Decoded.<GoodsReceipt>failed(letter, 6L)));
            harness.processElement(
                    new StreamRecord<>(Decoded.of(Samples.receipt(2), "t", 0, 2L, 7L)));

            assertEquals(
                    List.of(Samples.receipt(1), Samples.receipt(2)), harness.extractOutputValues());
            assertEquals(
                    List.of(letter),
                    harness.getSideOutput(DeadLetterSplit.DEAD_LETTERS).stream()
                            .map(StreamRecord::getValue)
                            .collect(Collectors.toList()));
        } finally {
            harness.close();
        }
    }

    @Test
    void theMetricCountsDeadLettersByKindNotByTheirFreeText() {
        assertEquals(
                "WRONG_MAGIC_BYTE", DeadLetterSplit.reasonOf("WRONG_MAGIC_BYTE: first byte 0x09"));
        assertEquals(
                "UNKNOWN_SCHEMA_ID",
                DeadLetterSplit.reasonOf("UNKNOWN_SCHEMA_ID: id 4711 not found"));
        assertEquals(
                "not_a_machine_run_summary",
                DeadLetterSplit.reasonOf("not a machine run summary: Unexpected character"));
        assertEquals("UNKNOWN", DeadLetterSplit.reasonOf(null));
        assertEquals("UNKNOWN", DeadLetterSplit.reasonOf(" : x"));
        assertEquals(40, DeadLetterSplit.reasonOf("x".repeat(100)).length());
    }
}
