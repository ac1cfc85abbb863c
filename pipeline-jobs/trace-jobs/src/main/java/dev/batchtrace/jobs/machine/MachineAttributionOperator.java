package dev.batchtrace.jobs.machine;

import dev.batchtrace.events.MachineEvent;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeutils.base.LongSerializer;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.runtime.state.internal.InternalListState;
import org.apache.flink.streaming.api.operators.InternalTimerService;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.Collector;
import org.apache.flink.util.function.FunctionWithException;

/**
 * Runs {@link MachineAttributionFunction} with its waiting items in one list per timer tick (keyed
 * state namespaced by the tick, which a KeyedCoProcessFunction cannot reach, hence the operator),
 * and moves the items an earlier version kept waiting into those lists on restore.
 */
public final class MachineAttributionOperator
        extends KeyedCoProcessOperator<String, MachineEvent, RunBoundary, MachineSummaryUpdate> {

    private static final long serialVersionUID = 1L;

    /** The timer service KeyedCoProcessOperator registers (the same name returns it). */
    private static final String USER_TIMERS = "user-timers";

    public MachineAttributionOperator(MachineAttributionFunction function) {
        super(function);
    }

    @Override
    public void open() throws Exception {
        super.open();
        MachineAttributionFunction function = (MachineAttributionFunction) getUserFunction();
        function.useTickLists(
                new TickLists<>(byTick(MachineAttributionFunction.WAITING_EVENTS)),
                new TickLists<>(byTick(MachineAttributionFunction.WAITING_BOUNDARIES)));
        InternalTimerService<VoidNamespace> timers =
                getInternalTimerService(USER_TIMERS, VoidNamespaceSerializer.INSTANCE, this);
        for (ListStateDescriptor<MachineEvent> slot :
                MachineAttributionFunction.OLDER_EVENT_SLOTS) {
            moveOlder(slot, timers, function::waitAgain);
        }
        for (ListStateDescriptor<RunBoundary> slot :
                MachineAttributionFunction.OLDER_BOUNDARY_SLOTS) {
            moveOlder(slot, timers, function::waitAgain);
        }
        moveOlder(MachineAttributionFunction.OLDER_BOUNDARIES, timers, function::waitAgain);
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        super.prepareSnapshotPreBarrier(checkpointId);
        sendChangedSummaries();
    }

    /** The input ended (a bounded run): what waits for a barrier goes now. */
    @Override
    public void finish() throws Exception {
        sendChangedSummaries();
        super.finish();
    }

    private void sendChangedSummaries() throws Exception {
        ((MachineAttributionFunction) getUserFunction())
                .barrier(
                        this::setCurrentKey,
                        new Collector<>() {
                            @Override
                            public void collect(MachineSummaryUpdate update) {
                                output.collect(new StreamRecord<>(update));
                            }

                            @Override
                            public void close() {}
                        });
    }

    @SuppressWarnings("unchecked")
    private <T> InternalListState<String, Long, T> byTick(ListStateDescriptor<T> descriptor)
            throws Exception {
        return (InternalListState<String, Long, T>)
                getOrCreateKeyedState(LongSerializer.INSTANCE, descriptor);
    }

    /**
     * The items of a restored older list, every key's, into the lists by tick with their timers;
     * the older list is cleared. A state this task never had is not created.
     */
    private <T> void moveOlder(
            ListStateDescriptor<T> older,
            InternalTimerService<VoidNamespace> timers,
            FunctionWithException<T, Long, Exception> waitAgain)
            throws Exception {
        List<String> keys;
        try (Stream<String> stored =
                this.<String>getKeyedStateBackend()
                        .getKeys(older.getName(), VoidNamespace.INSTANCE)) {
            keys = stored.collect(Collectors.toList());
        }
        if (keys.isEmpty()) {
            return;
        }
        ListState<T> list =
                getKeyedStateBackend()
                        .getPartitionedState(
                                VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE, older);
        for (String key : keys) {
            setCurrentKey(key);
            Iterable<T> items = list.get();
            if (items != null) {
                for (T item : items) {
                    timers.registerEventTimeTimer(VoidNamespace.INSTANCE, waitAgain.apply(item));
                }
            }
            list.clear();
        }
    }
}
