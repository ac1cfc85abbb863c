package dev.batchtrace.lineage;

import dev.batchtrace.events.GoodsReceipt;
import dev.batchtrace.events.QcOutcome;
import dev.batchtrace.events.QcResult;
import dev.batchtrace.events.WorkOrderEvent;
import dev.batchtrace.events.WorkOrderEventType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Adds QC results to a generated factory history (kept apart from {@link FactoryHistoryGenerator}
 * so that its histories stay what they were): final inspections of produced lots naming their work
 * order (now and then without it, or naming another work order), incoming inspections of purchased
 * lots, checks of lots nobody received or produced, about one check in five failed, gateway retries
 * (same check twice) and a corrected check (same id, later time, other verdict).
 */
public final class QcHistoryGenerator {

    private static final String[] CHARACTERISTICS = {
        "wall_thickness", "visual_inspection", "functional_test", "melt_flow_index"
    };

    private QcHistoryGenerator() {}

    /** {@code history} plus QC results drawn from {@code seed} (the history itself unchanged). */
    public static List<Object> withChecks(List<?> history, long seed) {
        Random random = new Random(seed * 7919 + 13);
        Map<String, String> producedBy = new TreeMap<>();
        TreeSet<String> purchased = new TreeSet<>();
        TreeSet<String> workOrders = new TreeSet<>();
        TreeSet<String> consumedOnly = new TreeSet<>();
        Instant last = Instant.parse("2026-11-02T05:00:00Z");
        for (Object e : history) {
            if (e instanceof GoodsReceipt r) {
                purchased.add(r.getLotCode());
            } else if (e instanceof WorkOrderEvent w) {
                workOrders.add(w.getWorkOrderId());
                if (w.getLotCode() != null) {
                    if (w.getEventType() == WorkOrderEventType.OUTPUT_PRODUCED) {
                        producedBy.merge(w.getLotCode(), w.getWorkOrderId(), Merge::larger);
                    } else if (w.getEventType() == WorkOrderEventType.MATERIAL_CONSUMED) {
                        consumedOnly.add(w.getLotCode());
                    }
                }
                if (w.getOccurredAt().isAfter(last)) {
                    last = w.getOccurredAt();
                }
            }
        }
        consumedOnly.removeAll(purchased);
        consumedOnly.removeAll(producedBy.keySet());
        List<Object> out = new ArrayList<>(history);
        int n = 0;
        for (Map.Entry<String, String> lot : producedBy.entrySet()) {
            int checks = random.nextInt(3); // 0, 1 or 2 checks: some lots stay PENDING
            for (int c = 0; c < checks; c++) {
                String workOrder = lot.getValue();
                int pick = random.nextInt(10);
                if (pick == 0) {
                    workOrder = null; // the MES did not tag it: routed by the lot's producer
                } else if (pick == 1) {
                    workOrder = pickOne(workOrders, random); // an in-process check elsewhere
                }
                add(out, check(++n, lot.getKey(), workOrder, last, random), random);
            }
        }
        for (String lot : purchased) {
            if (random.nextInt(3) == 0) {
                add(out, check(++n, lot, null, last, random), random);
            }
        }
        for (String lot : consumedOnly) {
            if (random.nextInt(2) == 0) {
                add(out, check(++n, lot, null, last, random), random);
            }
        }
        if (random.nextInt(4) == 0) {
            // a check of a lot nobody knows (yet): no document until the lot has facts or edges
            add(out, check(++n, "LQ-UNKNOWN", null, last, random), random);
        }
        return out;
    }

    private static void add(List<Object> out, QcResult check, Random random) {
        out.add(check);
        int r = random.nextInt(8);
        if (r == 0) {
            out.add(check); // a gateway retry
        } else if (r == 1) {
            // corrected under the same id: the later one wins, whatever the arrival order
            out.add(
                    QcResult.newBuilder(check)
                            .setCheckedAt(check.getCheckedAt().plusSeconds(60))
                            .setResult(
                                    check.getResult() == QcOutcome.PASS
                                            ? QcOutcome.FAIL
                                            : QcOutcome.PASS)
                            .setNote("corrected")
                            .build());
        }
    }

    private static QcResult check(
            int n, String lot, String workOrderId, Instant after, Random random) {
        boolean measured = random.nextBoolean();
        double value = 1.8 + random.nextInt(40) / 100.0;
        boolean failed = random.nextInt(5) == 0;
        return QcResult.newBuilder()
                .setCheckId(String.format("QC-%04d", n))
                .setLotCode(lot)
                .setWorkOrderId(workOrderId)
                .setCharacteristic(CHARACTERISTICS[random.nextInt(CHARACTERISTICS.length)])
                .setValue(measured ? value : null)
                .setLowerLimit(measured ? 1.9 : null)
                .setUpperLimit(measured ? 2.1 : null)
                .setUnit(measured ? "mm" : null)
                .setResult(failed ? QcOutcome.FAIL : QcOutcome.PASS)
                .setInspectorId("QA-" + random.nextInt(3))
                .setCheckedAt(after.plus(Duration.ofMinutes(1 + random.nextInt(120))))
                .setSampleSize(random.nextBoolean() ? 5 + random.nextInt(20) : null)
                .setNote(failed && random.nextBoolean() ? "out of tolerance" : null)
                .build();
    }

    private static String pickOne(TreeSet<String> values, Random random) {
        List<String> list = new ArrayList<>(values);
        return list.get(random.nextInt(list.size()));
    }
}
