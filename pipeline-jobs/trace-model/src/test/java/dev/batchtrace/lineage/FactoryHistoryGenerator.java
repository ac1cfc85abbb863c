package dev.batchtrace.lineage;

import dev.batchtrace.events.DispatchLine;
import dev.batchtrace.events.DispatchNote;
import dev.batchtrace.events.GoodsReceipt;
import dev.batchtrace.events.LotFlag;
import dev.batchtrace.events.LotFlagAction;
import dev.batchtrace.events.LotFlagSeverity;
import dev.batchtrace.events.WorkOrderEvent;
import dev.batchtrace.events.WorkOrderEventType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * Random but reproducible factory histories for property tests: purchased lots from a few suppliers
 * (some sharing supplier lot codes, some never received), several production levels whose work
 * orders consume lots of any lower level (shared lots, fan-in and fan-out, many-to-many, several
 * outputs, partial outputs), reversed consumptions (the reversal is an ordinary event, so a shuffle
 * may put it before its consumption), reversals of unknown events, dispatches, optionally a cycle
 * in bad data and one big fan-out.
 */
public final class FactoryHistoryGenerator {

    /**
     * @param levels production levels above the purchased lots (1..)
     * @param purchasedLots raw lots
     * @param workOrdersPerLevel work orders per level
     * @param reversalRate chance that a consumption is reversed
     * @param dispatches dispatch notes
     * @param cycle add bad data that closes a cycle (and a self-loop), sometimes reversed again
     * @param bigFanOut if &gt; 0, one extra raw lot consumed by that many work orders, one lot each
     * @param flags quality flag scenarios on random lots (0: none, the history is then the same as
     *     before flags existed): a hold; hold then release; a release older than the hold; two
     *     holds on one lot; hold, release, hold again; each sometimes sent twice
     */
    public record Options(
            int levels,
            int purchasedLots,
            int workOrdersPerLevel,
            double reversalRate,
            int dispatches,
            boolean cycle,
            int bigFanOut,
            int flags) {

        /** Options without flags. */
        public Options(
                int levels,
                int purchasedLots,
                int workOrdersPerLevel,
                double reversalRate,
                int dispatches,
                boolean cycle,
                int bigFanOut) {
            this(
                    levels,
                    purchasedLots,
                    workOrdersPerLevel,
                    reversalRate,
                    dispatches,
                    cycle,
                    bigFanOut,
                    0);
        }

        public Options withFlags(int flagScenarios) {
            return new Options(
                    levels,
                    purchasedLots,
                    workOrdersPerLevel,
                    reversalRate,
                    dispatches,
                    cycle,
                    bigFanOut,
                    flagScenarios);
        }

        /** Random small options for a seed. */
        public static Options random(Random r) {
            return new Options(
                    1 + r.nextInt(4),
                    3 + r.nextInt(10),
                    1 + r.nextInt(5),
                    r.nextDouble() * 0.3,
                    r.nextInt(5),
                    r.nextInt(5) == 0,
                    0);
        }
    }

    private static final Instant DAY = Instant.parse("2026-11-02T05:00:00Z");
    private static final String[] SUPPLIERS = {"SUP-POLY", "SUP-COLOR", "SUP-PCB", "SUP-FAST"};
    private static final String[] CUSTOMERS = {"C-100", "C-200", "C-300", "C-400", "C-500"};

    private final Random random;
    private final Options options;
    private final List<SpecificRecordBase> events = new ArrayList<>();
    private int minute;
    private int eventSeq;

    public FactoryHistoryGenerator(long seed, Options options) {
        this.random = new Random(seed);
        this.options = options;
    }

    /** A history for the seed with options drawn from the same seed. */
    public static List<SpecificRecordBase> generate(long seed) {
        Random r = new Random(seed ^ 0x5DEECE66DL);
        return new FactoryHistoryGenerator(seed, Options.random(r)).generate();
    }

