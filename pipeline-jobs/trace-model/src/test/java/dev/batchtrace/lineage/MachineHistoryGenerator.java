package dev.batchtrace.lineage;

import dev.batchtrace.events.MachineEvent;
import dev.batchtrace.events.MachineEventType;
import dev.batchtrace.events.WorkOrderEvent;
import dev.batchtrace.events.WorkOrderEventType;
import dev.batchtrace.machine.MachineReference;
import dev.batchtrace.machine.MachineRunSummary;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;

/**
 * Adds PLC machine events to a generated factory history (apart from {@link
 * FactoryHistoryGenerator}, whose histories stay what they were): on the machines its work orders
 * ran on, states, alarms, measurements and cycles spread over the history's time span, so that they
 * fall inside runs, between them (idle) and exactly on STARTED / COMPLETED instants. And the
 * summaries the machine job would send for them: the final ones plus earlier, partial ones (a
 * coalesced update while the run went on), for a lineage that is fed summaries, not events.
 */
public final class MachineHistoryGenerator {

    private static final String[] ALARMS = {"A-101", "A-205", "E-17"};
    private static final String[] SEVERITIES = {"INFO", "WARNING", "FAULT"};
    private static final String[] STATES = {"SETUP", "RUNNING", "DOWN", "IDLE"};

    private MachineHistoryGenerator() {}

    /** {@code history} plus machine events drawn from {@code seed}. */
    public static List<Object> withMachineEvents(List<?> history, long seed) {
        Random random = new Random(seed * 104729 + 3);
        TreeSet<String> machines = new TreeSet<>();
        List<Instant> boundaries = new ArrayList<>();
        Instant first = null;
        Instant last = null;
        for (Object e : history) {
            if (e instanceof WorkOrderEvent w) {
                if (w.getMachineId() != null) {
                    machines.add(w.getMachineId());
                }
                if (w.getEventType() == WorkOrderEventType.STARTED
                        || w.getEventType() == WorkOrderEventType.COMPLETED) {
                    boundaries.add(w.getOccurredAt());
                }
                first =
                        first == null || w.getOccurredAt().isBefore(first)
                                ? w.getOccurredAt()
                                : first;
                last = last == null || w.getOccurredAt().isAfter(last) ? w.getOccurredAt() : last;
            }
        }
        List<Object> out = new ArrayList<>(history);
        if (machines.isEmpty()) {
            return out;
        }
        long from = first.toEpochMilli() - 60_000;
        long span = last.toEpochMilli() + 120_000 - from;
        List<String> machineList = new ArrayList<>(machines);
        int n = 5 + random.nextInt(10) * machines.size();
        for (int i = 0; i < n; i++) {
            String machine = machineList.get(random.nextInt(machineList.size()));
            Instant at =
                    random.nextInt(6) == 0 && !boundaries.isEmpty()
                            ? boundaries.get(random.nextInt(boundaries.size()))
                            : Instant.ofEpochMilli(from + (long) (random.nextDouble() * span));
            out.add(event(i, machine, at, random));
        }
        return out;
    }

    /**
     * What the machine job would send for the machine events of {@code events}: the final summaries
     * (idle buckets included: the lineage must ignore them) and, for a random cut in event time,
     * the summaries of the events before it.
     */
    public static List<MachineRunSummary> summaryUpdates(List<?> events, Random random) {
        List<MachineRunSummary> out = new ArrayList<>(MachineReference.summaries(events));
        List<Instant> times = new ArrayList<>();
        for (Object e : events) {
            if (e instanceof MachineEvent m) {
                times.add(m.getOccurredAt());
            }
        }
        if (!times.isEmpty()) {
            times.sort(null);
            Instant cut = times.get(random.nextInt(times.size()));
            List<Object> before = new ArrayList<>();
            for (Object e : events) {
                if (!(e instanceof MachineEvent m) || m.getOccurredAt().isBefore(cut)) {
                    before.add(e);
                }
            }
            out.addAll(MachineReference.summaries(before));
        }
        return out;
    }

    private static MachineEvent event(int i, String machine, Instant at, Random random) {
        MachineEventType type = MachineEventType.values()[random.nextInt(4)];
        MachineEvent.Builder b =
                MachineEvent.newBuilder()
                        .setEventId("ME-" + i)
                        .setMachineId(machine)
                        .setOccurredAt(at)
                        .setEventType(type)
                        .setLineId("LINE-1");
        switch (type) {
            case STATE -> b.setState(STATES[random.nextInt(STATES.length)]);
            case ALARM -> {
                int a = random.nextInt(ALARMS.length);
                b.setAlarmCode(ALARMS[a])
                        .setSeverity(SEVERITIES[random.nextInt(SEVERITIES.length)])
                        .setAlarmText("alarm " + ALARMS[a]);
            }
            case MEASUREMENT ->
                    b.setParameter("melt_temperature")
                            .setUnit("degC")
                            // multiples of 1/16: sums are exact in any order
                            .setValue(215 + random.nextInt(320) / 16.0)
                            .setLowerLimit(220.0)
                            .setUpperLimit(230.0);
            case CYCLE ->
                    b.setValue(random.nextBoolean() ? null : (double) (1 + random.nextInt(4)));
        }
        return b.build();
    }
}
