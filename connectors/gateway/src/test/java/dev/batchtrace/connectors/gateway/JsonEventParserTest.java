package dev.batchtrace.connectors.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchtrace.events.DispatchLine;
import dev.batchtrace.events.DispatchNote;
import dev.batchtrace.events.GoodsReceipt;
import dev.batchtrace.events.LotFlag;
import dev.batchtrace.events.LotFlagAction;
import dev.batchtrace.events.LotFlagSeverity;
import dev.batchtrace.events.MachineEvent;
import dev.batchtrace.events.MachineEventType;
import dev.batchtrace.events.QcOutcome;
import dev.batchtrace.events.QcResult;
import dev.batchtrace.events.WorkOrderEvent;
import dev.batchtrace.events.WorkOrderEventType;
import java.time.Instant;
import java.util.List;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

class JsonEventParserTest {

    private final JsonEventParser parser = new JsonEventParser();

    static final String RECEIPT =
            "{\"type\":\"GoodsReceipt\",\"receiptId\":\"GR-1\",\"lotCode\":\"RM-0001\","
                    + "\"materialCode\":\"PP-H450\",\"materialName\":\"PP resin\","
                    + "\"supplierId\":\"SUP-A\",\"supplierName\":\"Polymer AG\","
                    + "\"supplierLotCode\":\"L1\",\"quantity\":1000,\"unit\":\"kg\","
                    + "\"unitCost\":1.85,\"currency\":\"EUR\","
                    + "\"receivedAt\":\"2026-11-02T06:15:00Z\",\"site\":\"PLANT-1\","
                    + "\"purchaseOrder\":null}";

    /** Parses and checks that the record is valid for its schema: it survives Avro encoding. */
    private ParsedEvent parseValid(String json) {
        ParsedEvent event = parser.parse(json);
        // the Avro writer rejects any value that does not fit the schema
        assertEquals(event.value(), AvroRoundTrip.roundTrip(event.value()));
        return event;
    }

    private String error(String json) {
        return assertThrows(InvalidEventException.class, () -> parser.parse(json)).getMessage();
    }

    @Test
    void goodsReceipt() {
        ParsedEvent event = parseValid(RECEIPT);

        assertEquals("mes.goods-receipts", event.topic());
        assertEquals("RM-0001", event.key());
        assertEquals("GoodsReceipt", event.recordName());
        GoodsReceipt receipt = assertInstanceOf(GoodsReceipt.class, event.value());
        assertEquals(1000.0, receipt.getQuantity());
        assertEquals(1.85, receipt.getUnitCost());
        assertEquals(Instant.parse("2026-11-02T06:15:00Z"), receipt.getReceivedAt());
        assertNull(receipt.getPurchaseOrder(), "explicit null");
        assertNull(receipt.getExpiresAt(), "missing optional field");
        // also usable as a GenericRecord for publishing
        assertEquals("L1", ((GenericRecord) event.value()).get("supplierLotCode"));
    }

    @Test
    void timestampWithOffsetIsConvertedToUtcAndFractionsKept() {
        GoodsReceipt receipt =
                (GoodsReceipt)
                        parseValid(
                                        RECEIPT.replace(
                                                "2026-11-02T06:15:00Z",
                                                "2026-11-02T07:15:00.123+01:00"))
                                .value();
        assertEquals(Instant.parse("2026-11-02T06:15:00.123Z"), receipt.getReceivedAt());
    }

    @Test
    void workOrderEventsOfEveryKind() {
        String base =
                "{\"type\":\"WorkOrderEvent\",\"eventId\":\"E-%s\",\"workOrderId\":\"WO-100\","
                        + "\"eventType\":\"%s\",\"occurredAt\":\"2026-11-02T08:00:00Z\","
                        + "\"productCode\":\"HSG-01\",\"productName\":\"Housing\","
                        + "\"machineId\":\"IMM-01\",\"lineId\":\"L1\",\"operatorId\":\"OP-7\"%s}";
        String lot = ",\"lotCode\":\"RM-0001\",\"quantity\":12.5,\"unit\":\"kg\"";
        for (WorkOrderEventType type : WorkOrderEventType.values()) {
            String extra =
                    switch (type) {
                        case MATERIAL_CONSUMED, OUTPUT_PRODUCED -> lot;
                        case CONSUMPTION_REVERSED -> lot + ",\"reversesEventId\":\"E-1\"";
                        case OUTPUT_REVERSED -> ",\"reversesEventId\":\"E-2\"";
                        default -> "";
                    };
            ParsedEvent event = parseValid(String.format(base, type.ordinal(), type, extra));
            assertEquals("mes.work-orders", event.topic());
            assertEquals("WO-100", event.key());
            WorkOrderEvent value = (WorkOrderEvent) event.value();
            assertEquals(type, value.getEventType());
            assertEquals("IMM-01", value.getMachineId());
        }
    }

