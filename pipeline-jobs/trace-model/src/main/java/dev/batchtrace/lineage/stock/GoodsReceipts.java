package dev.batchtrace.lineage.stock;

import dev.batchtrace.events.GoodsReceipt;
import dev.batchtrace.lineage.Merge;
import dev.batchtrace.lineage.closure.LineageMessage;
import dev.batchtrace.lineage.closure.NodeKey;
import java.util.Collections;
import java.util.Comparator;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Stage 1 for goods receipts, keyed by receiptId (issue 10: corrections): the purchased lot's
 * facts. Of a receipt's revisions the highest wins whole, its lot code too: when a correction names
 * another lot (a lot code typed wrong), every other lot the receipt ever named is told that the
 * receipt moved away at that revision ({@link LotSource#moved}), so its facts leave that lot. Of
 * two receipts with one revision and different lot codes (bad data) the larger lot code wins, so
 * the outcome does not depend on arrival order.
 */
public final class GoodsReceipts {

    private GoodsReceipts() {}

    /**
     * What a receipt id has said: its winning revision and lot, and every lot it named.
     *
     * @param lots every lot code any revision named, sorted
     */
    public record ReceiptState(int revision, String lotCode, SortedSet<String> lots) {
        public ReceiptState {
            lots = Collections.unmodifiableSortedSet(Merge.sortedCopy(lots));
        }
    }

    /** The one piece of state of a receipt id (Flink: a ValueState). */
    public interface Store {
        ReceiptState state();

        void put(ReceiptState state);
    }

    private static final Comparator<ReceiptState> WINNER =
            Comparator.comparingInt(ReceiptState::revision).thenComparing(ReceiptState::lotCode);

    /** A receipt seen alone (its receipt id's first): the lot's facts. */
    public static void apply(GoodsReceipt receipt, Consumer<LineageMessage> out) {
        ReceiptState[] none = {null};
        apply(
                receipt,
                new Store() {
                    @Override
                    public ReceiptState state() {
                        return none[0];
                    }

                    @Override
                    public void put(ReceiptState state) {
                        none[0] = state;
                    }
                },
                out);
    }

    public static void apply(GoodsReceipt receipt, Store store, Consumer<LineageMessage> out) {
        ReceiptState before = store.state();
        String lot = receipt.getLotCode();
        TreeSet<String> lots =
                new TreeSet<>(before == null ? Collections.emptySet() : before.lots());
        boolean newLot = lots.add(lot);
        ReceiptState incoming = new ReceiptState(receipt.getRevision(), lot, lots);
        ReceiptState after =
                before == null || WINNER.compare(incoming, before) > 0
                        ? incoming
                        : new ReceiptState(before.revision(), before.lotCode(), lots);
        boolean winnerChanged =
                before == null
                        || before.revision() != after.revision()
                        || !before.lotCode().equals(after.lotCode());
        for (String named : lots) {
            boolean told = winnerChanged || (newLot && named.equals(lot));
            if (told && !named.equals(after.lotCode())) {
                out.accept(
                        new LineageMessage.LotFactsUpdate(
                                NodeKey.lot(named),
                                LotFacts.movedReceipt(receipt.getReceiptId(), after.revision())));
            }
        }
        if (receipt.getRevision() == after.revision() && lot.equals(after.lotCode())) {
            out.accept(
                    new LineageMessage.LotFactsUpdate(
                            NodeKey.lot(lot), LotFacts.fromReceipt(receipt)));
        }
        if (!after.equals(before)) {
            store.put(after);
        }
    }
}
