package dev.batchtrace.simulator;

import dev.batchtrace.events.DispatchLine;
import dev.batchtrace.events.DispatchNote;
import dev.batchtrace.events.GoodsReceipt;
import dev.batchtrace.events.MachineEvent;
import dev.batchtrace.events.MachineEventType;
import dev.batchtrace.events.QcOutcome;
import dev.batchtrace.events.QcResult;
import dev.batchtrace.events.WorkOrderEvent;
import dev.batchtrace.events.WorkOrderEventType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * Generates a plant's event history from {@link PlantParameters}: goods receipts, work orders
 * (consumptions, outputs, reversals), QC results, dispatch notes and PLC machine events, in the
 * order a gateway would deliver them (time order, with the configured jitter, retries and late
 * events). The same parameters give the same history.
 *
 * <p>Layout of a day: raw lots arrive before production; production runs from 06:00 to 22:00 with
 * one time slice per level (level n works after level n-1, so it can consume what n-1 made the same
 * day); each machine runs one work order at a time; shipments leave after 22:00 with lots of the
 * top level made so far. Bulk and silo lots are received (silo: filled) from day 0 and feed level-1
 * work orders spread evenly over the whole history.
 */
public final class PlantSimulator {
    private static final Duration DAY = Duration.ofDays(1);
    private static final Duration PRODUCTION_START = Duration.ofHours(6);
    private static final Duration PRODUCTION_LENGTH = Duration.ofHours(16);
    private static final String SITE = "PLANT-SIM";

    private final PlantParameters p;
    private final Random random;
    private final List<Timed> events = new ArrayList<>();
    private final List<Run> runs = new ArrayList<>();
    private long seq;
    private long eventIds;

    private PlantSimulator(PlantParameters parameters) {
        this.p = parameters;
        this.random = new Random(parameters.seed());
    }

    /** The history of a plant, in arrival order. */
    public static PlantHistory generate(PlantParameters parameters) {
        return new PlantSimulator(parameters).run();
    }

    /** An event with its time (when it happened) and creation order (ties). */
    private record Timed(Instant at, long seq, SpecificRecordBase event) {}

    /** A work order's run on a machine: where its machine events fall. */
    private record Run(String workOrderId, String machineId, Instant start, Instant end) {}

    private PlantHistory run() {
        List<List<String>> levels = new ArrayList<>();
        for (int l = 0; l <= p.levels(); l++) {
            levels.add(new ArrayList<>());
        }
        Map<Integer, List<String>> extraInputs = new HashMap<>(); // level-1 WO index -> lots
        for (int b = 1; b <= p.bulkLots(); b++) {
            String lot = String.format("BULK-%02d", b);
            receipt(lot, "BULK-" + b, p.start().plus(Duration.ofMinutes(b)), 25_000, "kg");
            spread(p.bulkConsumers(), lot, extraInputs);
        }
        for (int s = 1; s <= p.siloLots(); s++) {
            String silo = fillSilo(s);
            spread(p.siloConsumers(), silo, extraInputs);
        }
        int rawReceived = 0;
        int[] workOrdersDone = new int[p.levels() + 1];
        int shipmentsDone = 0;
        for (int day = 0; day < p.days(); day++) {
            Instant dayStart = p.start().plus(DAY.multipliedBy(day));
            // raw lots of this day, delivered between 02:00 and 05:00
            int rawUntil = share(p.rawLots(), day + 1);
            int todayRaw = rawUntil - rawReceived;
            for (int i = rawReceived; i < rawUntil; i++) {
                String lot = String.format("RM-%06d", i + 1);
                Instant at =
                        dayStart.plus(Duration.ofHours(2))
                                .plus(
                                        Duration.ofHours(3)
                                                .multipliedBy(i - rawReceived)
                                                .dividedBy(Math.max(1, todayRaw)));
                receipt(lot, "RAW-" + (i % 7), at, 1_000, "kg");
                levels.get(0).add(lot);
            }
            rawReceived = rawUntil;
            Duration slice = PRODUCTION_LENGTH.dividedBy(p.levels());
            for (int level = 1; level <= p.levels(); level++) {
                int until = share(p.workOrdersPerLevel(), day + 1);
                int today = until - workOrdersDone[level];
                int slotsPerMachine = (today + p.machines() - 1) / Math.max(1, p.machines());
                Instant sliceStart =
                        dayStart.plus(PRODUCTION_START).plus(slice.multipliedBy(level - 1));
                Duration runLength = slice.dividedBy(Math.max(1, slotsPerMachine));
                for (int j = 0; j < today; j++) {
                    int index = workOrdersDone[level] + j;
                    Instant start = sliceStart.plus(runLength.multipliedBy(j / p.machines()));
                    Instant end = start.plus(runLength.multipliedBy(9).dividedBy(10));
                    String machine = String.format("M-%03d", j % p.machines() + 1);
                    List<String> inputs = pickInputs(levels, level, day);
                    if (level == 1) {
                        inputs.addAll(extraInputs.getOrDefault(index, List.of()));
                    }
                    String workOrderId = String.format("WO-%d-%07d", level, index + 1);
                    int outputs = 1 + random.nextInt(p.fanOut());
                    List<String> produced = new ArrayList<>();
                    for (int o = 0; o < outputs; o++) {
                        produced.add(String.format("L%d-%07d-%d", level, index + 1, o + 1));
                    }
                    workOrder(workOrderId, "P" + level, machine, start, end, inputs, produced);
                    levels.get(level).addAll(produced);
                }
                workOrdersDone[level] = until;
            }
            int shipUntil = share(p.shipments(), day + 1);
            List<String> top = levels.get(p.levels());
            for (int i = shipmentsDone; i < shipUntil && !top.isEmpty(); i++) {
                Instant at =
                        dayStart.plus(Duration.ofMinutes(22 * 60 + 1))
                                .plus(
                                        Duration.ofMinutes(110)
                                                .multipliedBy(i - shipmentsDone)
                                                .dividedBy(Math.max(1, shipUntil - shipmentsDone)));
                dispatch(String.format("DN-%07d", i + 1), top, day, at);
            }
            shipmentsDone = shipUntil;
        }
        int genealogy = events.size();
        int machineEvents = machineEvents(genealogy);
        return arrive(genealogy, machineEvents);
    }