    @Test
    void workOrderOutputWithSerials() {
        WorkOrderEvent output =
                (WorkOrderEvent)
                        parseValid(
                                        "{\"type\":\"WorkOrderEvent\",\"eventId\":\"E-9\","
                                                + "\"workOrderId\":\"WO-200\",\"eventType\":\"OUTPUT_PRODUCED\","
                                                + "\"occurredAt\":\"2026-11-02T12:00:00Z\",\"productCode\":\"CTRL-1\","
                                                + "\"lotCode\":\"FG-1\",\"quantity\":2,\"unit\":\"pcs\","
                                                + "\"serials\":[\"SN-1\",\"SN-2\"]}")
                                .value();
        assertEquals(List.of("SN-1", "SN-2"), output.getSerials());
        assertNull(output.getMachineId());
    }

    @Test
    void machineEventsOfEveryKind() {
        String[] extras = {
            ",\"state\":\"RUNNING\"",
            ",\"alarmCode\":\"A-231\",\"severity\":\"FAULT\",\"alarmText\":\"Heater band 3\"",
            ",\"parameter\":\"melt_temperature\",\"value\":231.5,\"unit\":\"degC\","
                    + "\"lowerLimit\":220,\"upperLimit\":240",
            ",\"parameter\":\"cycle_time\",\"value\":28.4,\"unit\":\"s\""
        };
        for (MachineEventType type : MachineEventType.values()) {
            ParsedEvent event =
                    parseValid(
                            "{\"type\":\"MachineEvent\",\"machineId\":\"IMM-01\","
                                    + "\"occurredAt\":\"2026-11-02T08:01:00Z\",\"eventType\":\""
                                    + type
                                    + "\""
                                    + extras[type.ordinal()]
                                    + "}");
            assertEquals("plc.machine-events", event.topic());
            assertEquals("IMM-01", event.key());
            assertEquals(type, ((MachineEvent) event.value()).getEventType());
        }
    }

    @Test
    void qcResult() {
        ParsedEvent event =
                parseValid(
                        "{\"type\":\"QcResult\",\"checkId\":\"QC-1\",\"lotCode\":\"SA-1\","
                                + "\"workOrderId\":\"WO-100\",\"characteristic\":\"wall_thickness\","
                                + "\"value\":2.05,\"lowerLimit\":1.9,\"upperLimit\":2.1,\"unit\":\"mm\","
                                + "\"result\":\"PASS\",\"inspectorId\":\"QA-2\",\"sampleSize\":5,"
                                + "\"checkedAt\":\"2026-11-02T10:00:00Z\"}");
        assertEquals("mes.qc-results", event.topic());
        assertEquals("SA-1", event.key());
        QcResult qc = (QcResult) event.value();
        assertEquals(QcOutcome.PASS, qc.getResult());
        assertEquals(5, qc.getSampleSize());
    }

