package dev.batchtrace.jobs.machine;

import dev.batchtrace.events.DeadLetter;
import dev.batchtrace.events.MachineEvent;
import dev.batchtrace.events.WorkOrderEvent;
import dev.batchtrace.events.WorkOrderEventType;
import dev.batchtrace.machine.MachineRunSummary;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;

/**
 * The attribution function in Flink's keyed two-input test harness, fed with machine events and
 * work-order events (turned into run boundaries the way {@link WorkOrderMachinesFunction} does).
 */
final class AttributionHarness implements AutoCloseable {

    final MachineAttributionFunction function;
    final KeyedTwoInputStreamOperatorTestHarness<
                    String, MachineEvent, RunBoundary, MachineSummaryUpdate>
            harness;
    private final Map<String, Set<String>> startedOn = new HashMap<>();
    private long checkpointId;
    private final Map<String, Long> completedWithoutMachine = new HashMap<>();

    AttributionHarness(Duration allowedLateness, Duration emitInterval) throws Exception {
        this(allowedLateness, Duration.ZERO, emitInterval, null);
    }

    AttributionHarness(
            Duration allowedLateness,
            Duration workOrderGrace,
            Duration emitInterval,
            StateBackend backend)
            throws Exception {
        this(allowedLateness, workOrderGrace, emitInterval, backend, null);
    }

    /** Restored from {@code snapshot} (a {@link #snapshot()} of an earlier harness) if not null. */
    AttributionHarness(
            Duration allowedLateness,
            Duration workOrderGrace,
            Duration emitInterval,
            StateBackend backend,
            OperatorSubtaskState snapshot)
            throws Exception {
        function =
                new MachineAttributionFunction(
                        allowedLateness, workOrderGrace, emitInterval, "plc.machine-events");
        harness =
                new KeyedTwoInputStreamOperatorTestHarness<>(
                        new MachineAttributionOperator(function),
                        MachineEvent::getMachineId,
                        RunBoundary::machineId,
                        Types.STRING);
        if (backend != null) {
            harness.setStateBackend(backend);
        }
        if (snapshot != null) {
            harness.initializeState(snapshot);
        }
        harness.open();
    }

    /** Sends a MachineEvent or the boundaries of a WorkOrderEvent (other types are ignored). */
    void send(Object event) throws Exception {
        if (event instanceof MachineEvent m) {
            harness.processElement1(new StreamRecord<>(m, m.getOccurredAt().toEpochMilli()));
        } else if (event instanceof WorkOrderEvent w) {
            for (RunBoundary b : boundaries(w)) {
                harness.processElement2(new StreamRecord<>(b, b.at()));
            }
        }
    }

    /**
     * An event as a version before 2026-12-07 kept it waiting (the operator's restore moves it): a
     * machine event or a work order's boundaries in the ring of 16 lists by timer, or, with {@code
     * oneList}, the boundaries in the one list of the versions before the ring. Their timers are
     * not registered: the restore registers them.
     */
    void keepAsAnOlderVersion(Object event, boolean oneList) throws Exception {
        var operator = harness.getOperator();
        var backend = operator.getKeyedStateBackend();
        if (event instanceof MachineEvent m) {
            operator.setCurrentKey(m.getMachineId());
            backend.getPartitionedState(
                            VoidNamespace.INSTANCE,
                            VoidNamespaceSerializer.INSTANCE,
                            MachineAttributionFunction.OLDER_EVENT_SLOTS.get(
                                    olderSlot(m.getOccurredAt().toEpochMilli())))
                    .add(m);
        } else if (event instanceof WorkOrderEvent w) {
            for (RunBoundary b : boundaries(w)) {
                operator.setCurrentKey(b.machineId());
                backend.getPartitionedState(
                                VoidNamespace.INSTANCE,
                                VoidNamespaceSerializer.INSTANCE,
                                oneList
                                        ? MachineAttributionFunction.OLDER_BOUNDARIES
                                        : MachineAttributionFunction.OLDER_BOUNDARY_SLOTS.get(
                                                olderSlot(b.at())))
                        .add(b);
            }
        }
    }