    /** How many of {@code total} items fall on days 0..dayCount-1 (even spread). */
    private int share(int total, int dayCount) {
        return (int) ((long) total * dayCount / p.days());
    }

    /** Marks {@code consumers} level-1 work orders, spread evenly, as consumers of {@code lot}. */
    private void spread(int consumers, String lot, Map<Integer, List<String>> extraInputs) {
        for (int i = 0; i < consumers; i++) {
            int index = (int) ((long) i * p.workOrdersPerLevel() / consumers);
            extraInputs.computeIfAbsent(index, k -> new ArrayList<>()).add(lot);
        }
    }

    /**
     * A silo filled by deliveries over the whole history: one filling work order consumes every
     * delivery lot (each a goods receipt) and produces the silo lot.
     */
    private String fillSilo(int s) {
        String silo = String.format("SILO-%02d", s);
        String workOrderId = String.format("WO-SILO-%02d", s);
        String machine = String.format("SILO-%02d", s);
        Instant start = p.start().plus(Duration.ofMinutes(10));
        Instant end = p.start().plus(DAY.multipliedBy(p.days())).minus(Duration.ofHours(1));
        woEvent(workOrderId, "SILO", WorkOrderEventType.RELEASED, null, null, null, start, null);
        woEvent(workOrderId, "SILO", WorkOrderEventType.STARTED, machine, null, null, start, null);
        // the silo lot exists from the first tipping on: consumers may draw from it at once
        woEvent(
                workOrderId,
                "SILO",
                WorkOrderEventType.OUTPUT_PRODUCED,
                machine,
                silo,
                25_000.0,
                start.plus(Duration.ofMinutes(1)),
                null);
        Duration span = Duration.between(start, end).minus(Duration.ofMinutes(10));
        for (int d = 0; d < p.siloDeliveries(); d++) {
            String delivery = String.format("DL-%02d-%06d", s, d + 1);
            Instant at =
                    start.plus(Duration.ofMinutes(2))
                            .plus(span.multipliedBy(d).dividedBy(p.siloDeliveries()));
            receipt(delivery, "FLOUR", at, 25, "t");
            woEvent(
                    workOrderId,
                    "SILO",
                    WorkOrderEventType.MATERIAL_CONSUMED,
                    machine,
                    delivery,
                    25.0,
                    at.plus(Duration.ofMinutes(5)),
                    null);
        }
        woEvent(workOrderId, "SILO", WorkOrderEventType.COMPLETED, machine, null, null, end, null);
        return silo;
    }

