package dev.batchtrace.lineage;

import dev.batchtrace.events.DispatchLine;
import dev.batchtrace.events.DispatchNote;
import dev.batchtrace.events.DispatchStatus;
import dev.batchtrace.events.GoodsReceipt;
import dev.batchtrace.events.WorkOrderEvent;
import dev.batchtrace.events.WorkOrderEventType;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Adds corrections (issue 10) to a generated factory history, kept apart from {@link
 * FactoryHistoryGenerator} so that its histories stay what they were: goods receipts re-sent with a
 * higher revision (other supplier, supplier lot, material, quantity or lot code; sometimes twice,
 * sometimes the correction retried), dispatch notes cancelled or corrected (a line dropped, another
 * lot added, another customer; sometimes corrected and then cancelled), outputs reversed
 * (OUTPUT_REVERSED, sometimes re-booked on a new lot code) and reversals of outputs that never
 * arrive. Corrections are ordinary events, so a shuffle may put them before what they correct.
 */
public final class CorrectionHistoryGenerator {

    private static final String[] SUPPLIERS = {"SUP-POLY", "SUP-COLOR", "SUP-PCB", "SUP-FAST"};

    private CorrectionHistoryGenerator() {}

    /** {@code history} plus corrections drawn from {@code seed} (the history itself unchanged). */
    public static List<Object> withCorrections(List<?> history, long seed) {
        Random random = new Random(seed * 104_729 + 17);
        List<String> outputLots = new ArrayList<>();
        for (Object e : history) {
            if (e instanceof WorkOrderEvent w
                    && w.getEventType() == WorkOrderEventType.OUTPUT_PRODUCED) {
                outputLots.add(w.getLotCode());
            }
        }
        List<Object> out = new ArrayList<>(history);
        int seq = 0;
        for (Object e : history) {
            if (e instanceof GoodsReceipt r && random.nextInt(4) == 0) {
                GoodsReceipt fixed = corrected(r, 1, random);
                out.add(fixed);
                if (random.nextInt(3) == 0) {
                    out.add(fixed); // the correction retried
                }
                if (random.nextInt(4) == 0) {
                    out.add(corrected(r, 2, random));
                }
            } else if (e instanceof DispatchNote n && random.nextInt(3) == 0) {
                switch (random.nextInt(3)) {
                    case 0 -> out.add(cancelled(n, 1));
                    case 1 -> out.add(moved(n, 1, outputLots, random));
                    default -> {
                        out.add(moved(n, 1, outputLots, random));
                        out.add(cancelled(n, 2));
                    }
                }
            } else if (e instanceof WorkOrderEvent w
                    && w.getEventType() == WorkOrderEventType.OUTPUT_PRODUCED
                    && random.nextInt(6) == 0) {
                out.add(reversal(w, w.getEventId(), "-XO" + (++seq)));
                if (random.nextBoolean()) {
                    // booked again on the right lot code
                    out.add(
                            WorkOrderEvent.newBuilder(w)
                                    .setEventId(w.getEventId() + "-RB" + seq)
                                    .setLotCode(w.getLotCode() + "-R")
                                    .build());
                }
                if (random.nextInt(5) == 0) {
                    out.add(reversal(w, w.getWorkOrderId() + "-LOST-OUT", "-XL" + seq));
                }
            }
        }
        return out;
    }

    private static WorkOrderEvent reversal(WorkOrderEvent output, String reverses, String suffix) {
        return WorkOrderEvent.newBuilder(output)
                .setEventId(output.getEventId() + suffix)
                .setEventType(WorkOrderEventType.OUTPUT_REVERSED)
                .setReversesEventId(reverses)
                .setSerials(null)
                .setOccurredAt(output.getOccurredAt().plusSeconds(600))
                .build();
    }

    private static GoodsReceipt corrected(GoodsReceipt r, int revision, Random random) {
        GoodsReceipt.Builder b = GoodsReceipt.newBuilder(r).setRevision(revision);
        switch (random.nextInt(5)) {
            case 4 -> b.setLotCode(r.getLotCode() + "-FIX"); // the lot code was typed wrong
            case 0 -> b.setSupplierLotCode("L26-" + (4 + random.nextInt(3)));
            case 1 -> {
                String s = SUPPLIERS[random.nextInt(SUPPLIERS.length)];
                b.setSupplierId(s).setSupplierName(s + " GmbH");
            }
            case 2 -> b.setMaterialCode("MAT-" + (5 + random.nextInt(3)));
            default -> b.setQuantity(r.getQuantity() + 1 + random.nextInt(50));
        }
        return b.build();
    }

    private static DispatchNote cancelled(DispatchNote n, int revision) {
        return DispatchNote.newBuilder(n)
                .setRevision(revision)
                .setStatus(DispatchStatus.CANCELLED)
                .build();
    }

    private static DispatchNote moved(
            DispatchNote n, int revision, List<String> lots, Random random) {
        List<DispatchLine> lines = new ArrayList<>(n.getLines());
        if (lines.size() > 1 && random.nextBoolean()) {
            lines.remove(random.nextInt(lines.size()));
        } else if (!lots.isEmpty()) {
            String lot = lots.get(random.nextInt(lots.size()));
            if (lines.stream().noneMatch(l -> l.getLotCode().equals(lot))) {
                lines.add(
                        DispatchLine.newBuilder(lines.get(0))
                                .setLotCode(lot)
                                .setQuantity(1 + random.nextInt(20))
                                .build());
            }
        }
        DispatchNote.Builder b = DispatchNote.newBuilder(n).setRevision(revision).setLines(lines);
        if (random.nextInt(3) == 0) {
            b.setCustomerId("C-900").setCustomerName("Customer C-900");
        }
        return b.build();
    }
}
