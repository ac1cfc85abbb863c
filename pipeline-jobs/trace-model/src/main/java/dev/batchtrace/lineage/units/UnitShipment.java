package dev.batchtrace.lineage.units;

import dev.batchtrace.lineage.Merge;
import java.time.Instant;

/**
 * A unit on one dispatch note as the dispatch stage last sent it: {@code seq} grows with every
 * change of that note's winning revision, so the newest wins whatever the order of delivery (a
 * corrected note that no longer lists the unit, or a cancelled one, sends {@code present=false}).
 */
public record UnitShipment(
        long seq,
        boolean present,
        String lotCode,
        String customerId,
        String customerName,
        Instant shippedAt) {

    public static UnitShipment merge(UnitShipment a, UnitShipment b) {
        if (a.seq != b.seq) {
            return a.seq > b.seq ? a : b;
        }
        // one seq is one send, so equal ones are the same message twice; join anyway (order-free)
        return new UnitShipment(
                a.seq,
                a.present || b.present,
                Merge.larger(a.lotCode, b.lotCode),
                Merge.larger(a.customerId, b.customerId),
                Merge.larger(a.customerName, b.customerName),
                Merge.larger(a.shippedAt, b.shippedAt));
    }
}
