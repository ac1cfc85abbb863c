package dev.batchtrace.cli.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.batchtrace.cli.query.AffectedShipment;
import dev.batchtrace.cli.query.LotRecord;
import dev.batchtrace.cli.query.LotSummary;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The reference document of each critical tracking event: the goods receipt(s) of a receiving, the
 * work order of a transformation, the dispatch note of a shipping.
 */
class Fsma204ExportTest {

    private static final Instant DAY = Instant.parse("2026-11-02T06:00:00Z");

    private static LotSummary bought(String lot) {
        return new LotSummary(
                lot,
                1,
                "PURCHASED",
                "PP-H350",
                "Polypropylene resin",
                "SUP-POLY",
                "PolyChem",
                "L2611-01",
                null,
                DAY,
                null,
                List.of());
    }

    @Test
    void eachEventNamesItsReferenceDocument() {
        LotRecord resin =
                new LotRecord(
                        bought("RM-1"),
                        1000.0,
                        "kg",
                        "PLANT-1",
                        null,
                        null,
                        List.of("GR-1001", "GR-1002"));
        LotRecord screws = new LotRecord(bought("RM-2"), 500.0, "pcs", "PLANT-1", null, null);
        LotRecord housing =
                new LotRecord(
                        new LotSummary(
                                "FG-1",
                                null,
                                "PRODUCED",
                                "TC-100",
                                "Housing",
                                null,
                                null,
                                null,
                                "WO-7",
                                null,
                                DAY.plusSeconds(3600),
                                List.of("RM-1", "RM-2")),
                        200.0,
                        "pcs",
                        "PLANT-1",
                        "L1",
                        null);
        AffectedShipment shipment =
                new AffectedShipment(
                        "DN-26-7003",
                        "C-300",
                        "Customer",
                        "Lyon",
                        DAY.plusSeconds(7200),
                        false,
                        List.of(new AffectedShipment.Line("FG-1", "TC-100", 50.0, "pcs", true)),
                        List.of("FG-1"));

        Map<String, Fsma204Event> byEvent =
                Fsma204Export.events(
                                List.of(resin, screws, housing),
                                Set.of("RM-1", "RM-2", "FG-1"),
                                List.of(shipment))
                        .stream()
                        .collect(
                                Collectors.toMap(
                                        e -> e.cte() + " " + e.traceabilityLotCode(),
                                        Function.identity()));

        Fsma204Event receiving = byEvent.get("Receiving RM-1");
        assertEquals("Goods receipt", receiving.referenceDocumentType());
        assertEquals("GR-1001; GR-1002", receiving.referenceDocumentNumber());
        assertEquals("Goods receipt", byEvent.get("Receiving RM-2").referenceDocumentType());
        assertNull(
                byEvent.get("Receiving RM-2").referenceDocumentNumber(),
                "a lot document without receiptIds: left empty, not guessed");
        Fsma204Event transformation = byEvent.get("Transformation FG-1");
        assertEquals("Work order", transformation.referenceDocumentType());
        assertEquals("WO-7", transformation.referenceDocumentNumber());
        Fsma204Event shipping = byEvent.get("Shipping FG-1");
        assertEquals("Dispatch note", shipping.referenceDocumentType());
        assertEquals("DN-26-7003", shipping.referenceDocumentNumber());
        assertEquals(4, byEvent.size());
    }
}
