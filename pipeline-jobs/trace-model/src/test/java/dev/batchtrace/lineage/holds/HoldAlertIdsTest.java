package dev.batchtrace.lineage.holds;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.batchtrace.lineage.closure.NodeKey;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Alert ids are persisted: the cheaper derivation gives the very ids the first one gave. */
class HoldAlertIdsTest {

    private static final String[] TEXT = {"", "RM-1", "L1-0000001-1", "Müller", "批次-7", "a\nb"};

    /** The derivation as first written (state and the topic hold ids made by it). */
    private static String firstAlertId(String kind, HoldEntry hold, NodeKey node, String lotCode) {
        String name =
                String.join("\n", kind, hold.flagId(), hold.lotCode(), node.toString(), lotCode);
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
    }

    @Test
    void alertIdsAreThoseOfNameBasedUuids() {
        Random r = new Random(1);
        for (int i = 0; i < 2000; i++) {
            HoldEntry hold =
                    new HoldEntry(
                            "F-" + text(r), "L-" + text(r), null, null, null, null, null, null);
            NodeKey node = r.nextBoolean() ? NodeKey.lot(text(r)) : NodeKey.shipment(text(r));
            String kind = r.nextBoolean() ? HoldAlert.AFFECTED_SHIPMENT : HoldAlert.AFFECTED_STOCK;
            String lot = r.nextBoolean() ? "" : text(r);
            assertEquals(
                    firstAlertId(kind, hold, node, lot), HoldAlerts.alertId(kind, hold, node, lot));
        }
        // one pinned, as the topic and the index hold it
        assertEquals(
                firstAlertId(
                        HoldAlert.AFFECTED_SHIPMENT,
                        new HoldEntry("F-1", "RM-1", null, null, null, null, null, null),
                        NodeKey.shipment("DN-1"),
                        ""),
                HoldAlerts.alertId(
                        HoldAlert.AFFECTED_SHIPMENT,
                        new HoldEntry("F-1", "RM-1", null, null, null, null, null, null),
                        NodeKey.shipment("DN-1"),
                        ""));
    }

    @Test
    void changesAreTheSameForASortedAndAnUnsortedRaisedMap() {
        HoldAlert a = alert("a");
        HoldAlert b = alert("b");
        HoldAlert c = alert("c");
        Map<String, HoldAlert> unsorted = new LinkedHashMap<>();
        unsorted.put("c", c);
        unsorted.put("a", a);
        TreeMap<String, HoldAlert> sorted = new TreeMap<>(unsorted);
        List<HoldAlert> expected =
                List.of(b, a.withStatus(HoldAlert.RESOLVED), c.withStatus(HoldAlert.RESOLVED));
        assertEquals(expected, HoldAlerts.changes(unsorted, List.of(b)));
        assertEquals(expected, HoldAlerts.changes(sorted, List.of(b)));
        TreeMap<String, HoldAlert> reversed = new TreeMap<>(java.util.Comparator.reverseOrder());
        reversed.putAll(unsorted);
        assertEquals(expected, HoldAlerts.changes(reversed, List.of(b)), "id order, not the map's");
    }

    private static HoldAlert alert(String id) {
        return new HoldAlert(
                id,
                HoldAlert.AFFECTED_STOCK,
                HoldAlert.OPEN,
                null,
                "F-1",
                "RM-1",
                null,
                Instant.EPOCH,
                null,
                null,
                null,
                null,
                null,
                "RM-1",
                1.0,
                "kg",
                "REMAINING",
                null,
                null);
    }

    private static String text(Random r) {
        return TEXT[r.nextInt(TEXT.length)] + r.nextInt(100);
    }
}