    /**
     * A history for the seed with flags: the same events as {@link #generate(long)} plus 1 to 4
     * flag scenarios.
     */
    public static List<SpecificRecordBase> generateWithFlags(long seed) {
        Random r = new Random(seed ^ 0x5DEECE66DL);
        Options options = Options.random(r);
        return new FactoryHistoryGenerator(seed, options.withFlags(1 + r.nextInt(4))).generate();
    }

    /**
     * A history for the seed with flags, units and corrections (issue 10): {@link
     * #generateWithFlags(long)} with {@link SerialHistoryGenerator#withSerials} and {@link
     * CorrectionHistoryGenerator#withCorrections}.
     */
    public static List<Object> generateWithCorrections(long seed) {
        return CorrectionHistoryGenerator.withCorrections(
                SerialHistoryGenerator.withSerials(generateWithFlags(seed), seed), seed);
    }

    public List<SpecificRecordBase> generate() {
        List<List<String>> levels = new ArrayList<>();
        List<String> raw = new ArrayList<>();
        for (int i = 1; i <= options.purchasedLots(); i++) {
            String lot = String.format("RM-%03d", i);
            raw.add(lot);
            // one raw lot in eight is consumed but its receipt never arrives: only referenced
            if (random.nextInt(8) != 0) {
                receipt(lot);
            }
        }
        levels.add(raw);
        int wo = 0;
        for (int level = 1; level <= options.levels(); level++) {
            List<String> made = new ArrayList<>();
            for (int k = 0; k < options.workOrdersPerLevel(); k++) {
                String workOrderId = String.format("WO-%d-%03d", level, ++wo);
                List<String> inputs = pickInputs(levels);
                int outputs = random.nextInt(6) == 0 ? 2 : 1;
                List<String> produced = new ArrayList<>();
                for (int o = 0; o < outputs; o++) {
                    produced.add(String.format("L%d-%03d-%d", level, wo, o));
                }
                workOrder(workOrderId, "P" + level, inputs, produced);
                made.addAll(produced);
            }
            levels.add(made);
        }
        List<String> all = levels.stream().flatMap(List::stream).toList();
        if (options.cycle() && options.levels() >= 1) {
            // rework booked wrongly: a top-level lot consumed into an existing lower-level lot
            List<String> top = levels.get(levels.size() - 1);
            List<String> first = levels.get(1);
            String consumed = top.get(random.nextInt(top.size()));
            String producedAgain = first.get(random.nextInt(first.size()));
            workOrder("WO-REWORK-1", "REWORK", List.of(consumed), List.of(producedAgain));
            // and a lot consumed into itself
            String self = all.get(random.nextInt(all.size()));
            workOrder("WO-REWORK-2", "REWORK", List.of(self, raw.get(0)), List.of(self));
        }
        if (options.bigFanOut() > 0) {
            String resin = "RM-BIG";
            receipt(resin);
            for (int i = 0; i < options.bigFanOut(); i++) {
                String id = String.format("WO-FAN-%05d", i);
                workOrder(id, "FAN", List.of(resin), List.of(String.format("FAN-%05d", i)));
            }
        }
        List<String> shippable = new ArrayList<>(levels.get(levels.size() - 1));
        if (levels.size() > 2) {
            shippable.addAll(levels.get(levels.size() - 2));
        }
        for (int d = 1; d <= options.dispatches(); d++) {
            int lines = 1 + random.nextInt(3);
            Set<String> lots = new LinkedHashSet<>();
            for (int l = 0; l < lines; l++) {
                // now and then a lot that was never produced: dispatched before it is known
                lots.add(
                        random.nextInt(10) == 0
                                ? "LX-" + d
                                : shippable.get(random.nextInt(shippable.size())));
            }
            dispatch(String.format("DN-%03d", d), new ArrayList<>(lots));
        }
        // flags last, so that the events before them do not depend on the flag option
        int horizon = minute + 10;
        for (int f = 1; f <= options.flags(); f++) {
            // raw lots half of the time: holds two or more levels up
            List<String> from = random.nextBoolean() ? raw : all;
            flagScenario(f, from.get(random.nextInt(from.size())), horizon);
        }
        return List.copyOf(events);
    }