    /** One lot of the level below, then up to fanIn-1 more from any lower level (recent stock). */
    private List<String> pickInputs(List<List<String>> levels, int level, int day) {
        Set<String> inputs = new LinkedHashSet<>();
        inputs.add(recent(levels.get(level - 1), day));
        int more = random.nextInt(p.fanIn());
        for (int i = 0; i < more; i++) {
            inputs.add(recent(levels.get(random.nextInt(level)), day));
        }
        return new ArrayList<>(inputs);
    }

    /** A lot among the most recent ones (stock is used first in, first out, roughly). */
    private String recent(List<String> lots, int day) {
        int window = Math.max(20, 2 * lots.size() / (day + 1));
        int from = Math.max(0, lots.size() - window);
        return lots.get(from + random.nextInt(lots.size() - from));
    }

    private void receipt(String lot, String material, Instant at, double quantity, String unit) {
        int supplier = random.nextInt(p.suppliers()) + 1;
        add(
                at,
                GoodsReceipt.newBuilder()
                        .setReceiptId("GR-" + lot)
                        .setLotCode(lot)
                        .setMaterialCode(material)
                        .setMaterialName("Material " + material)
                        .setSupplierId(String.format("SUP-%03d", supplier))
                        .setSupplierName(String.format("Supplier %03d", supplier))
                        .setSupplierLotCode("SL-" + lot)
                        .setQuantity(quantity)
                        .setUnit(unit)
                        .setUnitCost(null)
                        .setCurrency(null)
                        .setReceivedAt(at)
                        .setSite(SITE)
                        .setPurchaseOrder(null)
                        .setExpiresAt(null)
                        .build());
    }

    private void workOrder(
            String id,
            String product,
            String machine,
            Instant start,
            Instant end,
            List<String> inputs,
            List<String> outputs) {
        Duration run = Duration.between(start, end);
        woEvent(
                id,
                product,
                WorkOrderEventType.RELEASED,
                null,
                null,
                null,
                start.minus(Duration.ofHours(1)),
                null);
        woEvent(id, product, WorkOrderEventType.STARTED, machine, null, null, start, null);
        Instant at = start.plusSeconds(1);
        for (String lot : inputs) {
            double quantity = 1 + random.nextInt(100);
            String consumed =
                    woEvent(
                            id,
                            product,
                            WorkOrderEventType.MATERIAL_CONSUMED,
                            machine,
                            lot,
                            quantity,
                            at,
                            null);
            if (random.nextDouble() < p.reversalShare()) {
                // a wrong scan taken back, and half of the time scanned again
                Instant back = at.plus(run.dividedBy(20));
                woEvent(
                        id,
                        product,
                        WorkOrderEventType.CONSUMPTION_REVERSED,
                        machine,
                        lot,
                        quantity,
                        back,
                        consumed);
                if (random.nextBoolean()) {
                    woEvent(
                            id,
                            product,
                            WorkOrderEventType.MATERIAL_CONSUMED,
                            machine,
                            lot,
                            quantity,
                            back.plusSeconds(1),
                            null);
                }
            }
            at = at.plusSeconds(1);
        }
        Instant outputAt = end.minusSeconds(outputs.size() + 1);
        for (String lot : outputs) {
            woEvent(
                    id,
                    product,
                    WorkOrderEventType.OUTPUT_PRODUCED,
                    machine,
                    lot,
                    (double) (50 + random.nextInt(500)),
                    outputAt,
                    null);
            if (random.nextDouble() < p.qcShare()) {
                qc(lot, id, outputAt.plus(Duration.ofMinutes(10)));
            }
            outputAt = outputAt.plusSeconds(1);
        }
        woEvent(id, product, WorkOrderEventType.COMPLETED, machine, null, null, end, null);
        runs.add(new Run(id, machine, start, end));
    }

    private String woEvent(
            String workOrderId,
            String product,
            WorkOrderEventType type,
            String machine,
            String lot,
            Double quantity,
            Instant at,
            String reverses) {
        String eventId = "E-" + (++eventIds);
        String unit = lot == null ? null : unitOf(lot);
        add(
                at,
                WorkOrderEvent.newBuilder()
                        .setEventId(eventId)
                        .setWorkOrderId(workOrderId)
                        .setEventType(type)
                        .setOccurredAt(at)
                        .setProductCode(product)
                        .setProductName("Product " + product)
                        .setMachineId(machine)
                        .setLineId(machine == null ? null : "LINE-" + machine)
                        .setOperatorId(machine == null ? null : "OP-" + (random.nextInt(8) + 1))
                        .setLotCode(lot)
                        .setQuantity(quantity)
                        .setUnit(unit)
                        .setSerials(null)
                        .setReversesEventId(reverses)
                        .setMaterialCode(null)
                        .setSite(SITE)
                        .build());
        return eventId;
    }