    @Test
    void dispatchNoteWithNestedLines() {
        ParsedEvent event =
                parseValid(
                        "{\"type\":\"DispatchNote\",\"dispatchId\":\"DN-1\",\"customerId\":\"C-1\","
                                + "\"customerName\":\"Acme\",\"destination\":\"Lyon\",\"vehicle\":\"AB-123\","
                                + "\"carrier\":\"Fast Freight\",\"recipient\":\"Goods in\","
                                + "\"shippedAt\":\"2026-11-02T16:00:00+01:00\",\"lines\":["
                                + "{\"lotCode\":\"FG-1\",\"productCode\":\"CTRL-1\",\"quantity\":100,\"unit\":\"pcs\"},"
                                + "{\"lotCode\":\"FG-2\",\"productCode\":\"CTRL-1\",\"quantity\":50,\"unit\":\"pcs\","
                                + "\"serials\":[\"SN-9\"]}]}");
        assertEquals("mes.dispatch-notes", event.topic());
        assertEquals("DN-1", event.key());
        DispatchNote note = (DispatchNote) event.value();
        assertEquals(2, note.getLines().size());
        DispatchLine second = note.getLines().get(1);
        assertEquals("FG-2", second.getLotCode());
        assertEquals(50.0, second.getQuantity());
        assertEquals(List.of("SN-9"), second.getSerials());
        assertEquals(Instant.parse("2026-11-02T15:00:00Z"), note.getShippedAt());
        // the correction fields are optional: an original note, shipped
        assertEquals(0, note.getRevision());
        assertEquals(dev.batchtrace.events.DispatchStatus.SHIPPED, note.getStatus());
    }

    @Test
    void correctionsUseTheSchemaNames() {
        DispatchNote cancelled =
                (DispatchNote)
                        parseValid(
                                        "{\"type\":\"DispatchNote\",\"dispatchId\":\"DN-1\",\"customerId\":\"C-1\","
                                                + "\"customerName\":\"Acme\",\"destination\":\"Lyon\",\"vehicle\":\"AB-123\","
                                                + "\"carrier\":\"Fast Freight\",\"recipient\":\"Goods in\","
                                                + "\"shippedAt\":\"2026-11-02T16:00:00Z\",\"lines\":[],"
                                                + "\"revision\":2,\"status\":\"CANCELLED\"}")
                                .value();
        assertEquals(2, cancelled.getRevision());
        assertEquals(dev.batchtrace.events.DispatchStatus.CANCELLED, cancelled.getStatus());
        dev.batchtrace.events.GoodsReceipt receipt =
                (dev.batchtrace.events.GoodsReceipt)
                        parseValid(
                                        "{\"type\":\"GoodsReceipt\",\"receiptId\":\"GR-1\",\"lotCode\":\"RM-1\","
                                                + "\"materialCode\":\"PA6\",\"materialName\":\"PA6\",\"supplierId\":\"S\","
                                                + "\"supplierName\":\"S\",\"supplierLotCode\":\"L-2\",\"quantity\":5,"
                                                + "\"unit\":\"kg\",\"receivedAt\":\"2026-11-02T06:00:00Z\","
                                                + "\"site\":\"P\",\"revision\":1}")
                                .value();
        assertEquals(1, receipt.getRevision());
    }

    @Test
    void lotFlag() {
        ParsedEvent event =
                parseValid(
                        "{\"type\":\"LotFlag\",\"flagId\":\"F-1\",\"lotCode\":\"RM-0001\","
                                + "\"action\":\"HOLD\",\"reason\":\"complaint\",\"severity\":\"CRITICAL\","
                                + "\"flaggedBy\":\"qa.lead\",\"flaggedAt\":\"2026-11-02T17:00:00Z\"}");
        assertEquals("quality.lot-flags", event.topic());
        assertEquals("RM-0001", event.key());
        LotFlag flag = (LotFlag) event.value();
        assertEquals(LotFlagAction.HOLD, flag.getAction());
        assertEquals(LotFlagSeverity.CRITICAL, flag.getSeverity());
    }

    // ---- errors ----

    @Test
    void unknownType() {
        assertEquals(
                "unknown type 'Foo' (expected one of GoodsReceipt, WorkOrderEvent, MachineEvent,"
                        + " QcResult, DispatchNote, LotFlag)",
                error("{\"type\":\"Foo\"}"));
        // outputs of the pipeline are not gateway events
        assertTrue(error("{\"type\":\"TraceAlert\"}").startsWith("unknown type 'TraceAlert'"));
    }

    @Test
    void missingOrNonTextType() {
        assertTrue(
                error("{\"lotCode\":\"X\"}").startsWith("field 'type' is required (one of "),
                error("{\"lotCode\":\"X\"}"));
        assertEquals("field 'type': expected a string, got 5", error("{\"type\":5}"));
    }

