package dev.batchtrace.jobs.lineage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchtrace.lineage.LineageCodec;
import dev.batchtrace.lineage.holds.HoldAlert;
import dev.batchtrace.lineage.holds.HoldEntry;
import dev.batchtrace.lineage.stock.ShipmentFacts;
import dev.batchtrace.lineage.stock.ShipmentLine;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The layout of the alert state values of this module against their model (Smile) bytes. */
class AlertStateCodecTest {

    private static final HoldEntry HOLD =
            new HoldEntry(
                    "F-1",
                    "RM-1",
                    "Salmonella",
                    "CRITICAL",
                    "QA-批次",
                    Instant.ofEpochSecond(1_764_570_000L, 123_456_789),
                    "CAPA-7",
                    List.of("RM-1", "FG-1"));

    private static final HoldEntry BARE_HOLD =
            new HoldEntry("F-2", "RM-2", null, null, null, null, null, null);

    private static final ShipmentFacts FACTS =
            new ShipmentFacts(
                    "DN-1",
                    "C-1",
                    "Bäckerei Nord",
                    "Hamburg",
                    null,
                    null,
                    null,
                    Instant.parse("2026-12-01T06:00:00Z"),
                    null,
                    "PLANT-A",
                    List.of(new ShipmentLine("FG-1", "P-1", 12.5, "kg", List.of())),
                    1,
                    null);

    private static final HoldAlert ALERT =
            new HoldAlert(
                    "0b8e-id",
                    HoldAlert.SHIPPED_WHILE_ON_HOLD,
                    HoldAlert.OPEN,
                    "CRITICAL",
                    "F-1",
                    "RM-1",
                    "Salmonella",
                    HOLD.since(),
                    "DN-1",
                    "C-1",
                    "Bäckerei Nord",
                    "Hamburg",
                    FACTS.shippedAt(),
                    "FG-1",
                    12.5,
                    "kg",
                    "SHIPPED",
                    List.of("RM-1", "FG-1"),
                    List.of("FG-1"));

    private static final HoldAlert BARE_ALERT =
            new HoldAlert(
                    "id", "K", "S", null, null, null, null, null, null, null, null, null, null, "L",
                    null, null, null, null, null);

    private static final RaisedAlert RAISED =
            new RaisedAlert(ALERT, Instant.ofEpochSecond(1_764_570_001L, 42));

    private static final RaisedAlert BARE_RAISED = new RaisedAlert(BARE_ALERT, Instant.EPOCH);

    private static final ShipmentHoldView VIEW =
            new ShipmentHoldView("DN-1", FACTS, List.of(HOLD, BARE_HOLD), List.of(RAISED));

    private static final ShipmentHoldView EMPTY_VIEW =
            new ShipmentHoldView("DN-2", null, null, null);

    @Test
    void raisedAlertsAndViewsRoundTripAndTheirModelBytesStillRead() {
        for (RaisedAlert raised : List.of(RAISED, BARE_RAISED)) {
            byte[] bytes = AlertStateCodec.encodeValue(raised);
            assertEquals(AlertStateCodec.TAG, bytes[0]);
            assertEquals(raised, AlertStateCodec.decodeValue(bytes, RaisedAlert.class));
            // what older versions wrote: the model's bytes
            byte[] model = LineageCodec.encodeValue(raised);
            assertEquals(raised, AlertStateCodec.decodeValue(model, RaisedAlert.class));
            assertTrue(bytes.length < model.length, bytes.length + " vs " + model.length);
        }
        assertEquals(
                42,
                AlertStateCodec.decodeValue(AlertStateCodec.encodeValue(RAISED), RaisedAlert.class)
                        .raisedAt()
                        .getNano());
        for (ShipmentHoldView view : List.of(VIEW, EMPTY_VIEW, VIEW.withoutAdopted())) {
            byte[] bytes = AlertStateCodec.encodeValue(view);
            assertEquals(AlertStateCodec.TAG, bytes[0]);
            assertEquals(view, AlertStateCodec.decodeValue(bytes, ShipmentHoldView.class));
            byte[] model = LineageCodec.encodeValue(view);
            assertEquals(view, AlertStateCodec.decodeValue(model, ShipmentHoldView.class));
            // the node compares a view's bytes with those it sent: the same view, the same bytes
            assertArrayEquals(
                    bytes,
                    AlertStateCodec.encodeValue(
                            AlertStateCodec.decodeValue(bytes, ShipmentHoldView.class)));
        }
        ShipmentHoldView empty =
                AlertStateCodec.decodeValue(
                        AlertStateCodec.encodeValue(EMPTY_VIEW), ShipmentHoldView.class);
        assertNull(empty.facts());
        assertEquals(List.of(), empty.closureHolds());
        assertEquals(List.of(), empty.adopted());
        // every other value is the model's
        assertArrayEquals(LineageCodec.encodeValue(HOLD), AlertStateCodec.encodeValue(HOLD));
        assertEquals(
                HOLD,
                AlertStateCodec.decodeValue(AlertStateCodec.encodeValue(HOLD), HoldEntry.class));
    }

    @Test
    void damagedBytesFailWithAClearError() {
        for (Object value : List.of(RAISED, BARE_RAISED, VIEW, EMPTY_VIEW)) {
            byte[] good = AlertStateCodec.encodeValue(value);
            for (int n = 1; n < good.length; n++) {
                byte[] cut = Arrays.copyOf(good, n);
                IllegalArgumentException e =
                        assertThrows(
                                IllegalArgumentException.class,
                                () -> AlertStateCodec.decodeValue(cut, value.getClass()),
                                n + " of " + good.length + " bytes");
                assertTrue(e.getMessage().contains("alert state bytes"), e.getMessage());
            }
            byte[] longer = Arrays.copyOf(good, good.length + 1);
            IllegalArgumentException e =
                    assertThrows(
                            IllegalArgumentException.class,
                            () -> AlertStateCodec.decodeValue(longer, value.getClass()));
            assertTrue(e.getMessage().contains("left after"), e.getMessage());
        }
        byte[] raised = AlertStateCodec.encodeValue(RAISED);
        IllegalArgumentException wrongType =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> AlertStateCodec.decodeValue(raised, ShipmentHoldView.class));
        assertTrue(wrongType.getMessage().contains("RaisedAlert"), wrongType.getMessage());
        byte[] unknown = raised.clone();
        unknown[1] = 9;
        IllegalArgumentException kind =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> AlertStateCodec.decodeValue(unknown, RaisedAlert.class));
        assertTrue(kind.getMessage().contains("kind 9"), kind.getMessage());
    }
}
