package dev.batchtrace.lineage.units;

import static dev.batchtrace.lineage.Events.consumed;
import static dev.batchtrace.lineage.Events.dispatch;
import static dev.batchtrace.lineage.Events.produced;
import static dev.batchtrace.lineage.Events.receipt;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchtrace.events.DispatchLine;
import dev.batchtrace.events.DispatchNote;
import dev.batchtrace.events.DispatchStatus;
import dev.batchtrace.events.WorkOrderEvent;
import dev.batchtrace.events.WorkOrderEventType;
import dev.batchtrace.lineage.DocumentDiff;
import dev.batchtrace.lineage.Events;
import dev.batchtrace.lineage.FactoryHistoryGenerator;
import dev.batchtrace.lineage.InMemoryLineage;
import dev.batchtrace.lineage.LineageCodec;
import dev.batchtrace.lineage.documents.TraceDocument;
import dev.batchtrace.lineage.reference.LineageReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Issue 10: units (serials) in the reference and the incremental pipeline, in any order. */
class UnitsTest {

    private static WorkOrderEvent output(String eventId, String wo, String lot, String... serials) {
        return WorkOrderEvent.newBuilder(produced(eventId, wo, lot))
                .setSerials(List.of(serials))
                .build();
    }

    private static DispatchNote shipping(
            String id, String customer, String lot, String... serials) {
        DispatchNote n = dispatch(id, customer, lot);
        return DispatchNote.newBuilder(n)
                .setLines(
                        List.of(
                                DispatchLine.newBuilder(n.getLines().get(0))
                                        .setProductCode("PROD-WO-1")
                                        .setSerials(List.of(serials))
                                        .build()))
                .build();
    }

    @Test
    void aSerialFindsItsLotWorkOrderShipmentAndCustomerAndRepeatsAcrossProducts() {
        List<Object> events =
                List.of(
                        receipt("RM-1", "SUP-A", "L-1"),
                        consumed("C1", "WO-1", "RM-1"),
                        output("P1", "WO-1", "FG-1", "SN-1", "SN-2"),
                        // another product with the same serial numbers
                        output("P2", "WO-2", "FG-2", "SN-1"),
                        shipping("DN-1", "C-1", "FG-1", "SN-2"));

        Map<String, TraceDocument> docs = converged(events);

        Map<String, Object> sn2 = docs.get("trace-units/PROD-WO-1/SN-2").source();
        assertEquals("FG-1", sn2.get("lotCode"));
        assertEquals(List.of("WO-1"), sn2.get("workOrderIds"));
        assertEquals(List.of("DN-1"), sn2.get("dispatchIds"));
        assertEquals(List.of("C-1"), sn2.get("customerIds"));
        assertEquals(List.of(), docs.get("trace-units/PROD-WO-1/SN-1").source().get("dispatchIds"));
        assertEquals("FG-2", docs.get("trace-units/PROD-WO-2/SN-1").source().get("lotCode"));
        // the lot document does not carry its units
        assertNull(docs.get("trace-lots/FG-1").source().get("serials"));
    }

    @Test
    void correctionsMoveUnitsAndReversalsRemoveThem() {
        DispatchNote note = shipping("DN-1", "C-1", "FG-1", "SN-1", "SN-2");
        DispatchNote corrected =
                DispatchNote.newBuilder(shipping("DN-1", "C-2", "FG-1", "SN-1"))
                        .setRevision(1)
                        .build();
        DispatchNote other = shipping("DN-2", "C-3", "FG-1", "SN-2");
        DispatchNote otherCancelled =
                DispatchNote.newBuilder(other)
                        .setRevision(1)
                        .setStatus(DispatchStatus.CANCELLED)
                        .build();
        List<Object> events =
                List.of(
                        output("P1", "WO-1", "FG-1", "SN-1", "SN-2"),
                        output("P2", "WO-1", "FG-TYPO", "SN-3"),
                        Events.wo(
                                "X2", "WO-1", WorkOrderEventType.OUTPUT_REVERSED, null, "P2", null),
                        note,
                        corrected,
                        other,
                        otherCancelled);

        Map<String, TraceDocument> docs = converged(events);

        assertEquals(
                List.of("C-2"), docs.get("trace-units/PROD-WO-1/SN-1").source().get("customerIds"));
        assertEquals(List.of(), docs.get("trace-units/PROD-WO-1/SN-2").source().get("dispatchIds"));
        assertNull(docs.get("trace-units/PROD-WO-1/SN-3"));
    }

