package dev.batchtrace.cli.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TraceTablesTest {

    private static final Instant T = Instant.parse("2026-11-02T06:00:00Z");

    private static LotSummary purchased(String code, int level, String supplier, String lot) {
        return new LotSummary(
                code,
                level,
                "PURCHASED",
                "PA6",
                "PA6 resin",
                supplier,
                "Plastwerk",
                lot,
                null,
                T,
                null,
                List.of());
    }

    @Test
    void backwardTraceShowsTheLotOriginThenAncestorsByLevel() {
        LotSummary finished =
                new LotSummary(
                        "F1",
                        null,
                        "PRODUCED",
                        "TC-100",
                        "Thermostat",
                        null,
                        null,
                        null,
                        "WO-3",
                        null,
                        T,
                        List.of("H1"));
        LotSummary housing =
                new LotSummary(
                        "H1",
                        1,
                        "PRODUCED",
                        "HSG",
                        null,
                        null,
                        null,
                        null,
                        "WO-1",
                        null,
                        T,
                        List.of("R1"));
        BackwardTrace trace =
                new BackwardTrace(
                        finished,
                        List.of(housing, purchased("R1", 2, "S1", "PW-7")),
                        List.of("R9"),
                        7);

        String text = TraceTables.backward(trace);

        assertEquals(
                String.join(
                        "\n",
                        "Lot F1  PRODUCED  Thermostat (TC-100)",
                        "  made by work order WO-3",
                        "  produced 2026-11-02T06:00:00Z",
                        "",
                        "Backward trace: 1 direct input, 3 ancestor lots in all, 1 supplier lot (7 ms)",
                        "LEVEL  LOT  KIND       MATERIAL         SUPPLIER        SUPPLIER LOT  WORK ORDER  INPUTS",
                        "1      H1   PRODUCED   HSG              -               -             WO-1        R1",
                        "2      R1   PURCHASED  PA6 resin (PA6)  Plastwerk (S1)  PW-7          -           -",
                        "Not indexed yet (no trace-lots document): R9",
                        ""),
                text);
    }

    @Test
    void forwardTraceWithoutShipmentsSaysSo() {
        String text = TraceTables.forward(new ForwardTrace("R1", List.of(), List.of(), 0, 3));

        assertEquals(
                "Forward trace: 0 lots made from R1, 0 shipments to 0 customers (3 ms)\n"
                        + "  not shipped: no dispatch note carries it or a lot made from it\n",
                text);
    }

    @Test
    void customersAnswerNamesTheSupplierLotTheKibanaQueryAndEveryShipment() {
        ShipmentSummary d1 =
                new ShipmentSummary(
                        "D1", "C1", "Acme", "Ulm", T, List.of("F1", "F2"), List.of("R3"));
        CustomersAnswer answer =
                new CustomersAnswer(
                        "S1",
                        "L1",
                        null,
                        "ancestorSupplierLots : \"S1/L1\"",
                        List.of(new CustomerShipments("C1", "Acme", List.of(d1))),
                        1,
                        4);

        String text = TraceTables.customers(answer);

        assertEquals(
                String.join(
                        "\n",
                        "Customers who received product made from supplier S1's lot L1: 1 customer, 1 shipment (4 ms)",
                        "Kibana, index trace-shipments: ancestorSupplierLots : \"S1/L1\"",
                        "CUSTOMER   SHIPMENT  SHIPPED               DESTINATION  LOTS SHIPPED  OUR LOTS OF IT",
                        "Acme (C1)  D1        2026-11-02T06:00:00Z  Ulm          F1, F2        R3",
                        ""),
                text);
    }

    @Test
    void aPageOfALargeAnswerListsEveryCustomerThenTheShipmentsShown() {
        ShipmentSummary d1 =
                new ShipmentSummary("D1", "C1", "Acme", "Ulm", T, List.of("F1"), List.of("R3"));
        CustomersAnswer answer =
                new CustomersAnswer(
                        null,
                        null,
                        "R3",
                        "ancestorLotCodes : \"R3\"",
                        List.of(new CustomerShipments("C1", "Acme", List.of(d1))),
                        7,
                        5,
                        List.of(
                                new CustomerTotal("C1", "Acme", 4, T, T.plusSeconds(3600)),
                                new CustomerTotal("C2", null, 3, T, T)));

        assertEquals(
                String.join(
                        "\n",
                        "Customers who received product made from lot R3: 2 customers, 7 shipments (5 ms)",
                        "Kibana, index trace-shipments: ancestorLotCodes : \"R3\"",
                        "CUSTOMER   SHIPMENTS  FIRST SHIPPED         LAST SHIPPED",
                        "Acme (C1)  4          2026-11-02T06:00:00Z  2026-11-02T07:00:00Z",
                        "C2         3          2026-11-02T06:00:00Z  2026-11-02T06:00:00Z",
                        "",
                        "The first 1 of 7 shipments (by customer, then oldest first; --all shows every one):",
                        "CUSTOMER   SHIPMENT  SHIPPED               DESTINATION  LOTS SHIPPED  VIA LOTS",
                        "Acme (C1)  D1        2026-11-02T06:00:00Z  Ulm          F1            R3",
                        ""),
                TraceTables.customers(answer));
    }

    @Test
    void noCustomersIsAnAnswerToo() {
        String text =
                TraceTables.customers(
                        new CustomersAnswer(
                                null, null, "R5", "ancestorLotCodes : \"R5\"", List.of(), 0, 2));

        assertTrue(text.startsWith("Customers who received product made from lot R5: 0 customers"));
        assertTrue(text.endsWith("  none: no dispatch note carries product made from it\n"), text);
    }

    @Test
    void forwardTraceListsLotsByLevelThenShipmentsWithTheLotsTheyCarriedItIn() {
        LotSummary housing =
                new LotSummary(
                        "H1",
                        1,
                        "PRODUCED",
                        "HSG",
                        null,
                        null,
                        null,
                        null,
                        "WO-1",
                        null,
                        T,
                        List.of("R1"));
        ShipmentSummary d1 =
                new ShipmentSummary(
                        "D1", "C1", "Acme", null, T, List.of("H1", "F9"), List.of("H1"));

        String text =
                TraceTables.forward(
                        new ForwardTrace(
                                "R1",
                                List.of(housing),
                                List.of(new CustomerShipments("C1", "Acme", List.of(d1))),
                                1,
                                5));

        assertEquals(
                String.join(
                        "\n",
                        "Forward trace: 1 lot made from R1, 1 shipment to 1 customer (5 ms)",
                        "LEVEL  LOT  KIND      MATERIAL  WORK ORDER  PRODUCED              INPUTS",
                        "1      H1   PRODUCED  HSG       WO-1        2026-11-02T06:00:00Z  R1",
                        "",
                        "CUSTOMER   SHIPMENT  SHIPPED               DESTINATION  LOTS SHIPPED  VIA LOTS",
                        "Acme (C1)  D1        2026-11-02T06:00:00Z  -            H1, F9        H1",
                        ""),
                text);
    }
}
