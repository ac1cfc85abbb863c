package dev.batchtrace.cli.query;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.FieldValue;
import co.elastic.clients.elasticsearch._types.SortOrder;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import co.elastic.clients.elasticsearch.core.GetResponse;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.search.Hit;
import co.elastic.clients.transport.TransportException;
import dev.batchtrace.connectors.elasticsearch.ElasticsearchClients;
import dev.batchtrace.connectors.elasticsearch.ElasticsearchSettings;
import dev.batchtrace.connectors.elasticsearch.TraceIndex;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;

/**
 * The Wednesday call (issue 10), answered from the documents the job keeps: {@code bin/trace unit}
 * and {@code bin/trace exposure}. No graph walk per request: a unit is one term query on {@code
 * trace-units}, its lot's genealogy one get plus one mget ({@link TraceQueries#backward}), and each
 * raw lot's exposure three term queries (trace-work-orders {@code consumedLotCodes}, trace-lots and
 * trace-shipments {@code ancestorLotCodes}), each read in full in pages.
 */
public final class UnitQueries implements AutoCloseable {

    private static final int PAGE_SIZE = 2_000;

    private final ElasticsearchClient client;
    private final TraceQueries lots;
    private final String where;
    private final boolean owns;

    /** Queries through a client the caller keeps and closes. */
    public UnitQueries(ElasticsearchClient client, String where) {
        this(client, new TraceQueries(client, where), where, false);
    }

    private UnitQueries(ElasticsearchClient client, TraceQueries lots, String where, boolean owns) {
        this.client = client;
        this.lots = lots;
        this.where = where;
        this.owns = owns;
    }

    public static UnitQueries open(ElasticsearchSettings settings) {
        ElasticsearchClient client = ElasticsearchClients.create(settings);
        String where = String.join(",", settings.hosts());
        return new UnitQueries(client, new TraceQueries(client, where), where, true);
    }

    /**
     * Every unit with that serial (one per product; only that product's with {@code productCode}).
     *
     * @throws TraceQueryException NOT_FOUND when no unit has the serial
     */
    public List<UnitTrace> units(String serial, String productCode) {
        long start = System.nanoTime();
        List<JsonNode> found = unitDocuments(serial, productCode);
        List<UnitTrace> traces = new ArrayList<>();
        for (JsonNode unit : found) {
            traces.add(trace(unit, start));
        }
        return traces;
    }

    private List<JsonNode> unitDocuments(String serial, String productCode) {
        List<Query> filters = new ArrayList<>(List.of(term("serial", serial)));
        if (productCode != null) {
            filters.add(term("productCode", productCode));
        }
        List<JsonNode> found = new ArrayList<>();
        searchAll(
                TraceIndex.UNITS,
                Query.of(q -> q.bool(b -> b.filter(filters))),
                "productCode",
                hit -> found.add(hit.source()));
        if (found.isEmpty()) {
            throw new TraceQueryException(
                    TraceQueryException.Reason.NOT_FOUND,
                    "unit "
                            + serial
                            + (productCode == null ? "" : " of product " + productCode)
                            + " is unknown or not yet indexed: no document in "
                            + TraceIndex.UNITS.alias()
                            + " at "
                            + where
                            + " has serial "
                            + serial
                            + " (serials come with OUTPUT_PRODUCED events and dispatch lines)",
                    null);
        }
        return found;
    }

