package dev.batchtrace.jobs.lineage;

import dev.batchtrace.events.WorkOrderEvent;
import dev.batchtrace.lineage.units.OutputSerials;
import dev.batchtrace.lineage.units.OutputSerialsState;
import dev.batchtrace.lineage.units.UnitUpdate;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Units made (issue 10), keyed by {@link OutputSerials#key} (work order + output eventId): an
 * OUTPUT_PRODUCED with serials tells each unit its lot and work order; its OUTPUT_REVERSED takes
 * that back from each unit, so the output's serials are kept.
 *
 * <p>State kept forever (no TTL, by design): a reversal may come at any time; the state of an
 * output is its serials (or only "reversed").
 */
public class OutputSerialsFunction
        extends KeyedProcessFunction<String, WorkOrderEvent, UnitUpdate> {

    private static final long serialVersionUID = 1L;

    /** OutputSerialsState: the units the output made, or that it was reversed. */
    public static final ValueStateDescriptor<byte[]> OUTPUT =
            new ValueStateDescriptor<>(
                    "output-serials", PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO);

    private transient ValueState<byte[]> state;

    @Override
    public void open(OpenContext context) {
        state = getRuntimeContext().getState(OUTPUT);
    }

    @Override
    public void processElement(WorkOrderEvent event, Context context, Collector<UnitUpdate> out) {
        OutputSerials.apply(
                event,
                new OutputSerials.Store() {
                    @Override
                    public OutputSerialsState state() {
                        return FlinkState.value(state, OutputSerialsState.class);
                    }

                    @Override
                    public void put(OutputSerialsState value) {
                        FlinkState.update(state, value);
                    }
                },
                out::collect);
    }
}
