package dev.batchtrace.jobs.lineage;

import dev.batchtrace.events.QcResult;
import dev.batchtrace.lineage.closure.LineageMessage;
import dev.batchtrace.lineage.quality.QcResults;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;

/** Stateless: a QC result goes to the lot it checked; a re-sent check changes nothing there. */
public class QcResultChecks implements FlatMapFunction<QcResult, LineageMessage> {

    private static final long serialVersionUID = 1L;

    @Override
    public void flatMap(QcResult result, Collector<LineageMessage> out) {
        QcResults.apply(result, out::collect);
    }
}
