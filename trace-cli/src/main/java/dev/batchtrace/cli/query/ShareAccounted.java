package dev.batchtrace.cli.query;

import java.util.ArrayList;
import java.util.List;

/**
 * How much of the flagged lot's quantity a recall can account for: {@code (consumed + shipped +
 * remaining) / receivedOrProduced}, where remaining counts only when the balance has it. So a unit
 * mismatch or an unknown quantity shows as less than 100 %, over-consumption as more.
 *
 * @param percent null when the lot has no balance or no known quantity
 * @param accounted consumed + shipped + remaining (when present), in {@code unit}
 * @param formula the computation with its numbers, for people
 * @param notes why the share is not exactly what it seems (mismatched units, missing remaining,
 *     over-consumption); empty when there is nothing to say
 */
public record ShareAccounted(
        Double percent,
        Double accounted,
        Double receivedOrProduced,
        String unit,
        String formula,
        List<String> notes) {

    public static final String RULE =
            "(consumed + shipped + remaining) / received or produced, in the lot's unit;"
                    + " remaining counts only when known and not negative, other units are not converted";

    public ShareAccounted {
        notes = List.copyOf(notes);
    }

    /** The share of a lot's balance; a null balance (document written before it) says so. */
    static ShareAccounted of(MassBalance balance) {
        if (balance == null) {
            return new ShareAccounted(
                    null,
                    null,
                    null,
                    null,
                    RULE,
                    List.of(
                            "the lot's trace document has no mass balance yet (written by a"
                                    + " pipeline version without it): share unknown"));
        }
        String unit = balance.unit();
        double consumed = zeroIfNull(balance.consumed());
        double shipped = zeroIfNull(balance.shipped());
        Double remaining = balance.remaining();
        // a negative remainder (more left the lot than came in) would hide the over-consumption
        double accounted = consumed + shipped + Math.max(0.0, zeroIfNull(remaining));
        List<String> notes = new ArrayList<>();
        if (balance.unitMismatch()) {
            for (MassBalance.UnaccountedUnit other : balance.unaccounted()) {
                notes.add(
                        "unit mismatch: "
                                + Quantities.format(other.consumed())
                                + " "
                                + Quantities.unit(other.unit())
                                + " consumed and "
                                + Quantities.format(other.shipped())
                                + " "
                                + Quantities.unit(other.unit())
                                + " shipped are not in "
                                + Quantities.unit(unit)
                                + " and not counted");
            }
            if (balance.unaccounted().isEmpty()) {
                notes.add(
                        "unit mismatch: some consumption or dispatch line is in another unit or"
                                + " has no quantity, not counted");
            }
        }
        if (remaining == null) {
            notes.add("remaining unknown (unit mismatch or missing quantity): not counted");
        }
        Double received = balance.receivedOrProduced();
        String formula =
                "(consumed "
                        + Quantities.format(consumed)
                        + " + shipped "
                        + Quantities.format(shipped)
                        + " + remaining "
                        + (remaining == null ? "unknown" : Quantities.format(remaining))
                        + ") / received or produced "
                        + (received == null ? "unknown" : Quantities.format(received))
                        + " "
                        + Quantities.unit(unit);
        if (received == null || received == 0.0) {
            notes.add(
                    received == null
                            ? "received or produced quantity unknown: share unknown"
                            : "received or produced quantity is 0: share undefined");
            return new ShareAccounted(null, accounted, received, unit, formula, notes);
        }
        double percent = 100.0 * accounted / received;
        if (consumed + shipped > received) {
            notes.add(
                    "over-consumption: "
                            + Quantities.format(consumed + shipped)
                            + " "
                            + Quantities.unit(unit)
                            + " left the lot, more than its "
                            + Quantities.format(received));
        }
        return new ShareAccounted(percent, accounted, received, unit, formula, notes);
    }

    private static double zeroIfNull(Double value) {
        return value == null ? 0.0 : value;
    }
}
