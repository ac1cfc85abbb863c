package dev.batchtrace.cli.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import co.elastic.clients.elasticsearch._types.query_dsl.FieldAndFormat;
import co.elastic.clients.json.JsonData;
import co.elastic.clients.json.jackson.Jackson3JsonpMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

class DocValueHitsTest {

    private static final Jackson3JsonpMapper MAPPER = new Jackson3JsonpMapper();

    private static JsonData values(Object... values) {
        return JsonData.of(List.of(values), MAPPER);
    }

    @Test
    void aShipmentSummaryIsBuiltFromItsDocValues() {
        // what Elasticsearch returns under "fields": every column a list, text fields by keyword
        Map<String, JsonData> fields =
                Map.of(
                        "dispatchId", values("DN-1"),
                        "customerId", values("C-1"),
                        "customerName.keyword", values("Brewery North"),
                        "destination.keyword", values("Hamburg"),
                        "shippedAt", values("2026-01-05T22:14:12.792Z"),
                        "lotCodes", values("L-1", "L-2"));
        ObjectNode source = DocValueHits.source(fields, Documents.SHIPMENT_FIELDS);

        ShipmentSummary shipment = Documents.shipment(null, source, List.of("L-1"));
        assertEquals("DN-1", shipment.dispatchId());
        assertEquals("C-1", shipment.customerId());
        assertEquals("Brewery North", shipment.customerName());
        assertEquals("Hamburg", shipment.destination());
        assertEquals(java.time.Instant.parse("2026-01-05T22:14:12.792Z"), shipment.shippedAt());
        assertEquals(List.of("L-1", "L-2"), shipment.lotCodes());
        assertFalse(DocValueHits.needsSource(source, Documents.SHIPMENT_FIELDS));
    }

    @Test
    void aTextValueOverTheKeywordCapIsReadFromTheSource() {
        // a customer name over 256 characters has no keyword value
        ObjectNode source =
                DocValueHits.source(
                        Map.of("dispatchId", values("DN-1"), "destination.keyword", values("X")),
                        Documents.SHIPMENT_FIELDS);
        assertTrue(DocValueHits.needsSource(source, Documents.SHIPMENT_FIELDS));
    }

    @Test
    void aProducedLotWithoutSupplierNeedsNoSource() {
        ObjectNode produced =
                DocValueHits.source(
                        Map.of(
                                "lotCode", values("L-9"),
                                "materialName.keyword", values("Dough"),
                                "inputLotCodes", values("RM-1"),
                                "onHold", values(false)),
                        Documents.LOT_FIELDS);
        assertFalse(DocValueHits.needsSource(produced, Documents.LOT_FIELDS));
        LotSummary lot = Documents.lot(null, produced);
        assertEquals("L-9", lot.lotCode());
        assertEquals(List.of("RM-1"), lot.inputLotCodes());
        assertFalse(lot.onHold());

        ObjectNode purchased =
                DocValueHits.source(
                        Map.of(
                                "lotCode", values("RM-1"),
                                "materialName.keyword", values("Flour"),
                                "supplierId", values("SUP-1")),
                        Documents.LOT_FIELDS);
        assertTrue(
                DocValueHits.needsSource(purchased, Documents.LOT_FIELDS),
                "supplier name over the cap");
    }

    @Test
    void onlySummaryFieldsAreReadFromDocValues() {
        assertTrue(DocValueHits.covers(Documents.SHIPMENT_FIELDS));
        assertTrue(DocValueHits.covers(Documents.LOT_FIELDS));
        assertFalse(DocValueHits.covers(List.of("dispatchId", "ancestors")));
        assertEquals(
                List.of("customerName.keyword", "dispatchId"),
                DocValueHits.columns(List.of("customerName", "dispatchId")).stream()
                        .map(FieldAndFormat::field)
                        .toList());
    }
}
