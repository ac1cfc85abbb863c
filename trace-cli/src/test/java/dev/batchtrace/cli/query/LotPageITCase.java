package dev.batchtrace.cli.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import dev.batchtrace.cli.CliRun;
import dev.batchtrace.connectors.elasticsearch.ElasticsearchClients;
import dev.batchtrace.connectors.elasticsearch.ElasticsearchSettings;
import dev.batchtrace.connectors.elasticsearch.IndexTemplates;
import dev.batchtrace.connectors.elasticsearch.TraceIndex;
import dev.batchtrace.lineage.documents.TraceDocument;
import dev.batchtrace.lineage.reference.LineageReference;
import dev.batchtrace.stack.TestServers;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;

/**
 * {@code trace lot} without {@code --all}: the page (one search on the nested ancestors, sorted by
 * depth, counted per depth; the first shipments with every customer's totals) against the full read
 * of {@link TraceQueries#lot(String)} on the same documents in the real Elasticsearch node.
 *
 * <pre>
 *   R ─┬─ X1 ─┬─ B1 ─┬─ A1 ── shipments of A1, X2, B2 to customers C1..C3
 *      ├─ X2 ─┤      └─ A2
 *      ├─ X3  └─ B2
 *      └────────── B3 (inputs X3 and R: level 1 by R, but named B to sort before the X lots)
 *   Q ── Q1 (an older document: its nested ancestors carry no depth)
 * </pre>
 *
 * Level 2 and 3 lots are named to sort before level 1 ones by code: only the depth sort puts them
 * after. A silo history (lineage reference documents) covers the hub fallback.
 */
class LotPageITCase {

    private static final String P = "LP" + Long.toString(System.nanoTime(), 36).toUpperCase() + "-";
    private static final Instant DAY = Instant.parse("2026-11-02T06:00:00Z");

    private static ElasticsearchClient client;
    private static TraceQueries queries;
    private static String url;

    /** The genealogy: lot -> its direct inputs. */
    private static final Map<String, List<String>> INPUTS = new LinkedHashMap<>();

