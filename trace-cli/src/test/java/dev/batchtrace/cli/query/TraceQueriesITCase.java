package dev.batchtrace.cli.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import dev.batchtrace.cli.CliRun;
import dev.batchtrace.connectors.elasticsearch.ElasticsearchClients;
import dev.batchtrace.connectors.elasticsearch.ElasticsearchSettings;
import dev.batchtrace.connectors.elasticsearch.IndexTemplates;
import dev.batchtrace.connectors.elasticsearch.TraceIndex;
import dev.batchtrace.stack.TestServers;
import java.net.ServerSocket;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;

/**
 * The trace questions against a real Elasticsearch node, on hand-written documents of a two-level
 * genealogy (codes prefixed per run, so other data in the node cannot interfere):
 *
 * <pre>
 *   R1 (S1 lot L9) ─┐
 *   R2 (S2 lot L1) ─┴─ WO-1 ─ H1 ─┐
 *   R4 (S2 lot L7) ───────────────┴─ WO-3 ─ F1 ── D1 (customer C1)
 *   R3 (S1 lot L1) ─── WO-2 ─ H2 ─── WO-4 ─ F2 ── D2 (customer C2)
 *                             H2 ────────────── D3 (customer C2, spare part)
 *   R1, R9 (no document) ─ WO-5 ─ X1
 *   R2 ─ H9 (no document) ─ WO-6 ─ Y1
 *   R5 (S3 lot L5), never used
 *   R6, R7 (both S4 lot L2) ─── D4 (customer C4: R6), D5 (customer C4: R6 and R7)
 *   R8 (S5 lot L3) ─── D6 (C6), D7 and D8 (C5), D9 (no customer id): a page of a larger answer
 * </pre>
 *
 * D1 holds S1's lot L9 and S2's lot L1: the trap for "S1's lot L1", which only D2 and D3 contain.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TraceQueriesITCase {

    private static final String P = "IT" + Long.toString(System.nanoTime(), 36).toUpperCase() + "-";
    private static final Instant DAY = Instant.parse("2026-11-02T06:00:00Z");

    private static ElasticsearchClient client;
    private static TraceQueries queries;
    private static String url;

    private static final String LONG_NAME = "Long name " + "x".repeat(300);

    /** Purchased lots: code -> {supplierId, supplierLotCode, materialCode}. */
    private static final Map<String, String[]> PURCHASED = new LinkedHashMap<>();

    @BeforeAll
    static void seed() throws Exception {
        url = TestServers.elasticsearchUrl();
        client = ElasticsearchClients.create(ElasticsearchSettings.forHosts(url));
        IndexTemplates.install(client, line -> {});
        queries = new TraceQueries(client, url);

        PURCHASED.put("R1", new String[] {"S1", "L9", "RESIN"});
        PURCHASED.put("R2", new String[] {"S2", "L1", "PIGMENT"});
        PURCHASED.put("R3", new String[] {"S1", "L1", "RESIN"});
        PURCHASED.put("R4", new String[] {"S2", "L7", "SCREW"});
        PURCHASED.put("R5", new String[] {"S3", "L5", "LABEL"});
        // one supplier lot received twice, as two of our lots
        PURCHASED.put("R6", new String[] {"S4", "L2", "OIL"});
        PURCHASED.put("R7", new String[] {"S4", "L2", "OIL"});
        PURCHASED.put("R8", new String[] {"S5", "L3", "FLOUR"});
        PURCHASED.put("R10", new String[] {"S6", "L4", "WAX"});
        for (String lot : PURCHASED.keySet()) {
            String[] origin = PURCHASED.get(lot);
            Map<String, Object> doc = lotDoc(lot, "PURCHASED", origin[2], null, List.of());
            doc.put("supplierId", P + origin[0]);
            doc.put("supplierName", "Supplier " + origin[0]);
            doc.put("supplierLotCode", origin[1]);
            doc.put("receivedAt", DAY.toString());
            put(TraceIndex.LOTS, lot, doc);
        }
        put(
                TraceIndex.LOTS,
                "H1",
                lotDoc("H1", "PRODUCED", "HOUSING", "WO-1", List.of("R1", "R2")));
        put(TraceIndex.LOTS, "H2", lotDoc("H2", "PRODUCED", "HOUSING", "WO-2", List.of("R3")));
        put(
                TraceIndex.LOTS,
                "F1",
                lotDoc("F1", "PRODUCED", "THERMOSTAT", "WO-3", List.of("H1", "R4"), "R1", "R2"));
        put(
                TraceIndex.LOTS,
                "F2",
                lotDoc("F2", "PRODUCED", "THERMOSTAT", "WO-4", List.of("H2"), "R3"));
        put(
                TraceIndex.LOTS,
                "X1",
                lotDoc("X1", "PRODUCED", "HOUSING", "WO-5", List.of("R1", "R9")));
        // Y1 <- H9 (no document yet) <- R2: only the depth the pipeline stored can place R2
        Map<String, Object> y1 =
                lotDoc("Y1", "PRODUCED", "THERMOSTAT", "WO-6", List.of("H9"), "R2");
        y1.put(
                "ancestors",
                List.of(
                        Map.of("lotCode", P + "H9", "depth", 1),
                        Map.of(
                                "lotCode",
                                P + "R2",
                                "supplierId",
                                P + "S2",
                                "supplierLotCode",
                                "L1",
                                "depth",
                                2)));
        put(TraceIndex.LOTS, "Y1", y1);

        put(
                TraceIndex.SHIPMENTS,
                "D1",
                shipment("D1", "C1", 10, List.of("F1"), "H1", "R1", "R2", "R4"));
        put(TraceIndex.SHIPMENTS, "D2", shipment("D2", "C2", 11, List.of("F2"), "H2", "R3"));
        // epoch millis instead of ISO text: the date field accepts both, so must the reader
        Map<String, Object> spare = shipment("D3", "C2", 9, List.of("H2"), "R3");
        spare.put("shippedAt", DAY.plusSeconds(9 * 3600).toEpochMilli());
        put(TraceIndex.SHIPMENTS, "D3", spare);
        put(TraceIndex.SHIPMENTS, "D4", shipment("D4", "C4", 12, List.of("R6")));
        put(TraceIndex.SHIPMENTS, "D5", shipment("D5", "C4", 13, List.of("R6", "R7")));
        put(TraceIndex.SHIPMENTS, "D6", shipment("D6", "C6", 14, List.of("R8")));
        put(TraceIndex.SHIPMENTS, "D7", shipment("D7", "C5", 15, List.of("R8")));
        put(TraceIndex.SHIPMENTS, "D8", shipment("D8", "C5", 8, List.of("R8")));
        Map<String, Object> anonymous = shipment("D9", "C0", 16, List.of("R8"));
        anonymous.remove("customerId");
        anonymous.remove("customerName");
        put(TraceIndex.SHIPMENTS, "D9", anonymous);
        // names over the keyword sub-fields' 256 characters: pages read them from the source
        Map<String, Object> longNames = lotDoc("R10", "PURCHASED", "WAX", null, List.of());
        longNames.put("supplierId", P + "S6");
        longNames.put("supplierName", LONG_NAME);
        longNames.put("supplierLotCode", "L4");
        longNames.put("receivedAt", DAY.toString());
        put(TraceIndex.LOTS, "R10", longNames);
        put(TraceIndex.LOTS, "G1", lotDoc("G1", "PRODUCED", "CANDLE", "WO-7", List.of("R10")));
        Map<String, Object> longCustomer = shipment("D10", "C7", 17, List.of("G1"), "R10");
        longCustomer.put("customerName", LONG_NAME);
        put(TraceIndex.SHIPMENTS, "D10", longCustomer);

        client.indices()
                .refresh(r -> r.index(TraceIndex.LOTS.alias(), TraceIndex.SHIPMENTS.alias()));
    }

    @AfterAll
    static void disconnect() throws Exception {
        if (client != null) {
            client.close();
        }
    }

    @Test
    @Order(1)
    void backwardTraceListsEveryAncestorWithItsLevelAndSupplierLot() {
        BackwardTrace trace = queries.backward(P + "F1");

        assertEquals(P + "F1", trace.lot().lotCode());
        assertEquals("WO-3", trace.lot().workOrderId());
        assertEquals(
                List.of("1 H1", "1 R4", "2 R1", "2 R2"),
                trace.ancestors().stream()
                        .map(a -> a.level() + " " + unprefixed(a.lotCode()))
                        .toList());
        LotSummary r2 = trace.ancestors().get(3);
        assertEquals(P + "S2", r2.supplierId());
        assertEquals("Supplier S2", r2.supplierName());
        assertEquals("L1", r2.supplierLotCode());
        assertEquals("PIGMENT", r2.materialCode());
        assertEquals(DAY, r2.receivedAt());
        assertEquals(
                List.of(P + "H1", P + "R4"),
                trace.inputs().stream().map(LotSummary::lotCode).toList());
        assertEquals(List.of(), trace.notIndexedLotCodes());
        assertTrue(trace.tookMs() >= 0);
    }

    @Test
    @Order(2)
    void backwardTraceNamesAncestorsThatAreNotIndexedYet() {
        BackwardTrace trace = queries.backward(P + "X1");

        assertEquals(
                List.of(P + "R1"), trace.ancestors().stream().map(LotSummary::lotCode).toList());
        assertEquals(List.of(P + "R9"), trace.notIndexedLotCodes());
    }

    @Test
    @Order(2)
    void brokenChainsFallBackToTheDepthThePipelineStored() {
        BackwardTrace trace = queries.backward(P + "Y1");

        assertEquals(
                List.of("2 R2"),
                trace.ancestors().stream()
                        .map(a -> a.level() + " " + unprefixed(a.lotCode()))
                        .toList());
        assertEquals(List.of(P + "H9"), trace.notIndexedLotCodes());
    }

    @Test
    @Order(3)
    void forwardTraceListsLotsMadeFromItAndEveryShipmentByCustomer() {
        ForwardTrace fromR1 = queries.forward(P + "R1");

        assertEquals(
                List.of("1 H1", "1 X1", "2 F1"),
                fromR1.lots().stream()
                        .map(l -> l.level() + " " + unprefixed(l.lotCode()))
                        .toList());
        assertEquals(1, fromR1.shipmentCount());
        assertEquals(List.of(P + "C1"), customerIds(fromR1.customers()));
        ShipmentSummary d1 = fromR1.customers().get(0).shipments().get(0);
        assertEquals(P + "D1", d1.dispatchId());
        assertEquals(List.of(P + "F1"), d1.matchedLotCodes());
        assertEquals("Customer C1", fromR1.customers().get(0).customerName());

        ForwardTrace fromR3 = queries.forward(P + "R3");
        assertEquals(List.of(P + "C2"), customerIds(fromR3.customers()));
        List<ShipmentSummary> c2 = fromR3.customers().get(0).shipments();
        assertEquals(
                List.of(P + "D3", P + "D2"),
                c2.stream().map(ShipmentSummary::dispatchId).toList(),
                "oldest first; D3's epoch-millis date read as such");
        assertEquals(DAY.plusSeconds(9 * 3600), c2.get(0).shippedAt());
        assertEquals(List.of(P + "H2"), c2.get(0).matchedLotCodes());
    }

    @Test
    @Order(3)
    void answersLargerThanAPageAreReadInFull() {
        TraceQueries paged = new TraceQueries(client, url, 2);

        assertEquals(
                queries.forward(P + "R1").lots(),
                paged.forward(P + "R1").lots(),
                "3 lots, pages of 2");
        assertEquals(
                List.of(P + "D3", P + "D2"),
                paged.customersOfLot(P + "R3").customers().get(0).shipments().stream()
                        .map(ShipmentSummary::dispatchId)
                        .toList(),
                "2 shipments: a full page, then an empty one");
    }

    @Test
    @Order(3)
    void aLimitedAnswerShowsTheFirstShipmentsAndEveryCustomersTotals() {
        CustomersAnswer all = queries.customersOfSupplierLot(P + "S5", "L3");
        assertEquals(4, all.shipmentCount());
        assertTrue(all.complete());

        for (int limit : new int[] {1, 2, 3}) {
            CustomersAnswer page = queries.customersOfSupplierLot(P + "S5", "L3", limit);
            // the aggregation's totals equal those of the full answer, counted client-side
            assertEquals(all.customerTotals(), page.customerTotals(), "limit " + limit);
            assertEquals(4, page.shipmentCount());
            assertEquals(limit, page.shownCount());
            assertTrue(!page.complete());
            // the first shipments by customer, then oldest first (as the full answer lists them)
            assertEquals(dispatchIds(all).subList(0, limit), dispatchIds(page), "limit " + limit);
        }
        assertEquals(
                List.of(
                        new CustomerTotal(
                                P + "C5",
                                "Customer C5",
                                2,
                                DAY.plusSeconds(8 * 3600),
                                DAY.plusSeconds(15 * 3600)),
                        new CustomerTotal(
                                P + "C6",
                                "Customer C6",
                                1,
                                DAY.plusSeconds(14 * 3600),
                                DAY.plusSeconds(14 * 3600)),
                        new CustomerTotal(
                                null,
                                null,
                                1,
                                DAY.plusSeconds(16 * 3600),
                                DAY.plusSeconds(16 * 3600))),
                queries.customersOfSupplierLot(P + "S5", "L3", 2).customerTotals());
        assertEquals(List.of(P + "D8", P + "D7"), dispatchIds(queries.customersOfLot(P + "R8", 2)));
        CustomersAnswer enough = queries.customersOfLot(P + "R8", 10);
        assertTrue(enough.complete());
        assertEquals(dispatchIds(all), dispatchIds(enough));
        assertEquals(all.customerTotals(), enough.customerTotals());
    }

    @Test
    @Order(3)
    void namesOverTheKeywordCapAreShownInFull() {
        // pages read summaries from doc values, which drop text over 256 characters
        CustomersAnswer page = queries.customersOfLot(P + "R10", 10);
        assertEquals(List.of(P + "D10"), dispatchIds(page));
        assertEquals(LONG_NAME, page.customers().get(0).customerName());
        assertEquals(LONG_NAME, page.customers().get(0).shipments().get(0).customerName());
        assertEquals("Ulm", page.customers().get(0).shipments().get(0).destination());

        ForwardTrace forward = queries.forward(P + "R10");
        assertEquals(List.of(P + "G1"), forward.lots().stream().map(LotSummary::lotCode).toList());
        assertEquals("Candle", forward.lots().get(0).materialName());
        LotSummary wax = queries.lotsOfProduct("WAX", null, null).get(0);
        assertEquals(P + "R10", wax.lotCode());
        assertEquals(LONG_NAME, wax.supplierName());
        assertEquals(DAY, wax.receivedAt());
        assertEquals(LONG_NAME, forward.customers().get(0).shipments().get(0).customerName());
        assertEquals(
                LONG_NAME,
                queries.customersOfSupplierLot(P + "S6", "L4", 10)
                        .customers()
                        .get(0)
                        .customerName());
    }

    @Test
    @Order(4)
    void forwardTraceOfAnUnshippedLotIsEmptyNotAnError() {
        ForwardTrace trace = queries.forward(P + "R5");
        assertEquals(List.of(), trace.lots());
        assertEquals(0, trace.shipmentCount());
    }

    @Test
    @Order(5)
    void customersOfASupplierLotAreNotFooledByTheSameLotCodeOfAnotherSupplier() {
        CustomersAnswer s1L1 = queries.customersOfSupplierLot(P + "S1", "L1");

        // D1 contains S1's lot L9 and S2's lot L1: flat fields would match it, the combined key not
        assertEquals(List.of(P + "C2"), customerIds(s1L1.customers()));
        assertEquals(2, s1L1.shipmentCount());
        assertEquals(
                List.of(P + "D3", P + "D2"),
                s1L1.customers().get(0).shipments().stream()
                        .map(ShipmentSummary::dispatchId)
                        .toList());
        assertEquals(
                List.of(P + "R3"), s1L1.customers().get(0).shipments().get(1).matchedLotCodes());
        assertEquals("ancestorSupplierLots : \"" + P + "S1/L1\"", s1L1.kql());

        CustomersAnswer s2L1 = queries.customersOfSupplierLot(P + "S2", "L1");
        assertEquals(List.of(P + "C1"), customerIds(s2L1.customers()));
        assertEquals(
                List.of(P + "R2"), s2L1.customers().get(0).shipments().get(0).matchedLotCodes());

        // two of our lots are S4's lot L2: each shipment names the ones it carries
        CustomersAnswer s4L2 = queries.customersOfSupplierLot(P + "S4", "L2");
        assertEquals(List.of(P + "C4"), customerIds(s4L2.customers()));
        Map<String, List<String>> matched = new TreeMap<>();
        s4L2.customers()
                .get(0)
                .shipments()
                .forEach(sh -> matched.put(sh.dispatchId(), sh.matchedLotCodes()));
        assertEquals(
                Map.of(P + "D4", List.of(P + "R6"), P + "D5", List.of(P + "R6", P + "R7")),
                matched);
    }

    @Test
    @Order(6)
    void customersOfOurLotAndOfAKnownButUnshippedSupplierLot() {
        CustomersAnswer h2 = queries.customersOfLot(P + "H2");
        assertEquals(List.of(P + "C2"), customerIds(h2.customers()));
        assertEquals(2, h2.shipmentCount());

        CustomersAnswer s3L5 = queries.customersOfSupplierLot(P + "S3", "L5");
        assertEquals(List.of(), s3L5.customers());
    }

    @Test
    @Order(7)
    void unknownLotsAndSupplierLotsAreNotFound() {
        TraceQueryException lot =
                assertThrows(TraceQueryException.class, () -> queries.lot(P + "NOPE"));
        assertEquals(TraceQueryException.Reason.NOT_FOUND, lot.reason());
        assertTrue(
                lot.getMessage().contains(P + "NOPE is unknown or not yet indexed"),
                lot.getMessage());

        assertEquals(
                TraceQueryException.Reason.NOT_FOUND,
                assertThrows(TraceQueryException.class, () -> queries.forward(P + "NOPE"))
                        .reason());
        assertEquals(
                TraceQueryException.Reason.NOT_FOUND,
                assertThrows(TraceQueryException.class, () -> queries.customersOfLot(P + "NOPE"))
                        .reason());
        TraceQueryException supplierLot =
                assertThrows(
                        TraceQueryException.class,
                        () -> queries.customersOfSupplierLot(P + "S1", "L5"));
        assertTrue(
                supplierLot.getMessage().contains("supplier " + P + "S1's lot L5 is unknown"),
                supplierLot.getMessage());
    }

    @Test
    @Order(8)
    void lotCommandPrintsTablesByDefault() {
        CliRun run = run(new LotCommand(), P + "F1", "--elasticsearch-url", url);

        assertEquals(0, run.exitCode(), run.err());
        String out = run.out();
        assertTrue(out.startsWith("Lot " + P + "F1  PRODUCED  Thermostat (THERMOSTAT)\n"), out);
        assertTrue(
                out.contains(
                        "Backward trace: 2 direct inputs, 4 ancestor lots in all, 3 supplier lots ("),
                out);
        assertTrue(
                Pattern.compile(
                                "(?m)^2\\s+"
                                        + P
                                        + "R2\\s+PURCHASED\\s+Pigment \\(PIGMENT\\)\\s+Supplier S2 \\("
                                        + P
                                        + "S2\\)\\s+L1\\s")
                        .matcher(out)
                        .find(),
                out);
        assertTrue(
                out.contains(
                        "Forward trace: 0 lots made from " + P + "F1, 1 shipment to 1 customer ("),
                out);
        assertTrue(
                Pattern.compile(
                                "(?m)^Customer C1 \\("
                                        + P
                                        + "C1\\)\\s+"
                                        + P
                                        + "D1\\s+2026-11-02T16:00:00Z\\s")
                        .matcher(out)
                        .find(),
                out);
    }

    @Test
    @Order(9)
    void lotCommandPrintsJsonWithStableFieldNames() {
        CliRun run = run(new LotCommand(), P + "H1", "--json", "--elasticsearch-url", url);

        assertEquals(0, run.exitCode(), run.err());
        JsonNode json = TraceJson.mapper().readTree(run.out());
        assertEquals(List.of("lotCode", "backward", "forward", "tookMs"), names(json));
        assertEquals(
                List.of("lot", "ancestors", "notIndexedLotCodes", "tookMs"),
                names(json.get("backward")));
        // the fields of a forward trace, then the counts of the page (LotPageITCase)
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
                names(json.get("forward")));
        JsonNode ancestor = json.get("backward").get("ancestors").get(0);
        assertEquals(
                List.of(
                        "lotCode",
                        "level",
                        "kind",
                        "materialCode",
                        "materialName",
                        "supplierId",
                        "supplierName",
                        "supplierLotCode",
                        "workOrderId",
                        "receivedAt",
                        "producedAt",
                        "inputLotCodes",
                        "onHold",
                        "qcStatus"),
                names(ancestor));
        assertEquals(P + "R1", ancestor.get("lotCode").asString());
        assertEquals(1, ancestor.get("level").asInt());
        assertEquals("2026-11-02T06:00:00Z", ancestor.get("receivedAt").asString());
        JsonNode made = json.get("forward").get("lots").get(0);
        assertEquals(P + "F1", made.get("lotCode").asString());
        JsonNode shipment = json.get("forward").get("customers").get(0).get("shipments").get(0);
        assertEquals(
                List.of(
                        "dispatchId",
                        "customerId",
                        "customerName",
                        "destination",
                        "shippedAt",
                        "lotCodes",
                        "matchedLotCodes"),
                names(shipment));
        assertTrue(json.get("tookMs").isNumber());
    }

    @Test
    @Order(10)
    void customersCommandBySupplierLotAndByLotAsTableAndJson() {
        CliRun table =
                run(
                        new CustomersCommand(),
                        "--supplier",
                        P + "S1",
                        "--supplier-lot",
                        "L1",
                        "--elasticsearch-url",
                        url);
        assertEquals(0, table.exitCode(), table.err());
        assertTrue(
                table.out()
                        .startsWith(
                                "Customers who received product made from supplier "
                                        + P
                                        + "S1's lot L1: 1 customer, 2 shipments ("),
                table.out());
        assertTrue(table.out().contains(P + "D2") && table.out().contains(P + "D3"), table.out());
        assertTrue(!table.out().contains(P + "D1"), "the two-supplier trap: " + table.out());

        CliRun json =
                run(
                        new CustomersCommand(),
                        "--lot",
                        P + "R1",
                        "--json",
                        "--elasticsearch-url",
                        url);
        assertEquals(0, json.exitCode(), json.err());
        JsonNode answer = TraceJson.mapper().readTree(json.out());
        assertEquals(
                List.of(
                        "supplierId",
                        "supplierLotCode",
                        "lotCode",
                        "kql",
                        "customers",
                        "shipmentCount",
                        "tookMs",
                        "customerTotals"),
                names(answer));
        assertEquals(P + "C1", answer.get("customers").get(0).get("customerId").asString());
        assertEquals(1, answer.get("shipmentCount").asInt());
        assertEquals(1, answer.get("customerTotals").get(0).get("shipments").asInt());

        // a page: every customer's totals, the first two shipments, and how to see the rest
        CliRun page =
                run(
                        new CustomersCommand(),
                        "--supplier",
                        P + "S5",
                        "--supplier-lot",
                        "L3",
                        "--limit",
                        "2",
                        "--elasticsearch-url",
                        url);
        assertEquals(0, page.exitCode(), page.err());
        String out = page.out();
        assertTrue(out.contains(": 3 customers, 4 shipments ("), out);
        assertTrue(
                Pattern.compile(
                                "Customer C5 \\("
                                        + P
                                        + "C5\\) +2 +2026-11-02T14:00:00Z +2026-11-02T21:00:00Z")
                        .matcher(out)
                        .find(),
                out);
        assertTrue(out.contains("The first 2 of 4 shipments"), out);
        assertTrue(out.contains(P + "D8") && out.contains(P + "D7"), out);
        assertTrue(!out.contains(P + "D6") && !out.contains(P + "D9"), out);
        CliRun every =
                run(
                        new CustomersCommand(),
                        "--lot",
                        P + "R8",
                        "--limit",
                        "2",
                        "--all",
                        "--elasticsearch-url",
                        url);
        assertEquals(0, every.exitCode(), every.err());
        for (String d : List.of("D6", "D7", "D8", "D9")) {
            assertTrue(every.out().contains(P + d), every.out());
        }
        assertTrue(!every.out().contains("The first"), every.out());
    }

    @Test
    @Order(11)
    void commandsExitFourForAnUnknownLotAndTwoForBadUsage() {
        CliRun lot = run(new LotCommand(), P + "NOPE", "--elasticsearch-url", url);
        assertEquals(4, lot.exitCode());
        assertTrue(
                lot.err().contains("error: lot " + P + "NOPE is unknown or not yet indexed"),
                lot.err());
        assertEquals("", lot.out());

        CliRun customers =
                run(new CustomersCommand(), "--lot", P + "NOPE", "--elasticsearch-url", url);
        assertEquals(4, customers.exitCode(), customers.err());

        CliRun both =
                run(new CustomersCommand(), "--lot", "A", "--supplier", "S", "--supplier-lot", "L");
        assertEquals(2, both.exitCode(), both.err());
        CliRun halfSupplierLot = run(new CustomersCommand(), "--supplier", "S");
        assertEquals(2, halfSupplierLot.exitCode(), halfSupplierLot.err());
        CliRun noLimit =
                run(
                        new CustomersCommand(),
                        "--lot",
                        P + "R8",
                        "--limit",
                        "0",
                        "--elasticsearch-url",
                        url);
        assertEquals(2, noLimit.exitCode(), noLimit.err());
        assertTrue(noLimit.err().contains("--limit must be 1 to 10000"), noLimit.err());
    }

    @Test
    @Order(12)
    void unreachableElasticsearchNamesTheUrlAndTheStackCommand() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        String nowhere = "http://127.0.0.1:" + closedPort;
        CliRun run = run(new LotCommand(), "F1", "--elasticsearch-url", nowhere);

        assertEquals(5, run.exitCode(), run.err());
        assertTrue(run.err().contains("cannot reach Elasticsearch at " + nowhere), run.err());
        assertTrue(run.err().contains("bin/trace stack up"), run.err());
    }

    @Test
    @Order(13)
    void missingTraceIndexIsNamed() throws Exception {
        // last: removes the lots index of this node, then puts an empty one back
        client.indices().delete(d -> d.index(TraceIndex.LOTS.concreteIndex()));
        try {
            CliRun run = run(new LotCommand(), P + "F1", "--elasticsearch-url", url);
            assertEquals(5, run.exitCode(), run.err());
            assertTrue(run.err().contains("has no index trace-lots"), run.err());
        } finally {
            IndexTemplates.install(client, line -> {});
        }
    }

    // --- documents, written by hand in the shape of the index templates

    private static Map<String, Object> lotDoc(
            String lot,
            String kind,
            String material,
            String workOrder,
            List<String> inputs,
            String... deeper) {
        Set<String> ancestors = new TreeSet<>(inputs);
        ancestors.addAll(List.of(deeper));
        Map<String, Object> doc = new TreeMap<>();
        doc.put("lotCode", P + lot);
        doc.put("kind", kind);
        doc.put("materialCode", material);
        doc.put("materialName", material.charAt(0) + material.substring(1).toLowerCase());
        if (workOrder != null) {
            doc.put("workOrderId", workOrder);
            doc.put("producedAt", DAY.plusSeconds(3600).toString());
        }
        doc.put("inputLotCodes", prefixed(inputs));
        doc.putAll(closure(ancestors));
        return doc;
    }

    private static Map<String, Object> shipment(
            String dispatch, String customer, int hour, List<String> lots, String... upstream) {
        Set<String> ancestors = new TreeSet<>(lots);
        ancestors.addAll(List.of(upstream));
        Map<String, Object> doc = new TreeMap<>();
        doc.put("dispatchId", P + dispatch);
        doc.put("customerId", P + customer);
        doc.put("customerName", "Customer " + customer);
        doc.put("destination", "Ulm");
        doc.put("shippedAt", DAY.plusSeconds(hour * 3600L).toString());
        doc.put("lotCodes", prefixed(lots));
        doc.put(
                "lines",
                lots.stream()
                        .map(
                                l ->
                                        Map.of(
                                                "lotCode",
                                                P + l,
                                                "productCode",
                                                "TC-100",
                                                "quantity",
                                                10.0,
                                                "unit",
                                                "pcs"))
                        .toList());
        doc.putAll(closure(ancestors));
        return doc;
    }

    /** ancestorLotCodes and the supplier fields of the purchased ones. */
    private static Map<String, Object> closure(Set<String> ancestors) {
        Set<String> suppliers = new TreeSet<>();
        Set<String> supplierLotCodes = new TreeSet<>();
        Set<String> supplierLots = new TreeSet<>();
        List<Map<String, Object>> nested = new ArrayList<>();
        for (String lot : ancestors) {
            Map<String, Object> ancestor = new TreeMap<>();
            ancestor.put("lotCode", P + lot);
            String[] origin = PURCHASED.get(lot);
            if (origin != null) {
                suppliers.add(P + origin[0]);
                supplierLotCodes.add(origin[1]);
                supplierLots.add(P + origin[0] + "/" + origin[1]);
                ancestor.put("supplierId", P + origin[0]);
                ancestor.put("supplierLotCode", origin[1]);
                ancestor.put("materialCode", origin[2]);
            }
            nested.add(ancestor);
        }
        Map<String, Object> fields = new TreeMap<>();
        fields.put("ancestorLotCodes", prefixed(List.copyOf(ancestors)));
        fields.put("ancestorSupplierIds", List.copyOf(suppliers));
        fields.put("ancestorSupplierLotCodes", List.copyOf(supplierLotCodes));
        fields.put("ancestorSupplierLots", List.copyOf(supplierLots));
        fields.put("ancestors", nested);
        return fields;
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

    private static List<String> dispatchIds(CustomersAnswer answer) {
        return answer.customers().stream()
                .flatMap(c -> c.shipments().stream())
                .map(ShipmentSummary::dispatchId)
                .toList();
    }

    private static List<String> customerIds(List<CustomerShipments> customers) {
        return customers.stream().map(CustomerShipments::customerId).toList();
    }

    private static List<String> names(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.propertyNames().forEach(names::add);
        return names;
    }

    private static CliRun run(Object command, String... args) {
        return CliRun.of(new CommandLine(command), args);
    }
}
