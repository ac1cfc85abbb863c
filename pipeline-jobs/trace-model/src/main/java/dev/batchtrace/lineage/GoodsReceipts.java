package dev.batchtrace.lineage;

import dev.batchtrace.events.GoodsReceipt;
import java.util.function.Consumer;

/** Stage 1 for goods receipts, stateless: the purchased lot's facts. */
public final class GoodsReceipts {

    private GoodsReceipts() {}

    public static void apply(GoodsReceipt receipt, Consumer<LineageMessage> out) {
        out.accept(
                new LineageMessage.LotFactsUpdate(
                        NodeKey.lot(receipt.getLotCode()), LotFacts.fromReceipt(receipt)));
    }
}
