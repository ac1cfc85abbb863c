package dev.batchtrace.jobs.machine;

import static dev.batchtrace.machine.MachineEvents.alarm;
import static dev.batchtrace.machine.MachineEvents.at;
import static dev.batchtrace.machine.MachineEvents.cycle;
import static dev.batchtrace.machine.MachineEvents.measurement;
import static dev.batchtrace.machine.MachineEvents.state;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchtrace.lineage.LineageCodec;
import dev.batchtrace.machine.MachineRuns;
import dev.batchtrace.machine.MeasurementSummary;
import java.io.UncheckedIOException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class MachineStateCodecTest {

    /**
     * A run's summary with every field set: alarms, measurements with and without limits, states.
     */
    private static OpenSummary fullSummary() {
        OpenSummary s = OpenSummary.run("WO-1");
        s.activity.add(cycle("M-1", at(1)));
        s.activity.add(alarm("M-1", at(2), "E-17", "HIGH"));
        s.activity.add(alarm("M-1", at(3), "E-17", "LOW"));
        s.activity.add(alarm("M-1", at(4), null, null));
        s.activity.add(measurement("M-1", at(5), "temp", 220.5, 215.0, 235.0));
        s.activity.add(measurement("M-1", at(6), "temp", 236.25, 215.0, 235.0));
        s.activity.measurements.put("Ω pressure", MeasurementSummary.of(1e-9, null, null, null));
        s.activity.add(state("M-1", at(7), "RUNNING"));
        s.activity.add(state("M-1", at(9), "STOPPED"));
        s.activity.lineId = "LINE-ä";
        return s;
    }

    /** Two values are equal if their Smile encodings are (the classes have no equals). */
    private static void assertSame(Object expected, Object actual) {
        assertArrayEquals(LineageCodec.encodeValue(expected), LineageCodec.encodeValue(actual));
    }

    @Test
    void aSummaryComesBackAsItWent() {
        for (OpenSummary s : new OpenSummary[] {fullSummary(), OpenSummary.idle(3_600_000L)}) {
            byte[] bytes = MachineStateCodec.encode(s);
            assertEquals(MachineStateCodec.TAG, bytes[0]);
            assertSame(s, MachineStateCodec.decodeSummary(bytes));
        }
    }

    @Test
    void runsComeBackAsTheyWent() {
        MachineRuns runs = new MachineRuns();
        runs.apply(true, "WO-1", "LINE-1", 1_000L);
        runs.apply(false, "WO-1", null, 9_000L);
        runs.apply(false, "WO-2", null, 5_000L); // a COMPLETED before its STARTED: no start yet
        assertSame(runs, MachineStateCodec.decodeRuns(MachineStateCodec.encode(runs)));
        assertSame(
                new MachineRuns(),
                MachineStateCodec.decodeRuns(MachineStateCodec.encode(new MachineRuns())));
    }

    @Test
    void valuesAnOlderVersionWroteAsSmileStillDecode() {
        OpenSummary s = fullSummary();
        assertSame(s, MachineStateCodec.decodeSummary(LineageCodec.encodeValue(s)));
        MachineRuns runs = new MachineRuns();
        runs.apply(true, "WO-1", "LINE-1", 1_000L);
        assertSame(runs, MachineStateCodec.decodeRuns(LineageCodec.encodeValue(runs)));
    }

    @Test
    void damagedBytesFailWithTheirKind() {
        byte[] bytes = MachineStateCodec.encode(fullSummary());
        UncheckedIOException e =
                assertThrows(
                        UncheckedIOException.class,
                        () -> MachineStateCodec.decodeSummary(Arrays.copyOf(bytes, 20)));
        assertTrue(e.getMessage().contains("machine summary"), e.getMessage());
        assertThrows(UncheckedIOException.class, () -> MachineStateCodec.decodeRuns(bytes));
    }
}