    /**
     * A lot of 100,000 units (issue 10): published as four partial outputs and shipped on four
     * notes of 25,000 serials each (one event with all 100,000 would be about 1.3 MB, over Kafka's
     * default 1 MB record limit; 25,000 are about 0.33 MB). Every unit is its own small document;
     * the lot's and the shipments' documents hold no serial list.
     */
    @Test
    void aLotOfOneHundredThousandUnitsIsOneSmallDocumentPerUnit() throws Exception {
        int units = 100_000;
        int parts = 4;
        int perPart = units / parts;
        List<Object> events = new ArrayList<>();
        events.add(receipt("RM-1", "SUP-A", "L-1"));
        events.add(consumed("C1", "WO-1", "RM-1"));
        for (int p = 0; p < parts; p++) {
            String[] serials = new String[perPart];
            for (int i = 0; i < perPart; i++) {
                serials[i] = String.format("TC100-%06d", p * perPart + i);
            }
            WorkOrderEvent out = output("P" + p, "WO-1", "FG-BIG", serials);
            DispatchNote note = shipping("DN-" + p, "C-" + p, "FG-BIG", serials);
            assertTrue(
                    out.toByteBuffer().remaining() < 1_000_000
                            && note.toByteBuffer().remaining() < 1_000_000,
                    "a part fits Kafka's default record limit");
            events.add(out);
            events.add(note);
        }

        Map<String, TraceDocument> expected = LineageReference.documents(events);
        InMemoryLineage lineage = new InMemoryLineage();
        List<Object> arrivals = new ArrayList<>(events);
        java.util.Collections.shuffle(arrivals, new Random(7));
        arrivals.forEach(lineage::accept);
        lineage.runToQuiescence(10_000_000);
        Map<String, TraceDocument> docs = lineage.documents();
        assertNull(DocumentDiff.first(expected, docs));

        long unitDocs = docs.keySet().stream().filter(k -> k.startsWith("trace-units/")).count();
        assertEquals(units, unitDocs);
        Map<String, Object> last = docs.get("trace-units/PROD-WO-1/TC100-099999").source();
        assertEquals("FG-BIG", last.get("lotCode"));
        assertEquals(List.of("DN-3"), last.get("dispatchIds"));
        assertEquals(List.of("C-3"), last.get("customerIds"));
        int lotBytes = LineageCodec.toJson(docs.get("trace-lots/FG-BIG").source()).length();
        int shipmentBytes = LineageCodec.toJson(docs.get("trace-shipments/DN-0").source()).length();
        assertTrue(lotBytes < 10_000, "the lot's document lists no serials: " + lotBytes + " B");
        assertTrue(
                shipmentBytes < 10_000,
                "the shipment's document lists no serials: " + shipmentBytes + " B");
    }

    private static Map<String, TraceDocument> converged(List<Object> events) {
        Map<String, TraceDocument> expected = LineageReference.documents(events);
        for (int seed = 0; seed <= 30; seed++) {
            Random r = new Random(seed);
            List<Object> arrivals =
                    seed == 0
                            ? new ArrayList<>(events)
                            : FactoryHistoryGenerator.shuffleWithDuplicates(events, r, 0.3);
            InMemoryLineage lineage =
                    seed == 0 ? new InMemoryLineage() : new InMemoryLineage(r, 0.1, 0.1);
            arrivals.forEach(lineage::accept);
            lineage.runToQuiescence(1_000_000);
            String diff = DocumentDiff.first(expected, lineage.documents());
            assertNull(diff, "order " + seed + ": " + diff);
        }
        return expected;
    }
}