    private static String unitOf(String lot) {
        if (lot.startsWith("DL-")) {
            return "t";
        }
        return lot.startsWith("RM-") || lot.startsWith("BULK-") || lot.startsWith("SILO-")
                ? "kg"
                : "pcs";
    }

    private void qc(String lot, String workOrderId, Instant at) {
        boolean fail = random.nextDouble() < p.qcFailShare();
        double value = fail ? 10.6 + random.nextDouble() : 9.5 + random.nextDouble();
        add(
                at,
                QcResult.newBuilder()
                        .setCheckId("QC-" + lot)
                        .setLotCode(lot)
                        .setWorkOrderId(workOrderId)
                        .setCharacteristic("wall_thickness")
                        .setValue(Math.round(value * 100) / 100.0)
                        .setLowerLimit(9.5)
                        .setUpperLimit(10.5)
                        .setResult(fail ? QcOutcome.FAIL : QcOutcome.PASS)
                        .setInspectorId("QI-" + (random.nextInt(4) + 1))
                        .setCheckedAt(at)
                        .setUnit("mm")
                        .setSampleSize(5)
                        .setNote(fail ? "outside limits" : null)
                        .build());
    }

    private void dispatch(String id, List<String> top, int day, Instant at) {
        int lines = 1 + random.nextInt(p.maxLinesPerShipment());
        Set<String> lots = new LinkedHashSet<>();
        for (int l = 0; l < lines; l++) {
            lots.add(recent(top, day));
        }
        int customer = random.nextInt(50) + 1;
        List<DispatchLine> dispatchLines = new ArrayList<>();
        for (String lot : lots) {
            dispatchLines.add(
                    DispatchLine.newBuilder()
                            .setLotCode(lot)
                            .setProductCode("P" + p.levels())
                            .setQuantity(1 + random.nextInt(50))
                            .setUnit("pcs")
                            .setSerials(null)
                            .build());
        }
        add(
                at,
                DispatchNote.newBuilder()
                        .setDispatchId(id)
                        .setCustomerId(String.format("C-%03d", customer))
                        .setCustomerName(String.format("Customer %03d", customer))
                        .setDestination("City " + customer)
                        .setVehicle("V-" + (random.nextInt(9) + 1))
                        .setCarrier("Carrier " + (random.nextInt(3) + 1))
                        .setRecipient("Goods in")
                        .setShippedAt(at)
                        .setLines(dispatchLines)
                        .setSalesOrder(null)
                        .setSite(SITE)
                        .build());
    }

    /** Machine events so that they make up {@code machineEventShare} of the stream. */
    private int machineEvents(int genealogy) {
        double share = p.machineEventShare();
        if (share == 0 || runs.isEmpty()) {
            return 0;
        }
        int total = (int) Math.round(genealogy * share / (1 - share));
        // Each machine's last event comes after the last run: the machine job closes a run once
        // event time passes its COMPLETED, and a history's event time ends with its last event.
        Set<String> machines = new TreeSet<>();
        Instant lastEnd = runs.get(0).end();
        for (Run run : runs) {
            machines.add(run.machineId());
            lastEnd = run.end().isAfter(lastEnd) ? run.end() : lastEnd;
        }
        int inRuns = Math.max(0, total - machines.size());
        for (int k = 0; k < runs.size(); k++) {
            Run run = runs.get(k);
            // an even split; the first runs take the remainder
            int count = inRuns / runs.size() + (k < inRuns % runs.size() ? 1 : 0);
            Duration step = Duration.between(run.start(), run.end()).dividedBy(count + 1);
            for (int i = 0; i < count; i++) {
                Instant at = run.start().plus(step.multipliedBy(i + 1));
                add(at, machineEvent(run, at, i, count));
            }
        }
        Instant idleAt = lastEnd.plus(MACHINES_IDLE_AFTER_LAST_RUN);
        for (String machine : machines) {
            add(idleAt, idle(machine, idleAt));
        }
        return inRuns + machines.size();
    }

    /**
     * How long after the last run each machine reports IDLE: past the machine job's work-order
     * grace (30 s), its watermark bound (5 s) and an emit interval (10 s).
     */
    static final Duration MACHINES_IDLE_AFTER_LAST_RUN = Duration.ofMinutes(2);

