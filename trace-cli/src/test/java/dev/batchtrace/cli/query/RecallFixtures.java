package dev.batchtrace.cli.query;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * A small recall built from documents in the shape the pipeline writes: resin lot R1 (1000 kg, on
 * hold) -> housing H1 -> thermostat F1, shipped to C1 (twice) and C2 (with an unaffected lot).
 */
final class RecallFixtures {

    static final Instant DAY = Instant.parse("2026-11-02T06:00:00Z");

    private RecallFixtures() {}

    static JsonNode json(String text) {
        return TraceJson.mapper().readTree(text);
    }

    static FlaggedLot resin(String balance) {
        return Documents.flaggedLot(
                "R1",
                json(
                        """
                        {"lotCode":"R1","kind":"PURCHASED","materialCode":"RESIN",
                         "materialName":"PC/ABS resin","supplierId":"S1","supplierLotCode":"L1",
                         "quantity":1000.0,"unit":"kg","receivedAt":"2026-11-02T06:00:00Z",
                         "unitCost":3.1,"currency":"EUR",
                         "onHold":true,
                         "holds":[{"flagId":"FLAG-1","lotCode":"R1","reason":"contamination",
                                   "severity":"MAJOR","since":"2026-11-02T16:30:00Z"}]%s}
                        """
                                .formatted(balance == null ? "" : ",\"balance\":" + balance)));
    }

    static final String RESIN_BALANCE =
            """
            {"unit":"kg","receivedOrProduced":1000.0,"consumed":100.0,
             "consumedBy":[{"workOrderId":"WO-1","quantity":60.0,"unit":"kg"},
                           {"workOrderId":"WO-2","quantity":40.0,"unit":"kg"}],
             "shipped":0.0,"shippedBy":[],"remaining":900.0,"unitMismatch":false}
            """;

    static AffectedLot lot(String code, String inputs, String unit, String balance) {
        return Documents.affectedLot(
                code,
                json(
                        """
                        {"lotCode":"%s","kind":"PRODUCED","materialCode":"M-%s",
                         "workOrderId":"WO-%s","quantity":400.0,"unit":"%s","onHold":true,
                         "inputLotCodes":%s%s}
                        """
                                .formatted(
                                        code,
                                        code,
                                        code,
                                        unit,
                                        inputs,
                                        balance == null ? "" : ",\"balance\":" + balance)));
    }

    static AffectedShipment shipment(
            String dispatch, String customer, int hour, String lines, Set<String> affected) {
        return Documents.affectedShipment(
                dispatch,
                json(
                        """
                        {"dispatchId":"%s","customerId":"%s","customerName":"Customer %s, Ulm",
                         "destination":"Ulm","shippedAt":"%s","onHold":true,
                         "lotCodes":[],"lines":%s}
                        """
                                .formatted(
                                        dispatch,
                                        customer,
                                        customer,
                                        DAY.plusSeconds(hour * 3600L),
                                        lines)),
                affected);
    }

    /** R1 -> H1 -> F1; F1 shipped on D1, D2 (C1) and D3 (C2, with unaffected X9). */
    static RecallReport report() {
        Set<String> affected = Set.of("R1", "H1", "F1");
        return RecallReport.assemble(
                resin(RESIN_BALANCE),
                List.of(
                        lot(
                                "F1",
                                "[\"H1\"]",
                                "pcs",
                                "{\"unit\":\"pcs\",\"receivedOrProduced\":400.0,\"consumed\":0.0,"
                                        + "\"shipped\":400.0,\"remaining\":0.0}"),
                        lot(
                                "H1",
                                "[\"R1\"]",
                                "pcs",
                                "{\"unit\":\"pcs\",\"receivedOrProduced\":400.0,\"consumed\":400.0,"
                                        + "\"shipped\":0.0,\"remaining\":0.0}")),
                List.of(
                        shipment(
                                "D3",
                                "C2",
                                12,
                                "[{\"lotCode\":\"F1\",\"quantity\":150.0,\"unit\":\"pcs\"},"
                                        + "{\"lotCode\":\"X9\",\"quantity\":100.0,\"unit\":\"pcs\"}]",
                                affected),
                        shipment(
                                "D1",
                                "C1",
                                10,
                                "[{\"lotCode\":\"F1\",\"quantity\":200.0,\"unit\":\"pcs\"}]",
                                affected),
                        shipment(
                                "D2",
                                "C1",
                                11,
                                "[{\"lotCode\":\"F1\",\"quantity\":50.0,\"unit\":\"pcs\"}]",
                                affected)),
                List.of(
                        alert("A2", "AFFECTED_STOCK", "H1", null),
                        alert("A1", "AFFECTED_SHIPMENT", "F1", "D1"),
                        alert("A3", "AFFECTED_STOCK", "R1", null)),
                DAY,
                7,
                12);
    }

    static RecallAlert alert(String id, String kind, String lot, String dispatch) {
        return new RecallAlert(
                id,
                kind,
                "OPEN",
                "MAJOR",
                "FLAG-1",
                dispatch,
                null,
                null,
                lot,
                10.0,
                "pcs",
                "SHIPPED",
                List.of("R1", lot),
                DAY);
    }
}
