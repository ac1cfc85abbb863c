package dev.batchtrace.machine;

import dev.batchtrace.events.MachineEvent;
import dev.batchtrace.events.WorkOrderEvent;
import dev.batchtrace.events.WorkOrderEventType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Attribution done the plain way, for tests of the streaming job: every machine event to the work
 * order that ran on its machine at {@code occurredAt}, else to the machine's idle bucket.
 *
 * <p>Runs: a work order's run on machine M starts at its earliest STARTED with machineId M and ends
 * at its earliest COMPLETED with machineId M or without a machineId (a COMPLETED without machine
 * closes the work order's runs on every machine it STARTED on). An event at {@code t} belongs to
 * the run with the latest start at or before {@code t} on its machine (equal starts: the larger
 * work order id), unless that run completed at or before {@code t}: runs are {@code [STARTED,
 * COMPLETED)}, so at a handover at {@code t} the event goes to the run starting at {@code t}, and a
 * STARTED takes the machine over from a run that never completed. Events no run owns go to the idle
 * bucket {@code [floor(t, 1 h), +1 h)} of their machine, aligned to UTC; a bucket exists only if an
 * event falls into it.
 */
public final class MachineReference {

    /** Size of the idle buckets, aligned to the UTC epoch. */
    public static final Duration IDLE_BUCKET = Duration.ofHours(1);

    private MachineReference() {}

    /** The start of the idle bucket of {@code t}. */
    public static Instant idleBucketStart(Instant t) {
        long size = IDLE_BUCKET.toMillis();
        return Instant.ofEpochMilli(Math.floorDiv(t.toEpochMilli(), size) * size);
    }

    /** Summaries, sorted by key; ignores other event types. */
    public static List<MachineRunSummary> summaries(Collection<?> events) {
        record Run(String workOrderId, String lineId, Instant startedAt) {}
        Map<String, Map<String, Run>> runsByMachine = new HashMap<>(); // machine -> wo -> run
        Map<String, Instant> completedWithMachine = new HashMap<>(); // wo|machine -> time
        Map<String, Instant> completedAnywhere = new HashMap<>(); // wo -> time
        List<MachineEvent> machineEvents = new ArrayList<>();
        java.util.Set<String> eventIds = new java.util.HashSet<>();
        for (Object event : events) {
            if (event instanceof MachineEvent m) {
                // a gateway's retry repeats the eventId: it counts once
                if (m.getEventId() == null
                        || eventIds.add(m.getMachineId() + "|" + m.getEventId())) {
                    machineEvents.add(m);
                }
            } else if (event instanceof WorkOrderEvent w) {
                if (w.getEventType() == WorkOrderEventType.STARTED && w.getMachineId() != null) {
                    runsByMachine
                            .computeIfAbsent(w.getMachineId(), k -> new HashMap<>())
                            .merge(
                                    w.getWorkOrderId(),
                                    new Run(w.getWorkOrderId(), w.getLineId(), w.getOccurredAt()),
                                    (a, b) ->
                                            new Run(
                                                    a.workOrderId(),
                                                    larger(a.lineId(), b.lineId()),
                                                    AlarmSummary.earlier(
                                                            a.startedAt(), b.startedAt())));
                } else if (w.getEventType() == WorkOrderEventType.COMPLETED) {
                    if (w.getMachineId() != null) {
                        completedWithMachine.merge(
                                w.getWorkOrderId() + "|" + w.getMachineId(),
                                w.getOccurredAt(),
                                AlarmSummary::earlier);
                    } else {
                        completedAnywhere.merge(
                                w.getWorkOrderId(), w.getOccurredAt(), AlarmSummary::earlier);
                    }
                }
            }
        }

        Map<String, MachineActivity> activities = new TreeMap<>(); // summary key -> activity
        Map<String, MachineRunSummary> shells = new HashMap<>(); // summary key -> times, ids
        for (MachineEvent e : machineEvents) {
            Instant t = e.getOccurredAt();
            Run owner = null;
            for (Run run : runsByMachine.getOrDefault(e.getMachineId(), Map.of()).values()) {
                if (!run.startedAt().isAfter(t)
                        && (owner == null
                                || run.startedAt().isAfter(owner.startedAt())
                                || (run.startedAt().equals(owner.startedAt())
                                        && run.workOrderId().compareTo(owner.workOrderId()) > 0))) {
                    owner = run;
                }
            }
            Instant completedAt =
                    owner == null
                            ? null
                            : AlarmSummary.earlier(
                                    completedWithMachine.get(
                                            owner.workOrderId() + "|" + e.getMachineId()),
                                    completedAnywhere.get(owner.workOrderId()));
            MachineRunSummary shell;
            if (owner != null && (completedAt == null || t.isBefore(completedAt))) {
                shell =
                        new MachineRunSummary(
                                owner.workOrderId(),
                                e.getMachineId(),
                                owner.lineId(),
                                owner.startedAt(),
                                completedAt,
                                0,
                                0,
                                null,
                                null,
                                null);
            } else {
                Instant bucket = idleBucketStart(t);
                shell =
                        new MachineRunSummary(
                                null,
                                e.getMachineId(),
                                null,
                                bucket,
                                bucket.plus(IDLE_BUCKET),
                                0,
                                0,
                                null,
                                null,
                                null);
            }
            shells.putIfAbsent(shell.key(), shell);
            activities.computeIfAbsent(shell.key(), k -> new MachineActivity()).add(e);
        }

        List<MachineRunSummary> result = new ArrayList<>();
        activities.forEach(
                (key, activity) -> {
                    MachineRunSummary s = shells.get(key);
                    result.add(
                            s.isIdle()
                                    ? activity.toIdleSummary(
                                            s.machineId(), s.startedAt(), s.completedAt())
                                    : activity.toRunSummary(
                                            s.workOrderId(),
                                            s.machineId(),
                                            s.lineId(),
                                            s.startedAt(),
                                            s.completedAt()));
                });
        return result;
    }

    private static String larger(String a, String b) {
        return a == null ? b : b == null ? a : a.compareTo(b) >= 0 ? a : b;
    }
}
