package dev.batchtrace.jobs.lineage;

import dev.batchtrace.events.DispatchNote;
import dev.batchtrace.lineage.DispatchLinks;
import dev.batchtrace.lineage.LineageMessage;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;

/**
 * Stateless: a dispatch note becomes the shipment's facts and, per line, the edge lot -> shipment
 * (to both ends); duplicates are harmless because the node stage merges idempotently.
 */
public class DispatchNoteLinks implements FlatMapFunction<DispatchNote, LineageMessage> {

    private static final long serialVersionUID = 1L;

    @Override
    public void flatMap(DispatchNote note, Collector<LineageMessage> out) {
        DispatchLinks.apply(note, out::collect);
    }
}
