package dev.batchtrace.jobs.machine;

import dev.batchtrace.events.WorkOrderEvent;
import dev.batchtrace.events.WorkOrderEventType;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by work order: turns STARTED and COMPLETED events into {@link RunBoundary}s per machine. A
 * COMPLETED with a machineId goes to that machine; one without goes to every machine the work order
 * STARTED on, including machines whose STARTED arrives after it. Other event types and STARTED
 * without a machine are ignored (they do not place the work order on a machine).
 *
 * <p>State: the machines the work order started on and its earliest machine-less COMPLETED; cleared
 * by an event-time timer at its first COMPLETED plus the allowed lateness (a boundary later than
 * that is too late for the attribution anyway). A work order that never completes keeps its few
 * entries.
 */
public class WorkOrderMachinesFunction
        extends KeyedProcessFunction<String, WorkOrderEvent, RunBoundary> {

    private static final long serialVersionUID = 1L;

    public static final MapStateDescriptor<String, Boolean> STARTED_MACHINES =
            new MapStateDescriptor<>("started-machines", Types.STRING, Types.BOOLEAN);

    /** Earliest COMPLETED without a machineId (epoch millis). */
    public static final ValueStateDescriptor<Long> COMPLETED_WITHOUT_MACHINE =
            new ValueStateDescriptor<>("completed-without-machine", Types.LONG);

    private final long allowedLatenessMillis;
    private transient MapState<String, Boolean> startedMachines;
    private transient ValueState<Long> completedWithoutMachine;

    public WorkOrderMachinesFunction(Duration allowedLateness) {
        this.allowedLatenessMillis = allowedLateness.toMillis();
    }

    @Override
    public void open(OpenContext context) {
        startedMachines = getRuntimeContext().getMapState(STARTED_MACHINES);
        completedWithoutMachine = getRuntimeContext().getState(COMPLETED_WITHOUT_MACHINE);
    }

    @Override
    public void processElement(WorkOrderEvent e, Context context, Collector<RunBoundary> out)
            throws Exception {
        long at = e.getOccurredAt().toEpochMilli();
        String machine = e.getMachineId();
        if (e.getEventType() == WorkOrderEventType.STARTED && machine != null) {
            out.collect(new RunBoundary(e.getWorkOrderId(), machine, e.getLineId(), true, at));
            if (!startedMachines.contains(machine)) {
                startedMachines.put(machine, Boolean.TRUE);
                Long completed = completedWithoutMachine.value();
                if (completed != null) {
                    out.collect(
                            new RunBoundary(e.getWorkOrderId(), machine, null, false, completed));
                }
            }
        } else if (e.getEventType() == WorkOrderEventType.COMPLETED) {
            if (machine != null) {
                out.collect(new RunBoundary(e.getWorkOrderId(), machine, null, false, at));
                context.timerService().registerEventTimeTimer(cleanupAt(at));
                return;
            }
            Long known = completedWithoutMachine.value();
            if (known == null || at < known) {
                completedWithoutMachine.update(at);
                context.timerService().registerEventTimeTimer(cleanupAt(at));
            }
            for (String started : startedMachines.keys()) {
                out.collect(new RunBoundary(e.getWorkOrderId(), started, null, false, at));
            }
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext context, Collector<RunBoundary> out)
            throws Exception {
        // the earliest COMPLETED plus the allowed lateness: later boundaries are too late anyway
        startedMachines.clear();
        completedWithoutMachine.clear();
    }

    private long cleanupAt(long completedAt) {
        long at = completedAt + allowedLatenessMillis;
        return at < completedAt ? Long.MAX_VALUE : at;
    }
}
