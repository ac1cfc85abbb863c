package dev.batchtrace.lineage.stock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchtrace.events.GoodsReceipt;
import dev.batchtrace.events.WorkOrderEvent;
import dev.batchtrace.lineage.Events;
import dev.batchtrace.lineage.closure.InMemoryNodeStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The store's way of keeping a lot's facts (one entry per source and a summary, joined into as
 * sources come) gives what {@link LotFacts#merge} of everything gives, in any order and with
 * duplicates: receipts and their corrections, partial outputs, run windows, reversals.
 */
class LotFactsSummaryTest {

    @Test
    void theSummaryEqualsTheMergeOfAllSourcesWhateverTheOrder() {
        for (int seed = 0; seed < 300; seed++) {
            Random random = new Random(seed);
            List<LotFacts> deltas = deltas(random);
            for (int shuffle = 0; shuffle < 3; shuffle++) {
                Collections.shuffle(deltas, random);
                LotFacts merged = null;
                InMemoryNodeStore store = new InMemoryNodeStore();
                for (LotFacts delta : deltas) {
                    merged = LotFacts.merge(merged, delta);
                    store.mergeLotFacts(delta);
                    assertSameFacts(merged, store.lotFacts(), "seed " + seed);
                }
                assertEquals(
                        LotFactsSummary.of(store.lotSources()),
                        store.lotFactsSummary(),
                        "seed " + seed + ": the joined summary equals the one derived whole");
            }
        }
    }

    @Test
    void aSiloFilledTwentyThousandTimesWritesOneSourceAndTheSummaryPerFilling() {
        InMemoryNodeStore store = new InMemoryNodeStore();
        int[] sourceWrites = {0};
        LotFactsSummary.Sources counting =
                new LotFactsSummary.Sources() {
                    @Override
                    public LotSource source(String key) {
                        return store.lotSource(key);
                    }

                    @Override
                    public void putSource(String key, LotSource source) {
                        sourceWrites[0]++;
                        store.putLotSource(key, source);
                    }

                    @Override
                    public Iterable<Map.Entry<String, LotSource>> sources() {
                        throw new AssertionError("a filling must not read every source");
                    }
                };
        LotFactsSummary summary = null;
        for (int i = 0; i < 20_000; i++) {
            summary =
                    LotFactsSummary.merge(
                            summary,
                            counting,
                            LotFacts.fromOutput(
                                    Events.produced("FILL-" + i, "WO-FILL", "SILO-1", 0.1)));
        }
        assertEquals(20_000, sourceWrites[0]);
        // 20,000 x 0.1 summed exactly, rounded once
        assertEquals(2000.0, summary.asFacts().quantity(), 0.0);
        assertEquals(
                0,
                new java.math.BigDecimal(0.1)
                        .multiply(java.math.BigDecimal.valueOf(20_000))
                        .compareTo(summary.quantity()));
    }

    @Test
    void everyOutputReversedMeansNothingKnownAndACorrectedReceiptReplacesTheFirst() {
        InMemoryNodeStore store = new InMemoryNodeStore();
        WorkOrderEvent out = Events.produced("E1", "WO-1", "SA-1", 10);
        store.mergeLotFacts(LotFacts.fromOutput(out));
        assertEquals(10.0, store.lotFacts().quantity());
        assertTrue(store.mergeLotFacts(LotFacts.reversedOutput("E1")));
        assertNull(store.lotFacts());
        assertFalse(store.mergeLotFacts(LotFacts.fromOutput(out)), "a tombstone absorbs a retry");

        InMemoryNodeStore receipts = new InMemoryNodeStore();
        GoodsReceipt first = Events.receipt("RM-1", "SUP-A", "L-TYPO", 100);
        GoodsReceipt fixed =
                GoodsReceipt.newBuilder(Events.receipt("RM-1", "SUP-A", "L-1", 90))
                        .setRevision(1)
                        .build();
        receipts.mergeLotFacts(LotFacts.fromReceipt(fixed));
        receipts.mergeLotFacts(LotFacts.fromReceipt(first));
        assertEquals("L-1", receipts.lotFacts().supplierLotCode());
        assertEquals(90.0, receipts.lotFacts().quantity());
    }

    /** One lot's source events, some twice: receipts with corrections, outputs, runs, reversals. */
    private static List<LotFacts> deltas(Random random) {
        List<LotFacts> deltas = new ArrayList<>();
        int receipts = random.nextInt(3);
        for (int r = 0; r < receipts; r++) {
            int revisions = 1 + random.nextInt(3);
            for (int rev = 0; rev < revisions; rev++) {
                GoodsReceipt receipt =
                        GoodsReceipt.newBuilder(
                                        Events.receipt(
                                                "LOT-1",
                                                "SUP-" + random.nextInt(3),
                                                "L-" + random.nextInt(4),
                                                quantity(random)))
                                .setReceiptId("GR-" + r)
                                .setRevision(rev)
                                .setReceivedAt(Events.T0.plusSeconds(random.nextInt(3) * 60L))
                                .build();
                deltas.add(LotFacts.fromReceipt(receipt));
            }
        }
        int outputs = random.nextInt(8);
        for (int o = 0; o < outputs; o++) {
            String eventId = "OUT-" + o;
            WorkOrderEvent e =
                    WorkOrderEvent.newBuilder(
                                    Events.produced(
                                            eventId,
                                            "WO-" + random.nextInt(2),
                                            "LOT-1",
                                            quantity(random)))
                            .setOccurredAt(Events.T0.plus(Duration.ofMinutes(random.nextInt(60))))
                            .setOperatorId(random.nextBoolean() ? "OP-" + random.nextInt(3) : null)
                            .build();
            deltas.add(LotFacts.fromOutput(e));
            if (random.nextInt(3) == 0) {
                deltas.add(LotFacts.fromOutput(e)); // a retry
            }
            if (random.nextInt(3) == 0) {
                deltas.add(
                        LotFacts.workOrderRun(
                                eventId,
                                Events.T0.plusSeconds(random.nextInt(600)),
                                random.nextBoolean()
                                        ? Events.T0.plusSeconds(3_600 + random.nextInt(600))
                                        : null));
            }
            if (random.nextInt(4) == 0) {
                deltas.add(LotFacts.reversedOutput(eventId));
            }
        }
        return deltas;
    }

    private static double quantity(Random random) {
        // decimal fractions: the order of a floating point sum would show in the last digit
        return (1 + random.nextInt(1_000)) / 10.0;
    }

    /** What documents and alerts read of the facts: every flat field and the total quantity. */
    private static void assertSameFacts(LotFacts expected, LotFacts actual, String context) {
        expected = LotFacts.orNullIfEmpty(expected);
        actual = LotFacts.orNullIfEmpty(actual);
        if (expected == null || actual == null) {
            assertEquals(expected, actual, context);
            return;
        }
        assertEquals(flat(expected), flat(actual), context);
        assertEquals(expected.quantity(), actual.quantity(), context);
    }

    private static Map<String, Object> flat(LotFacts f) {
        TreeMap<String, Object> m = new TreeMap<>();
        m.put("kind", String.valueOf(f.kind()));
        m.put("materialCode", String.valueOf(f.materialCode()));
        m.put("materialName", String.valueOf(f.materialName()));
        m.put("supplierId", String.valueOf(f.supplierId()));
        m.put("supplierName", String.valueOf(f.supplierName()));
        m.put("supplierLotCode", String.valueOf(f.supplierLotCode()));
        m.put("unit", String.valueOf(f.unit()));
        m.put("site", String.valueOf(f.site()));
        m.put("receivedAt", String.valueOf(f.receivedAt()));
        m.put("expiresAt", String.valueOf(f.expiresAt()));
        m.put("producedAt", String.valueOf(f.producedAt()));
        m.put("workOrderId", String.valueOf(f.workOrderId()));
        m.put("operatorIds", f.operatorIds().toString());
        m.put("machineIds", f.machineIds().toString());
        m.put("lineId", String.valueOf(f.lineId()));
        m.put("workOrderStartedAt", String.valueOf(f.workOrderStartedAt()));
        m.put("workOrderCompletedAt", String.valueOf(f.workOrderCompletedAt()));
        m.put("unitCost", String.valueOf(f.unitCost()));
        m.put("currency", String.valueOf(f.currency()));
        return m;
    }
}
