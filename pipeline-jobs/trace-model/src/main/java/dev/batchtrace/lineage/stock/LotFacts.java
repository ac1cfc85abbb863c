package dev.batchtrace.lineage.stock;

import dev.batchtrace.events.GoodsReceipt;
import dev.batchtrace.events.WorkOrderEvent;
import dev.batchtrace.lineage.Merge;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What is known about one lot from its goods receipt(s) and/or the OUTPUT_PRODUCED event(s) that
 * made it (issue 10: corrections). The facts are kept per source event in {@link #sources} (key:
 * receiptId or the output's eventId), each a {@link LotSource}: a receipt re-sent with a higher
 * revision replaces its source whole, a reversed output (OUTPUT_REVERSED) turns its source into a
 * tombstone. The flat fields are derived from the live sources: per field a value beats null and of
 * two different values the larger wins, times: earliest wins, except that the receipt's identity
 * (material, supplier, supplier lot) is taken whole from one receipt (the earliest, then the
 * smallest receiptId), so two receipts of one lot never mix supplier and supplier lot. Quantities
 * are per source, so a retried event counts once and several partial outputs add up. {@link #merge}
 * merges the sources (a join: tombstone absorbs, higher revision wins, equal revisions merge
 * field-wise), so order and duplicates do not matter.
 *
 * @param kind {@link #PURCHASED} or {@link #PRODUCED}
 * @param quantities quantity per source event id; {@link #quantity()} is their sum
 * @param workOrderStartedAt when the work order(s) that produced it started (earliest)
 * @param workOrderCompletedAt when they completed (latest), as on their work-order documents
 * @param unitCost cost per unit from the receipt (issue 10: value at stake), in {@code currency}
 */
public record LotFacts(
        String kind,
        String materialCode,
        String materialName,
        String supplierId,
        String supplierName,
        String supplierLotCode,
        SortedMap<String, Double> quantities,
        String unit,
        String site,
        Instant receivedAt,
        Instant expiresAt,
        Instant producedAt,
        String workOrderId,
        SortedSet<String> operatorIds,
        SortedSet<String> machineIds,
        String lineId,
        Instant workOrderStartedAt,
        Instant workOrderCompletedAt,
        Double unitCost,
        String currency,
        SortedMap<String, LotSource> sources) {

    public static final String PURCHASED = "PURCHASED";
    public static final String PRODUCED = "PRODUCED";

    /** Source key of facts written before sources existed (state from an older job). */
    static final String LEGACY_SOURCE = "";

    public LotFacts {
        quantities = Merge.frozen(quantities);
        operatorIds = Merge.frozenSet(operatorIds);
        machineIds = Merge.frozenSet(machineIds);
        sources = Merge.frozen(sources);
    }

    /** Flat facts of one source (no sources of their own). */
    static LotFacts flat(
            String kind,
            String materialCode,
            String materialName,
            String supplierId,
            String supplierName,
            String supplierLotCode,
            SortedMap<String, Double> quantities,
            String unit,
            String site,
            Instant receivedAt,
            Instant expiresAt,
            Instant producedAt,
            String workOrderId,
            SortedSet<String> operatorIds,
            SortedSet<String> machineIds,
            String lineId,
            Instant workOrderStartedAt,
            Instant workOrderCompletedAt) {
        return flat(
                kind,
                materialCode,
                materialName,
                supplierId,
                supplierName,
                supplierLotCode,
                quantities,
                unit,
                site,
                receivedAt,
                expiresAt,
                producedAt,
                workOrderId,
                operatorIds,
                machineIds,
                lineId,
                workOrderStartedAt,
                workOrderCompletedAt,
                null,
                null);
    }

    /** Flat facts of one source, with a unit cost. */
    static LotFacts flat(
            String kind,
            String materialCode,
            String materialName,
            String supplierId,
            String supplierName,
            String supplierLotCode,
            SortedMap<String, Double> quantities,
            String unit,
            String site,
            Instant receivedAt,
            Instant expiresAt,
            Instant producedAt,
            String workOrderId,
            SortedSet<String> operatorIds,
            SortedSet<String> machineIds,
            String lineId,
            Instant workOrderStartedAt,
            Instant workOrderCompletedAt,
            Double unitCost,
            String currency) {
        return new LotFacts(
                kind,
                materialCode,
                materialName,
                supplierId,
                supplierName,
                supplierLotCode,
                quantities,
                unit,
                site,
                receivedAt,
                expiresAt,
                producedAt,
                workOrderId,
                operatorIds,
                machineIds,
                lineId,
                workOrderStartedAt,
                workOrderCompletedAt,
                unitCost,
                currency,
                null);
    }

    /** The lot's facts with one source. */
    static LotFacts ofSource(String key, LotSource source) {
        return of(new TreeMap<>(Map.of(key, source)));
    }

    /** The lot's facts derived from its sources (see the class comment). */
    public static LotFacts of(SortedMap<String, LotSource> sources) {
        LotFacts receipts = null;
        String chosenKey = null;
        LotFacts chosen = null;
        LotFacts outputs = null;
        // quantities gathered once: merging them per source would copy a growing map each time
        TreeMap<String, Double> quantities = new TreeMap<>();
        for (Map.Entry<String, LotSource> e : sources.entrySet()) {
            LotFacts f = e.getValue().facts();
            if (e.getValue().reversed() || f == null) {
                continue;
            }
            f.quantities.forEach((source, qty) -> quantities.merge(source, qty, Math::max));
            f = f.flatWithoutQuantities();
            if (PURCHASED.equals(f.kind())) {
                receipts = mergeFlat(receipts, f);
                if (chosen == null || earlier(f, e.getKey(), chosen, chosenKey)) {
                    chosen = f;
                    chosenKey = e.getKey();
                }
            } else {
                outputs = mergeFlat(outputs, f);
            }
        }
        if (chosen != null) {
            receipts =
                    flat(
                            receipts.kind,
                            chosen.materialCode,
                            chosen.materialName,
                            chosen.supplierId,
                            chosen.supplierName,
                            chosen.supplierLotCode,
                            receipts.quantities,
                            receipts.unit,
                            receipts.site,
                            receipts.receivedAt,
                            receipts.expiresAt,
                            receipts.producedAt,
                            receipts.workOrderId,
                            receipts.operatorIds,
                            receipts.machineIds,
                            receipts.lineId,
                            receipts.workOrderStartedAt,
                            receipts.workOrderCompletedAt,
                            chosen.unitCost,
                            chosen.currency);
        }
        LotFacts all = mergeFlat(receipts, outputs);
        if (all == null) {
            all =
                    flat(
                            null, null, null, null, null, null, null, null, null, null, null, null,
                            null, null, null, null, null, null);
        }
        return new LotFacts(
                all.kind,
                all.materialCode,
                all.materialName,
                all.supplierId,
                all.supplierName,
                all.supplierLotCode,
                quantities,
                all.unit,
                all.site,
                all.receivedAt,
                all.expiresAt,
                all.producedAt,
                all.workOrderId,
                all.operatorIds,
                all.machineIds,
                all.lineId,
                all.workOrderStartedAt,
                all.workOrderCompletedAt,
                all.unitCost,
                all.currency,
                sources);
    }

    private static boolean earlier(LotFacts a, String aKey, LotFacts b, String bKey) {
        int c =
                java.util.Comparator.nullsLast(Instant::compareTo)
                        .compare(a.receivedAt, b.receivedAt);
        return c != 0 ? c < 0 : aKey.compareTo(bKey) < 0;
    }

    /** Whether no live source says anything (every output reversed): no facts, as if none came. */
    public boolean nothingKnown() {
        for (LotSource s : sourcesOf(this).values()) {
            if (!s.reversed() && s.facts() != null) {
                return false;
            }
        }
        return true;
    }

    /** The facts, or null when there are none or they are {@link #nothingKnown()}. */
    public static LotFacts orNullIfEmpty(LotFacts facts) {
        return facts == null || facts.nothingKnown() ? null : facts;
    }

    /** The sources; facts from before sources existed count as one legacy source. */
    static SortedMap<String, LotSource> sourcesOf(LotFacts f) {
        if (!f.sources.isEmpty()) {
            return f.sources;
        }
        LotFacts flat = f.withoutSources();
        if (flat.equals(EMPTY_FLAT)) {
            return f.sources;
        }
        return new TreeMap<>(Map.of(LEGACY_SOURCE, LotSource.of(0, flat)));
    }

    private static final LotFacts EMPTY_FLAT =
            flat(
                    null, null, null, null, null, null, null, null, null, null, null, null, null,
                    null, null, null, null, null);

    /** The flat facts without quantities and sources (a summary's, see {@link LotFactsSummary}). */
    LotFacts flatWithoutQuantities() {
        return withoutSources().withQuantities(null);
    }

    /**
     * Flat facts with one total quantity (null: none), as one source: what a {@link
     * LotFactsSummary} shows documents and alerts.
     */
    LotFacts withTotal(Double total) {
        TreeMap<String, Double> q = new TreeMap<>();
        if (total != null) {
            q.put(LEGACY_SOURCE, total);
        }
        LotFacts flat = flatWithoutQuantities().withQuantities(q);
        return flat.withSources(new TreeMap<>(Map.of(LEGACY_SOURCE, LotSource.of(0, flat))));
    }

    private LotFacts withQuantities(SortedMap<String, Double> q) {
        return with(q, sources);
    }

    private LotFacts withSources(SortedMap<String, LotSource> s) {
        return with(quantities, s);
    }

    private LotFacts with(SortedMap<String, Double> q, SortedMap<String, LotSource> s) {
        return new LotFacts(
                kind,
                materialCode,
                materialName,
                supplierId,
                supplierName,
                supplierLotCode,
                q,
                unit,
                site,
                receivedAt,
                expiresAt,
                producedAt,
                workOrderId,
                operatorIds,
                machineIds,
                lineId,
                workOrderStartedAt,
                workOrderCompletedAt,
                unitCost,
                currency,
                s);
    }

    private LotFacts withoutSources() {
        return with(quantities, null);
    }

    /**
     * The goods receipts a lot's facts come from now (receiptIds, sorted): the FSMA 204 receiving
     * event's reference document. A receipt moved to another lot or a reversed source is not one.
     */
    public static List<String> receiptIds(Iterable<Map.Entry<String, LotSource>> sources) {
        TreeSet<String> ids = new TreeSet<>();
        for (Map.Entry<String, LotSource> e : sources) {
            LotSource source = e.getValue();
            if (!e.getKey().equals(LEGACY_SOURCE)
                    && !source.reversed()
                    && source.facts() != null
                    && PURCHASED.equals(source.facts().kind())) {
                ids.add(e.getKey());
            }
        }
        return List.copyOf(ids);
    }

    public static LotFacts fromReceipt(GoodsReceipt r) {
        return ofSource(r.getReceiptId(), LotSource.of(r.getRevision(), receiptFlat(r)));
    }

    private static LotFacts receiptFlat(GoodsReceipt r) {
        return flat(
                PURCHASED,
                r.getMaterialCode(),
                r.getMaterialName(),
                r.getSupplierId(),
                r.getSupplierName(),
                r.getSupplierLotCode(),
                new TreeMap<>(Map.of(r.getReceiptId(), r.getQuantity())),
                r.getUnit(),
                r.getSite(),
                r.getReceivedAt(),
                r.getExpiresAt(),
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                r.getUnitCost(),
                r.getCurrency());
    }

    /** A receipt whose {@code revision} names another lot: its facts leave this one. */
    public static LotFacts movedReceipt(String receiptId, int revision) {
        return ofSource(receiptId, LotSource.moved(revision));
    }

    /** Facts of the lot an OUTPUT_PRODUCED event produced. */
    public static LotFacts fromOutput(WorkOrderEvent e) {
        return ofSource(e.getEventId(), LotSource.of(0, outputFlat(e)));
    }

    /** An output that was reversed (OUTPUT_REVERSED): its source is a tombstone. */
    public static LotFacts reversedOutput(String outputEventId) {
        return ofSource(outputEventId, LotSource.REVERSED);
    }

    private static LotFacts outputFlat(WorkOrderEvent e) {
        TreeMap<String, Double> q = new TreeMap<>();
        if (e.getQuantity() != null) {
            q.put(e.getEventId(), e.getQuantity());
        }
        return flat(
                PRODUCED,
                e.getProductCode(),
                e.getProductName(),
                null,
                null,
                null,
                q,
                e.getUnit(),
                e.getSite(),
                null,
                null,
                e.getOccurredAt(),
                e.getWorkOrderId(),
                e.getOperatorId() == null ? null : Merge.frozenSet(List.of(e.getOperatorId())),
                e.getMachineId() == null ? null : Merge.frozenSet(List.of(e.getMachineId())),
                e.getLineId(),
                null,
                null);
    }

    /**
     * The producing work order's run window for a lot it produced, as part of the output event's
     * source (only these two fields; the work-order stage sends it per output event when the window
     * changes and with outputs produced later), so a reversed output takes it away too.
     */
    public static LotFacts workOrderRun(
            String outputEventId, Instant startedAt, Instant completedAt) {
        return ofSource(outputEventId, LotSource.of(0, runFlat(startedAt, completedAt)));
    }

    private static LotFacts runFlat(Instant startedAt, Instant completedAt) {
        return flat(
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                startedAt,
                completedAt);
    }

    /** Order-insensitive, idempotent merge of the sources; either side may be null. */
    public static LotFacts merge(LotFacts a, LotFacts b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        TreeMap<String, LotSource> merged = new TreeMap<>(sourcesOf(a));
        sourcesOf(b).forEach((key, source) -> merged.merge(key, source, LotSource::merge));
        return of(merged);
    }

    /**
     * Field-wise merge of flat facts (value beats null, larger wins, times earliest, completion
     * latest, quantities per source the larger); either side may be null.
     */
    static LotFacts mergeFlat(LotFacts a, LotFacts b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        TreeMap<String, Double> q = new TreeMap<>(a.quantities);
        b.quantities.forEach((source, qty) -> q.merge(source, qty, Math::max));
        return flat(
                Merge.larger(a.kind, b.kind),
                Merge.larger(a.materialCode, b.materialCode),
                Merge.larger(a.materialName, b.materialName),
                Merge.larger(a.supplierId, b.supplierId),
                Merge.larger(a.supplierName, b.supplierName),
                Merge.larger(a.supplierLotCode, b.supplierLotCode),
                q,
                Merge.larger(a.unit, b.unit),
                Merge.larger(a.site, b.site),
                Merge.smaller(a.receivedAt, b.receivedAt),
                Merge.smaller(a.expiresAt, b.expiresAt),
                Merge.smaller(a.producedAt, b.producedAt),
                Merge.larger(a.workOrderId, b.workOrderId),
                Merge.frozenUnion(a.operatorIds, b.operatorIds),
                Merge.frozenUnion(a.machineIds, b.machineIds),
                Merge.larger(a.lineId, b.lineId),
                Merge.smaller(a.workOrderStartedAt, b.workOrderStartedAt),
                Merge.larger(a.workOrderCompletedAt, b.workOrderCompletedAt),
                Merge.larger(a.unitCost, b.unitCost),
                Merge.larger(a.currency, b.currency));
    }

    /**
     * Total quantity over all source events, or null: summed exactly and rounded once, so it does
     * not depend on the order the sources are added in (a summary adds them as they come).
     */
    public Double quantity() {
        BigDecimal sum = exactSum(this);
        return sum == null ? null : sum.doubleValue();
    }

    /** The exact sum of the quantities (finite: the decoders refuse others), or null: none. */
    static BigDecimal exactSum(LotFacts facts) {
        if (facts == null || facts.quantities.isEmpty()) {
            return null;
        }
        BigDecimal sum = BigDecimal.ZERO;
        for (double q : facts.quantities.values()) {
            sum = sum.add(new BigDecimal(q));
        }
        return sum;
    }
}
