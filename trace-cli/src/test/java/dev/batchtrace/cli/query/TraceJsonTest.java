package dev.batchtrace.cli.query;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TraceJsonTest {

    @Test
    void writesRecordsInDeclaredOrderWithIsoTimesAndNulls() {
        ShipmentSummary d1 =
                new ShipmentSummary(
                        "D1",
                        "C1",
                        null,
                        "Ulm",
                        Instant.parse("2026-11-02T06:00:00Z"),
                        List.of("F1"),
                        List.of("R3"));
        CustomersAnswer answer =
                new CustomersAnswer(
                        "S1",
                        "L1",
                        null,
                        "ancestorSupplierLots : \"S1/L1\"",
                        List.of(new CustomerShipments("C1", null, List.of(d1))),
                        1,
                        4);

        String json = TraceJson.write(answer).replaceAll("\\s+", "");

        assertEquals(
                "{\"supplierId\":\"S1\",\"supplierLotCode\":\"L1\",\"lotCode\":null,"
                        + "\"kql\":\"ancestorSupplierLots:\\\"S1/L1\\\"\","
                        + "\"customers\":[{\"customerId\":\"C1\",\"customerName\":null,"
                        + "\"shipments\":[{\"dispatchId\":\"D1\",\"customerId\":\"C1\","
                        + "\"customerName\":null,\"destination\":\"Ulm\","
                        + "\"shippedAt\":\"2026-11-02T06:00:00Z\",\"lotCodes\":[\"F1\"],"
                        + "\"matchedLotCodes\":[\"R3\"]}]}],\"shipmentCount\":1,\"tookMs\":4,"
                        + "\"customerTotals\":[{\"customerId\":\"C1\",\"customerName\":null,"
                        + "\"shipments\":1,\"firstShipped\":\"2026-11-02T06:00:00Z\","
                        + "\"lastShipped\":\"2026-11-02T06:00:00Z\"}]}",
                json);
    }

    @Test
    void backwardTraceDoesNotLeakHelperMethodsIntoTheJson() {
        LotSummary lot =
                new LotSummary(
                        "F1", null, null, null, null, null, null, null, null, null, null,
                        List.of());
        String json = TraceJson.write(new BackwardTrace(lot, List.of(), List.of(), 1));

        assertEquals(-1, json.indexOf("\"inputs\""), json);
    }
}
