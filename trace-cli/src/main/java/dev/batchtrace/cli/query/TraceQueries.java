package dev.batchtrace.cli.query;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.FieldValue;
import co.elastic.clients.elasticsearch._types.SortOptions;
import co.elastic.clients.elasticsearch._types.SortOrder;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import co.elastic.clients.elasticsearch.core.GetResponse;
import co.elastic.clients.elasticsearch.core.MgetResponse;
import co.elastic.clients.elasticsearch.core.SearchRequest;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.mget.MultiGetResponseItem;
import co.elastic.clients.elasticsearch.core.search.Hit;
import co.elastic.clients.transport.TransportException;
import co.elastic.clients.transport.rest5_client.low_level.ResponseException;
import co.elastic.clients.transport.rest5_client.low_level.Rest5Client;
import dev.batchtrace.connectors.elasticsearch.ElasticsearchClients;
import dev.batchtrace.connectors.elasticsearch.ElasticsearchSettings;
import dev.batchtrace.connectors.elasticsearch.TraceIndex;
import java.io.IOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The quality team's trace questions, answered from the trace documents in Elasticsearch (the
 * {@code trace-lots} and {@code trace-shipments} aliases). Every document carries its upstream
 * closure, so each question is one term query per index; levels are derived client-side from the
 * fetched documents' direct inputs. Each answer carries the time spent in Elasticsearch calls.
 *
 * <p>Used by {@code bin/trace lot}, {@code bin/trace customers}, {@code bin/trace recall} and the
 * demo.
 */
public final class TraceQueries implements AutoCloseable {

    /** Page size of term queries; larger answers are read in pages (search_after). */
    static final int PAGE_SIZE = 2_000;

    /** A limit that shows every shipment of an answer. */
    public static final int ALL = 0;

    /** Ids per mget request: bounds the request for lots with thousands of ancestors. */
    static final int MGET_CHUNK = 1_000;

    /** The typed client: given, or made from {@link #rest} at its first use. */
    private ElasticsearchClient client;

    /** With {@link #open}: the low-level client, which {@link #lotPage} uses alone. */
    private final Rest5Client rest;

    private final String where;

    /** The settings the client was opened with (messages name its credentials), or null. */
    private final ElasticsearchSettings settings;

    private final boolean ownsClient;
    private final int pageSize;

    /** Queries through a client the caller keeps and closes; {@code where} names it in errors. */
    public TraceQueries(ElasticsearchClient client, String where) {
        this(client, where, null, false, PAGE_SIZE);
    }

    /** With another page size: tests use a tiny one to exercise paging. */
    TraceQueries(ElasticsearchClient client, String where, int pageSize) {
        this(client, where, null, false, pageSize);
    }

    private TraceQueries(
            ElasticsearchClient client,
            String where,
            ElasticsearchSettings settings,
            boolean ownsClient,
            int pageSize) {
        this(client, null, where, settings, ownsClient, pageSize);
    }

    private TraceQueries(
            ElasticsearchClient client,
            Rest5Client rest,
            String where,
            ElasticsearchSettings settings,
            boolean ownsClient,
            int pageSize) {
        this.client = client;
        this.rest = rest;
        this.where = where;
        this.settings = settings;
        this.ownsClient = ownsClient;
        this.pageSize = pageSize;
    }

    /** Opens a client from the settings; {@link #close()} closes it. */
    public static TraceQueries open(ElasticsearchSettings settings) {
        // the typed client is made when a question needs it: trace lot asks without it
        return new TraceQueries(
                null,
                ElasticsearchClients.restClient(settings),
                String.join(",", settings.hosts()),
                settings,
                true,
                PAGE_SIZE);
    }

    /** Backward and forward trace of one lot. */
    public LotTrace lot(String lotCode) {
        BackwardTrace backward = backward(lotCode);
        ForwardTrace forward = forwardOf(lotCode);
        return new LotTrace(lotCode, backward, forward, backward.tookMs() + forward.tookMs());
    }

    /** Most lots made from a lot or shipped lots one request asks about (the result window). */
    private static final int TERMS_CHUNK = 5_000;

    /**
     * {@code trace lot CODE} without {@code --all}: the backward trace in full, and of the forward
     * trace only what the page shows. One {@code _msearch} asks at once for the lot, the first
     * {@code limit} lots made from it (nested {@code ancestors} entry of the lot, sorted by that
     * entry's depth, then lot code) with their count per level, how many lots name it in their
     * closure, the first {@code limit} shipments with every customer's totals (as {@code trace
     * customers}), and whether a hub holds it; then its ancestors (mget) and which of the shown
     * shipments' lots were made from it go out together. Requests go through the client's low-level
     * REST client ({@link RawRequests}); the explorer, graph and export keep {@link #lot(String)}.
     *
     * @param limit lots and shipments shown, at least 1 (at most 10000, the result window)
     * @throws TraceQueryException NOT_FOUND when the lot has no document
     */
    public LotPage lotPage(String lotCode, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, not " + limit);
        }
        RawRequests raw;
        synchronized (this) {
            raw = client == null ? RawRequests.of(rest) : RawRequests.of(client);
        }
        if (raw == null) {
            return LotPage.of(lot(lotCode), limit);
        }
        long start = System.nanoTime();
        List<JsonNode> lines = new ArrayList<>();
        lines.add(header(raw, TraceIndex.LOTS));
        ObjectNode root = raw.object();
        root.put("size", 1);
        root.putObject("query").putObject("ids").putArray("values").add(lotCode);
        strings(root.putArray("_source"), rootLotFields());
        lines.add(root);
        lines.add(header(raw, TraceIndex.LOTS));
        lines.add(madeFromPage(raw, lotCode, limit));
        lines.add(header(raw, TraceIndex.LOTS));
        lines.add(count(raw, "ancestorLotCodes", lotCode));
        lines.add(header(raw, TraceIndex.SHIPMENTS));
        lines.add(shipmentPage(raw, lotCode, limit));
        lines.add(header(raw, TraceIndex.CLOSURES));
        lines.add(count(raw, "lotCode", lotCode));
        RawRequests.Pending first = raw.msearch(lines);
        JsonNode answers =
                answered(TraceIndex.LOTS, new Stopwatch().time(TraceIndex.LOTS, first::await))
                        .path("responses");

        JsonNode rootHits = item(answers, 0, TraceIndex.LOTS).path("hits").path("hits");
        if (rootHits.isEmpty()) {
            throw lotNotFound(lotCode);
        }
        JsonNode rootSource = rootHits.get(0).path("_source");
        JsonNode made = item(answers, 1, TraceIndex.LOTS);
        long closureCount = total(item(answers, 2, TraceIndex.LOTS));
        JsonNode shipped = item(answers, 3, TraceIndex.SHIPMENTS);
        long hubsHolding = total(item(answers, 4, TraceIndex.CLOSURES));

        long madeCount = total(made);
        Map<Integer, Long> byLevel = new TreeMap<>();
        long levelled = 0;
        boolean depthsValid = true;
        for (JsonNode bucket :
                made.path("aggregations")
                        .path("ancestors")
                        .path("of")
                        .path("depth")
                        .path("buckets")
                        .values()) {
            int depth = bucket.path("key").asInt();
            long lots = bucket.path("lots").path("doc_count").asLong();
            depthsValid &= depth >= 1;
            byLevel.merge(depth, lots, Long::sum);
            levelled += lots;
        }
        // Hubs (silo lots whose closures live in trace-closures) reach lots and shipments that do
        // not name the lot, and a lot without its depth (or with two) cannot be placed by the
        // sort: in either case the forward trace is read in full, as --all does, and paged here.
        boolean paged =
                hubsHolding == 0
                        && !rootSource.path("hub").asBoolean(false)
                        && depthsValid
                        && madeCount == closureCount
                        && levelled == madeCount;
        java.util.concurrent.CompletableFuture<ForwardTrace> fullForward =
                paged
                        ? null
                        : java.util.concurrent.CompletableFuture.supplyAsync(
                                () -> forwardOf(lotCode));

