package dev.batchtrace.jobs.lineage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchtrace.connectors.kafka.Decoded;
import dev.batchtrace.machine.MachineRunSummary;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class MachineSummarySourceTest {

    private static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");

    static MachineRunSummary summary() {
        return new MachineRunSummary(
                "WO-1",
                "M-1",
                "LINE-1",
                Instant.parse("2026-11-02T06:00:00Z"),
                null,
                3,
                2,
                null,
                null,
                null);
    }

    private static List<Decoded<MachineRunSummary>> decode(byte[] key, byte[] value) {
        List<Decoded<MachineRunSummary>> out = new ArrayList<>();
        new MachineSummarySource.Deserializer(Clock.fixed(NOW, ZoneOffset.UTC))
                .deserialize(
                        new ConsumerRecord<>("trace.machine-summaries", 1, 42L, key, value),
                        new Collector<>() {
                            @Override
                            public void collect(Decoded<MachineRunSummary> record) {
                                out.add(record);
                            }

                            @Override
                            public void close() {}
                        });
        return out;
    }

    @Test
    void aSummaryDecodes() {
        MachineRunSummary s = summary();
        List<Decoded<MachineRunSummary>> out =
                decode(s.key().getBytes(StandardCharsets.UTF_8), s.encode());
        assertEquals(1, out.size());
        assertEquals(s, out.get(0).value());
        assertEquals(42L, out.get(0).offset());
    }

    @Test
    void anythingElseIsADeadLetterWithItsBytesAndTheReason() {
        byte[] garbage =
                "{\"machineId\": 7, \"startedAt\": \"yesterday\"".getBytes(StandardCharsets.UTF_8);
        List<Decoded<MachineRunSummary>> out =
                decode("k".getBytes(StandardCharsets.UTF_8), garbage);
        assertEquals(1, out.size());
        assertNull(out.get(0).value());
        var letter = out.get(0).deadLetter();
        assertEquals("trace.machine-summaries", letter.getSourceTopic());
        assertEquals(1, letter.getPartition());
        assertEquals(42L, letter.getOffset());
        assertEquals(NOW, letter.getFailedAt());
        assertTrue(letter.getError().startsWith("not a machine run summary"), letter.getError());
        byte[] kept = new byte[letter.getValue().remaining()];
        letter.getValue().duplicate().get(kept);
        assertEquals(
                new String(garbage, StandardCharsets.UTF_8),
                new String(kept, StandardCharsets.UTF_8));
        // a tombstone too
        assertTrue(decode(null, null).get(0).isDeadLetter());
    }
}
