package dev.batchtrace.jobs.lineage;

import dev.batchtrace.lineage.closure.LineageMessage;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.OutputTag;

/**
 * Runs {@link LineageNodeFunction} and, just before each checkpoint barrier leaves, flushes every
 * node changed since the last one: its difference to its children and its document go into the
 * checkpoint's transactions, the first moment they could become visible. A KeyedProcessFunction has
 * no hook there, hence the operator.
 */
public final class LineageNodeOperator
        extends KeyedProcessOperator<String, LineageMessage, LineageMessage> {

    private static final long serialVersionUID = 1L;

    private transient LineageNodeFunction.Outputs outputs;

    public LineageNodeOperator(LineageNodeFunction function) {
        super(function);
    }

    @Override
    public void open() throws Exception {
        super.open();
        outputs =
                new LineageNodeFunction.Outputs() {
                    @Override
                    public void feedback(LineageMessage message) {
                        output.collect(new StreamRecord<>(message));
                    }

                    @Override
                    public <X> void side(OutputTag<X> tag, X value) {
                        output.collect(tag, new StreamRecord<>(value));
                    }
                };
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        super.prepareSnapshotPreBarrier(checkpointId);
        LineageNodeFunction function = (LineageNodeFunction) getUserFunction();
        long now = getProcessingTimeService().getCurrentProcessingTime();
        function.barrier(now, this::setCurrentKey, outputs);
    }
}
