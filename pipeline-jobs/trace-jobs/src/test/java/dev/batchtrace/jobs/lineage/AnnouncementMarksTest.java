package dev.batchtrace.jobs.lineage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchtrace.lineage.closure.NodeKey;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AnnouncementMarksTest {

    @Test
    void marksArePerNodeCountedOnceAndGoneWhenCleared() {
        AnnouncementMarks marks = new AnnouncementMarks();
        marks.markEntry("lot:P", "LOT-A");
        marks.markEntry("lot:P", "LOT-A"); // marked twice: one mark
        marks.markEntry("lot:P", "LOT-B");
        marks.markEntry("lot:Q", "LOT-A");
        marks.markWhole("lot:Q", NodeKey.shipment("DN-1"));
        marks.markWhole("lot:R", NodeKey.shipment("DN-2"));
        assertEquals(5, marks.size());
        assertEquals(Set.of("LOT-A", "LOT-B"), marks.entries("lot:P"));
        assertEquals(Set.of(NodeKey.shipment("DN-1")), marks.wholes("lot:Q"));
        assertEquals(Set.of("lot:P", "lot:Q", "lot:R"), Set.copyOf(marks.nodes()));

        marks.clearEntries("lot:P");
        assertEquals(3, marks.size());
        assertTrue(marks.entries("lot:P").isEmpty());
        marks.clearEntries("lot:P"); // nothing left: nothing counted off
        marks.clearWholes("lot:Q");
        marks.clearEntries("lot:Q");
        assertEquals(List.of("lot:R"), marks.nodes());
        marks.clearWholes("lot:R");
        assertEquals(0, marks.size());
        assertTrue(marks.nodes().isEmpty());
    }
}
