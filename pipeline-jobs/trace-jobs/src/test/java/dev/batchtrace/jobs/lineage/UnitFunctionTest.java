package dev.batchtrace.jobs.lineage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchtrace.lineage.LineageCodec;
import dev.batchtrace.lineage.units.UnitFacts;
import dev.batchtrace.lineage.units.UnitOutput;
import dev.batchtrace.lineage.units.UnitShipment;
import dev.batchtrace.lineage.units.UnitUpdate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class UnitFunctionTest {

    private static final Instant T = Instant.parse("2026-11-02T08:00:00Z");

    private KeyedOneInputStreamOperatorTestHarness<String, UnitUpdate, DocumentUpdate> harness;

    private static KeyedOneInputStreamOperatorTestHarness<String, UnitUpdate, DocumentUpdate>
            newHarness() throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new UnitFunction()),
                UnitUpdate::key,
                Utf8StringTypeInfo.INSTANCE);
    }

    @BeforeEach
    void setUp() throws Exception {
        harness = newHarness();
        harness.open();
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    private static UnitUpdate made(String product, String serial, String output, String lot) {
        return UnitUpdate.of(
                UnitFacts.output(product, serial, output, new UnitOutput(false, lot, "WO-1", T)));
    }

    private static UnitUpdate shipped(String serial, long seq, boolean present) {
        return UnitUpdate.of(
                UnitFacts.shipment(
                        "TC100",
                        serial,
                        "DN-1",
                        new UnitShipment(seq, present, "FG-1", "C-1", "Customer 1", T)));
    }

    @Test
    void oneDocumentPerChangeKeyedByProductAndSerial() throws Exception {
        harness.processElement(made("TC100", "000123", "E1", "FG-1"), 0);
        harness.processElement(made("TC100", "000123", "E1", "FG-1"), 0); // a retry: no write
        harness.processElement(made("TC200", "000123", "E7", "FG-9"), 0); // another product
        harness.processElement(shipped("000123", 1, true), 0);

        List<DocumentUpdate> docs = documents();
        assertEquals(3, docs.size(), docs.toString());
        assertEquals("trace-units", docs.get(0).index());
        assertEquals("TC100/000123", docs.get(0).id());
        assertEquals("TC200/000123", docs.get(1).id());
        Map<String, Object> last = LineageCodec.fromJson(docs.get(2).json());
        assertEquals("FG-1", last.get("lotCode"));
        assertEquals(List.of("C-1"), last.get("customerIds"));
    }

    @Test
    void stateSurvivesARestoreAndATakenBackUnitIsDeleted() throws Exception {
        harness.processElement(made("TC100", "7", "E1", "FG-1"), 0);
        harness.processElement(shipped("7", 1, true), 0);
        var snapshot = harness.snapshot(1L, 1L);
        harness.close();

        harness = newHarness();
        harness.initializeState(snapshot);
        harness.open();
        harness.processElement(shipped("7", 1, true), 0); // replayed: nothing new
        assertTrue(documents().isEmpty());
        harness.processElement(shipped("7", 2, false), 0); // the note was cancelled
        harness.processElement(
                UnitUpdate.of(UnitFacts.output("TC100", "7", "E1", UnitOutput.REVERSED)), 0);

        List<DocumentUpdate> docs = documents();
        assertEquals(2, docs.size(), docs.toString());
        assertEquals(List.of(), LineageCodec.fromJson(docs.get(0).json()).get("dispatchIds"));
        assertTrue(docs.get(1).isDeletion());
        assertNull(docs.get(1).json());
    }

    private List<DocumentUpdate> documents() {
        List<DocumentUpdate> out = new ArrayList<>();
        for (Object record : harness.getOutput()) {
            if (record instanceof StreamRecord<?> stream) {
                out.add((DocumentUpdate) stream.getValue());
            }
        }
        return out;
    }
}
