package dev.batchtrace.lineage.closure;

import static dev.batchtrace.lineage.Events.consumed;
import static dev.batchtrace.lineage.Events.dispatch;
import static dev.batchtrace.lineage.Events.hold;
import static dev.batchtrace.lineage.Events.produced;
import static dev.batchtrace.lineage.Events.receipt;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchtrace.lineage.DocumentDiff;
import dev.batchtrace.lineage.InMemoryLineage;
import dev.batchtrace.lineage.documents.TraceDocuments;
import dev.batchtrace.lineage.reference.LineageReference;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Silo-sized closures and bulk fan-outs against the reference, and what the node stage sends per
 * input event (a count of records and bytes, not a time): it must not grow with the closure.
 */
class ClosureScaleTest {

    private static final Instant FLAGGED = Instant.parse("2026-11-03T08:00:00Z");

    /**
     * A silo lot SILO fed by {@code deliveries} supplier lots (one tipping work order each), then
     * {@code batches} work orders that each consume the silo and a bulk additive lot and produce a
     * finished lot, each shipped on its own dispatch note; a hold on one delivery.
     */
    static List<Object> siloHistory(int deliveries, int batches) {
        List<Object> events = new ArrayList<>();
        events.add(receipt("ADD-1", "SUP-ADD", "A-1"));
        for (int i = 0; i < deliveries; i++) {
            String lot = "FLOUR-" + i;
            events.add(receipt(lot, "SUP-MILL", "M-" + i));
            events.add(consumed("T-C-" + i, "TIP-" + i, lot));
            events.add(produced("T-P-" + i, "TIP-" + i, "SILO", 1));
        }
        for (int j = 0; j < batches; j++) {
            events.add(consumed("B-C-" + j, "BATCH-" + j, "SILO"));
            events.add(consumed("B-A-" + j, "BATCH-" + j, "ADD-1"));
            events.add(produced("B-P-" + j, "BATCH-" + j, "FG-" + j, 10));
            events.add(dispatch("DN-" + j, "C-" + (j % 7), "FG-" + j));
        }
        events.add(hold("F-1", "FLOUR-3", FLAGGED));
        return events;
    }

    private static InMemoryLineage run(List<Object> events, long seed) {
        List<Object> arrivals = new ArrayList<>(events);
        java.util.Collections.shuffle(arrivals, new Random(seed));
        InMemoryLineage lineage = new InMemoryLineage();
        for (Object e : arrivals) {
            lineage.accept(e);
        }
        lineage.runToQuiescence(10_000_000);
        return lineage;
    }

    @Test
    void aSiloKeepsItsClosureToItselfAndEveryShipmentStillAnswers() {
        List<Object> history = siloHistory(600, 200);
        LineageReference.Result expected = LineageReference.withHolds(history);
        InMemoryLineage lineage = run(history, 1);
        assertNull(DocumentDiff.first(expected.documents(), lineage.documents()));
        assertEquals(expected.alerts(), lineage.openAlerts());

        Map<String, Object> silo = lineage.documents().get(TraceDocuments.LOTS + "/SILO").source();
        assertEquals(true, silo.get("hub"));
        assertEquals(600, silo.get("closureSize"));
        Map<String, Object> shipment =
                lineage.documents().get(TraceDocuments.SHIPMENTS + "/DN-7").source();
        assertEquals(List.of("SILO"), shipment.get("ancestorHubs"));
        assertEquals(List.of("ADD-1", "FG-7", "SILO"), shipment.get("ancestorLotCodes"));
        assertEquals(true, shipment.get("onHold"), "the hold on one delivery reaches through");
        long members =
                lineage.documents().keySet().stream()
                        .filter(k -> k.startsWith(TraceDocuments.CLOSURES + "/"))
                        .count();
        assertEquals(600, members, "the silo's closure indexed once");
        long shipmentAlerts =
                expected.alerts().values().stream().filter(a -> a.dispatchId() != null).count();
        assertEquals(200, shipmentAlerts);
    }

    @Test
    void feedbackPerInputEventDoesNotGrowWithTheClosure() {
        double small = perEvent(siloHistory(150, 50));
        double large = perEvent(siloHistory(1_500, 50));
        // ten times the closure: the bytes per input event stay within a small factor
        assertTrue(large < small * 1.5, "small " + small + " B/event, large " + large);
        assertTrue(large < 1024, "under 1 KB per input event: " + large);
    }

    private static double perEvent(List<Object> history) {
        InMemoryLineage lineage = run(history, 2);
        return (double) lineage.feedbackBytes() / history.size();
    }