    private UnitTrace trace(JsonNode unit, long start) {
        String lotCode = Documents.text(unit, "lotCode");
        BackwardTrace backward = null;
        JsonNode lotDoc = null;
        if (lotCode != null) {
            try {
                backward = lots.backward(lotCode);
                lotDoc = get(TraceIndex.LOTS, lotCode);
            } catch (TraceQueryException e) {
                if (e.reason() != TraceQueryException.Reason.NOT_FOUND) {
                    throw e;
                }
            }
        }
        Map<String, JsonNode> shipmentDocs = new TreeMap<>();
        for (String dispatchId : Documents.strings(unit, "dispatchIds")) {
            JsonNode doc = get(TraceIndex.SHIPMENTS, dispatchId);
            if (doc != null) {
                shipmentDocs.put(dispatchId, doc);
            }
        }
        List<UnitTrace.UnitShipmentLine> shipments = new ArrayList<>();
        for (JsonNode s : Documents.nodes(unit, "shipments")) {
            String dispatchId = Documents.text(s, "dispatchId");
            shipments.add(
                    new UnitTrace.UnitShipmentLine(
                            dispatchId,
                            Documents.text(s, "customerId"),
                            Documents.text(s, "customerName"),
                            Documents.time(s, "shippedAt"),
                            Documents.text(s, "lotCode"),
                            Documents.text(shipmentDocs.get(dispatchId), "destination")));
        }
        List<UnitTrace.MachineRun> runs = new ArrayList<>();
        for (JsonNode run : Documents.nodes(lotDoc, "machineRuns")) {
            List<String> alarms = new ArrayList<>();
            for (JsonNode alarm : Documents.nodes(run, "alarms")) {
                alarms.add(Documents.text(alarm, "code") + " x" + Documents.text(alarm, "count"));
            }
            runs.add(
                    new UnitTrace.MachineRun(
                            Documents.text(run, "machineId"),
                            Documents.text(run, "workOrderId"),
                            Documents.time(run, "startedAt"),
                            Documents.time(run, "completedAt"),
                            alarms));
        }
        List<UnitTrace.QcCheckLine> checks = new ArrayList<>();
        for (JsonNode check : Documents.nodes(lotDoc, "qcChecks")) {
            checks.add(
                    new UnitTrace.QcCheckLine(
                            Documents.text(check, "checkId"),
                            Documents.text(check, "characteristic"),
                            Documents.text(check, "result"),
                            Documents.time(check, "checkedAt")));
        }
        return new UnitTrace(
                Documents.text(unit, "serial"),
                Documents.text(unit, "productCode"),
                lotCode,
                Documents.strings(unit, "workOrderIds"),
                Documents.time(unit, "producedAt"),
                shipments,
                backward,
                Documents.strings(lotDoc, "operatorIds"),
                Documents.strings(lotDoc, "machineIds"),
                runs,
                Documents.text(lotDoc, "qcStatus"),
                checks,
                millisSince(start));
    }

    /** What the exposure answer is limited to (all null: everything). */
    public record Limits(String materialCode, String supplierId, Instant from, Instant to) {
        public static final Limits NONE = new Limits(null, null, null, null);

        Map<String, String> describe() {
            Map<String, String> m = new LinkedHashMap<>();
            if (materialCode != null) {
                m.put("material", materialCode);
            }
            if (supplierId != null) {
                m.put("supplier", supplierId);
            }
            if (from != null) {
                m.put("from", from.toString());
            }
            if (to != null) {
                m.put("to", to.toString());
            }
            return m;
        }

        /** Inside the date window (no window: everything; a window: only known times in it). */
        boolean inWindow(Instant t) {
            if (from == null && to == null) {
                return true;
            }
            return t != null
                    && (from == null || !t.isBefore(from))
                    && (to == null || t.isBefore(to));
        }
    }

    /** Exposure of the lot that made unit {@code serial} (of {@code productCode} when given). */
    public ExposureReport exposureOfUnit(String serial, String productCode, Limits limits) {
        long start = System.nanoTime();
        List<JsonNode> units = unitDocuments(serial, productCode);
        if (units.size() > 1) {
            List<String> products = new ArrayList<>();
            units.forEach(u -> products.add(Documents.text(u, "productCode")));
            throw new TraceQueryException(
                    TraceQueryException.Reason.NOT_FOUND,
                    "serial "
                            + serial
                            + " names units of several products "
                            + products
                            + ": say which with --product",
                    null);
        }
        String lotCode = Documents.text(units.get(0), "lotCode");
        if (lotCode == null) {
            throw new TraceQueryException(
                    TraceQueryException.Reason.NOT_FOUND,
                    "unit " + serial + " has no lot yet (only a dispatch line names it)",
                    null);
        }
        return exposure(lotCode, serial, limits, start);
    }

    /**
     * The batch's exposure: its backward trace, then per raw lot (purchased, or an input nobody
     * made) the work orders that consumed it, the lots made from it and the shipments that carried
     * any of them.
     */
    public ExposureReport exposure(String lotCode, Limits limits) {
        return exposure(lotCode, null, limits, System.nanoTime());
    }

