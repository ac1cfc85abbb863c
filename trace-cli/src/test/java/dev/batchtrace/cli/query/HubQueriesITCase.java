package dev.batchtrace.cli.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import dev.batchtrace.connectors.elasticsearch.ElasticsearchClients;
import dev.batchtrace.connectors.elasticsearch.ElasticsearchSettings;
import dev.batchtrace.connectors.elasticsearch.IndexTemplates;
import dev.batchtrace.connectors.elasticsearch.TraceIndex;
import dev.batchtrace.events.DispatchLine;
import dev.batchtrace.events.DispatchNote;
import dev.batchtrace.events.GoodsReceipt;
import dev.batchtrace.events.WorkOrderEvent;
import dev.batchtrace.events.WorkOrderEventType;
import dev.batchtrace.lineage.documents.TraceDocument;
import dev.batchtrace.lineage.reference.LineageReference;
import dev.batchtrace.stack.TestServers;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The canonical questions when the genealogy goes through a hub (a silo fed by many deliveries,
 * whose closure is indexed once in trace-closures): the documents are the batch reference's for a
 * small silo history with a hub fan-in of 3, indexed into the real Elasticsearch node, and the
 * answers must be the same as if every closure were copied down.
 *
 * <pre>
 *   M0..M4 (supplier MILL, lots K0..K4) ─ tipped ─ SILO (hub) ─┬─ WO-A ─ FA ── DA (customer CA)
 *   ADD (supplier CHEM, lot K1) ───────────────────────────────┘
 *                                        SILO ─── WO-B ─ FB ── DB (customer CB)
 * </pre>
 */
class HubQueriesITCase {

    private static final String P =
            "HUB" + Long.toString(System.nanoTime(), 36).toUpperCase() + "-";
    private static final Instant T0 = Instant.parse("2026-11-02T06:00:00Z");

    private static ElasticsearchClient client;
    private static TraceQueries queries;

    @BeforeAll
    static void index() throws Exception {
        String url = TestServers.elasticsearchUrl();
        client = ElasticsearchClients.create(ElasticsearchSettings.forHosts(url));
        IndexTemplates.install(client, line -> {});
        queries = new TraceQueries(client, url);
        List<Object> events = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            events.add(receipt(P + "M" + i, P + "MILL", "K" + i));
            events.add(wo(P + "T" + i + "c", P + "TIP-" + i, true, P + "M" + i));
            events.add(wo(P + "T" + i + "p", P + "TIP-" + i, false, P + "SILO"));
        }
        events.add(receipt(P + "ADD", P + "CHEM", "K1"));
        for (String b : List.of("A", "B")) {
            events.add(wo(P + b + "c", P + "WO-" + b, true, P + "SILO"));
            events.add(wo(P + b + "p", P + "WO-" + b, false, P + "F" + b));
            events.add(dispatch(P + "D" + b, P + "C" + b, P + "F" + b));
        }
        events.add(wo(P + "Aa", P + "WO-A", true, P + "ADD"));
        Map<String, TraceDocument> docs = LineageReference.documents(events, 3);
        int closures = 0;
        for (TraceDocument doc : docs.values()) {
            if (doc.isDeletion()) {
                continue;
            }
            client.index(i -> i.index(doc.index()).id(doc.documentId()).document(doc.source()));
            if (doc.index().equals(TraceIndex.CLOSURES.alias())) {
                closures++;
            }
        }
        assertEquals(5, closures, "the silo's closure is indexed once, one document per member");
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
    void customersOfASupplierLotInsideTheSiloAreFoundThroughTheHub() {
        CustomersAnswer k3 = queries.customersOfSupplierLot(P + "MILL", "K3");
        assertEquals(Set.of(P + "CA", P + "CB"), customers(k3));
        // CHEM's K1 went only into FA; MILL's K1 into both through the silo
        assertEquals(Set.of(P + "CA"), customers(queries.customersOfSupplierLot(P + "CHEM", "K1")));
        assertEquals(
                Set.of(P + "CA", P + "CB"),
                customers(queries.customersOfSupplierLot(P + "MILL", "K1")));
    }

    @Test
    void forwardTraceOfADeliveryReachesTheSiloItsProductsAndTheirShipments() {
        ForwardTrace forward = queries.forward(P + "M2");
        Set<String> lots = new TreeSet<>();
        forward.lots().forEach(l -> lots.add(l.lotCode()));
        assertEquals(Set.of(P + "SILO", P + "FA", P + "FB"), lots);
        assertEquals(2, forward.shipmentCount());
    }

    @Test
    void backwardTraceOfAProductListsTheDeliveriesBehindTheSiloAtTheirLevel() {
        BackwardTrace backward = queries.backward(P + "FB");
        Map<String, Integer> levels = new java.util.TreeMap<>();
        backward.ancestors().forEach(a -> levels.put(a.lotCode(), a.level()));
        assertEquals(1, levels.get(P + "SILO"));
        for (int i = 0; i < 5; i++) {
            assertEquals(2, levels.get(P + "M" + i), "delivery " + i + " behind the silo");
        }
        assertTrue(
                backward.notIndexedLotCodes().isEmpty(),
                String.valueOf(backward.notIndexedLotCodes()));
    }

    private static Set<String> customers(CustomersAnswer answer) {
        Set<String> ids = new TreeSet<>();
        answer.customers().forEach(c -> ids.add(c.customerId()));
        return ids;
    }

    static GoodsReceipt receipt(String lot, String supplier, String supplierLot) {
        return GoodsReceipt.newBuilder()
                .setReceiptId("GR-" + lot)
                .setLotCode(lot)
                .setMaterialCode("MAT")
                .setMaterialName("Material")
                .setSupplierId(supplier)
                .setSupplierName(supplier)
                .setSupplierLotCode(supplierLot)
                .setQuantity(100.0)
                .setUnit("kg")
                .setReceivedAt(T0)
                .setSite("PLANT")
                .build();
    }

    static WorkOrderEvent wo(String eventId, String wo, boolean consumed, String lot) {
        return WorkOrderEvent.newBuilder()
                .setEventId(eventId)
                .setWorkOrderId(wo)
                .setEventType(
                        consumed
                                ? WorkOrderEventType.MATERIAL_CONSUMED
                                : WorkOrderEventType.OUTPUT_PRODUCED)
                .setOccurredAt(T0)
                .setProductCode("PROD")
                .setProductName("Product")
                .setMachineId("M-1")
                .setLineId("LINE-1")
                .setOperatorId("OP-1")
                .setLotCode(lot)
                .setQuantity(10.0)
                .setUnit("kg")
                .build();
    }

    static DispatchNote dispatch(String id, String customer, String lot) {
        return DispatchNote.newBuilder()
                .setDispatchId(id)
                .setCustomerId(customer)
                .setCustomerName("Customer " + customer)
                .setDestination("Dest")
                .setVehicle("V")
                .setCarrier("C")
                .setRecipient("R")
                .setShippedAt(T0)
                .setLines(
                        List.of(
                                DispatchLine.newBuilder()
                                        .setLotCode(lot)
                                        .setProductCode("P")
                                        .setQuantity(5)
                                        .setUnit("pcs")
                                        .setSerials(null)
                                        .build()))
                .build();
    }
}
