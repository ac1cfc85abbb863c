package dev.batchtrace.jobs.lineage;

import dev.batchtrace.events.GoodsReceipt;
import dev.batchtrace.lineage.closure.LineageMessage;
import dev.batchtrace.lineage.stock.GoodsReceipts;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Goods receipts, keyed by receiptId: the purchased lot's facts, and when a corrected revision
 * names another lot, "moved" to every lot the receipt named before ({@link GoodsReceipts}).
 *
 * <p>State kept forever (no TTL, by design): a correction may come at any time.
 */
public class GoodsReceiptFacts extends KeyedProcessFunction<String, GoodsReceipt, LineageMessage> {

    private static final long serialVersionUID = 1L;

    /** GoodsReceipts.ReceiptState: the winning revision and lot, and every lot it named. */
    public static final ValueStateDescriptor<byte[]> RECEIPT =
            new ValueStateDescriptor<>(
                    "receipt-revisions", PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO);

    private transient ValueState<byte[]> state;

    @Override
    public void open(OpenContext context) {
        state = getRuntimeContext().getState(RECEIPT);
    }

    @Override
    public void processElement(
            GoodsReceipt receipt, Context context, Collector<LineageMessage> out) {
        GoodsReceipts.apply(
                receipt,
                new GoodsReceipts.Store() {
                    @Override
                    public GoodsReceipts.ReceiptState state() {
                        return FlinkState.value(state, GoodsReceipts.ReceiptState.class);
                    }

                    @Override
                    public void put(GoodsReceipts.ReceiptState value) {
                        FlinkState.update(state, value);
                    }
                },
                out::collect);
    }
}