    private ExposureReport exposure(String lotCode, String serial, Limits limits, long start) {
        BackwardTrace backward = lots.backward(lotCode);
        List<String> queries = new ArrayList<>();
        queries.add("get trace-lots/" + lotCode + ", mget trace-lots (its ancestorLotCodes)");
        List<LotSummary> raw = new ArrayList<>();
        List<LotSummary> candidates = new ArrayList<>(backward.ancestors());
        if (backward.ancestors().isEmpty()) {
            candidates.add(backward.lot()); // a purchased lot asked about itself
        }
        for (LotSummary a : candidates) {
            boolean isRaw = "PURCHASED".equals(a.kind()) || a.inputLotCodes().isEmpty();
            if (isRaw
                    && (limits.materialCode() == null
                            || limits.materialCode().equals(a.materialCode()))
                    && (limits.supplierId() == null
                            || limits.supplierId().equals(a.supplierId()))) {
                raw.add(a);
            }
        }
        Map<String, JsonNode> lotDocs = new TreeMap<>();
        // the raw lots themselves: what is left of them is affected stock too
        Map<String, ExposureReport.MadeLot> allLots = new TreeMap<>();
        List<ExposureReport.RawLot> rawLots = new ArrayList<>();
        Map<String, CustomerTotals> customers = new TreeMap<>();
        for (LotSummary r : raw) {
            String code = r.lotCode();
            queries.add(
                    "trace-work-orders consumedLotCodes : \""
                            + code
                            + "\"; trace-lots and trace-shipments ancestorLotCodes : \""
                            + code
                            + "\"");
            JsonNode rawDoc = lotDocs.computeIfAbsent(code, c -> get(TraceIndex.LOTS, c));
            TreeSet<String> workOrders = new TreeSet<>();
            searchAll(
                    TraceIndex.WORK_ORDERS,
                    term("consumedLotCodes", code),
                    "workOrderId",
                    hit -> workOrders.add(Documents.text(hit.source(), "workOrderId")));
            workOrders.remove(backward.lot().workOrderId());
            List<ExposureReport.MadeLot> made = new ArrayList<>();
            Map<String, ExposureReport.MadeLot> exposedLots = new TreeMap<>();
            exposedLots.put(code, madeLot(code, rawDoc));
            allLots.put(code, madeLot(code, rawDoc));
            searchAll(
                    TraceIndex.LOTS,
                    term("ancestorLotCodes", code),
                    "lotCode",
                    hit -> {
                        ExposureReport.MadeLot m = madeLot(hit.id(), hit.source());
                        exposedLots.put(m.lotCode(), m);
                        if (limits.inWindow(m.producedAt())) {
                            made.add(m);
                        }
                    });
            List<ExposureReport.Shipment> shipments = new ArrayList<>();
            searchAll(
                    TraceIndex.SHIPMENTS,
                    term("ancestorLotCodes", code),
                    "dispatchId",
                    hit -> {
                        JsonNode s = hit.source();
                        Instant shippedAt = Documents.time(s, "shippedAt");
                        if (!limits.inWindow(shippedAt)) {
                            return;
                        }
                        List<ExposureReport.Line> lines = new ArrayList<>();
                        for (JsonNode line : Documents.nodes(s, "lines")) {
                            String lot = Documents.text(line, "lotCode");
                            Double q = Documents.number(line, "quantity");
                            if (lot != null && exposedLots.containsKey(lot) && q != null) {
                                lines.add(
                                        new ExposureReport.Line(
                                                lot, q, Documents.text(line, "unit")));
                            }
                        }
                        shipments.add(
                                new ExposureReport.Shipment(
                                        Documents.text(s, "dispatchId"),
                                        Documents.text(s, "customerId"),
                                        Documents.text(s, "customerName"),
                                        shippedAt,
                                        lines));
                    });
            for (ExposureReport.Shipment s : shipments) {
                CustomerTotals c =
                        customers.computeIfAbsent(
                                String.valueOf(s.customerId()),
                                k -> new CustomerTotals(s.customerId(), s.customerName()));
                c.add(s);
            }
            rawLots.add(
                    new ExposureReport.RawLot(
                            r,
                            Documents.number(rawDoc, "unitCost"),
                            Documents.text(rawDoc, "currency"),
                            List.copyOf(workOrders),
                            made,
                            shipments));
        }
        // value at stake over the union (a lot or line reached from two raw lots counts once)
        Map<String, ExposureReport.Shipment> allShipments = new TreeMap<>();
        for (ExposureReport.RawLot r : rawLots) {
            r.lotsMadeFromIt().forEach(m -> allLots.put(m.lotCode(), m));
            r.shipments().forEach(s -> allShipments.merge(s.dispatchId(), s, UnitQueries::union));
        }
        // per (currency, null) the value; per ("unknown", unit) the quantity without a unit cost
        Map<List<String>, double[]> value = new TreeMap<>(UnitQueries::compareKeys);
        for (ExposureReport.MadeLot m : allLots.values()) {
            if (m.remaining() != null && m.remaining() > 0) {
                stake(value, m, m.remaining())[1] +=
                        m.unitCost() == null ? m.remaining() : m.remaining() * m.unitCost();
            }
        }
        for (ExposureReport.Shipment s : allShipments.values()) {
            for (ExposureReport.Line line : s.lines()) {
                ExposureReport.MadeLot m = allLots.get(line.lotCode());
                boolean costed = m != null && m.unitCost() != null && m.currency() != null;
                double[] v =
                        costed
                                ? stake(value, m, line.quantity())
                                : value.computeIfAbsent(
                                        java.util.Arrays.asList(UNKNOWN, line.unit()),
                                        k -> new double[2]);
                v[0] += costed ? line.quantity() * m.unitCost() : line.quantity();
            }
        }
        List<ExposureReport.ValueAtStake> stake = new ArrayList<>();
        value.forEach(
                (key, v) ->
                        stake.add(
                                new ExposureReport.ValueAtStake(
                                        key.get(0), key.get(1), v[0], v[1])));
        List<ExposureReport.Customer> union = new ArrayList<>();
        customers.values().forEach(c -> union.add(c.toCustomer()));
        return new ExposureReport(
                serial,
                backward.lot(),
                limits.describe(),
                rawLots,
                union,
                stake,
                queries,
                millisSince(start));
    }