    @BeforeAll
    static void seed() throws Exception {
        url = TestServers.elasticsearchUrl();
        client = ElasticsearchClients.create(ElasticsearchSettings.forHosts(url));
        IndexTemplates.install(client, line -> {});
        queries = new TraceQueries(client, url);

        INPUTS.put("R", List.of());
        INPUTS.put("X1", List.of("R"));
        INPUTS.put("X2", List.of("R"));
        INPUTS.put("X3", List.of("R"));
        INPUTS.put("B1", List.of("X1", "X2"));
        INPUTS.put("B2", List.of("X1"));
        INPUTS.put("B3", List.of("X3", "R"));
        INPUTS.put("A1", List.of("B1"));
        INPUTS.put("A2", List.of("B1"));
        for (String lot : INPUTS.keySet()) {
            put(TraceIndex.LOTS, lot, lotDoc(lot, true));
        }
        // ship A1 (level 3), X2 (level 1) and B2 (level 2) to three customers, in hours 1..9
        String[][] shipments = {
            {"D1", "C2", "A1"},
            {"D2", "C1", "X2"},
            {"D3", "C3", "B2"},
            {"D4", "C1", "A1"},
            {"D5", "C2", "X2"},
            {"D6", "C1", "B2"},
            {"D7", "C3", "A1"},
            {"D8", "C2", "B2"},
            {"D9", "C1", "X2"},
        };
        for (int i = 0; i < shipments.length; i++) {
            String[] s = shipments[i];
            put(TraceIndex.SHIPMENTS, s[0], shipment(s[0], s[1], 9 - i, s[2]));
        }
        // Q1 from Q, written before the pipeline stored depths: the page cannot sort it
        put(TraceIndex.LOTS, "Q", Map.of("lotCode", P + "Q", "kind", "PURCHASED"));
        Map<String, Object> q1 = new TreeMap<>();
        q1.put("lotCode", P + "Q1");
        q1.put("kind", "PRODUCED");
        q1.put("inputLotCodes", List.of(P + "Q"));
        q1.put("ancestorLotCodes", List.of(P + "Q"));
        q1.put("ancestors", List.of(Map.of("lotCode", P + "Q")));
        put(TraceIndex.LOTS, "Q1", q1);

        // a silo: the deliveries' closures live in trace-closures
        List<Object> events = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            events.add(HubQueriesITCase.receipt(P + "M" + i, P + "MILL", "K" + i));
            events.add(HubQueriesITCase.wo(P + "T" + i + "c", P + "TIP-" + i, true, P + "M" + i));
            events.add(HubQueriesITCase.wo(P + "T" + i + "p", P + "TIP-" + i, false, P + "SILO"));
        }
        for (String b : List.of("A", "B")) {
            events.add(HubQueriesITCase.wo(P + b + "c", P + "WO-" + b, true, P + "SILO"));
            events.add(HubQueriesITCase.wo(P + b + "p", P + "WO-" + b, false, P + "F" + b));
            events.add(HubQueriesITCase.dispatch(P + "S" + b, P + "CS" + b, P + "F" + b));
        }
        for (TraceDocument doc : LineageReference.documents(events, 3).values()) {
            if (!doc.isDeletion()) {
                client.index(i -> i.index(doc.index()).id(doc.documentId()).document(doc.source()));
            }
        }
        client.indices()
                .refresh(
                        r ->
                                r.index(
                                        TraceIndex.LOTS.alias(),
                                        TraceIndex.SHIPMENTS.alias(),
                                        TraceIndex.CLOSURES.alias()));
    }

    @AfterAll
    static void disconnect() throws Exception {
        if (client != null) {
            client.close();
        }
    }

    @Test
    void aPageShowsTheFirstLotsByDepthThenCodeAndCountsThemAll() {
        LotTrace full = queries.lot(P + "R");
        LotPage page = queries.lotPage(P + "R", 4);

        List<LotSummary> every = full.forward().lots();
        assertEquals(8, every.size(), "the full read sees every lot made from R");
        assertEquals(4, page.forward().lots().size(), "the limit");
        assertEquals(every.subList(0, 4), page.forward().lots(), "the full read's first lots");
        assertEquals(every.size(), page.forward().lotCount());
        Map<Integer, Long> byLevel = new TreeMap<>();
        every.forEach(l -> byLevel.merge(l.level(), 1L, Long::sum));
        assertEquals(byLevel, page.forward().lotsByLevel());
        assertEquals(Map.of(1, 4L, 2, 2L, 3, 2L), page.forward().lotsByLevel());

        // by depth, then code: B3 (made from R directly) first, then the X lots, B1 and B2 later
        assertEquals(
                List.of("B3", "X1", "X2", "X3"),
                page.forward().lots().stream().map(l -> unprefixed(l.lotCode())).toList());
        assertEquals(
                List.of(1, 1, 1, 1),
                page.forward().lots().stream().map(LotSummary::level).toList());
        List<String> whole =
                queries.lotPage(P + "R", 100).forward().lots().stream()
                        .map(l -> l.level() + " " + unprefixed(l.lotCode()))
                        .toList();
        assertEquals(
                List.of("1 B3", "1 X1", "1 X2", "1 X3", "2 B1", "2 B2", "3 A1", "3 A2"), whole);
        assertEquals(every, queries.lotPage(P + "R", 100).forward().lots());
    }

    @Test
    void aPageShowsTheFirstShipmentsWithEveryCustomersTotals() {
        ForwardTrace full = queries.lot(P + "R").forward();
        ForwardPage page = queries.lotPage(P + "R", 4).forward();

        List<ShipmentSummary> every = shipments(full.customers());
        assertEquals(9, every.size());
        assertEquals(every.size(), page.shipmentCount());
        assertEquals(4, page.shownShipmentCount(), "the limit");
        // the same first shipments (by customer, then oldest first), with the same lots via
        assertEquals(every.subList(0, 4), shipments(page.customers()));
        assertEquals(
                List.of("D9", "D6", "D4", "D2"),
                shipments(page.customers()).stream().map(s -> unprefixed(s.dispatchId())).toList());
        assertEquals(List.of(P + "X2"), shipments(page.customers()).get(0).matchedLotCodes());
        assertEquals(CustomerTotal.of(full.customers()), page.customerTotals());
        assertEquals(3, page.customerTotals().size());
        // as trace customers --lot pages them
        CustomersAnswer customers = queries.customersOfLot(P + "R", 4);
        assertEquals(customers.customerTotals(), page.customerTotals());
        assertEquals(
                shipments(customers.customers()).stream().map(ShipmentSummary::dispatchId).toList(),
                shipments(page.customers()).stream().map(ShipmentSummary::dispatchId).toList());

        ForwardPage all = queries.lotPage(P + "R", 10_000).forward();
        assertEquals(full.customers(), all.customers());
        assertTrue(all.allLotsShown() && all.allShipmentsShown());
    }

    @Test
    void theBackwardTraceIsTheFullOne() {
        for (String lot : List.of("A1", "B3", "R")) {
            BackwardTrace full = queries.backward(P + lot);
            BackwardTrace paged = queries.lotPage(P + lot, 1).backward();
            assertEquals(full.lot(), paged.lot(), lot);
            assertEquals(full.ancestors(), paged.ancestors(), lot);
            assertEquals(full.notIndexedLotCodes(), paged.notIndexedLotCodes(), lot);
        }
        assertEquals(4, queries.lotPage(P + "A1", 1).backward().ancestors().size());
    }

    @Test
    void aLotWithoutStoredDepthsIsReadInFull() {
        ForwardPage page = queries.lotPage(P + "Q", 10).forward();

        assertEquals(List.of(P + "Q1"), page.lots().stream().map(LotSummary::lotCode).toList());
        assertEquals(1, page.lots().get(0).level(), "the level from the inputs, as --all");
        assertEquals(Map.of(1, 1L), page.lotsByLevel());
        assertEquals(queries.lot(P + "Q").forward().lots(), page.lots());
    }

    @Test
    void aLotInsideAHubIsReadInFullAndPaged() throws Exception {
        // the lots made from the silo name the silo, not the delivery: a search on the delivery's
        // ancestors alone finds only the silo
        long naming =
                client.count(
                                c ->
                                        c.index(TraceIndex.LOTS.alias())
                                                .query(
                                                        q ->
                                                                q.term(
                                                                        t ->
                                                                                t.field(
                                                                                                "ancestorLotCodes")
                                                                                        .value(
                                                                                                P
                                                                                                        + "M1"))))
                        .count();
        ForwardTrace full = queries.forward(P + "M1");
        assertEquals(3, full.lots().size(), "SILO, FA and FB");
        assertTrue(naming < full.lots().size(), "only " + naming + " lots name M1");

        ForwardPage page = queries.lotPage(P + "M1", 2).forward();
        assertEquals(full.lots().subList(0, 2), page.lots());
        assertEquals(3, page.lotCount());
        assertEquals(2, page.shipmentCount());
        assertEquals(shipments(full.customers()).subList(0, 2), shipments(page.customers()));
        assertEquals(CustomerTotal.of(full.customers()), page.customerTotals());
        Map<Integer, Long> byLevel = new TreeMap<>();
        full.lots().forEach(l -> byLevel.merge(l.level(), 1L, Long::sum));
        assertEquals(byLevel, page.lotsByLevel());
    }

    @Test
    void allPrintsTheOldOutputAndTheDefaultPrintsAPage() {
        CliRun all = run(P + "R", "--all", "--limit", "0");
        assertEquals(0, all.exitCode(), all.err());
        assertEquals(withoutTimes(TraceTables.lot(queries.lot(P + "R"))), withoutTimes(all.out()));

        CliRun allJson = run(P + "R", "--all", "--json");
        assertEquals(0, allJson.exitCode(), allJson.err());
        assertEquals(
                withoutTimes(TraceJson.write(queries.lot(P + "R")) + "\n"),
                withoutTimes(allJson.out()));

        CliRun paged = run(P + "R", "--limit", "3");
        assertEquals(0, paged.exitCode(), paged.err());
        String out = paged.out();
        assertTrue(
                out.contains("Forward trace: 8 lots made from " + P + "R, 9 shipments to 3"), out);
        assertTrue(out.contains("Lots by level: 1: 4, 2: 2, 3: 2\n"), out);
        assertTrue(out.contains("Showing 3 of 8 lots made from " + P + "R"), out);
        assertTrue(out.contains("Showing 3 of 9 shipments"), out);
        assertTrue(
                java.util.regex.Pattern.compile("(?m)^1\\s+" + P + "B3\\s").matcher(out).find(),
                out);
        assertTrue(
                !java.util.regex.Pattern.compile("(?m)^3\\s+" + P + "A1\\s").matcher(out).find(),
                "a level 3 lot is not on the first page: " + out);
    }

    @Test
    void jsonAddsTheCountsToTheForwardTrace() {
        CliRun run = run(P + "R", "--json", "--limit", "2");
        assertEquals(0, run.exitCode(), run.err());
        JsonNode forward = TraceJson.mapper().readTree(run.out()).get("forward");
        List<String> names = new ArrayList<>();
        forward.propertyNames().forEach(names::add);
        assertEquals(
                List.of(
                        "lotCode",
                        "lots",
                        "customers",
                        "shipmentCount",
                        "tookMs",
                        "lotCount",
                        "lotsByLevel",
                        "customerTotals"),
                names);
        assertEquals(2, forward.get("lots").size());
        assertEquals(8, forward.get("lotCount").asInt());
        assertEquals(4, forward.get("lotsByLevel").get("1").asInt());
        assertEquals(9, forward.get("shipmentCount").asInt());
        assertEquals(3, forward.get("customerTotals").size());
    }

    @Test
    void anUnknownLotIsExitCode4() {
        CliRun run = run(P + "NOPE");
        assertEquals(4, run.exitCode(), run.err());
        assertTrue(run.err().contains(P + "NOPE is unknown or not yet indexed"), run.err());
    }

    // --- documents in the shape of the index templates, depths as the pipeline stores them

    /** The lot's ancestors, each at its shortest depth (breadth-first over the inputs). */
    private static Map<String, Integer> depths(String lot) {
        Map<String, Integer> depths = new TreeMap<>();
        Deque<String> queue = new ArrayDeque<>(List.of(lot));
        Map<String, Integer> seen = new TreeMap<>(Map.of(lot, 0));
        while (!queue.isEmpty()) {
            String next = queue.poll();
            for (String input : INPUTS.getOrDefault(next, List.of())) {
                if (!seen.containsKey(input)) {
                    seen.put(input, seen.get(next) + 1);
                    depths.put(input, seen.get(next) + 1);
                    queue.add(input);
                }
            }
        }
        return depths;
    }

    private static Map<String, Object> lotDoc(String lot, boolean withDepths) {
        Map<String, Object> doc = new TreeMap<>();
        doc.put("lotCode", P + lot);
        List<String> inputs = INPUTS.get(lot);
        doc.put("kind", inputs.isEmpty() ? "PURCHASED" : "PRODUCED");
        doc.put("materialCode", "MAT-" + lot.charAt(0));
        doc.put("materialName", "Material " + lot.charAt(0));
        if (inputs.isEmpty()) {
            doc.put("supplierId", P + "S1");
            doc.put("supplierName", "Supplier 1");
            doc.put("supplierLotCode", "L1");
            doc.put("receivedAt", DAY.toString());
        } else {
            doc.put("workOrderId", "WO-" + lot);
            doc.put("producedAt", DAY.plusSeconds(3600).toString());
        }
        doc.put("inputLotCodes", prefixed(inputs));
        Map<String, Integer> depths = depths(lot);
        doc.put("ancestorLotCodes", prefixed(List.copyOf(depths.keySet())));
        List<Map<String, Object>> nested = new ArrayList<>();
        depths.forEach(
                (code, depth) -> {
                    Map<String, Object> ancestor = new TreeMap<>();
                    ancestor.put("lotCode", P + code);
                    if (withDepths) {
                        ancestor.put("depth", depth);
                    }
                    nested.add(ancestor);
                });
        doc.put("ancestors", nested);
        return doc;
    }

    private static Map<String, Object> shipment(
            String dispatch, String customer, int hour, String lot) {
        Set<String> closure = new TreeSet<>(depths(lot).keySet());
        closure.add(lot);
        Map<String, Object> doc = new TreeMap<>();
        doc.put("dispatchId", P + dispatch);
        doc.put("customerId", P + customer);
        doc.put("customerName", "Customer " + customer);
        doc.put("destination", "Ulm");
        doc.put("shippedAt", DAY.plusSeconds(hour * 3600L).toString());
        doc.put("lotCodes", List.of(P + lot));
        doc.put("ancestorLotCodes", prefixed(List.copyOf(closure)));
        return doc;
    }

    private static List<ShipmentSummary> shipments(List<CustomerShipments> customers) {
        return customers.stream().flatMap(c -> c.shipments().stream()).toList();
    }

    private static String withoutTimes(String text) {
        return text.replaceAll("\\(\\d+ ms\\)", "(T ms)")
                .replaceAll("\"tookMs\"\\s*:\\s*\\d+", "\"tookMs\": T");
    }

    private static List<String> prefixed(List<String> codes) {
        return codes.stream().map(c -> P + c).toList();
    }

    private static String unprefixed(String code) {
        return code.substring(P.length());
    }

    private static void put(TraceIndex index, String id, Map<String, Object> doc) throws Exception {
        client.index(i -> i.index(index.alias()).id(P + id).document(doc));
    }

    private static CliRun run(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--elasticsearch-url");
        all.add(url);
        return CliRun.of(new CommandLine(new LotCommand()), all.toArray(String[]::new));
    }
}