    private void flagScenario(int n, String lot, int horizon) {
        int at = random.nextInt(horizon);
        String id = String.format("FLAG-%03d", n);
        switch (random.nextInt(5)) {
            case 0 -> flag(id + "-H", lot, LotFlagAction.HOLD, at);
            case 1 -> {
                flag(id + "-H", lot, LotFlagAction.HOLD, at);
                flag(id + "-R", lot, LotFlagAction.RELEASE, at + 1 + random.nextInt(30));
            }
            case 2 -> {
                // a release older than the hold (from an earlier episode): the hold stays
                flag(id + "-H", lot, LotFlagAction.HOLD, at);
                flag(id + "-R", lot, LotFlagAction.RELEASE, at - 1 - random.nextInt(30));
            }
            case 3 -> {
                flag(id + "-H1", lot, LotFlagAction.HOLD, at);
                flag(id + "-H2", lot, LotFlagAction.HOLD, at + random.nextInt(30));
            }
            default -> {
                flag(id + "-H1", lot, LotFlagAction.HOLD, at);
                flag(id + "-R", lot, LotFlagAction.RELEASE, at + 1 + random.nextInt(10));
                flag(id + "-H2", lot, LotFlagAction.HOLD, at + 11 + random.nextInt(10));
            }
        }
    }

    private void flag(String flagId, String lot, LotFlagAction action, int atMinute) {
        LotFlag flag =
                LotFlag.newBuilder()
                        .setFlagId(flagId)
                        .setLotCode(lot)
                        .setAction(action)
                        .setReason(action == LotFlagAction.HOLD ? "suspect " + lot : "cleared")
                        .setSeverity(LotFlagSeverity.values()[random.nextInt(3)])
                        .setFlaggedBy("QA-" + random.nextInt(3))
                        .setFlaggedAt(DAY.plus(Duration.ofMinutes(atMinute)))
                        .setReference(random.nextBoolean() ? null : "NCR-" + flagId)
                        .build();
        events.add(flag);
        if (random.nextInt(4) == 0) {
            events.add(flag); // a gateway retry
        }
    }

    /** The events shuffled, with about {@code duplicateRate} of them repeated (gateway retries). */
    public static <T> List<T> shuffleWithDuplicates(
            List<T> events, Random r, double duplicateRate) {
        List<T> out = new ArrayList<>(events);
        for (T e : events) {
            if (r.nextDouble() < duplicateRate) {
                out.add(e);
            }
        }
        Collections.shuffle(out, r);
        return out;
    }

    private List<String> pickInputs(List<List<String>> levels) {
        Set<String> inputs = new LinkedHashSet<>();
        List<String> below = levels.get(levels.size() - 1);
        inputs.add(below.get(random.nextInt(below.size())));
        int more = random.nextInt(4);
        for (int i = 0; i < more; i++) {
            List<String> level = levels.get(random.nextInt(levels.size()));
            inputs.add(level.get(random.nextInt(level.size())));
        }
        return new ArrayList<>(inputs);
    }

    private void receipt(String lot) {
        int s = random.nextInt(SUPPLIERS.length);
        // supplier lot codes repeat across suppliers on purpose (the L2611-01 trap)
        String supplierLot = "L26-" + random.nextInt(4);
        events.add(
                GoodsReceipt.newBuilder()
                        .setReceiptId("GR-" + lot)
                        .setLotCode(lot)
                        .setMaterialCode("MAT-" + random.nextInt(5))
                        .setMaterialName("Material " + lot)
                        .setSupplierId(SUPPLIERS[s])
                        .setSupplierName(SUPPLIERS[s] + " GmbH")
                        .setSupplierLotCode(supplierLot)
                        .setQuantity(100 + random.nextInt(900))
                        .setUnit("kg")
                        .setReceivedAt(time())
                        .setSite("PLANT-T")
                        .setExpiresAt(random.nextBoolean() ? null : DAY.plus(Duration.ofDays(365)))
                        .build());
    }