    /** Currency name for value at stake: "unknown" where the lot has no unit cost. */
    static final String UNKNOWN = "unknown";

    /** The slot of a lot's value: its currency, or "unknown" in the lot's unit. */
    private static double[] stake(
            Map<List<String>, double[]> value, ExposureReport.MadeLot m, double quantity) {
        List<String> key =
                m.unitCost() == null || m.currency() == null
                        ? java.util.Arrays.asList(UNKNOWN, m.unit())
                        : java.util.Arrays.asList(m.currency(), null);
        return value.computeIfAbsent(key, k -> new double[2]);
    }

    private static int compareKeys(List<String> a, List<String> b) {
        java.util.Comparator<String> c = java.util.Comparator.nullsFirst(String::compareTo);
        int x = c.compare(a.get(0), b.get(0));
        return x != 0 ? x : c.compare(a.get(1), b.get(1));
    }

    private static ExposureReport.Shipment union(
            ExposureReport.Shipment a, ExposureReport.Shipment b) {
        Map<String, ExposureReport.Line> lines = new TreeMap<>();
        for (ExposureReport.Line l : a.lines()) {
            lines.put(l.lotCode() + "\n" + l.unit() + "\n" + l.quantity(), l);
        }
        for (ExposureReport.Line l : b.lines()) {
            lines.put(l.lotCode() + "\n" + l.unit() + "\n" + l.quantity(), l);
        }
        return new ExposureReport.Shipment(
                a.dispatchId(),
                a.customerId(),
                a.customerName(),
                a.shippedAt(),
                List.copyOf(lines.values()));
    }

    private static ExposureReport.MadeLot madeLot(String id, JsonNode doc) {
        JsonNode balance = doc == null ? null : doc.get("balance");
        String lotCode = Documents.text(doc, "lotCode");
        return new ExposureReport.MadeLot(
                lotCode == null ? id : lotCode,
                Documents.text(doc, "materialCode"),
                Documents.text(doc, "workOrderId"),
                Documents.time(doc, "producedAt"),
                Documents.number(doc, "quantity"),
                Documents.text(doc, "unit"),
                Documents.number(balance, "remaining"),
                Documents.number(doc, "unitCost"),
                Documents.text(doc, "currency"));
    }

    /** Per customer, what the exposure shipped to it. */
    private static final class CustomerTotals {
        final String customerId;
        final String customerName;
        final Set<String> dispatchIds = new TreeSet<>();
        final Map<String, Double> byUnit = new TreeMap<>();
        final Set<String> counted = new TreeSet<>();
        Instant first;
        Instant last;