        // the shown shipments' lots that were made from it: the table's VIA LOTS
        List<JsonNode> shipmentHits = new ArrayList<>();
        shipped.path("hits").path("hits").values().forEach(shipmentHits::add);
        List<RawRequests.Pending> carrierLookups = new ArrayList<>();
        if (paged) {
            Set<String> shippedLots = new TreeSet<>();
            shipmentHits.forEach(
                    hit -> shippedLots.addAll(Documents.strings(hit.path("_source"), "lotCodes")));
            shippedLots.remove(lotCode);
            List<String> codes = List.copyOf(shippedLots);
            for (int from = 0; from < codes.size(); from += TERMS_CHUNK) {
                List<String> chunk =
                        codes.subList(from, Math.min(codes.size(), from + TERMS_CHUNK));
                carrierLookups.add(
                        raw.send(
                                "POST",
                                "/" + TraceIndex.LOTS.alias() + "/_search",
                                Map.of(),
                                carriersAmong(raw, lotCode, chunk)));
            }
        }

        Stopwatch backwardWatch = new Stopwatch();
        backwardWatch.nanos += first.millis() * 1_000_000L;
        BackwardTrace backward =
                backwardFrom(
                        lotCode,
                        rootSource,
                        backwardWatch,
                        (watch, ids) -> rawMget(raw, watch, ids));

