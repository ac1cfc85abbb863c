package dev.batchtrace.connectors.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.batchtrace.events.TraceAlert;
import dev.batchtrace.events.TraceAlertKind;
import dev.batchtrace.events.TraceAlertStatus;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AlertPayloadTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void shipmentAlertReadsAsOneLineForChat() {
        assertEquals(
                "HOLD on RM-2026-0042 (supplier recall): shipment DN-7781 to Nordwind Pumps GmbH"
                        + " (C-104) carries FG-2026-0311 250 pcs, path RM-2026-0042 >"
                        + " SA-2026-0107 > FG-2026-0311",
                AlertPayload.text(Alerts.shipment("A-1")));
    }

    @Test
    void stockAlertAsksForQuarantineWithItsQuantity() {
        assertEquals(
                "HOLD on RM-2026-0042 (supplier recall): stock of SA-2026-0107 12.5 kg to"
                        + " quarantine, path RM-2026-0042 > SA-2026-0107",
                AlertPayload.text(Alerts.stock("A-2")));
    }

    @Test
    void shippedWhileOnHoldIsCalledOut() {
        TraceAlert alert =
                TraceAlert.newBuilder(Alerts.shipment("A-3"))
                        .setKind(TraceAlertKind.SHIPPED_WHILE_ON_HOLD)
                        .build();
        assertTrue(
                AlertPayload.text(alert)
                        .startsWith(
                                "HOLD on RM-2026-0042 (supplier recall): SHIPPED WHILE ON HOLD,"
                                        + " shipment DN-7781"),
                AlertPayload.text(alert));
    }

    @Test
    void resolvedAlertSaysSoAndHasItsOwnIdempotencyKey() {
        TraceAlert resolved =
                TraceAlert.newBuilder(Alerts.shipment("A-4"))
                        .setStatus(TraceAlertStatus.RESOLVED)
                        .build();
        assertTrue(AlertPayload.text(resolved).startsWith("RESOLVED hold on RM-2026-0042"));
        assertEquals("A-4/RESOLVED", AlertPayload.idempotencyKey(resolved));
        assertEquals("A-4/OPEN", AlertPayload.idempotencyKey(Alerts.shipment("A-4")));
    }

    @Test
    void missingReasonAndCustomerNameDoNotLeaveGaps() {
        TraceAlert alert =
                TraceAlert.newBuilder(Alerts.shipment("A-5"))
                        .setFlagReason(null)
                        .setCustomerName(null)
                        .build();
        assertEquals(
                "HOLD on RM-2026-0042: shipment DN-7781 to customer C-104 carries FG-2026-0311"
                        + " 250 pcs, path RM-2026-0042 > SA-2026-0107 > FG-2026-0311",
                AlertPayload.text(alert));
    }

    @Test
    void quantitiesPrintWithoutSpuriousDecimals() {
        assertEquals("250", AlertPayload.quantity(250.0));
        assertEquals("0.125", AlertPayload.quantity(0.125));
        assertEquals("1000000", AlertPayload.quantity(1e6));
    }

    @Test
    void jsonCarriesEveryFieldWithIsoTimestamp() throws Exception {
        JsonNode json = MAPPER.readTree(AlertPayload.from(Alerts.shipment("A-6")).toJson());
        List<String> names = new ArrayList<>();
        json.fieldNames().forEachRemaining(names::add);
        assertEquals(
                List.of(
                        "alertId",
                        "idempotencyKey",
                        "kind",
                        "status",
                        "flagId",
                        "flaggedLotCode",
                        "flagReason",
                        "lotCode",
                        "dispatchId",
                        "customerId",
                        "customerName",
                        "quantity",
                        "unit",
                        "path",
                        "raisedAt",
                        "text"),
                names);
        assertEquals("A-6", json.get("alertId").asText());
        assertEquals("A-6/OPEN", json.get("idempotencyKey").asText());
        assertEquals("AFFECTED_SHIPMENT", json.get("kind").asText());
        assertEquals("OPEN", json.get("status").asText());
        assertEquals("Nordwind Pumps GmbH", json.get("customerName").asText());
        assertEquals(250.0, json.get("quantity").asDouble());
        assertEquals("2026-03-02T08:15:30.250Z", json.get("raisedAt").asText());
        assertEquals(3, json.get("path").size());
        assertEquals("FG-2026-0311", json.get("path").get(2).asText());
        assertEquals(AlertPayload.text(Alerts.shipment("A-6")), json.get("text").asText());
    }

    @Test
    void stockAlertHasNullShipmentFields() throws Exception {
        JsonNode json = MAPPER.readTree(AlertPayload.from(Alerts.stock("A-7")).toJson());
        assertTrue(json.has("dispatchId"));
        assertTrue(json.get("dispatchId").isNull());
        assertTrue(json.get("customerId").isNull());
        assertEquals("AFFECTED_STOCK", json.get("kind").asText());
    }
}
