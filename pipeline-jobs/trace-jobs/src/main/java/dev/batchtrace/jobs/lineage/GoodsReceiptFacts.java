package dev.batchtrace.jobs.lineage;

import dev.batchtrace.events.GoodsReceipt;
import dev.batchtrace.lineage.GoodsReceipts;
import dev.batchtrace.lineage.LineageMessage;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;

/** Stateless: a goods receipt becomes the purchased lot's facts (duplicates merge to the same). */
public class GoodsReceiptFacts implements FlatMapFunction<GoodsReceipt, LineageMessage> {

    private static final long serialVersionUID = 1L;

    @Override
    public void flatMap(GoodsReceipt receipt, Collector<LineageMessage> out) {
        GoodsReceipts.apply(receipt, out::collect);
    }
}
