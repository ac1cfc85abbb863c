package dev.batchtrace.machine;

import dev.batchtrace.events.MachineEvent;
import dev.batchtrace.events.MachineEventType;
import dev.batchtrace.events.WorkOrderEvent;
import dev.batchtrace.events.WorkOrderEventType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * A reproducible shift of PLC telemetry for tests and the benchmark: several machines, each running
 * work orders one after another, some back to back (the next STARTED at the very millisecond of the
 * COMPLETED), some with idle gaps; per machine a steady stream of measurements (with limits, some
 * readings outside them), cycles, state changes (SETUP, RUNNING, DOWN, IDLE) and alarms, with
 * events exactly on the STARTED and COMPLETED instants. A quarter of the COMPLETED events carry no
 * machineId (the MES books the order's completion, not the machine's).
 *
 * <p>Measurement values are multiples of 1/16, so their sums are exact in any order and summaries
 * compare equal however the events were shuffled.
 */
public final class MachineShiftGenerator {

    /** Start of the default shift (06:00 UTC, on an idle-bucket boundary). */
    public static final Instant SHIFT_START = Instant.parse("2026-11-02T06:00:00Z");

    /**
     * @param machines machines M-00, M-01, ...
     * @param shift length of the shift
     * @param eventsPerSecond machine events per second over all machines
     * @param start when the shift starts
     */
    public record Options(int machines, Duration shift, double eventsPerSecond, Instant start) {
        public Options {
            if (machines < 1 || shift.isNegative() || shift.isZero() || eventsPerSecond <= 0) {
                throw new IllegalArgumentException("machines, shift and rate must be positive");
            }
        }

        public Options(int machines, Duration shift, double eventsPerSecond) {
            this(machines, shift, eventsPerSecond, SHIFT_START);
        }
    }

    private record Parameter(
            String name, String unit, double mid, double spread, Double low, Double high) {}

    private static final List<Parameter> PARAMETERS =
            List.of(
                    new Parameter("melt_temperature", "degC", 225, 12, 215.0, 235.0),
                    new Parameter("injection_pressure", "bar", 100, 25, 80.0, 120.0),
                    new Parameter("cycle_time", "s", 30, 3, null, null));

    private static final List<String> ALARM_CODES = List.of("A-101", "A-205", "E-17");
    private static final List<String> SEVERITIES = List.of("INFO", "WARNING", "FAULT");

    private MachineShiftGenerator() {}

    /** Work-order boundaries and machine events of one shift, sorted by occurredAt. */
    public static List<SpecificRecordBase> generate(long seed, Options options) {
        Random random = new Random(seed);
        List<SpecificRecordBase> events = new ArrayList<>();
        long start = options.start().toEpochMilli();
        long end = start + options.shift().toMillis();
        double perMachine = options.eventsPerSecond() / options.machines();
        long meanGapMillis = Math.max(1, Math.round(1000.0 / perMachine));
        for (int m = 0; m < options.machines(); m++) {
            String machine = String.format("M-%02d", m);
            String line = "LINE-" + (m % 3 + 1);
            new MachineTimeline(random, machine, line, start, end, meanGapMillis, events).run();
        }
        events.sort(Comparator.comparing(MachineShiftGenerator::occurredAt));
        return events;
    }