        CustomerTotals(String customerId, String customerName) {
            this.customerId = customerId;
            this.customerName = customerName;
        }

        void add(ExposureReport.Shipment s) {
            dispatchIds.add(s.dispatchId());
            for (ExposureReport.Line line : s.lines()) {
                // one line reached from two raw lots counts once
                if (counted.add(s.dispatchId() + "\n" + line.lotCode() + "\n" + line.unit())) {
                    byUnit.merge(String.valueOf(line.unit()), line.quantity(), Double::sum);
                }
            }
            if (s.shippedAt() != null) {
                first = first == null || s.shippedAt().isBefore(first) ? s.shippedAt() : first;
                last = last == null || s.shippedAt().isAfter(last) ? s.shippedAt() : last;
            }
        }

        ExposureReport.Customer toCustomer() {
            return new ExposureReport.Customer(
                    customerId, customerName, List.copyOf(dispatchIds), byUnit, first, last);
        }
    }

    private JsonNode get(TraceIndex index, String id) {
        GetResponse<JsonNode> response =
                call(index, () -> client.get(g -> g.index(index.alias()).id(id), JsonNode.class));
        return response.found() ? response.source() : null;
    }

    private static Query term(String field, String value) {
        return Query.of(q -> q.term(t -> t.field(field).value(value)));
    }

    /** Every hit of a query, in pages sorted on the document's unique key. */
    private void searchAll(
            TraceIndex index, Query query, String keyField, Consumer<Hit<JsonNode>> onHit) {
        List<FieldValue> after = null;
        while (true) {
            List<FieldValue> searchAfter = after;
            SearchResponse<JsonNode> page =
                    call(
                            index,
                            () ->
                                    client.search(
                                            s -> {
                                                s.index(index.alias())
                                                        .query(query)
                                                        .size(PAGE_SIZE)
                                                        .sort(
                                                                o ->
                                                                        o.field(
                                                                                f ->
                                                                                        f.field(
                                                                                                        keyField)
                                                                                                .order(
                                                                                                        SortOrder
                                                                                                                .Asc)))
                                                        .sort(
                                                                o ->
                                                                        o.doc(
                                                                                d ->
                                                                                        d.order(
                                                                                                SortOrder
                                                                                                        .Asc)));
                                                if (searchAfter != null) {
                                                    s.searchAfter(searchAfter);
                                                }
                                                return s;
                                            },
                                            JsonNode.class));
            List<Hit<JsonNode>> hits = page.hits().hits();
            hits.forEach(onHit);
            if (hits.size() < PAGE_SIZE) {
                return;
            }
            after = hits.get(hits.size() - 1).sort();
        }
    }

    @FunctionalInterface
    private interface Call<T> {
        T call() throws IOException;
    }

    private <T> T call(TraceIndex index, Call<T> call) {
        try {
            return call.call();
        } catch (ElasticsearchException e) {
            String type = e.error() == null ? null : e.error().type();
            throw new TraceQueryException(
                    TraceQueryException.Reason.ELASTICSEARCH_UNAVAILABLE,
                    "index_not_found_exception".equals(type)
                            ? "Elasticsearch at "
                                    + where
                                    + " has no index "
                                    + index.alias()
                                    + ": the trace indices are created by 'bin/trace stack up'"
                                    + " (local) or when the pipeline job starts"
                            : "Elasticsearch at "
                                    + where
                                    + " refused a query on "
                                    + index.alias()
                                    + ": "
                                    + e.getMessage(),
                    e);
        } catch (TransportException e) {
            throw new TraceQueryException(
                    TraceQueryException.Reason.ELASTICSEARCH_UNAVAILABLE,
                    "Elasticsearch at " + where + " answered status " + e.statusCode(),
                    e);
        } catch (IOException e) {
            throw new TraceQueryException(
                    TraceQueryException.Reason.ELASTICSEARCH_UNAVAILABLE,
                    "cannot reach Elasticsearch at "
                            + where
                            + " ("
                            + e.getMessage()
                            + "). Start the local stack with: bin/trace stack up",
                    e);
        }
    }

    private static long millisSince(long startNanos) {
        return Math.round((System.nanoTime() - startNanos) / 1_000_000.0);
    }

    @Override
    public void close() throws IOException {
        if (owns) {
            client.close();
        }
    }
}