    private void workOrder(String id, String product, List<String> inputs, List<String> outputs) {
        String machine = "M-" + random.nextInt(3);
        String operator = "OP-" + random.nextInt(4);
        events.add(woEvent(id, product, WorkOrderEventType.RELEASED, null, null, null, null));
        events.add(woEvent(id, product, WorkOrderEventType.STARTED, machine, operator, null, null));
        for (String lot : inputs) {
            WorkOrderEvent consumed =
                    woEvent(
                            id,
                            product,
                            WorkOrderEventType.MATERIAL_CONSUMED,
                            machine,
                            operator,
                            lot,
                            null);
            events.add(consumed);
            if (random.nextDouble() < options.reversalRate()) {
                events.add(
                        woEvent(
                                id,
                                product,
                                WorkOrderEventType.CONSUMPTION_REVERSED,
                                machine,
                                operator,
                                lot,
                                consumed.getEventId()));
                // and sometimes scanned again correctly
                if (random.nextBoolean()) {
                    events.add(
                            woEvent(
                                    id,
                                    product,
                                    WorkOrderEventType.MATERIAL_CONSUMED,
                                    machine,
                                    operator,
                                    lot,
                                    null));
                }
            }
        }
        if (random.nextInt(20) == 0) {
            // a reversal of an event that never arrives: changes nothing
            events.add(
                    woEvent(
                            id,
                            product,
                            WorkOrderEventType.CONSUMPTION_REVERSED,
                            machine,
                            operator,
                            inputs.get(0),
                            id + "-LOST"));
        }
        for (String lot : outputs) {
            int parts = random.nextInt(5) == 0 ? 2 : 1; // partial outputs add up
            for (int p = 0; p < parts; p++) {
                events.add(
                        woEvent(
                                id,
                                product,
                                WorkOrderEventType.OUTPUT_PRODUCED,
                                machine,
                                operator,
                                lot,
                                null));
            }
        }
        if (random.nextInt(4) != 0) {
            events.add(
                    woEvent(
                            id,
                            product,
                            WorkOrderEventType.COMPLETED,
                            machine,
                            operator,
                            null,
                            null));
        }
    }

    private WorkOrderEvent woEvent(
            String workOrderId,
            String product,
            WorkOrderEventType type,
            String machine,
            String operator,
            String lot,
            String reverses) {
        boolean withQuantity = lot != null;
        return WorkOrderEvent.newBuilder()
                .setEventId(workOrderId + "-E" + (++eventSeq))
                .setWorkOrderId(workOrderId)
                .setEventType(type)
                .setOccurredAt(time())
                .setProductCode(product)
                .setProductName("Product " + product)
                .setMachineId(machine)
                .setLineId("LINE-1")
                .setOperatorId(operator)
                .setLotCode(lot)
                .setQuantity(withQuantity ? (double) (1 + random.nextInt(100)) : null)
                .setUnit(withQuantity ? "pcs" : null)
                .setReversesEventId(reverses)
                .setSite("PLANT-T")
                .build();
    }

    private void dispatch(String id, List<String> lots) {
        String customer = CUSTOMERS[random.nextInt(CUSTOMERS.length)];
        List<DispatchLine> lines = new ArrayList<>();
        for (String lot : lots) {
            lines.add(
                    DispatchLine.newBuilder()
                            .setLotCode(lot)
                            .setProductCode("P")
                            .setQuantity(1 + random.nextInt(50))
                            .setUnit("pcs")
                            .setSerials(null)
                            .build());
        }
        events.add(
                DispatchNote.newBuilder()
                        .setDispatchId(id)
                        .setCustomerId(customer)
                        .setCustomerName("Customer " + customer)
                        .setDestination("Somewhere")
                        .setVehicle("V-1")
                        .setCarrier("Carrier")
                        .setRecipient("Goods in")
                        .setShippedAt(time())
                        .setLines(lines)
                        .build());
    }

    private Instant time() {
        return DAY.plus(Duration.ofMinutes(minute++));
    }
}