    private static int olderSlot(long t) {
        return (int) Math.floorMod(t / 10_000, MachineAttributionFunction.OLDER_SLOTS);
    }

    void sendAll(List<?> events) throws Exception {
        for (Object e : events) {
            send(e);
        }
    }

    /** A watermark, then a checkpoint barrier (which sends the changed summaries). */
    void watermark(long millis) throws Exception {
        watermarkWithoutBarrier(millis);
        barrier();
    }

    void watermarkWithoutBarrier(long millis) throws Exception {
        harness.processBothWatermarks(new Watermark(millis));
    }

    void barrier() throws Exception {
        harness.prepareSnapshotPreBarrier(++checkpointId);
    }

    void watermark(Instant at) throws Exception {
        watermark(at.toEpochMilli());
    }

    /** Everything emitted so far, decoded. */
    List<MachineRunSummary> emitted() {
        List<MachineRunSummary> out = new ArrayList<>();
        for (MachineSummaryUpdate u : harness.extractOutputValues()) {
            out.add(u.summary());
        }
        return out;
    }

    /** What a consumer keeping merge(old, new) per key holds. */
    Map<String, MachineRunSummary> merged() {
        Map<String, MachineRunSummary> byKey = new TreeMap<>();
        for (MachineRunSummary s : emitted()) {
            byKey.merge(s.key(), s, MachineRunSummary::merge);
        }
        return byKey;
    }

    List<DeadLetter> tooLate() {
        List<DeadLetter> letters = new ArrayList<>();
        var queue = harness.getSideOutput(MachineAttributionFunction.TOO_LATE);
        if (queue != null) {
            for (StreamRecord<DeadLetter> r : queue) {
                letters.add(r.getValue());
            }
        }
        return letters;
    }

    /**
     * Takes over what an earlier harness knew of the work orders (the part of {@link
     * WorkOrderMachinesFunction}'s state this test double keeps), for restore tests.
     */
    void continueWorkOrdersOf(AttributionHarness previous) {
        previous.startedOn.forEach((wo, machines) -> startedOn.put(wo, new HashSet<>(machines)));
        completedWithoutMachine.putAll(previous.completedWithoutMachine);
    }

    OperatorSubtaskState snapshot() throws Exception {
        return harness.snapshot(1L, 1L);
    }

    /** How many keys hold an entry of the state {@code name} (without a namespace). */
    long keysIn(String name) {
        try (var keys =
                harness.getOperator()
                        .getKeyedStateBackend()
                        .getKeys(name, VoidNamespace.INSTANCE)) {
            return keys.count();
        }
    }

    int stateEntries() {
        return harness.numKeyedStateEntries();
    }

    static Map<String, MachineRunSummary> byKey(List<MachineRunSummary> summaries) {
        Map<String, MachineRunSummary> byKey = new TreeMap<>();
        summaries.forEach(s -> byKey.put(s.key(), s));
        return byKey;
    }

    private List<RunBoundary> boundaries(WorkOrderEvent w) {
        String wo = w.getWorkOrderId();
        long at = w.getOccurredAt().toEpochMilli();
        List<RunBoundary> out = new ArrayList<>();
        if (w.getEventType() == WorkOrderEventType.STARTED && w.getMachineId() != null) {
            out.add(new RunBoundary(wo, w.getMachineId(), w.getLineId(), true, at));
            if (startedOn.computeIfAbsent(wo, k -> new HashSet<>()).add(w.getMachineId())
                    && completedWithoutMachine.containsKey(wo)) {
                out.add(
                        new RunBoundary(
                                wo,
                                w.getMachineId(),
                                null,
                                false,
                                completedWithoutMachine.get(wo)));
            }
        } else if (w.getEventType() == WorkOrderEventType.COMPLETED) {
            if (w.getMachineId() != null) {
                out.add(new RunBoundary(wo, w.getMachineId(), null, false, at));
            } else {
                completedWithoutMachine.merge(wo, at, Math::min);
                for (String m : startedOn.getOrDefault(wo, Set.of())) {
                    out.add(new RunBoundary(wo, m, null, false, at));
                }
            }
        }
        return out;
    }

    @Override
    public void close() throws Exception {
        harness.close();
    }
}
