package dev.batchtrace.jobs.lineage;

import dev.batchtrace.events.DispatchNote;
import dev.batchtrace.lineage.LineageMessage;
import dev.batchtrace.lineage.LotUsages;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;

/** Stateless: a dispatch note's lines go to each shipped lot (what has left the plant). */
public class DispatchNoteLotUsages implements FlatMapFunction<DispatchNote, LineageMessage> {

    private static final long serialVersionUID = 1L;

    @Override
    public void flatMap(DispatchNote note, Collector<LineageMessage> out) {
        LotUsages.apply(note, out::collect);
    }
}