    @Test
    void requiredFieldMissingOrNull() {
        assertEquals(
                "field 'lotCode' is required",
                error(RECEIPT.replace("\"lotCode\":\"RM-0001\",", "")));
        assertEquals(
                "field 'lotCode' is required",
                error(RECEIPT.replace("\"lotCode\":\"RM-0001\"", "\"lotCode\":null")));
    }

    @Test
    void emptyKeyIsRejected() {
        assertEquals(
                "field 'lotCode' must not be empty (it is the Kafka key)",
                error(RECEIPT.replace("\"lotCode\":\"RM-0001\"", "\"lotCode\":\" \"")));
    }

    @Test
    void numberExpected() {
        assertEquals(
                "field 'quantity': expected a number, got \"abc\"",
                error(RECEIPT.replace("\"quantity\":1000", "\"quantity\":\"abc\"")));
        assertEquals(
                "field 'unitCost': expected a number, got true",
                error(RECEIPT.replace("\"unitCost\":1.85", "\"unitCost\":true")));
    }

    @Test
    void wholeNumberExpected() {
        String qc =
                "{\"type\":\"QcResult\",\"checkId\":\"QC-1\",\"lotCode\":\"SA-1\","
                        + "\"characteristic\":\"visual\",\"result\":\"PASS\",\"inspectorId\":\"QA-2\","
                        + "\"checkedAt\":\"2026-11-02T10:00:00Z\",\"sampleSize\":2.5}";
        assertEquals("field 'sampleSize': expected a whole number, got 2.5", error(qc));
    }

    @Test
    void stringExpectedKeepsLeadingZeros() {
        assertEquals(
                "field 'supplierLotCode': expected a string, got 12",
                error(
                        RECEIPT.replace("\"supplierLotCode\":\"L1\"", "\"supplierLotCode\":0012")
                                .replace("0012", "12")));
    }

    @Test
    void badTimestamps() {
        assertEquals(
                "field 'receivedAt': not an ISO-8601 timestamp: \"2026-11-02 06:15\""
                        + " (expected e.g. 2026-11-02T06:15:00Z or 2026-11-02T07:15:00+01:00)",
                error(RECEIPT.replace("2026-11-02T06:15:00Z", "2026-11-02 06:15")));
        // a local time without offset is ambiguous across plants and DST: rejected
        assertTrue(
                error(RECEIPT.replace("2026-11-02T06:15:00Z", "2026-11-02T06:15:00"))
                        .startsWith("field 'receivedAt': not an ISO-8601 timestamp"));
        assertTrue(
                error(RECEIPT.replace("\"2026-11-02T06:15:00Z\"", "1762064100000"))
                        .startsWith(
                                "field 'receivedAt': not an ISO-8601 timestamp: 1762064100000"));
        assertTrue(
                error(
                                RECEIPT.replace(
                                        "\"purchaseOrder\":null",
                                        "\"expiresAt\":\"2027-02-30T00:00:00Z\""))
                        .startsWith("field 'expiresAt': not an ISO-8601 timestamp"));
    }

    @Test
    void unknownEventType() {
        String json =
                "{\"type\":\"WorkOrderEvent\",\"eventId\":\"E-1\",\"workOrderId\":\"WO-1\","
                        + "\"eventType\":\"X\",\"occurredAt\":\"2026-11-02T08:00:00Z\","
                        + "\"productCode\":\"P\"}";
        assertEquals(
                "unknown eventType 'X' (expected one of RELEASED, STARTED, MATERIAL_CONSUMED,"
                        + " OUTPUT_PRODUCED, COMPLETED, CONSUMPTION_REVERSED, OUTPUT_REVERSED)",
                error(json));
        assertEquals(
                "unknown eventType 'X' (expected one of STATE, ALARM, MEASUREMENT, CYCLE)",
                error(
                        "{\"type\":\"MachineEvent\",\"machineId\":\"M\",\"eventType\":\"X\","
                                + "\"occurredAt\":\"2026-11-02T08:00:00Z\"}"));
    }

