package dev.batchtrace.cli.query;

/**
 * {@code trace lot CODE} (without {@code --all}): the backward trace in full and a page of the
 * forward trace.
 *
 * @param tookMs time spent waiting for Elasticsearch (the backward and forward requests run at the
 *     same time, so this is less than the sum of the parts)
 */
public record LotPage(String lotCode, BackwardTrace backward, ForwardPage forward, long tookMs) {

    /** The first {@code limit} lots and shipments of a lot trace read in full. */
    static LotPage of(LotTrace full, int limit) {
        return new LotPage(
                full.lotCode(),
                full.backward(),
                ForwardPage.of(full.forward(), limit),
                full.tookMs());
    }
}