    private MachineEvent idle(String machine, Instant at) {
        return machineEvent(machine, at)
                .setEventType(MachineEventType.STATE)
                .setState("IDLE")
                .build();
    }

    /** A machine event with its id and no payload yet. */
    private MachineEvent.Builder machineEvent(String machine, Instant at) {
        return MachineEvent.newBuilder()
                .setMachineId(machine)
                .setOccurredAt(at)
                .setEventId("ME-" + (++eventIds))
                .setLineId("LINE-" + machine)
                .setState(null)
                .setAlarmCode(null)
                .setSeverity(null)
                .setParameter(null)
                .setValue(null)
                .setUnit(null)
                .setLowerLimit(null)
                .setUpperLimit(null)
                .setAlarmText(null)
                .setWorkOrderId(null);
    }

    private MachineEvent machineEvent(Run run, Instant at, int i, int count) {
        MachineEvent.Builder event = machineEvent(run.machineId(), at);
        if (i == 0 || i == count - 1) {
            return event.setEventType(MachineEventType.STATE)
                    .setState(i == 0 ? "RUNNING" : "IDLE")
                    .build();
        }
        int kind = random.nextInt(100);
        if (kind < 2) {
            int code = 200 + random.nextInt(40);
            return event.setEventType(MachineEventType.ALARM)
                    .setAlarmCode("A-" + code)
                    .setSeverity(random.nextBoolean() ? "WARNING" : "ERROR")
                    .setAlarmText("alarm " + code)
                    .build();
        }
        if (kind < 30) {
            return event.setEventType(MachineEventType.MEASUREMENT)
                    .setParameter("melt_temp")
                    .setValue(Math.round((225 + random.nextGaussian() * 8) * 10) / 10.0)
                    .setUnit("C")
                    .setLowerLimit(210.0)
                    .setUpperLimit(250.0)
                    .build();
        }
        return event.setEventType(MachineEventType.CYCLE).build();
    }

    private void add(Instant at, SpecificRecordBase event) {
        events.add(new Timed(at, ++seq, event));
    }

    /** Arrival order: time order, then jitter, late arrivals and retries. */
    private PlantHistory arrive(int genealogy, int machineEvents) {
        record Arrival(Instant at, long seq, SpecificRecordBase event) {}
        List<Arrival> arrivals = new ArrayList<>(events.size() + events.size() / 50);
        long late = 0;
        long duplicates = 0;
        long jittered = 0;
        long arrivalSeq = 0;
        events.sort(Comparator.comparing(Timed::at).thenComparingLong(Timed::seq));
        for (Timed event : events) {
            Instant arrival = event.at();
            double u = random.nextDouble();
            if (u < p.lateShare() && !runBoundary(event.event())) {
                arrival = arrival.plus(p.lateBy());
                late++;
            } else if (u < p.lateShare() + p.disorderShare()) {
                arrival = arrival.plusMillis(nextLong(p.disorderWindow().toMillis() + 1));
                jittered++;
            }
            arrivals.add(new Arrival(arrival, ++arrivalSeq, event.event()));
            if (random.nextDouble() < p.duplicateShare()) {
                // the gateway did not see the acknowledgement and sends the same event again
                arrivals.add(
                        new Arrival(
                                arrival.plusMillis(1_000 + nextLong(59_000)),
                                ++arrivalSeq,
                                event.event()));
                duplicates++;
            }
        }
        arrivals.sort(Comparator.comparing(Arrival::at).thenComparingLong(Arrival::seq));
        List<SpecificRecordBase> ordered = new ArrayList<>(arrivals.size());
        arrivals.forEach(a -> ordered.add(a.event()));
        return new PlantHistory(
                p, List.copyOf(ordered), genealogy, machineEvents, duplicates, late, jittered);
    }

    /**
     * A work order's STARTED or COMPLETED: never sent late, because the machine job splits runs
     * exactly only when they arrive within its work-order grace (30 s by default).
     */
    private static boolean runBoundary(SpecificRecordBase event) {
        return event instanceof WorkOrderEvent w
                && (w.getEventType() == WorkOrderEventType.STARTED
                        || w.getEventType() == WorkOrderEventType.COMPLETED);
    }

    private long nextLong(long bound) {
        return bound <= 1 ? 0 : Math.floorMod(random.nextLong(), bound);
    }
}