    @Test
    void aBulkLotConsumedByThousandsOfWorkOrdersConvergesAndItsHoldReachesEveryShipment() {
        List<Object> events = new ArrayList<>();
        events.add(receipt("RESIN-1", "SUP-R", "R-1"));
        for (int j = 0; j < 1_500; j++) {
            events.add(consumed("C-" + j, "WO-" + j, "RESIN-1"));
            events.add(produced("P-" + j, "WO-" + j, "PART-" + j, 5));
            events.add(dispatch("DN-" + j, "C-" + (j % 11), "PART-" + j));
        }
        events.add(hold("F-R", "RESIN-1", FLAGGED));
        LineageReference.Result expected = LineageReference.withHolds(events);
        InMemoryLineage lineage = run(events, 3);
        assertNull(DocumentDiff.first(expected.documents(), lineage.documents()));
        assertEquals(expected.alerts(), lineage.openAlerts());
        assertEquals(
                1_500,
                expected.alerts().values().stream().filter(a -> a.dispatchId() != null).count());
        // the hold costs one small difference per edge below the flagged lot, not closures
        double bytesPerEvent = (double) lineage.feedbackBytes() / events.size();
        assertTrue(bytesPerEvent < 1024, "bytes per input event: " + bytesPerEvent);
    }

    /**
     * Four levels of lots, each made from three lots of the level below, and a shipment per top
     * lot: every edge known before any closure moves (a replay in which the node stage reads its
     * input far ahead of its feedback), so closures arrive level by level and from three parents.
     */
    static List<Object> layeredHistory(int lotsPerLevel, long seed) {
        Random random = new Random(seed);
        List<Object> events = new ArrayList<>();
        for (int i = 0; i < lotsPerLevel; i++) {
            events.add(receipt("L0-" + i, "SUP-" + (i % 5), "S-" + i));
        }
        for (int level = 1; level <= 4; level++) {
            for (int i = 0; i < lotsPerLevel; i++) {
                String order = "WO-" + level + "-" + i;
                for (int k = 0; k < 3; k++) {
                    String input = "L" + (level - 1) + "-" + random.nextInt(lotsPerLevel);
                    events.add(consumed("C-" + order + "-" + k, order, input));
                }
                events.add(produced("P-" + order, order, "L" + level + "-" + i, 10));
            }
        }
        for (int i = 0; i < lotsPerLevel; i++) {
            events.add(dispatch("DN-" + i, "C-" + (i % 9), "L4-" + i));
        }
        return events;
    }

    @Test
    void betweenTwoBarriersEachNodeSendsEachChildOneMessage() {
        List<Object> history = layeredHistory(200, 4);
        InMemoryLineage immediate = new InMemoryLineage();
        Map<String, Integer> pairs = new java.util.HashMap<>();
        InMemoryLineage deferred =
                new InMemoryLineage()
                        .flushingAtBarriersOnly()
                        .onFeedback(
                                m -> {
                                    if (m instanceof LineageMessage.Closure c) {
                                        pairs.merge(c.from() + " > " + c.target(), 1, Integer::sum);
                                    }
                                });
        for (Object event : history) {
            immediate.accept(event);
            deferred.accept(event);
        }
        immediate.runToQuiescence(10_000_000);
        int barriers = 0;
        while (deferred.pendingCount() > 0) {
            deferred.deliver(deferred.pendingCount()); // what one checkpoint made visible
            pairs.clear();
            deferred.flushAll(); // the barrier
            barriers++;
            pairs.forEach(
                    (pair, n) ->
                            assertEquals(1, n, pair + " got " + n + " messages at one barrier"));
        }

        LineageReference.Result expected = LineageReference.withHolds(history);
        assertNull(DocumentDiff.first(expected.documents(), deferred.documents()));
        assertNull(DocumentDiff.first(expected.documents(), immediate.documents()));
        System.out.printf(
                "ClosureScaleTest: layered history, %d barriers, %d messages deferred, %d"
                        + " immediate%n",
                barriers, deferred.feedbackMessages(), immediate.feedbackMessages());
        assertTrue(barriers <= 7, "one barrier per level and a few more: " + barriers);
        // a node hearing from three parents per level sends one difference, not three
        assertTrue(
                deferred.feedbackMessages() < immediate.feedbackMessages() * 0.6,
                "deferred "
                        + deferred.feedbackMessages()
                        + " messages, immediate "
                        + immediate.feedbackMessages());
    }
}
