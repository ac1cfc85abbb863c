package dev.batchtrace.cli.query;

import java.math.BigDecimal;
import java.util.Locale;

/** Quantities as people read them: no trailing ".0", no exponent, "-" when unknown. */
final class Quantities {

    private Quantities() {}

    static String format(Double quantity) {
        if (quantity == null) {
            return TextTable.EMPTY;
        }
        if (quantity.isNaN() || quantity.isInfinite()) {
            return quantity.toString();
        }
        return BigDecimal.valueOf(quantity).stripTrailingZeros().toPlainString();
    }

    static String percent(Double percent) {
        return percent == null ? "unknown" : String.format(Locale.ROOT, "%.1f %%", percent);
    }

    static String unit(String unit) {
        return unit == null ? "(no unit)" : unit;
    }
}
