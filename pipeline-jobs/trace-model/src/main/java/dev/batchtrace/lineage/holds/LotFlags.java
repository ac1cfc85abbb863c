package dev.batchtrace.lineage.holds;

import dev.batchtrace.events.LotFlag;
import dev.batchtrace.lineage.closure.LineageMessage;
import dev.batchtrace.lineage.closure.NodeKey;
import java.util.function.Consumer;

/**
 * Stage 1 for lot flags, stateless: the flag goes to its lot's node, which keeps the newest
 * decisions ({@link FlagHistory}) and sends the holds down the genealogy with its announcements. A
 * retried flag repeats the same message, which the lot ignores.
 */
public final class LotFlags {

    private LotFlags() {}

    public static void apply(LotFlag flag, Consumer<LineageMessage> out) {
        out.accept(
                new LineageMessage.LotFlagUpdate(
                        NodeKey.lot(flag.getLotCode()), FlagEvent.of(flag)));
    }
}
