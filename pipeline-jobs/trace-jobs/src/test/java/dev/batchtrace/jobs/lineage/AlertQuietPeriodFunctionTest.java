package dev.batchtrace.jobs.lineage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.batchtrace.events.TraceAlert;
import dev.batchtrace.events.TraceAlertKind;
import dev.batchtrace.events.TraceAlertStatus;
import dev.batchtrace.lineage.holds.HoldAlert;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The quiet period of stock alerts in Flink's keyed two-input harness, on processing time the test
 * sets: what goes out (records and trace-alerts documents), when, and that a key's state and timers
 * are gone once its alert has settled.
 */
class AlertQuietPeriodFunctionTest {

    private static final Duration QUIET = Duration.ofSeconds(5);

    private KeyedTwoInputStreamOperatorTestHarness<String, TraceAlert, DocumentUpdate, TraceAlert>
            harness;

    @BeforeEach
    void open() throws Exception {
        harness = harness(QUIET, null);
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    private static KeyedTwoInputStreamOperatorTestHarness<
                    String, TraceAlert, DocumentUpdate, TraceAlert>
            harness(Duration quiet, OperatorSubtaskState restoreFrom) throws Exception {
        var h =
                new KeyedTwoInputStreamOperatorTestHarness<>(
                        new KeyedCoProcessOperator<>(new AlertQuietPeriodFunction(quiet)),
                        TraceAlert::getAlertId,
                        DocumentUpdate::id,
                        Utf8StringTypeInfo.INSTANCE);
        if (restoreFrom != null) {
            h.initializeState(restoreFrom);
        }
        h.open();
        return h;
    }

    private static final Instant RAISED = Instant.parse("2026-11-02T16:30:00Z");
    private static final Instant RAISED_AGAIN = Instant.parse("2026-11-02T16:30:01Z");

    private static TraceAlert alert(String id, TraceAlertKind kind, TraceAlertStatus status) {
        return alert(id, kind, status, RAISED);
    }

    private static TraceAlert alert(
            String id, TraceAlertKind kind, TraceAlertStatus status, Instant raisedAt) {
        return TraceAlert.newBuilder()
                .setAlertId(id)
                .setFlagId("FLAG-1")
                .setFlaggedLotCode("RM-1")
                .setKind(kind)
                .setLotCode("SA-1")
                .setQuantity(10)
                .setUnit("kg")
                .setPath(List.of("RM-1", "SA-1"))
                .setRaisedAt(raisedAt)
                .setStatus(status)
                .build();
    }

    private static TraceAlert stock(String id, TraceAlertStatus status) {
        return alert(id, TraceAlertKind.AFFECTED_STOCK, status);
    }

    private static DocumentUpdate document(String id, String status, double quantity) {
        return document(id, status, quantity, RAISED);
    }

    /** A trace-alerts document as the node writes it: raisedAt names the alert's episode. */
    private static DocumentUpdate document(
            String id, String status, double quantity, Instant raisedAt) {
        return new DocumentUpdate(
                HoldAlert.INDEX,
                id,
                "{\"alertId\":\""
                        + id
                        + "\",\"quantity\":"
                        + quantity
                        + ",\"raisedAt\":\""
                        + raisedAt
                        + "\",\"status\":\""
                        + status
                        + "\"}");
    }

    private void record(TraceAlert alert) throws Exception {
        harness.processElement1(new StreamRecord<>(alert));
    }

    private void doc(DocumentUpdate document) throws Exception {
        harness.processElement2(new StreamRecord<>(document));
    }

    private List<String> records() {
        List<String> out = new ArrayList<>();
        for (TraceAlert a : harness.extractOutputValues()) {
            out.add(a.getAlertId() + "/" + a.getStatus());
        }
        return out;
    }

    private List<DocumentUpdate> documents() {
        List<DocumentUpdate> out = new ArrayList<>();
        Queue<StreamRecord<DocumentUpdate>> side =
                harness.getSideOutput(AlertQuietPeriodFunction.DOCUMENTS);
        if (side != null) {
            side.forEach(r -> out.add(r.getValue()));
        }
        return out;
    }

    private void assertSettled() {
        assertEquals(0, harness.numKeyedStateEntries(), "state of settled alerts is cleared");
        assertEquals(0, harness.numProcessingTimeTimers(), "no timer left");
    }

    @Test
    void aStockAlertResolvedWithinTheQuietPeriodIsNeverSent() throws Exception {
        harness.setProcessingTime(1_000);
        record(stock("A-1", TraceAlertStatus.OPEN));
        doc(document("A-1", HoldAlert.OPEN, 10));
        harness.setProcessingTime(5_999); // 4.999 s later
        doc(document("A-1", HoldAlert.RESOLVED, 10));
        record(stock("A-1", TraceAlertStatus.RESOLVED));
        harness.setProcessingTime(60_000);

        assertEquals(List.of(), records());
        assertEquals(List.of(), documents());
        assertSettled();
    }

    @Test
    void aStockAlertStillOpenAfterTheQuietPeriodGoesOutWithItsNewestDocument() throws Exception {
        harness.setProcessingTime(1_000);
        record(stock("A-1", TraceAlertStatus.OPEN));
        doc(document("A-1", HoldAlert.OPEN, 10));
        doc(document("A-1", HoldAlert.OPEN, 7)); // less stock left, same alert
        harness.setProcessingTime(5_999);
        assertEquals(List.of(), records(), "not before the period is over");
        assertEquals(List.of(), documents());

        harness.setProcessingTime(6_000);
        assertEquals(List.of("A-1/OPEN"), records());
        assertEquals(List.of(document("A-1", HoldAlert.OPEN, 7)), documents());

        // once out, its RESOLVED record and documents pass at once
        doc(document("A-1", HoldAlert.RESOLVED, 7));
        record(stock("A-1", TraceAlertStatus.RESOLVED));
        assertEquals(List.of("A-1/OPEN", "A-1/RESOLVED"), records());
        assertEquals(
                List.of(document("A-1", HoldAlert.OPEN, 7), document("A-1", HoldAlert.RESOLVED, 7)),
                documents());
        assertSettled();
    }

    @Test
    void aDocumentAheadOfItsRecordWaitsForTheRecordsDecision() throws Exception {
        harness.setProcessingTime(0);
        doc(document("A-1", HoldAlert.OPEN, 10)); // the documents channel was faster
        assertEquals(List.of(), documents());
        record(stock("A-1", TraceAlertStatus.OPEN));
        harness.setProcessingTime(5_000);
        assertEquals(List.of("A-1/OPEN"), records());
        assertEquals(List.of(document("A-1", HoldAlert.OPEN, 10)), documents());
    }

    @Test
    void aResolvedDocumentBehindTheSuppressingRecordIsDroppedToo() throws Exception {
        harness.setProcessingTime(0);
        record(stock("A-1", TraceAlertStatus.OPEN));
        doc(document("A-1", HoldAlert.OPEN, 10));
        harness.setProcessingTime(2_000);
        record(stock("A-1", TraceAlertStatus.RESOLVED)); // suppressed
        doc(document("A-1", HoldAlert.RESOLVED, 10)); // arrives after the decision
        harness.setProcessingTime(60_000);

        assertEquals(List.of(), records());
        assertEquals(List.of(), documents());
        assertSettled();
    }

    @Test
    void aSuppressedEpisodeThenALastingOneSendsOnlyTheLastingOne() throws Exception {
        harness.setProcessingTime(0);
        record(stock("A-1", TraceAlertStatus.OPEN));
        doc(document("A-1", HoldAlert.OPEN, 10));
        record(stock("A-1", TraceAlertStatus.RESOLVED));
        doc(document("A-1", HoldAlert.RESOLVED, 10));
        harness.setProcessingTime(1_000);
        record(alert("A-1", TraceAlertKind.AFFECTED_STOCK, TraceAlertStatus.OPEN, RAISED_AGAIN));
        doc(document("A-1", HoldAlert.OPEN, 4, RAISED_AGAIN));
        harness.setProcessingTime(6_000);

        assertEquals(List.of("A-1/OPEN"), records());
        assertEquals(List.of(document("A-1", HoldAlert.OPEN, 4, RAISED_AGAIN)), documents());
        assertEquals(
                RAISED_AGAIN,
                harness.extractOutputValues().get(0).getRaisedAt(),
                "the lasting one");
    }

    @Test
    void anAlertRaisedBeforeTheOperatorExistedIsNotHeldBack() throws Exception {
        // restored from a version without the quiet period: the OPEN record went out back then
        harness.setProcessingTime(0);
        doc(document("A-1", HoldAlert.OPEN, 3)); // less stock left: an update of its document
        harness.setProcessingTime(5_000 + 59_999);
        assertEquals(List.of(), documents(), "waits for a record that might still come");
        harness.setProcessingTime(5_000 + 60_000);
        assertEquals(List.of(document("A-1", HoldAlert.OPEN, 3)), documents());

        record(stock("A-1", TraceAlertStatus.RESOLVED)); // its RESOLVED passes at once
        doc(document("A-1", HoldAlert.RESOLVED, 3));
        assertEquals(List.of("A-1/RESOLVED"), records());
        assertEquals(2, documents().size());
        assertSettled();
    }

    @Test
    void otherKindsGoOutAtOnce() throws Exception {
        harness.setProcessingTime(0);
        record(alert("S-1", TraceAlertKind.AFFECTED_SHIPMENT, TraceAlertStatus.OPEN));
        doc(document("S-1", HoldAlert.OPEN, 10));
        record(alert("S-1", TraceAlertKind.AFFECTED_SHIPMENT, TraceAlertStatus.RESOLVED));
        doc(document("S-1", HoldAlert.RESOLVED, 10));

        assertEquals(List.of("S-1/OPEN", "S-1/RESOLVED"), records());
        assertEquals(2, documents().size());
        assertSettled();
    }

    @Test
    void aHeldAlertSurvivesARestoreAndGoesOutOnce() throws Exception {
        harness.setProcessingTime(0);
        record(stock("A-1", TraceAlertStatus.OPEN));
        doc(document("A-1", HoldAlert.OPEN, 10));
        OperatorSubtaskState snapshot = harness.snapshot(1, 1);
        harness.close();

        harness = harness(QUIET, snapshot);
        harness.setProcessingTime(5_000);
        assertEquals(List.of("A-1/OPEN"), records());
        assertEquals(List.of(document("A-1", HoldAlert.OPEN, 10)), documents());
        harness.setProcessingTime(20_000);
        assertEquals(List.of("A-1/OPEN"), records(), "once");
    }

    @Test
    void aZeroQuietPeriodHoldsNothing() throws Exception {
        harness.close();
        harness = harness(Duration.ZERO, null);
        record(stock("A-1", TraceAlertStatus.OPEN));
        doc(document("A-1", HoldAlert.OPEN, 10));
        record(stock("A-1", TraceAlertStatus.RESOLVED));
        doc(document("A-1", HoldAlert.RESOLVED, 10));

        assertEquals(List.of("A-1/OPEN", "A-1/RESOLVED"), records());
        assertEquals(2, documents().size());
        assertSettled();
    }
}
