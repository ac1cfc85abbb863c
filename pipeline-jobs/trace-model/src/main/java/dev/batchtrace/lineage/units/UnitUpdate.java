package dev.batchtrace.lineage.units;

import java.util.Objects;

/** Facts for one unit, routed by {@link #key()} (product and serial) to the unit stage. */
public record UnitUpdate(UnitFacts facts) {

    public UnitUpdate {
        Objects.requireNonNull(facts, "facts");
        Objects.requireNonNull(facts.productCode(), "productCode");
        Objects.requireNonNull(facts.serial(), "serial");
    }

    public static UnitUpdate of(UnitFacts facts) {
        return new UnitUpdate(facts);
    }

    public String key() {
        return facts.key();
    }
}
