package dev.batchtrace.cli.bench;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.batchtrace.connectors.kafka.EventRules;
import dev.batchtrace.events.DispatchNote;
import dev.batchtrace.events.GoodsReceipt;
import dev.batchtrace.events.LotFlag;
import java.time.Instant;
import java.util.List;
import org.apache.avro.specific.SpecificRecordBase;
import org.junit.jupiter.api.Test;

/** The benchmark's probe events are complete records the pipeline accepts. */
class ProbeEventsTest {

    private static final Instant AT = Instant.parse("2026-12-02T18:00:00Z");

    @Test
    void aFreshnessProbeIsAReceiptAndANoteShippingItsLot() {
        List<SpecificRecordBase> probe = FreshnessProbe.probe("bench-1", 7, AT);
        GoodsReceipt receipt = (GoodsReceipt) probe.get(0);
        DispatchNote note = (DispatchNote) probe.get(1);
        assertEquals(FreshnessProbe.lotCode("bench-1", 7), receipt.getLotCode());
        assertEquals(FreshnessProbe.dispatchId("bench-1", 7), note.getDispatchId());
        assertEquals(receipt.getLotCode(), note.getLines().get(0).getLotCode());
        probe.forEach(ProbeEventsTest::assertAccepted);
    }

    @Test
    void theFlagProbeIsAHold() {
        LotFlag hold = FlagProbe.hold("FLAG-bench-1", "BULK-1", AT);
        assertEquals("HOLD", hold.getAction().name());
        assertAccepted(hold);
    }

    private static void assertAccepted(SpecificRecordBase event) {
        assertDoesNotThrow(() -> EventRules.check(event, AT.toEpochMilli(), AT), event.toString());
    }
}
