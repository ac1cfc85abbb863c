package dev.batchtrace.cli.export;

import dev.batchtrace.cli.query.AffectedShipment;
import dev.batchtrace.cli.query.LotRecord;
import dev.batchtrace.cli.query.LotTrace;
import dev.batchtrace.cli.query.TraceQueries;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What the exports of a lot tell: the lots of its genealogy (the lot, everything upstream and
 * everything made from it), their documents, and the shipments of the lot and of what was made from
 * it.
 *
 * @param genealogy the lot codes whose events the export lists
 * @param records the documents of those lots and of every input of their transformations (also
 *     inputs outside the genealogy, so a transformation lists all it consumed)
 */
public record LotHistory(
        String lotCode,
        Set<String> genealogy,
        List<LotRecord> records,
        List<AffectedShipment> shipments) {

    public LotHistory {
        genealogy = Set.copyOf(genealogy);
        records = List.copyOf(records);
        shipments = List.copyOf(shipments);
    }

    /** The CLI's own queries: the lot trace, one mget of the lots, the recall's shipments. */
    public static LotHistory load(TraceQueries queries, String lotCode) {
        LotTrace trace = queries.lot(lotCode);
        Set<String> codes = new LinkedHashSet<>();
        codes.add(trace.backward().lot().lotCode());
        trace.backward().ancestors().forEach(l -> codes.add(l.lotCode()));
        trace.forward().lots().forEach(l -> codes.add(l.lotCode()));
        Set<String> lookups = new LinkedHashSet<>(codes);
        lookups.addAll(trace.backward().lot().inputLotCodes());
        trace.backward().ancestors().forEach(l -> lookups.addAll(l.inputLotCodes()));
        trace.forward().lots().forEach(l -> lookups.addAll(l.inputLotCodes()));
        List<LotRecord> records = queries.lotRecords(lookups);
        List<AffectedShipment> shipments =
                trace.forward().shipmentCount() == 0
                        ? List.of()
                        : queries.recall(lotCode).shipments();
        return new LotHistory(lotCode, codes, records, shipments);
    }
}