    /**
     * The events in the order a gateway that buffers might deliver them: each one delayed by a
     * random amount in {@code [0, maxDelay)} after its time, then sorted by arrival. Events stay
     * within {@code maxDelay} of each other's order.
     */
    public static <T> List<T> arrivalOrder(List<T> events, Duration maxDelay, Random random) {
        record Arrival<T>(long at, int index, T event) {}
        List<Arrival<T>> arrivals = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            T e = events.get(i);
            long delay = maxDelay.isZero() ? 0 : (long) (random.nextDouble() * maxDelay.toMillis());
            arrivals.add(new Arrival<>(occurredAt(e).toEpochMilli() + delay, i, e));
        }
        arrivals.sort(
                Comparator.comparingLong((Arrival<T> a) -> a.at())
                        .thenComparingInt(Arrival::index));
        List<T> result = new ArrayList<>(arrivals.size());
        arrivals.forEach(a -> result.add(a.event()));
        return result;
    }

    /** The event time of a WorkOrderEvent or MachineEvent. */
    public static Instant occurredAt(Object event) {
        if (event instanceof MachineEvent m) {
            return m.getOccurredAt();
        }
        if (event instanceof WorkOrderEvent w) {
            return w.getOccurredAt();
        }
        throw new IllegalArgumentException("not a machine or work-order event: " + event);
    }

    /** One machine's shift. */
    private static final class MachineTimeline {
        private final Random random;
        private final String machine;
        private final String line;
        private final long start;
        private final long end;
        private final long meanGap;
        private final List<SpecificRecordBase> out;
        private long seq;

        MachineTimeline(
                Random random,
                String machine,
                String line,
                long start,
                long end,
                long meanGap,
                List<SpecificRecordBase> out) {
            this.random = random;
            this.machine = machine;
            this.line = line;
            this.start = start;
            this.end = end;
            this.meanGap = meanGap;
            this.out = out;
        }

        void run() {
            // Runs: alternate idle gaps (sometimes none: back to back) and runs of 10..60 min.
            long t = start + (long) (random.nextDouble() * 10 * 60_000);
            int n = 0;
            while (t < end) {
                long length = (10 + random.nextInt(50)) * 60_000L + random.nextInt(60_000);
                long runEnd = Math.min(t + length, end - 1);
                if (runEnd <= t) {
                    break;
                }
                String wo = "WO-" + machine + "-" + (++n);
                // the last run of the shift may still be running at the end of the shift
                boolean completes = runEnd < end - 1 || random.nextBoolean();
                out.add(boundary(wo, WorkOrderEventType.STARTED, machine, t));
                emitState(t, "SETUP");
                emitCycle(t); // exactly on the STARTED: belongs to the run
                emitState(t + 60_000 + random.nextInt(120_000), "RUNNING");
                if (completes) {
                    String bookedOn = random.nextInt(4) == 0 ? null : machine;
                    out.add(boundary(wo, WorkOrderEventType.COMPLETED, bookedOn, runEnd));
                    emitCycle(runEnd); // exactly on the COMPLETED: not in the run
                }
                long gap = random.nextInt(3) == 0 ? 0 : (1 + random.nextInt(20)) * 60_000L;
                if (gap > 0 && completes) {
                    emitState(runEnd, "IDLE");
                }
                t = completes ? runEnd + gap : end;
            }
            // The steady telemetry, regardless of runs (machines report while idle too).
            long at = start + random.nextInt((int) Math.min(meanGap, Integer.MAX_VALUE));
            while (at < end) {
                int kind = random.nextInt(1000);
                if (kind < 600) {
                    emitMeasurement(at);
                } else if (kind < 950) {
                    emitCycle(at);
                } else if (kind < 990) {
                    emitAlarm(at);
                } else {
                    emitState(at, random.nextInt(3) == 0 ? "DOWN" : "RUNNING");
                }
                at += 1 + (long) (random.nextDouble() * 2 * meanGap);
            }
        }

        private WorkOrderEvent boundary(
                String wo, WorkOrderEventType type, String bookedOn, long at) {
            return WorkOrderEvent.newBuilder()
                    .setEventId(wo + "-" + type)
                    .setWorkOrderId(wo)
                    .setEventType(type)
                    .setOccurredAt(Instant.ofEpochMilli(at))
                    .setProductCode("PROD-" + (wo.hashCode() & 7))
                    .setMachineId(bookedOn)
                    .setLineId(line)
                    .setOperatorId("OP-" + random.nextInt(5))
                    .build();
        }

        private MachineEvent.Builder base(long at, MachineEventType type) {
            return MachineEvent.newBuilder()
                    .setMachineId(machine)
                    .setOccurredAt(Instant.ofEpochMilli(at))
                    .setEventType(type)
                    .setLineId(line)
                    .setEventId(machine + "-" + (++seq));
        }

        private void emitState(long at, String state) {
            if (at < end) {
                out.add(base(at, MachineEventType.STATE).setState(state).build());
            }
        }

        private void emitCycle(long at) {
            if (at < end) {
                MachineEvent.Builder b = base(at, MachineEventType.CYCLE);
                if (random.nextInt(4) == 0) {
                    b.setValue((double) (2 + random.nextInt(3))).setParameter("cavities");
                }
                out.add(b.build());
            }
        }

        private void emitMeasurement(long at) {
            Parameter p = PARAMETERS.get(random.nextInt(PARAMETERS.size()));
            double raw = p.mid() + (random.nextDouble() * 2 - 1) * p.spread();
            double value = Math.round(raw * 16) / 16.0; // dyadic: exact sums in any order
            out.add(
                    base(at, MachineEventType.MEASUREMENT)
                            .setParameter(p.name())
                            .setValue(value)
                            .setUnit(p.unit())
                            .setLowerLimit(p.low())
                            .setUpperLimit(p.high())
                            .build());
        }

        private void emitAlarm(long at) {
            int code = random.nextInt(ALARM_CODES.size());
            out.add(
                    base(at, MachineEventType.ALARM)
                            .setAlarmCode(ALARM_CODES.get(code))
                            .setSeverity(SEVERITIES.get(random.nextInt(SEVERITIES.size())))
                            .setAlarmText("alarm " + ALARM_CODES.get(code))
                            .build());
        }
    }
}