        ForwardPage forward;
        if (paged) {
            Set<String> carriers = new TreeSet<>();
            carriers.add(lotCode);
            long carrierMs = 0;
            Stopwatch watch = new Stopwatch();
            for (RawRequests.Pending lookup : carrierLookups) {
                JsonNode answer =
                        answered(TraceIndex.LOTS, watch.time(TraceIndex.LOTS, lookup::await));
                answer.path("hits")
                        .path("hits")
                        .values()
                        .forEach(hit -> carriers.add(hit.path("_id").asString()));
                carrierMs = Math.max(carrierMs, lookup.millis());
            }
            List<ShipmentSummary> shipments = new ArrayList<>();
            for (JsonNode hit : shipmentHits) {
                JsonNode source = hit.path("_source");
                List<String> via =
                        Documents.strings(source, "lotCodes").stream()
                                .filter(carriers::contains)
                                .sorted()
                                .toList();
                shipments.add(Documents.shipment(hit.path("_id").asString(), source, via));
            }
            List<LotSummary> lots = new ArrayList<>();
            for (JsonNode hit : made.path("hits").path("hits").values()) {
                JsonNode depth = hit.path("sort").path(0);
                Integer level =
                        depth.isNumber() && depth.asLong() >= 1 && depth.asLong() < 1_000_000
                                ? depth.asInt()
                                : null;
                lots.add(
                        Documents.lot(hit.path("_id").asString(), hit.path("_source"))
                                .withLevel(level));
            }
            forward =
                    new ForwardPage(
                            lotCode,
                            lots,
                            CustomerShipments.group(shipments),
                            Math.toIntExact(total(shipped)),
                            first.millis() + carrierMs,
                            madeCount,
                            byLevel,
                            CustomerTotals.read(
                                    shipped.path("aggregations").path(CUSTOMERS_AGGREGATION)));
        } else {
            try {
                forward = ForwardPage.of(fullForward.join(), limit);
            } catch (java.util.concurrent.CompletionException e) {
                if (e.getCause() instanceof RuntimeException cause) {
                    throw cause;
                }
                throw e;
            }
        }
        return new LotPage(
                lotCode, backward, forward, Math.round((System.nanoTime() - start) / 1e6));
    }

    private static ObjectNode header(RawRequests raw, TraceIndex index) {
        ObjectNode header = raw.object();
        header.put("index", index.alias());
        return header;
    }

    private static void strings(tools.jackson.databind.node.ArrayNode array, List<String> values) {
        values.forEach(array::add);
    }

    private static ObjectNode term(ObjectNode parent, String field, String value) {
        parent.putObject("term").put(field, value);
        return parent;
    }

    /** How many documents have {@code field} = {@code value} (exactly). */
    private static ObjectNode count(RawRequests raw, String field, String value) {
        ObjectNode body = raw.object();
        body.put("size", 0);
        body.put("track_total_hits", true);
        term(body.putObject("query"), field, value);
        return body;
    }

    /**
     * The first {@code limit} lots whose nested {@code ancestors} name the lot, by that entry's
     * depth then lot code, the printed fields only; every such lot counted (total) and counted per
     * depth (nested aggregation, reverse_nested to count lots, not entries).
     */
    private static ObjectNode madeFromPage(RawRequests raw, String lotCode, int limit) {
        ObjectNode body = raw.object();
        body.put("size", limit);
        body.put("track_total_hits", true);
        ObjectNode nested =
                body.putObject("query")
                        .putObject("bool")
                        .putArray("filter")
                        .addObject()
                        .putObject("nested");
        nested.put("path", "ancestors");
        term(nested.putObject("query"), "ancestors.lotCode", lotCode);
        ObjectNode byDepth = body.putArray("sort").addObject().putObject("ancestors.depth");
        byDepth.put("order", "asc");
        byDepth.put("mode", "min");
        ObjectNode sortNested = byDepth.putObject("nested");
        sortNested.put("path", "ancestors");
        term(sortNested.putObject("filter"), "ancestors.lotCode", lotCode);
        ((tools.jackson.databind.node.ArrayNode) body.get("sort"))
                .addObject()
                .put("lotCode", "asc");
        strings(body.putArray("_source"), Documents.LOT_FIELDS);
        ObjectNode ancestors = body.putObject("aggs").putObject("ancestors");
        ancestors.putObject("nested").put("path", "ancestors");
        ObjectNode of = ancestors.putObject("aggs").putObject("of");
        term(of.putObject("filter"), "ancestors.lotCode", lotCode);
        ObjectNode depth = of.putObject("aggs").putObject("depth");
        ObjectNode terms = depth.putObject("terms");
        terms.put("field", "ancestors.depth");
        terms.put("size", 10_000);
        terms.putObject("order").put("_key", "asc");
        depth.putObject("aggs").putObject("lots").putObject("reverse_nested");
        return body;
    }

    /**
     * The first {@code limit} shipments of {@code trace customers --lot} (same sort and totals).
     */
    private static ObjectNode shipmentPage(RawRequests raw, String lotCode, int limit) {
        ObjectNode body = raw.object();
        body.put("size", limit);
        body.put("track_total_hits", true);
        term(body.putObject("query"), "ancestorLotCodes", lotCode);
        tools.jackson.databind.node.ArrayNode sort = body.putArray("sort");
        for (String field : List.of("customerId", "shippedAt", "dispatchId")) {
            sort.addObject().put(field, "asc");
        }
        strings(body.putArray("_source"), Documents.SHIPMENT_FIELDS);
        CustomerTotals.aggregationBody(body.putObject("aggs").putObject(CUSTOMERS_AGGREGATION));
        return body;
    }

    /** Which of {@code lotCodes} were made from the lot (their closure names it). */
    private static ObjectNode carriersAmong(
            RawRequests raw, String lotCode, List<String> lotCodes) {
        ObjectNode body = raw.object();
        body.put("size", lotCodes.size());
        body.put("_source", false);
        tools.jackson.databind.node.ArrayNode filter =
                body.putObject("query").putObject("bool").putArray("filter");
        strings(filter.addObject().putObject("terms").putArray("lotCode"), lotCodes);
        term(filter.addObject(), "ancestorLotCodes", lotCode);
        return body;
    }

    /**
     * The body of a request's answer, unless it is an error ({@code {"error": ..., "status": 401}}:
     * the low-level client hands some error statuses, such as a refused password, back as answers).
     */
    private JsonNode answered(TraceIndex index, JsonNode body) {
        if (body.has("error")) {
            throw rawFailure(index, body.path("status").asInt(-1), body);
        }
        return body;
    }

    /** One answer of an {@code _msearch}; its error as the typed client's would read. */
    private JsonNode item(JsonNode answers, int index, TraceIndex of) {
        JsonNode answer = answers.path(index);
        if (answer.has("error") || answer.isMissingNode()) {
            throw rawFailure(of, answer.path("status").asInt(-1), answer);
        }
        return answer;
    }

    private static long total(JsonNode answer) {
        return answer.path("hits").path("total").path("value").asLong();
    }

    /** Lot summaries by code through the low-level client: every chunk's mget sent at once. */
    private Map<String, LotSummary> rawMget(RawRequests raw, Stopwatch watch, List<String> ids) {
        List<RawRequests.Pending> chunks = new ArrayList<>();
        for (int from = 0; from < ids.size(); from += MGET_CHUNK) {
            ObjectNode body = raw.object();
            strings(
                    body.putArray("ids"),
                    ids.subList(from, Math.min(ids.size(), from + MGET_CHUNK)));
            chunks.add(
                    raw.send(
                            "POST",
                            "/" + TraceIndex.LOTS.alias() + "/_mget",
                            Map.of("_source_includes", String.join(",", Documents.LOT_FIELDS)),
                            body));
        }
        Map<String, LotSummary> found = new TreeMap<>();
        for (RawRequests.Pending chunk : chunks) {
            JsonNode docs =
                    answered(TraceIndex.LOTS, watch.time(TraceIndex.LOTS, chunk::await))
                            .path("docs");
            for (JsonNode doc : docs.values()) {
                if (doc.has("error")) {
                    throw failure(TraceIndex.LOTS, Documents.text(doc.path("error"), "type"), null);
                }
                if (doc.path("found").asBoolean(false) && doc.has("_source")) {
                    String id = doc.path("_id").asString();
                    found.put(id, Documents.lot(id, doc.path("_source")));
                }
            }
        }
        return found;
    }

    /**
     * An error answer of a request sent through {@link RawRequests} ({@code {"error": {"type": ...,
     * "reason": ...}, "status": ...}}), worded as {@link #failure} words the typed client's.
     */
    private TraceQueryException rawFailure(TraceIndex index, int status, JsonNode answer) {
        JsonNode error = answer.path("error");
        String type =
                error.isObject() ? Documents.text(error, "type") : Documents.text(answer, "error");
        String detail =
                error.isObject()
                        ? type + ": " + Documents.text(error, "reason")
                        : "status " + status;
        if ("index_not_found_exception".equals(type)) {
            return failure(index, type, null);
        }
        if (status == 401 || status == 403) {
            return refused(index, status, detail, detail, null);
        }
        return new TraceQueryException(
                TraceQueryException.Reason.ELASTICSEARCH_UNAVAILABLE,
                "Elasticsearch at "
                        + where
                        + " failed to answer a query on "
                        + index.alias()
                        + ": "
                        + detail,
                null);
    }

    /**
     * What went into the lot: its document, then every ancestor of its closure in one mget.
     *
     * @throws TraceQueryException NOT_FOUND when the lot has no document
     */
    public BackwardTrace backward(String lotCode) {
        Stopwatch elasticsearch = new Stopwatch();
        GetResponse<JsonNode> root =
                elasticsearch.time(
                        TraceIndex.LOTS,
                        () ->
                                client().get(
                                                g ->
                                                        g.index(TraceIndex.LOTS.alias())
                                                                .id(lotCode)
                                                                .sourceIncludes(rootLotFields()),
                                                JsonNode.class));
        if (!root.found() || root.source() == null) {
            throw lotNotFound(lotCode);
        }
        return backwardFrom(lotCode, root.source(), elasticsearch, this::mget);
    }

    /** Reads lot documents by code: the found ones as summaries, by code. */
    @FunctionalInterface
    private interface LotReader {
        Map<String, LotSummary> read(Stopwatch elasticsearch, List<String> lotCodes);
    }

    /**
     * The backward trace from the lot's document ({@link #rootLotFields()}): the members of the
     * hubs in its closure, then every ancestor read by {@code reader}.
     */
    private BackwardTrace backwardFrom(
            String lotCode, JsonNode rootSource, Stopwatch elasticsearch, LotReader reader) {
        LotSummary lot = Documents.lot(lotCode, rootSource);
        Set<String> ancestorCodes =
                new TreeSet<>(Documents.strings(rootSource, "ancestorLotCodes"));
        // direct inputs belong to the closure even while the closure lags behind the edges
        ancestorCodes.addAll(lot.inputLotCodes());
        // hubs (silos) keep their closures in trace-closures: their members, at the hub's depth
        // plus theirs
        Map<String, Integer> hubDepths = new TreeMap<>();
        Documents.ancestorDepths(rootSource)
                .forEach(
                        (code, depth) -> {
                            if (Documents.strings(rootSource, "ancestorHubs").contains(code)) {
                                hubDepths.put(code, depth);
                            }
                        });
        if (rootSource.path("hub").asBoolean(false)) {
            hubDepths.put(lotCode, 0);
        }
        Map<String, Integer> memberDepths =
                hubDepths.isEmpty() ? Map.of() : hubMembers(elasticsearch, hubDepths);
        ancestorCodes.addAll(memberDepths.keySet());
        ancestorCodes.remove(lotCode);

        Map<String, LotSummary> found =
                ancestorCodes.isEmpty()
                        ? Map.of()
                        : reader.read(elasticsearch, List.copyOf(ancestorCodes));

        Map<String, List<String>> inputs = new TreeMap<>();
        inputs.put(lotCode, lot.inputLotCodes());
        found.values().forEach(a -> inputs.put(a.lotCode(), a.inputLotCodes()));
        Map<String, Integer> levels = Genealogy.levels(lotCode, inputs, ancestorCodes);
        // where a chain is broken (an intermediate lot not indexed yet), the depth the pipeline
        // stored in the lot's nested ancestors still gives the level
        Documents.ancestorDepths(rootSource).forEach(levels::putIfAbsent);
        memberDepths.forEach(levels::putIfAbsent);
        List<LotSummary> ancestors =
                found.values().stream()
                        .map(a -> a.withLevel(levels.get(a.lotCode())))
                        .sorted(BY_LEVEL_THEN_CODE)
                        .toList();
        List<String> notIndexed =
                ancestorCodes.stream().filter(code -> !found.containsKey(code)).toList();
        return new BackwardTrace(lot, ancestors, notIndexed, elasticsearch.millis());
    }

    /** Lot summaries by code: mget in chunks (a lot can have thousands of ancestors). */
    private Map<String, LotSummary> mget(Stopwatch elasticsearch, List<String> ids) {
        Map<String, LotSummary> found = new TreeMap<>();
        sources(elasticsearch, TraceIndex.LOTS, ids, Documents.LOT_FIELDS)
                .forEach((id, source) -> found.put(id, Documents.lot(id, source)));
        return found;
    }

    /**
     * Where the lot went: one term query on {@code trace-lots} and one on {@code trace-shipments}
     * ({@code ancestorLotCodes} = the lot).
     *
     * @throws TraceQueryException NOT_FOUND when nothing was made from it, nothing shipped it and
     *     the lot itself has no document
     */
    public ForwardTrace forward(String lotCode) {
        ForwardTrace forward = forwardOf(lotCode);
        if (forward.lots().isEmpty() && forward.shipmentCount() == 0) {
            requireLot(lotCode);
        }
        return forward;
    }

    private ForwardTrace forwardOf(String lotCode) {
        Stopwatch elasticsearch = new Stopwatch();
        List<LotSummary> made = new ArrayList<>();
        Set<String> hubs = hubsContaining(elasticsearch, term("lotCode", lotCode), null);
        searchAll(
                elasticsearch,
                TraceIndex.LOTS,
                orThroughHubs(term("ancestorLotCodes", lotCode), hubs, true),
                "lotCode",
                Documents.LOT_FIELDS,
                hit -> made.add(Documents.lot(hit.id(), hit.source())));
        Set<String> madeCodes = new TreeSet<>();
        made.forEach(l -> madeCodes.add(l.lotCode()));
        Map<String, Integer> levels =
                Genealogy.levels(lotCode, Genealogy.children(made), madeCodes);
        List<LotSummary> lots =
                made.stream()
                        .map(l -> l.withLevel(levels.get(l.lotCode())))
                        .sorted(BY_LEVEL_THEN_CODE)
                        .toList();

        Set<String> carriers = new TreeSet<>(madeCodes);
        carriers.add(lotCode);
        List<ShipmentSummary> shipments = new ArrayList<>();
        searchAll(
                elasticsearch,
                TraceIndex.SHIPMENTS,
                orThroughHubs(term("ancestorLotCodes", lotCode), hubs, false),
                "dispatchId",
                Documents.SHIPMENT_FIELDS,
                hit -> {
                    List<String> via =
                            Documents.strings(hit.source(), "lotCodes").stream()
                                    .filter(carriers::contains)
                                    .sorted()
                                    .toList();
                    shipments.add(Documents.shipment(hit.id(), hit.source(), via));
                });
        return new ForwardTrace(
                lotCode,
                lots,
                CustomerShipments.group(shipments),
                shipments.size(),
                elasticsearch.millis());
    }

    /**
     * Customers who received product made from supplier X's lot Y: one term query on {@code
     * trace-shipments} {@code ancestorSupplierLots} = "X/Y", the combined key that a shipment
     * holding X's lot Z and another supplier's lot Y does not match.
     *
     * @throws TraceQueryException NOT_FOUND when no shipment matches and no lot of ours is X's lot
     *     Y
     */
    public CustomersAnswer customersOfSupplierLot(String supplierId, String supplierLotCode) {
        return customersOfSupplierLot(supplierId, supplierLotCode, ALL);
    }

    /**
     * {@link #customersOfSupplierLot(String, String)} showing the first {@code limit} shipments (by
     * customer, then oldest first; {@link #ALL} for every one), with every customer's totals: a
     * bulk lot's answer fetches one page, not thousands of shipments.
     */
    public CustomersAnswer customersOfSupplierLot(
            String supplierId, String supplierLotCode, int limit) {
        String key = supplierId + "/" + supplierLotCode;
        Stopwatch elasticsearch = new Stopwatch();
        // Which of our lots a shipment carries of that supplier lot: when we have one lot of it
        // (the
        // usual case), every matching shipment carries that one and its ancestors are not fetched
        // (a bulk lot's shipments carry thousands each); otherwise they are read per shipment.
        List<String> ourLots = lotsOfSupplierLot(elasticsearch, supplierId, supplierLotCode);
        boolean oneLot = ourLots.size() == 1;
        List<String> fields = new ArrayList<>(Documents.SHIPMENT_FIELDS);
        if (!oneLot) {
            fields.add("ancestors");
        }
        List<ShipmentSummary> shipments = new ArrayList<>();
        // our lots of that supplier lot inside hubs (silos), and the hubs that hold them
        Set<String> memberLots = new TreeSet<>();
        Set<String> hubs = hubsContaining(elasticsearch, term("supplierLot", key), memberLots);
        ShipmentPage page =
                shipments(
                        elasticsearch,
                        orThroughHubs(term("ancestorSupplierLots", key), hubs, false),
                        fields,
                        limit,
                        hit -> {
                            List<String> via =
                                    oneLot
                                            ? ourLots
                                            : Documents.ancestorsOfSupplierLot(
                                                    hit.source(), supplierId, supplierLotCode);
                            shipments.add(
                                    Documents.shipment(
                                            hit.id(),
                                            hit.source(),
                                            via.isEmpty() ? List.copyOf(memberLots) : via));
                        });
        // no shipment, and no lot of ours is that supplier lot (read above): unknown
        if (page.total() == 0 && ourLots.isEmpty()) {
            throw new TraceQueryException(
                    TraceQueryException.Reason.NOT_FOUND,
                    "supplier "
                            + supplierId
                            + "'s lot "
                            + supplierLotCode
                            + " is unknown or not yet indexed: no lot in "
                            + TraceIndex.LOTS.alias()
                            + " at "
                            + where
                            + " has supplierId "
                            + supplierId
                            + " and supplierLotCode "
                            + supplierLotCode,
                    null);
        }
        List<CustomerShipments> customers = CustomerShipments.group(shipments);
        return new CustomersAnswer(
                supplierId,
                supplierLotCode,
                null,
                "ancestorSupplierLots : \"" + key + "\"",
                customers,
                page.total(),
                elasticsearch.millis(),
                page.totals(customers));
    }

    /**
     * Customers who received our lot or product made from it: one term query on {@code
     * trace-shipments} {@code ancestorLotCodes}.
     *
     * @throws TraceQueryException NOT_FOUND when no shipment matches and the lot has no document
     */
    public CustomersAnswer customersOfLot(String lotCode) {
        return customersOfLot(lotCode, ALL);
    }

    /** {@link #customersOfLot(String)} showing the first {@code limit} shipments (see above). */
    public CustomersAnswer customersOfLot(String lotCode, int limit) {
        Stopwatch elasticsearch = new Stopwatch();
        List<ShipmentSummary> shipments = new ArrayList<>();
        Set<String> hubs = hubsContaining(elasticsearch, term("lotCode", lotCode), null);
        ShipmentPage page =
                shipments(
                        elasticsearch,
                        orThroughHubs(term("ancestorLotCodes", lotCode), hubs, false),
                        Documents.SHIPMENT_FIELDS,
                        limit,
                        hit ->
                                shipments.add(
                                        Documents.shipment(
                                                hit.id(), hit.source(), List.of(lotCode))));
        List<CustomerShipments> customers = CustomerShipments.group(shipments);
        CustomersAnswer answer =
                new CustomersAnswer(
                        null,
                        null,
                        lotCode,
                        "ancestorLotCodes : \"" + lotCode + "\"",
                        customers,
                        page.total(),
                        elasticsearch.millis(),
                        page.totals(customers));
        if (page.total() == 0) {
            requireLot(lotCode);
        }
        return answer;
    }

    /**
     * The mock-recall report of a flagged lot: its document, then one term query per index
     * (trace-lots and trace-shipments on {@code ancestorLotCodes}, trace-alerts on {@code
     * flaggedLotCode} and status OPEN), each read in full in pages.
     *
     * @throws TraceQueryException NOT_FOUND when the lot has no document
     */
    public RecallReport recall(String lotCode) {
        long start = System.nanoTime();
        Instant generatedAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Stopwatch elasticsearch = new Stopwatch();
        List<String> lotFields = new ArrayList<>(Documents.LOT_FIELDS);
        lotFields.addAll(Documents.RECALL_LOT_FIELDS);
        GetResponse<JsonNode> root =
                elasticsearch.time(
                        TraceIndex.LOTS,
                        () ->
                                client().get(
                                                g ->
                                                        g.index(TraceIndex.LOTS.alias())
                                                                .id(lotCode)
                                                                .sourceIncludes(lotFields),
                                                JsonNode.class));
        if (!root.found() || root.source() == null) {
            throw lotNotFound(lotCode);
        }
        FlaggedLot flagged = Documents.flaggedLot(lotCode, root.source());

        List<AffectedLot> made = new ArrayList<>();
        Set<String> hubs = hubsContaining(elasticsearch, term("lotCode", lotCode), null);
        searchAll(
                elasticsearch,
                TraceIndex.LOTS,
                orThroughHubs(term("ancestorLotCodes", lotCode), hubs, true),
                "lotCode",
                lotFields,
                hit -> made.add(Documents.affectedLot(hit.id(), hit.source())));
        Set<String> affectedCodes = new TreeSet<>();
        affectedCodes.add(lotCode);
        made.forEach(l -> affectedCodes.add(l.lotCode()));

        List<String> shipmentFields = new ArrayList<>(Documents.SHIPMENT_FIELDS);
        shipmentFields.addAll(Documents.RECALL_SHIPMENT_FIELDS);
        // a shipment's closure holds its shipped lots, so the second term only matters for
        // documents whose closure lags behind their lines
        Query carried =
                Query.of(
                        q ->
                                q.bool(
                                        b ->
                                                b.should(
                                                                orThroughHubs(
                                                                        term(
                                                                                "ancestorLotCodes",
                                                                                lotCode),
                                                                        hubs,
                                                                        false))
                                                        .should(term("lotCodes", lotCode))
                                                        .minimumShouldMatch("1")));
        List<AffectedShipment> shipments = new ArrayList<>();
        searchAll(
                elasticsearch,
                TraceIndex.SHIPMENTS,
                carried,
                "dispatchId",
                shipmentFields,
                hit ->
                        shipments.add(
                                Documents.affectedShipment(hit.id(), hit.source(), affectedCodes)));

        Query openAlerts =
                Query.of(
                        q ->
                                q.bool(
                                        b ->
                                                b.filter(term("flaggedLotCode", lotCode))
                                                        .filter(term("status", "OPEN"))));
        List<RecallAlert> alerts = new ArrayList<>();
        searchAll(
                elasticsearch,
                TraceIndex.ALERTS,
                openAlerts,
                "alertId",
                Documents.ALERT_FIELDS,
                hit -> alerts.add(Documents.alert(hit.id(), hit.source())));

        return RecallReport.assemble(
                flagged,
                made,
                shipments,
                alerts,
                generatedAt,
                elasticsearch.millis(),
                Math.round((System.nanoTime() - start) / 1_000_000.0));
    }

    /**
     * Lots of one product or material received or produced in [from, to] (either end may be null):
     * one query on {@code trace-lots}.
     */
    public List<LotSummary> lotsOfProduct(String materialCode, Instant from, Instant to) {
        Stopwatch elasticsearch = new Stopwatch();
        List<Query> when = new ArrayList<>();
        for (String field : List.of("receivedAt", "producedAt")) {
            when.add(
                    Query.of(
                            q ->
                                    q.range(
                                            r ->
                                                    r.date(
                                                            d -> {
                                                                d.field(field);
                                                                if (from != null) {
                                                                    d.gte(from.toString());
                                                                }
                                                                if (to != null) {
                                                                    d.lte(to.toString());
                                                                }
                                                                return d;
                                                            }))));
        }
        Query query =
                Query.of(
                        q ->
                                q.bool(
                                        b ->
                                                b.filter(term("materialCode", materialCode))
                                                        .should(when)
                                                        .minimumShouldMatch("1")));
        List<LotSummary> lots = new ArrayList<>();
        searchAll(
                elasticsearch,
                TraceIndex.LOTS,
                query,
                "lotCode",
                Documents.LOT_FIELDS,
                hit -> lots.add(Documents.lot(hit.id(), hit.source())));
        return lots;
    }

    /**
     * The documents of the given lots with quantity, site, line and balance (mget in chunks), in
     * the order asked; lots without a document are left out.
     */
    public List<LotRecord> lotRecords(java.util.Collection<String> lotCodes) {
        Stopwatch elasticsearch = new Stopwatch();
        List<String> fields = new ArrayList<>(Documents.LOT_FIELDS);
        fields.addAll(List.of("quantity", "unit", "site", "lineId", "balance", "receiptIds"));
        List<String> ids = List.copyOf(new java.util.LinkedHashSet<>(lotCodes));
        Map<String, LotRecord> found = new java.util.HashMap<>();
        sources(elasticsearch, TraceIndex.LOTS, ids, fields)
                .forEach(
                        (id, source) ->
                                found.put(
                                        id,
                                        new LotRecord(
                                                Documents.lot(id, source),
                                                Documents.number(source, "quantity"),
                                                Documents.text(source, "unit"),
                                                Documents.text(source, "site"),
                                                Documents.text(source, "lineId"),
                                                Documents.balance(source),
                                                Documents.strings(source, "receiptIds"))));
        return ids.stream().map(found::get).filter(r -> r != null).toList();
    }

    /**
     * Lots and shipments whose identifiers match a search box text (case-insensitive exact or
     * prefix match on codes, word match on names): one query per index, at most {@code max} hits
     * each. "X/Y" also matches supplier X's lot Y and the shipments made from it.
     */
    public SearchAnswer search(String text, int max) {
        String q = text == null ? "" : text.strip();
        if (q.isEmpty()) {
            return new SearchAnswer(q, List.of(), 0, List.of(), 0, 0);
        }
        Stopwatch elasticsearch = new Stopwatch();
        List<Query> lotMatches = new ArrayList<>();
        lotMatches.add(exact("lotCode", q, 10f));
        lotMatches.add(prefix("lotCode", q));
        for (String field :
                List.of("supplierLotCode", "workOrderId", "materialCode", "supplierId")) {
            lotMatches.add(exact(field, q, 2f));
        }
        lotMatches.add(words("materialName", q));
        lotMatches.add(words("supplierName", q));
        List<Query> shipmentMatches = new ArrayList<>();
        shipmentMatches.add(exact("dispatchId", q, 10f));
        shipmentMatches.add(prefix("dispatchId", q));
        shipmentMatches.add(exact("customerId", q, 5f));
        shipmentMatches.add(exact("lotCodes", q, 2f));
        shipmentMatches.add(words("customerName", q));
        shipmentMatches.add(words("destination", q));
        int slash = q.indexOf('/');
        if (slash > 0 && slash < q.length() - 1) {
            String supplierId = q.substring(0, slash).strip();
            String supplierLotCode = q.substring(slash + 1).strip();
            lotMatches.add(
                    Query.of(
                            x ->
                                    x.bool(
                                            b ->
                                                    b.filter(exact("supplierId", supplierId, 1f))
                                                            .filter(
                                                                    exact(
                                                                            "supplierLotCode",
                                                                            supplierLotCode,
                                                                            1f))
                                                            .boost(10f))));
            // the combined key, as the customers question uses it (case as written)
            shipmentMatches.add(term("ancestorSupplierLots", supplierId + "/" + supplierLotCode));
        }
        List<LotSummary> lots = new ArrayList<>();
        long lotTotal =
                searchFirst(
                        elasticsearch,
                        TraceIndex.LOTS,
                        anyOf(lotMatches),
                        max,
                        Documents.LOT_FIELDS,
                        hit -> lots.add(Documents.lot(hit.id(), hit.source())));
        List<ShipmentSummary> shipments = new ArrayList<>();
        long shipmentTotal =
                searchFirst(
                        elasticsearch,
                        TraceIndex.SHIPMENTS,
                        anyOf(shipmentMatches),
                        max,
                        Documents.SHIPMENT_FIELDS,
                        hit ->
                                shipments.add(
                                        Documents.shipment(hit.id(), hit.source(), List.of())));
        return new SearchAnswer(
                q, lots, lotTotal, shipments, shipmentTotal, elasticsearch.millis());
    }

    /**
     * The newest alerts of {@code trace-alerts}, open and resolved: the {@code max} last raised and
     * the {@code max} last resolved, newest first (a resolution changes an old alert).
     */
    public List<RecallAlert> latestAlerts(int max) {
        Stopwatch elasticsearch = new Stopwatch();
        Map<String, RecallAlert> alerts = new java.util.LinkedHashMap<>();
        for (String field : List.of("raisedAt", "resolvedAt")) {
            SearchResponse<JsonNode> page =
                    elasticsearch.time(
                            TraceIndex.ALERTS,
                            () ->
                                    client().search(
                                                    s ->
                                                            s.index(TraceIndex.ALERTS.alias())
                                                                    .query(
                                                                            Query.of(
                                                                                    x ->
                                                                                            x
                                                                                                    .exists(
                                                                                                            e ->
                                                                                                                    e
                                                                                                                            .field(
                                                                                                                                    field))))
                                                                    .size(max)
                                                                    .sort(
                                                                            o ->
                                                                                    o.field(
                                                                                            f ->
                                                                                                    f.field(
                                                                                                                    field)
                                                                                                            .order(
                                                                                                                    SortOrder
                                                                                                                            .Desc)))
                                                                    .source(
                                                                            src ->
                                                                                    src.filter(
                                                                                            f ->
                                                                                                    f
                                                                                                            .includes(
                                                                                                                    Documents
                                                                                                                            .ALERT_FIELDS))),
                                                    JsonNode.class));
            for (Hit<JsonNode> hit : page.hits().hits()) {
                RecallAlert alert = Documents.alert(hit.id(), hit.source());
                alerts.putIfAbsent(alert.alertId(), alert);
            }
        }
        return alerts.values().stream()
                .sorted(
                        Comparator.comparing(
                                        RecallAlert::raisedAt,
                                        Comparator.nullsLast(Comparator.reverseOrder()))
                                .thenComparing(RecallAlert::alertId))
                .toList();
    }

    /** The first {@code max} hits by score; returns the total number of matches. */
    private long searchFirst(
            Stopwatch elasticsearch,
            TraceIndex index,
            Query query,
            int max,
            List<String> fields,
            Consumer<Hit<JsonNode>> onHit) {
        SearchResponse<JsonNode> page =
                elasticsearch.time(
                        index,
                        () ->
                                client().search(
                                                s ->
                                                        s.index(index.alias())
                                                                .query(query)
                                                                .size(max)
                                                                .trackTotalHits(
                                                                        t -> t.enabled(true))
                                                                .source(
                                                                        src ->
                                                                                src.filter(
                                                                                        f ->
                                                                                                f
                                                                                                        .includes(
                                                                                                                fields))),
                                                JsonNode.class));
        page.hits().hits().forEach(onHit);
        return page.hits().total() == null
                ? page.hits().hits().size()
                : page.hits().total().value();
    }

    private static Query anyOf(List<Query> queries) {
        return Query.of(q -> q.bool(b -> b.should(queries).minimumShouldMatch("1")));
    }

    /** Codes are keywords; people type them in any case. */
    private static Query exact(String field, String value, float boost) {
        return Query.of(
                q -> q.term(t -> t.field(field).value(value).caseInsensitive(true).boost(boost)));
    }

    private static Query prefix(String field, String value) {
        return Query.of(q -> q.prefix(p -> p.field(field).value(value).caseInsensitive(true)));
    }

    private static Query words(String field, String value) {
        return Query.of(
                q ->
                        q.match(
                                m ->
                                        m.field(field)
                                                .query(value)
                                                .operator(
                                                        co.elastic.clients.elasticsearch._types
                                                                .query_dsl.Operator.And)));
    }

    @Override
    public void close() throws IOException {
        if (ownsClient) {
            ElasticsearchClient typed;
            synchronized (this) {
                typed = client;
            }
            if (typed != null) {
                typed.close();
            } else {
                rest.close();
            }
        }
    }

    /** The typed client, made over {@link #rest} at the first call when not given. */
    private synchronized ElasticsearchClient client() {
        if (client == null) {
            client = ElasticsearchClients.create(rest);
        }
        return client;
    }

    private static final Comparator<LotSummary> BY_LEVEL_THEN_CODE =
            Comparator.comparing(LotSummary::level, Comparator.nullsLast(Comparator.naturalOrder()))
                    .thenComparing(LotSummary::lotCode);

    private static List<String> rootLotFields() {
        List<String> fields = new ArrayList<>(Documents.LOT_FIELDS);
        fields.add("ancestorLotCodes");
        fields.add("ancestors");
        fields.add("ancestorHubs");
        fields.add("hub");
        return fields;
    }

    private void requireLot(String lotCode) {
        boolean exists =
                new Stopwatch()
                        .time(
                                TraceIndex.LOTS,
                                () ->
                                        client().exists(
                                                        e ->
                                                                e.index(TraceIndex.LOTS.alias())
                                                                        .id(lotCode))
                                                .value());
        if (!exists) {
            throw lotNotFound(lotCode);
        }
    }

    private TraceQueryException lotNotFound(String lotCode) {
        return new TraceQueryException(
                TraceQueryException.Reason.NOT_FOUND,
                "lot "
                        + lotCode
                        + " is unknown or not yet indexed: "
                        + TraceIndex.LOTS.alias()
                        + " at "
                        + where
                        + " has no document with that lot code (lot codes are case-sensitive;"
                        + " a lot appears once the pipeline has processed its receipt, production"
                        + " or consumption)",
                null);
    }

    /** Lots by QC status and/or by a machine run (machine, alarm, time window): one query. */
    public MadeLots madeHow(MadeHowQuery query) {
        if (query.isEmpty()) {
            throw new IllegalArgumentException(
                    "name at least one of --qc-status, --machine, --alarm, --from, --to");
        }
        Stopwatch elasticsearch = new Stopwatch();
        List<Query> filters = new ArrayList<>();
        if (query.qcStatus() != null) {
            filters.add(term("qcStatus", query.qcStatus()));
        }
        if (query.byMachineRun()) {
            Query byRunSummary = nested("machineRuns", and(runFilters(query, "machineRuns.")));
            if (query.alarmCode() == null) {
                // a run whose PLC sent nothing has no summary: its lots' machine and work-order
                // window answer "made on M between t1 and t2" too
                Query byLot = and(runFilters(query, ""));
                filters.add(
                        Query.of(
                                q ->
                                        q.bool(
                                                b ->
                                                        b.should(byRunSummary)
                                                                .should(byLot)
                                                                .minimumShouldMatch("1"))));
            } else {
                filters.add(byRunSummary);
            }
        }
        List<MadeLot> lots = new ArrayList<>();
        searchAll(
                elasticsearch,
                TraceIndex.LOTS,
                and(filters),
                "lotCode",
                List.of(
                        "lotCode",
                        "materialCode",
                        "materialName",
                        "workOrderId",
                        "producedAt",
                        "machineIds",
                        "workOrderStartedAt",
                        "workOrderCompletedAt",
                        "qcStatus",
                        "qcChecks",
                        "machineRuns"),
                hit -> lots.add(madeLot(hit.source(), query)));
        return new MadeLots(query, lots, elasticsearch.millis());
    }

    /** The conditions on one run (and its alarm): the same rules server- and client-side. */
    private static List<Query> runFilters(MadeHowQuery query, String prefix) {
        // prefix "machineRuns.": a run summary; "": the lot's own machines and work-order window
        boolean summary = !prefix.isEmpty();
        String machineField = summary ? prefix + "machineId" : "machineIds";
        String startedField = summary ? prefix + "startedAt" : "workOrderStartedAt";
        String completedField = summary ? prefix + "completedAt" : "workOrderCompletedAt";
        List<Query> run = new ArrayList<>();
        if (query.machineId() != null) {
            run.add(term(machineField, query.machineId()));
        }
        if (query.alarmCode() != null) {
            List<Query> alarm = new ArrayList<>();
            alarm.add(term(prefix + "alarms.code", query.alarmCode()));
            if (query.to() != null) {
                alarm.add(before(prefix + "alarms.firstAt", query.to()));
            }
            if (query.from() != null) {
                alarm.add(after(prefix + "alarms.lastAt", query.from()));
            }
            run.add(nested(prefix + "alarms", and(alarm)));
        } else {
            if (query.to() != null) {
                run.add(before(startedField, query.to()));
            }
            if (query.from() != null) {
                // a run still going (no completedAt) reaches every later time
                String completed = completedField;
                Query stillGoing =
                        Query.of(
                                q ->
                                        q.bool(
                                                b ->
                                                        b.mustNot(
                                                                Query.of(
                                                                        e ->
                                                                                e.exists(
                                                                                        x ->
                                                                                                x
                                                                                                        .field(
                                                                                                                completed))))));
                Query endsAfter = after(completed, query.from());
                run.add(
                        Query.of(
                                q ->
                                        q.bool(
                                                b ->
                                                        b.should(endsAfter)
                                                                .should(stillGoing)
                                                                .minimumShouldMatch("1"))));
            }
        }
        return run;
    }

    private static MadeLot madeLot(JsonNode source, MadeHowQuery query) {
        List<String> failed = new ArrayList<>();
        for (JsonNode check : Documents.nodes(source, "qcChecks")) {
            if ("FAIL".equals(Documents.text(check, "result"))) {
                failed.add(
                        Documents.text(check, "checkId")
                                + " "
                                + Documents.text(check, "characteristic"));
            }
        }
        List<MadeLot.Run> runs = new ArrayList<>();
        for (JsonNode run : Documents.nodes(source, "machineRuns")) {
            if (query.machineId() != null
                    && !query.machineId().equals(Documents.text(run, "machineId"))) {
                continue;
            }
            List<MadeLot.Alarm> alarms = new ArrayList<>();
            for (JsonNode alarm : Documents.nodes(run, "alarms")) {
                String code = Documents.text(alarm, "code");
                if (query.alarmCode() == null || query.alarmCode().equals(code)) {
                    alarms.add(
                            new MadeLot.Alarm(
                                    code,
                                    alarm.path("count").asLong(),
                                    Documents.time(alarm, "firstAt"),
                                    Documents.time(alarm, "lastAt"),
                                    Documents.text(alarm, "highestSeverity")));
                }
            }
            if (query.alarmCode() != null && alarms.isEmpty()) {
                continue;
            }
            runs.add(
                    new MadeLot.Run(
                            Documents.text(run, "workOrderId"),
                            Documents.text(run, "machineId"),
                            Documents.time(run, "startedAt"),
                            Documents.time(run, "completedAt"),
                            run.path("eventCount").asLong(),
                            alarms));
        }
        return new MadeLot(
                Documents.text(source, "lotCode"),
                Documents.text(source, "materialCode"),
                Documents.text(source, "materialName"),
                Documents.text(source, "workOrderId"),
                Documents.time(source, "producedAt"),
                Documents.strings(source, "machineIds"),
                Documents.time(source, "workOrderStartedAt"),
                Documents.time(source, "workOrderCompletedAt"),
                Documents.text(source, "qcStatus"),
                failed,
                runs);
    }

    private static Query and(List<Query> filters) {
        return Query.of(q -> q.bool(b -> b.filter(filters)));
    }

    private static Query nested(String path, Query query) {
        return Query.of(q -> q.nested(n -> n.path(path).query(query)));
    }

    private static Query before(String field, Instant time) {
        return Query.of(q -> q.range(r -> r.date(d -> d.field(field).lte(time.toString()))));
    }

    private static Query after(String field, Instant time) {
        return Query.of(q -> q.range(r -> r.date(d -> d.field(field).gte(time.toString()))));
    }

    private static Query term(String field, String value) {
        return Query.of(q -> q.term(t -> t.field(field).value(value)));
    }

    /** Every hit of a query, in pages sorted on the document's unique key. */
    /**
     * Hubs whose closure has a member matching {@code member} (a term on trace-closures), and the
     * hubs that hold those hubs, to the end; {@code members} (when not null) collects the matching
     * members' lot codes. No hub: one query that finds nothing.
     */
    /** Our lots that are supplier X's lot Y (usually one), sorted. */
    private List<String> lotsOfSupplierLot(
            Stopwatch elasticsearch, String supplierId, String supplierLotCode) {
        Query supplierLot =
                Query.of(
                        q ->
                                q.bool(
                                        b ->
                                                b.filter(term("supplierId", supplierId))
                                                        .filter(
                                                                term(
                                                                        "supplierLotCode",
                                                                        supplierLotCode))));
        Set<String> lots = new TreeSet<>();
        searchAll(
                elasticsearch,
                TraceIndex.LOTS,
                supplierLot,
                "lotCode",
                List.of("lotCode"),
                hit -> lots.add(hit.source().path("lotCode").asString()));
        return List.copyOf(lots);
    }

    private Set<String> hubsContaining(Stopwatch elasticsearch, Query member, Set<String> members) {
        Set<String> hubs = new TreeSet<>();
        List<String> found = new ArrayList<>();
        searchAll(
                elasticsearch,
                TraceIndex.CLOSURES,
                member,
                "hubLotCode",
                List.of("hubLotCode", "lotCode"),
                hit -> {
                    found.add(hit.source().path("hubLotCode").asString());
                    if (members != null) {
                        members.add(hit.source().path("lotCode").asString());
                    }
                });
        while (!found.isEmpty()) {
            List<String> next = new ArrayList<>();
            for (String hub : found) {
                if (hubs.add(hub)) {
                    next.add(hub);
                }
            }
            found.clear();
            if (next.isEmpty()) {
                break;
            }
            List<FieldValue> codes = next.stream().map(FieldValue::of).toList();
            searchAll(
                    elasticsearch,
                    TraceIndex.CLOSURES,
                    Query.of(q -> q.terms(t -> t.field("lotCode").terms(v -> v.value(codes)))),
                    "hubLotCode",
                    List.of("hubLotCode"),
                    hit -> found.add(hit.source().path("hubLotCode").asString()));
        }
        return hubs;
    }

    /**
     * {@code direct} or, through hubs, a document that names one of {@code hubs} in {@code
     * ancestorHubs} (or, for lots, is one of them).
     */
    private static Query orThroughHubs(Query direct, Set<String> hubs, boolean lots) {
        if (hubs.isEmpty()) {
            return direct;
        }
        List<FieldValue> codes = hubs.stream().map(FieldValue::of).toList();
        return Query.of(
                q ->
                        q.bool(
                                b -> {
                                    b.should(direct)
                                            .should(
                                                    s ->
                                                            s.terms(
                                                                    t ->
                                                                            t.field("ancestorHubs")
                                                                                    .terms(
                                                                                            v ->
                                                                                                    v
                                                                                                            .value(
                                                                                                                    codes))));
                                    if (lots) {
                                        b.should(
                                                s ->
                                                        s.terms(
                                                                t ->
                                                                        t.field("lotCode")
                                                                                .terms(
                                                                                        v ->
                                                                                                v
                                                                                                        .value(
                                                                                                                codes))));
                                    }
                                    return b.minimumShouldMatch("1");
                                }));
    }

    /**
     * The members of the given hubs' closures (and of hubs inside them), each at the smallest
     * depth: the hub's depth plus the member's.
     */
    private Map<String, Integer> hubMembers(Stopwatch elasticsearch, Map<String, Integer> hubs) {
        Map<String, Integer> depths = new TreeMap<>();
        java.util.ArrayDeque<Map.Entry<String, Integer>> queue =
                new java.util.ArrayDeque<>(hubs.entrySet());
        Set<String> expanded = new TreeSet<>();
        while (!queue.isEmpty()) {
            Map.Entry<String, Integer> hub = queue.poll();
            if (!expanded.add(hub.getKey())) {
                continue;
            }
            searchAll(
                    elasticsearch,
                    TraceIndex.CLOSURES,
                    term("hubLotCode", hub.getKey()),
                    "lotCode",
                    List.of("lotCode", "depth", "hub"),
                    hit -> {
                        String code = hit.source().path("lotCode").asString();
                        int depth = hub.getValue() + hit.source().path("depth").asInt(1);
                        depths.merge(code, depth, Math::min);
                        if (hit.source().path("hub").asBoolean(false)) {
                            queue.add(Map.entry(code, depth));
                        }
                    });
        }
        return depths;
    }

    /**
     * The matching shipments, or with a {@code limit} only the first ones (by customer, then oldest
     * first) and every customer's totals from one terms aggregation.
     */
    private ShipmentPage shipments(
            Stopwatch elasticsearch,
            Query query,
            List<String> fields,
            int limit,
            Consumer<Hit<JsonNode>> onHit) {
        if (limit <= ALL) {
            long[] count = {0};
            searchAll(
                    elasticsearch,
                    TraceIndex.SHIPMENTS,
                    query,
                    "dispatchId",
                    fields,
                    hit -> {
                        count[0]++;
                        onHit.accept(hit);
                    });
            return new ShipmentPage(Math.toIntExact(count[0]), null);
        }
        boolean docValues = readsDocValues(fields, "dispatchId");
        SearchResponse<JsonNode> page =
                elasticsearch.time(
                        TraceIndex.SHIPMENTS,
                        () ->
                                client().search(
                                                s ->
                                                        fetch(
                                                                s.index(
                                                                                TraceIndex.SHIPMENTS
                                                                                        .alias())
                                                                        .query(query)
                                                                        .size(limit)
                                                                        .trackTotalHits(
                                                                                t ->
                                                                                        t.enabled(
                                                                                                true))
                                                                        .sort(
                                                                                ascending(
                                                                                        "customerId"))
                                                                        .sort(
                                                                                ascending(
                                                                                        "shippedAt"))
                                                                        .sort(
                                                                                ascending(
                                                                                        "dispatchId"))
                                                                        .aggregations(
                                                                                CUSTOMERS_AGGREGATION,
                                                                                CustomerTotals
                                                                                        .aggregation()),
                                                                fields,
                                                                docValues),
                                                JsonNode.class));
        summaries(
                        elasticsearch,
                        TraceIndex.SHIPMENTS,
                        page.hits().hits(),
                        fields,
                        "dispatchId",
                        docValues)
                .forEach(onHit);
        long total =
                page.hits().total() == null
                        ? page.hits().hits().size()
                        : page.hits().total().value();
        return new ShipmentPage(
                Math.toIntExact(total),
                CustomerTotals.read(page.aggregations().get(CUSTOMERS_AGGREGATION)));
    }

    private static final String CUSTOMERS_AGGREGATION = "customers";

    /** Whether a page reads its fields from doc values ({@link DocValueHits}). */
    private static boolean readsDocValues(List<String> fields, String keyField) {
        return DocValueHits.covers(fields) && fields.contains(keyField);
    }

    /** What each hit brings: its doc values (no stored fields at all), or its filtered source. */
    private static SearchRequest.Builder fetch(
            SearchRequest.Builder search, List<String> fields, boolean docValues) {
        if (docValues) {
            return search.source(src -> src.fetch(false))
                    .storedFields("_none_")
                    .docvalueFields(DocValueHits.columns(fields));
        }
        return search.source(src -> src.filter(f -> f.includes(fields)));
    }

    /**
     * The page's hits with their fields as {@code source}: built from doc values, except the few
     * whose text value is over the keyword cap, read from their source in one request.
     */
    private List<Hit<JsonNode>> summaries(
            Stopwatch elasticsearch,
            TraceIndex index,
            List<Hit<JsonNode>> hits,
            List<String> fields,
            String keyField,
            boolean docValues) {
        if (!docValues) {
            return hits;
        }
        List<Hit<JsonNode>> built = new ArrayList<>(hits.size());
        List<String> unsure = new ArrayList<>();
        for (Hit<JsonNode> hit : hits) {
            Hit<JsonNode> summary = DocValueHits.withSource(hit, fields, keyField);
            built.add(summary);
            if (DocValueHits.needsSource(summary.source(), fields)) {
                unsure.add(summary.id());
            }
        }
        if (unsure.isEmpty()) {
            return built;
        }
        Map<String, JsonNode> sources = sources(elasticsearch, index, unsure, fields);
        List<Hit<JsonNode>> read = new ArrayList<>(built.size());
        for (Hit<JsonNode> hit : built) {
            JsonNode source = sources.get(hit.id());
            read.add(source == null ? hit : DocValueHits.withSource(hit, hit.id(), source));
        }
        return read;
    }

    /** The filtered sources of documents by id. */
    private Map<String, JsonNode> sources(
            Stopwatch elasticsearch, TraceIndex index, List<String> ids, List<String> fields) {
        Map<String, JsonNode> found = new TreeMap<>();
        for (int from = 0; from < ids.size(); from += MGET_CHUNK) {
            List<String> chunk = ids.subList(from, Math.min(ids.size(), from + MGET_CHUNK));
            MgetResponse<JsonNode> docs =
                    elasticsearch.time(
                            index,
                            () ->
                                    client().mget(
                                                    m ->
                                                            m.index(index.alias())
                                                                    .ids(chunk)
                                                                    .sourceIncludes(fields),
                                                    JsonNode.class));
            for (MultiGetResponseItem<JsonNode> item : docs.docs()) {
                if (item.isFailure()) {
                    throw failure(index, item.failure().error().type(), null);
                }
                if (item.result().found() && item.result().source() != null) {
                    found.put(item.result().id(), item.result().source());
                }
            }
        }
        return found;
    }

    private static SortOptions ascending(String field) {
        return SortOptions.of(o -> o.field(f -> f.field(field).order(SortOrder.Asc)));
    }

    /**
     * @param total every matching shipment
     * @param customerTotals every customer's totals, or null when every shipment was read
     */
    private record ShipmentPage(int total, List<CustomerTotal> customerTotals) {
        /** The totals: from the aggregation, or from every shipment when all were read. */
        List<CustomerTotal> totals(List<CustomerShipments> shown) {
            return customerTotals != null ? customerTotals : CustomerTotal.of(shown);
        }
    }

    private void searchAll(
            Stopwatch elasticsearch,
            TraceIndex index,
            Query query,
            String keyField,
            List<String> fields,
            Consumer<Hit<JsonNode>> onHit) {
        List<FieldValue> after = null;
        boolean docValues = readsDocValues(fields, keyField);
        while (true) {
            List<FieldValue> searchAfter = after;
            SearchResponse<JsonNode> page =
                    elasticsearch.time(
                            index,
                            () ->
                                    client().search(
                                                    s -> {
                                                        s.index(index.alias())
                                                                .query(query)
                                                                .size(pageSize)
                                                                .sort(
                                                                        o ->
                                                                                o.field(
                                                                                        f ->
                                                                                                f.field(
                                                                                                                keyField)
                                                                                                        .order(
                                                                                                                SortOrder
                                                                                                                        .Asc)));
                                                        fetch(s, fields, docValues);
                                                        if (searchAfter != null) {
                                                            s.searchAfter(searchAfter);
                                                        }
                                                        return s;
                                                    },
                                                    JsonNode.class));
            List<Hit<JsonNode>> hits = page.hits().hits();
            summaries(elasticsearch, index, hits, fields, keyField, docValues).forEach(onHit);
            if (hits.size() < pageSize) {
                return;
            }
            after = hits.get(hits.size() - 1).sort();
        }
    }

    /** One Elasticsearch call whose failures become messages an operator can act on. */
    @FunctionalInterface
    private interface Call<T> {
        T call() throws IOException;
    }

    /** Sums the time spent inside Elasticsearch calls (not the formatting around them). */
    private final class Stopwatch {
        private long nanos;

        <T> T time(TraceIndex index, Call<T> call) {
            long start = System.nanoTime();
            try {
                return call.call();
            } catch (ElasticsearchException e) {
                throw failure(index, e.error() == null ? null : e.error().type(), e);
            } catch (TransportException e) {
                throw failure(index, "status " + e.statusCode(), e);
            } catch (ResponseException e) {
                // an error status of a request sent through RawRequests
                throw rawFailure(index, e.getResponse().getStatusCode(), RawRequests.errorBody(e));
            } catch (IOException e) {
                throw unreachable(e);
            } finally {
                nanos += System.nanoTime() - start;
            }
        }

        long millis() {
            return Math.round(nanos / 1_000_000.0);
        }
    }

    private TraceQueryException unreachable(IOException e) {
        for (Throwable t = e; t != null && settings != null; t = t.getCause()) {
            if (t instanceof javax.net.ssl.SSLException) {
                // a trust problem, not a server that is down: say which keys to check
                return new TraceQueryException(
                        TraceQueryException.Reason.ELASTICSEARCH_UNAVAILABLE,
                        ElasticsearchClients.explain(settings, e).getMessage(),
                        e);
            }
        }
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        String reason = root.getMessage() != null ? root.getMessage() : root.toString();
        return new TraceQueryException(
                TraceQueryException.Reason.ELASTICSEARCH_UNAVAILABLE,
                "cannot reach Elasticsearch at "
                        + where
                        + " ("
                        + reason
                        + "). Start the local stack with: bin/trace stack up"
                        + " (or point --elasticsearch-url / --config at your cluster)",
                e);
    }

    private TraceQueryException failure(TraceIndex index, String type, Exception e) {
        if ("index_not_found_exception".equals(type)) {
            return new TraceQueryException(
                    TraceQueryException.Reason.ELASTICSEARCH_UNAVAILABLE,
                    "Elasticsearch at "
                            + where
                            + " has no index "
                            + index.alias()
                            + ": the trace indices are created by 'bin/trace stack up' (local)"
                            + " or when the pipeline job starts (IndexTemplates.install)",
                    e);
        }
        int status =
                e instanceof ElasticsearchException es
                        ? es.status()
                        : e instanceof TransportException t ? t.statusCode() : -1;
        if (status == 401 || status == 403) {
            return refused(
                    index,
                    status,
                    e instanceof ElasticsearchException es && es.error() != null
                            ? es.error().type() + ": " + es.error().reason()
                            : e.getMessage(),
                    e.getMessage() == null ? type : e.getMessage(),
                    e);
        }
        return new TraceQueryException(
                TraceQueryException.Reason.ELASTICSEARCH_UNAVAILABLE,
                "Elasticsearch at "
                        + where
                        + " failed to answer a query on "
                        + index.alias()
                        + ": "
                        + (e == null || e.getMessage() == null ? type : e.getMessage()),
                e);
    }

    /**
     * A 401/403: with settings, the message names the user or key ({@link
     * ElasticsearchClients#authFailureMessage}); without, what to check.
     *
     * @param detail the server's error, for the message with settings
     * @param refusal the refusal as the client saw it, for the message without
     */
    private TraceQueryException refused(
            TraceIndex index, int status, String detail, String refusal, Exception cause) {
        if (settings != null) {
            return new TraceQueryException(
                    TraceQueryException.Reason.ELASTICSEARCH_UNAVAILABLE,
                    ElasticsearchClients.authFailureMessage(settings, status, detail)
                            + " (reading "
                            + index.alias()
                            + "; the keys go in the --config file)",
                    cause);
        }
        return new TraceQueryException(
                TraceQueryException.Reason.ELASTICSEARCH_UNAVAILABLE,
                "Elasticsearch at "
                        + where
                        + " refused the request ("
                        + refusal
                        + "): check elasticsearch.api-key or elasticsearch.username/password"
                        + " in the --config file, and that the user may read "
                        + index.alias(),
                cause);
    }
}
