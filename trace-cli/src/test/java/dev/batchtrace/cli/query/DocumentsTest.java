package dev.batchtrace.cli.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class DocumentsTest {

    private static JsonNode json(String text) {
        return TraceJson.mapper().readTree(text);
    }

    @Test
    void readsALotDocumentWithIsoAndEpochMillisDates() {
        JsonNode source =
                json(
                        """
                        {"lotCode":"R1","kind":"PURCHASED","materialCode":"PA6",
                         "materialName":"PA6 resin","supplierId":"S1","supplierName":"Plastwerk",
                         "supplierLotCode":"PW-7","receivedAt":"2026-11-02T06:00:00Z",
                         "producedAt":1793944800000,"inputLotCodes":["A","B"],"unknownField":1}
                        """);

        LotSummary lot = Documents.lot("R1", source);

        assertEquals(
                new LotSummary(
                        "R1",
                        null,
                        "PURCHASED",
                        "PA6",
                        "PA6 resin",
                        "S1",
                        "Plastwerk",
                        "PW-7",
                        null,
                        Instant.parse("2026-11-02T06:00:00Z"),
                        Instant.ofEpochMilli(1793944800000L),
                        List.of("A", "B")),
                lot);
    }

    @Test
    void aHalfWrittenDocumentStillReads() {
        LotSummary lot =
                Documents.lot("ID-1", json("{\"inputLotCodes\":\"ONLY\",\"receivedAt\":\"soon\"}"));

        assertEquals("ID-1", lot.lotCode(), "falls back to the document id");
        assertEquals(List.of("ONLY"), lot.inputLotCodes(), "a single keyword is a list of one");
        assertNull(lot.receivedAt(), "not a point in time");
        assertNull(lot.kind());
    }

    @Test
    void supplierLotMatchesNeedBothSupplierAndLotOnTheSameAncestor() {
        JsonNode shipment =
                json(
                        """
                        {"ancestors":[
                          {"lotCode":"R1","supplierId":"S1","supplierLotCode":"L9"},
                          {"lotCode":"R2","supplierId":"S2","supplierLotCode":"L1"},
                          {"lotCode":"R3","supplierId":"S1","supplierLotCode":"L1"},
                          {"lotCode":"H1"}]}
                        """);

        assertEquals(List.of("R3"), Documents.ancestorsOfSupplierLot(shipment, "S1", "L1"));
        assertEquals(List.of(), Documents.ancestorsOfSupplierLot(shipment, "S1", "L7"));
        assertEquals(List.of(), Documents.ancestorsOfSupplierLot(json("{}"), "S1", "L1"));
    }

    @Test
    void ancestorDepthsKeepTheShortestAndSkipEntriesWithoutDepth() {
        JsonNode lot =
                json(
                        """
                        {"ancestors":[{"lotCode":"H1","depth":1},{"lotCode":"R1","depth":3},
                                      {"lotCode":"R1","depth":2},{"lotCode":"R2"}]}
                        """);

        assertEquals(Map.of("H1", 1, "R1", 2), Documents.ancestorDepths(lot));
    }
}
