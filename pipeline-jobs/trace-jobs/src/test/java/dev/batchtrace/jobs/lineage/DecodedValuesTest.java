package dev.batchtrace.jobs.lineage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchtrace.lineage.LineageCodec;
import dev.batchtrace.lineage.closure.AncestorEntry;
import dev.batchtrace.lineage.closure.ClosureSlot;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class DecodedValuesTest {

    private static byte[] slot(String lot, int depth) {
        return LineageCodec.encodeValue(
                new ClosureSlot(
                        new AncestorEntry(lot, "MAT", "SUP", "S-" + lot, depth),
                        new TreeMap<>(Map.of(depth, 1))));
    }

    @Test
    void theSameBytesDecodeOnceAndOtherBytesAgain() {
        DecodedValues decoded = new DecodedValues(1 << 20);
        ClosureSlot first = decoded.decode(slot("LOT-A", 1), ClosureSlot.class);
        ClosureSlot again = decoded.decode(slot("LOT-A", 1), ClosureSlot.class); // a new array
        assertSame(first, again);
        ClosureSlot deeper = decoded.decode(slot("LOT-A", 2), ClosureSlot.class);
        assertNotSame(first, deeper);
        assertEquals(2, deeper.entry().depth());
        assertEquals(1, decoded.hits());
        assertEquals(2, decoded.misses());
        assertEquals(LineageCodec.decodeValue(slot("LOT-A", 1), ClosureSlot.class), first);
    }

    @Test
    void sharedValuesCannotBeChangedByAReader() {
        ClosureSlot slot = new DecodedValues(1 << 20).decode(slot("LOT-A", 1), ClosureSlot.class);
        assertThrows(UnsupportedOperationException.class, () -> slot.counts().put(3, 1));
    }

    @Test
    void keepsNoMoreThanItsBoundAndDecodesLargeValuesEachTime() {
        int one = slot("LOT-0000", 1).length;
        DecodedValues decoded = new DecodedValues(10L * one);
        for (int i = 0; i < 100; i++) {
            decoded.decode(slot(String.format("LOT-%04d", i), 1), ClosureSlot.class);
        }
        assertTrue(decoded.bytes() <= 11L * one, decoded.bytes() + " bytes kept");
        assertTrue(decoded.size() <= 11, decoded.size() + " values kept");
        // the newest is still there, the oldest is not
        decoded.decode(slot("LOT-0099", 1), ClosureSlot.class);
        decoded.decode(slot("LOT-0000", 1), ClosureSlot.class);
        assertEquals(1, decoded.hits());

        byte[] large =
                LineageCodec.encodeValue(
                        new AncestorEntry(
                                "L".repeat(DecodedValues.MAX_VALUE_BYTES), null, null, null, 0));
        AncestorEntry a = decoded.decode(large, AncestorEntry.class);
        AncestorEntry b = decoded.decode(large, AncestorEntry.class);
        assertEquals(a, b);
        assertNotSame(a, b, "not kept");
    }
}
