package dev.batchtrace.jobs.lineage;

import dev.batchtrace.events.WorkOrderEvent;
import dev.batchtrace.lineage.closure.LineageMessage;
import dev.batchtrace.lineage.stock.LotUsages;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;

/**
 * Stateless: each consumption and reversal goes to the consumed lot, so a lot on hold knows how
 * much of it is still in stock. Kept apart from {@link WorkOrderLinksFunction} (the genealogy's
 * keyed state is unchanged by it).
 */
public class WorkOrderLotUsages implements FlatMapFunction<WorkOrderEvent, LineageMessage> {

    private static final long serialVersionUID = 1L;

    @Override
    public void flatMap(WorkOrderEvent event, Collector<LineageMessage> out) {
        LotUsages.apply(event, out::collect);
    }
}
