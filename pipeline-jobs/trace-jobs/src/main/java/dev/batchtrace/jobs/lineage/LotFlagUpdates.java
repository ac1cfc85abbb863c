package dev.batchtrace.jobs.lineage;

import dev.batchtrace.events.LotFlag;
import dev.batchtrace.lineage.closure.LineageMessage;
import dev.batchtrace.lineage.holds.LotFlags;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;

/**
 * Stateless: a HOLD or RELEASE goes to its lot's node, which keeps the newest decisions and sends
 * the holds down the genealogy; a repeated flag changes nothing there.
 */
public class LotFlagUpdates implements FlatMapFunction<LotFlag, LineageMessage> {

    private static final long serialVersionUID = 1L;

    @Override
    public void flatMap(LotFlag flag, Collector<LineageMessage> out) {
        LotFlags.apply(flag, out::collect);
    }
}