    @Test
    void unknownEnumSymbolOfOtherFields() {
        String flag =
                "{\"type\":\"LotFlag\",\"flagId\":\"F-1\",\"lotCode\":\"RM-1\","
                        + "\"action\":\"hold\",\"reason\":\"r\",\"severity\":\"MAJOR\","
                        + "\"flaggedBy\":\"qa\",\"flaggedAt\":\"2026-11-02T17:00:00Z\"}";
        assertEquals("unknown action 'hold' (expected one of HOLD, RELEASE)", error(flag));
        assertEquals(
                "unknown severity 7 (expected one of MINOR, MAJOR, CRITICAL)",
                error(flag.replace("\"hold\"", "\"HOLD\"").replace("\"MAJOR\"", "7")));
    }

    @Test
    void unknownExtraFieldIsNamed() {
        assertEquals(
                "unknown field 'lotcode' (GoodsReceipt has no such field)",
                error(RECEIPT.replace("\"site\"", "\"lotcode\":\"x\",\"site\"")));
    }

    @Test
    void errorsInsideDispatchLinesNameThePath() {
        String note =
                "{\"type\":\"DispatchNote\",\"dispatchId\":\"DN-1\",\"customerId\":\"C-1\","
                        + "\"customerName\":\"Acme\",\"destination\":\"Lyon\",\"vehicle\":\"AB-123\","
                        + "\"carrier\":\"Fast\",\"recipient\":\"Goods in\","
                        + "\"shippedAt\":\"2026-11-02T16:00:00Z\",\"lines\":[%s]}";
        String good =
                "{\"lotCode\":\"FG-1\",\"productCode\":\"P\",\"quantity\":1,\"unit\":\"pcs\"}";
        assertEquals(
                "field 'lines[1].lotCode' is required",
                error(
                        String.format(
                                note,
                                good
                                        + ",{\"productCode\":\"P\",\"quantity\":1,\"unit\":\"pcs\"}")));
        assertEquals(
                "unknown field 'lines[0].batch' (DispatchLine has no such field)",
                error(String.format(note, good.replace("}", ",\"batch\":\"x\"}"))));
        assertEquals(
                "field 'lines[0].quantity': expected a number, got \"1\"",
                error(String.format(note, good.replace("\"quantity\":1", "\"quantity\":\"1\""))));
        assertEquals("field 'lines[0]' must not be null", error(String.format(note, "null")));
        assertEquals(
                "field 'lines': expected an array, got {}",
                error(String.format(note, "").replace("[]", "{}")));
    }

    @Test
    void eventTypeSpecificFieldsAreRequired() {
        String consumed =
                "{\"type\":\"WorkOrderEvent\",\"eventId\":\"E-1\",\"workOrderId\":\"WO-1\","
                        + "\"eventType\":\"MATERIAL_CONSUMED\",\"occurredAt\":\"2026-11-02T08:00:00Z\","
                        + "\"productCode\":\"P\",\"quantity\":1,\"unit\":\"kg\"}";
        assertEquals(
                "field 'lotCode' is required for eventType MATERIAL_CONSUMED", error(consumed));
        String reversal =
                consumed.replace("MATERIAL_CONSUMED", "CONSUMPTION_REVERSED")
                        .replace("\"quantity\"", "\"lotCode\":\"RM-1\",\"quantity\"");
        assertEquals(
                "field 'reversesEventId' is required for eventType CONSUMPTION_REVERSED",
                error(reversal));
        assertEquals(
                "field 'alarmCode' is required for eventType ALARM",
                error(
                        "{\"type\":\"MachineEvent\",\"machineId\":\"M\",\"eventType\":\"ALARM\","
                                + "\"occurredAt\":\"2026-11-02T08:00:00Z\"}"));
    }

    @Test
    void malformedJson() {
        assertTrue(error("{\"type\":\"LotFlag\",").startsWith("not valid JSON: "));
        assertTrue(error(RECEIPT + " " + RECEIPT).startsWith("not valid JSON: "));
        assertTrue(
                error("{\"type\":\"GoodsReceipt\",\"type\":\"LotFlag\"}")
                        .startsWith("not valid JSON: Duplicate field 'type'"),
                error("{\"type\":\"GoodsReceipt\",\"type\":\"LotFlag\"}"));
        assertEquals("expected a JSON object, got [1,2]", error("[1,2]"));
    }
}
