package dev.batchtrace.cli.query;

import java.time.Instant;
import java.util.List;

/**
 * A dispatch that carried the flagged lot or a lot made from it.
 *
 * @param lines every line of the dispatch; {@link Line#affected()} marks those of affected lots
 * @param affectedLotCodes the shipped lots that are the flagged lot or made from it
 */
public record AffectedShipment(
        String dispatchId,
        String customerId,
        String customerName,
        String destination,
        Instant shippedAt,
        boolean onHold,
        List<Line> lines,
        List<String> affectedLotCodes) {

    /** One dispatch line. */
    public record Line(
            String lotCode, String productCode, Double quantity, String unit, boolean affected) {}

    public AffectedShipment {
        lines = List.copyOf(lines);
        affectedLotCodes = List.copyOf(affectedLotCodes);
    }
}
