package dev.batchtrace.lineage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchtrace.lineage.closure.AncestorEntry;
import dev.batchtrace.lineage.closure.Announcement;
import dev.batchtrace.lineage.closure.ClosureSlot;
import dev.batchtrace.lineage.closure.LineageMessage;
import dev.batchtrace.lineage.closure.Link;
import dev.batchtrace.lineage.closure.NodeHeader;
import dev.batchtrace.lineage.closure.NodeKey;
import dev.batchtrace.lineage.closure.ViaState;
import dev.batchtrace.lineage.holds.FlagEvent;
import dev.batchtrace.lineage.holds.FlagHistory;
import dev.batchtrace.lineage.holds.HoldAlert;
import dev.batchtrace.lineage.holds.HoldEntry;
import dev.batchtrace.lineage.holds.LotEntryHolds;
import dev.batchtrace.lineage.holds.ShipmentHoldChange;
import dev.batchtrace.lineage.quality.QcCheck;
import dev.batchtrace.lineage.quality.QcChecks;
import dev.batchtrace.lineage.stock.Consumption;
import dev.batchtrace.lineage.stock.LotFacts;
import dev.batchtrace.lineage.stock.LotFactsSummary;
import dev.batchtrace.lineage.stock.LotSource;
import dev.batchtrace.lineage.stock.LotUsage;
import dev.batchtrace.lineage.stock.ShipmentFacts;
import dev.batchtrace.lineage.stock.ShipmentLine;
import dev.batchtrace.lineage.stock.WorkOrderFacts;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The fixed layout of the node stage's hot values against their Smile/JSON form. */
class CompactCodecTest {

    private static final String[] TEXT = {
        null, "", "RM-1", "L1-0000001-1", "Müller Mühle GmbH", "批次-7", "lot:with:colons", "a\nb"
    };

    @Test
    void randomValuesRoundTripAndReadTheSameAsTheirSmileForm() {
        for (int seed = 1; seed <= 500; seed++) {
            Random r = new Random(seed);
            for (Object value :
                    List.of(
                            closure(r),
                            header(r),
                            slot(r),
                            announcement(r),
                            facts(r),
                            source(r),
                            factsUpdate(r),
                            link(r),
                            edgeChange(r),
                            usage(r),
                            consumption(r),
                            dispatchLines(r),
                            usageUpdate(r),
                            factsSummary(r),
                            workOrderFacts(r),
                            shipmentFacts(r),
                            shipmentFactsUpdate(r),
                            qcCheck(r),
                            qcChecks(r),
                            qcCheckUpdate(r),
                            lotFlagUpdate(r),
                            holdEntry(r),
                            lotEntryHolds(r),
                            holdAlert(r),
                            flagHistory(r),
                            shipmentHoldChange(r))) {
                byte[] compact = LineageCodec.encodeValue(value);
                assertTrue(CompactCodec.isCompact(compact), value.toString());
                Object back = LineageCodec.decodeValue(compact, value.getClass());
                assertEquals(value, back, "seed " + seed);
                // the same value written by an older version (Smile, or JSON before that)
                // reads equal: state from before the layout still restores
                assertEquals(
                        value,
                        value instanceof LineageMessage
                                ? LineageCodec.decode(smile(value))
                                : LineageCodec.decodeValue(smile(value), value.getClass()));
                byte[] json = LineageCodec.toReadableJson(compact).getBytes(UTF_8);
                if (!(value instanceof LineageMessage)) {
                    assertEquals(value, LineageCodec.decodeValue(json, value.getClass()));
                }
            }
            LineageMessage.Closure message = closure(r);
            byte[] bytes = LineageCodec.encode(message);
            assertEquals(message, LineageCodec.decode(bytes));
            assertEquals(
                    message,
                    LineageCodec.decode(LineageCodec.toReadableJson(bytes).getBytes(UTF_8)),
                    "the readable JSON of a compact message is the envelope older code wrote");
            assertArrayEquals(bytes, LineageCodec.encode(LineageCodec.decode(bytes)));
        }
    }

    @Test
    void compactIsSmallerThanSmile() {
        Random r = new Random(7);
        long compact = 0;
        long smile = 0;
        for (int i = 0; i < 200; i++) {
            Object value = closure(r);
            compact += LineageCodec.encodeValue(value).length;
            smile += smile(value).length;
        }
        // a third smaller at least (field names are gone; strings and lists remain)
        assertTrue(compact * 3 < smile * 2, compact + " compact vs " + smile + " Smile bytes");
    }

    @Test
    void damagedBytesFailWithAClearErrorNeverAnotherException() {
        List<Function<Random, Object>> kinds =
                List.of(
                        CompactCodecTest::announcement,
                        CompactCodecTest::facts,
                        CompactCodecTest::source,
                        CompactCodecTest::factsUpdate,
                        CompactCodecTest::link,
                        CompactCodecTest::edgeChange,
                        CompactCodecTest::usage,
                        CompactCodecTest::consumption,
                        CompactCodecTest::dispatchLines,
                        CompactCodecTest::usageUpdate,
                        CompactCodecTest::factsSummary,
                        CompactCodecTest::workOrderFacts,
                        CompactCodecTest::shipmentFacts,
                        CompactCodecTest::shipmentFactsUpdate,
                        CompactCodecTest::qcCheck,
                        CompactCodecTest::qcChecks,
                        CompactCodecTest::qcCheckUpdate,
                        CompactCodecTest::lotFlagUpdate,
                        CompactCodecTest::holdEntry,
                        CompactCodecTest::lotEntryHolds,
                        CompactCodecTest::holdAlert,
                        CompactCodecTest::flagHistory,
                        CompactCodecTest::shipmentHoldChange);
        Random r = new Random(11);
        for (Function<Random, Object> kind : kinds) {
            for (int i = 0; i < 300; i++) {
                Object value = kind.apply(r);
                Class<?> type = value.getClass();
                byte[] good = LineageCodec.encodeValue(value);
                // cut short anywhere after the kind byte
                byte[] cut = Arrays.copyOf(good, 3 + r.nextInt(Math.max(1, good.length - 3)));
                if (cut.length < good.length) {
                    assertThrows(
                            IllegalArgumentException.class,
                            () -> LineageCodec.decodeValue(cut, type));
                }
                // trailing garbage
                byte[] longer = Arrays.copyOf(good, good.length + 1);
                IllegalArgumentException e =
                        assertThrows(
                                IllegalArgumentException.class,
                                () -> LineageCodec.decodeValue(longer, type));
                assertTrue(e.getMessage().contains("left after"), e.getMessage());
                // a byte changed: a clear error or some value, never another exception
                byte[] flipped = good.clone();
                flipped[3 + r.nextInt(good.length - 3)] ^= (byte) (1 << r.nextInt(8));
                try {
                    LineageCodec.decodeValue(flipped, Object.class);
                } catch (IllegalArgumentException expected) {
                    // the clear error
                }
            }
        }
        byte[] header = LineageCodec.encodeValue(header(new Random(3)));
        IllegalArgumentException wrongType =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> LineageCodec.decodeValue(header, ClosureSlot.class));
        assertTrue(wrongType.getMessage().contains("NodeHeader"), wrongType.getMessage());
        byte[] future = header.clone();
        future[1] = CompactCodec.VERSION + 1;
        IllegalArgumentException newer =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> LineageCodec.decodeValue(future, NodeHeader.class));
        assertTrue(newer.getMessage().contains("version 2"), newer.getMessage());
    }

    @Test
    void nullMapValuesAreLeftOutAsTheirSmileLeavesThemOut() {
        TreeMap<String, Double> quantities = new TreeMap<>();
        quantities.put("a", null);
        quantities.put("b", 2.0);
        TreeMap<String, LotSource> sources = new TreeMap<>();
        sources.put("s", null);
        sources.put("t", LotSource.REVERSED);
        LotFacts facts = factsWith(new Random(5), quantities, sources);
        LotFacts compact =
                LineageCodec.decodeValue(LineageCodec.encodeValue(facts), LotFacts.class);
        assertEquals(LineageCodec.decodeValue(smile(facts), LotFacts.class), compact);
        assertEquals(List.of("b"), List.copyOf(compact.quantities().keySet()));
        assertEquals(List.of("t"), List.copyOf(compact.sources().keySet()));
    }

    @Test
    void factsNestedDeeperThanTheModelNestsAreRefusedNotAStackOverflow() {
        LotFacts facts = factsWith(new Random(6), null, null);
        for (int i = 0; i < 40; i++) {
            facts =
                    factsWith(
                            new Random(i),
                            null,
                            new TreeMap<>(Map.of("k", LotSource.of(0, facts))));
        }
        byte[] bytes = LineageCodec.encodeValue(facts);
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> LineageCodec.decodeValue(bytes, LotFacts.class));
        assertTrue(e.getMessage().contains("nested too deep"), e.getMessage());
    }

    @Test
    void aWorkOrdersFactsRichAndEmptyRoundTripAndTheirSmileStillReads() {
        WorkOrderFacts rich =
                new WorkOrderFacts(
                        "WO-4711",
                        "SA-1",
                        "Müller Mühle Mix 批次",
                        "L1",
                        "PLANT-A",
                        new TreeSet<>(List.of("M-2", "M-1")),
                        new TreeSet<>(List.of("OP-7")),
                        Instant.parse("2026-12-01T06:00:00Z"),
                        Instant.ofEpochSecond(1_764_570_000L, 123_456_789),
                        Instant.parse("2026-12-01T14:30:00.5Z"));
        WorkOrderFacts empty =
                new WorkOrderFacts(null, null, null, null, null, null, null, null, null, null);
        WorkOrderFacts back = readsBackAsItsSmileDoes(rich, WorkOrderFacts.class);
        // Smile kept nanoseconds (WRITE_DATES_AS_TIMESTAMPS writes seconds.nanos): so does this
        assertEquals(123_456_789, back.startedAt().getNano());
        assertEquals(List.of("M-1", "M-2"), List.copyOf(back.machineIds()));
        assertThrows(UnsupportedOperationException.class, () -> back.machineIds().add("M-3"));
        // read as the record keeps its sets: its constructor kept them, no second copy
        assertSame(back.machineIds(), Merge.frozenSet(back.machineIds()));
        WorkOrderFacts none = readsBackAsItsSmileDoes(empty, WorkOrderFacts.class);
        // null sets are empty ones in the record, in both forms
        assertTrue(none.machineIds().isEmpty() && none.operatorIds().isEmpty());
        assertNull(none.workOrderId());
        everyCutFails(rich);
        everyCutFails(empty);
    }

    @Test
    void aShipmentsFactsAndTheirMessageRichAndEmptyRoundTripAndTheirSmileStillReads() {
        ShipmentFacts rich =
                new ShipmentFacts(
                        "DN-1",
                        "C-1",
                        "Bäckerei Nord",
                        "Hamburg",
                        "HH-AB 123",
                        "Carrier",
                        "Goods in",
                        Instant.ofEpochSecond(1_764_570_000L, 5),
                        "SO-9",
                        "PLANT-A",
                        List.of(
                                new ShipmentLine("SA-1", "P-1", 12.5, "kg", List.of("U-2", "U-1")),
                                new ShipmentLine("SA-2", null, 100.0, null)),
                        3,
                        ShipmentFacts.CANCELLED);
        ShipmentFacts empty =
                new ShipmentFacts(
                        null, null, null, null, null, null, null, null, null, null, null, 0, null);
        ShipmentFacts back = readsBackAsItsSmileDoes(rich, ShipmentFacts.class);
        assertEquals(5, back.shippedAt().getNano());
        // the dispatch stage keeps the serials in their order
        assertEquals(List.of("U-2", "U-1"), back.lines().get(0).serials());
        assertTrue(back.cancelled());
        ShipmentFacts none = readsBackAsItsSmileDoes(empty, ShipmentFacts.class);
        assertEquals(List.of(), none.lines());
        assertEquals(ShipmentFacts.SHIPPED, none.status());
        LineageMessage.ShipmentFactsUpdate update =
                new LineageMessage.ShipmentFactsUpdate(
                        NodeKey.shipment("DN-1"), rich.withoutSerials());
        assertEquals(update, readsBackAsItsSmileDoes(update, LineageMessage.class));
        everyCutFails(rich);
        everyCutFails(empty);
        everyCutFails(update);
    }

    @Test
    void qcChecksAndLotFlagsRichAndEmptyRoundTripAndTheirSmileStillReads() {
        QcCheck rich =
                new QcCheck(
                        "QC-1",
                        "SA-1",
                        "WO-1",
                        "moisture",
                        12.75,
                        -0.0,
                        1e-9,
                        "%",
                        QcCheck.FAIL,
                        "INSP-3",
                        Instant.ofEpochSecond(1_764_570_000L, 999_999_999),
                        5,
                        "Nachprüfung nötig");
        QcCheck bare =
                new QcCheck(
                        "QC-2", "SA-1", null, null, null, null, null, null, null, null, null, null,
                        null);
        assertEquals(rich, readsBackAsItsSmileDoes(rich, QcCheck.class));
        QcCheck none = readsBackAsItsSmileDoes(bare, QcCheck.class);
        assertNull(none.sampleSize());
        assertNull(none.value());
        QcChecks checks = QcChecks.NONE.with(rich).with(bare);
        QcChecks back = readsBackAsItsSmileDoes(checks, QcChecks.class);
        assertEquals(List.of("QC-1", "QC-2"), List.copyOf(back.byId().keySet()));
        assertEquals(rich.lowerLimit(), back.byId().get("QC-1").lowerLimit()); // -0.0 stays
        assertTrue(readsBackAsItsSmileDoes(QcChecks.NONE, QcChecks.class).isEmpty());
        // a null check is left out, as its Smile leaves it out
        TreeMap<String, QcCheck> withNull = new TreeMap<>(checks.byId());
        withNull.put("QC-0", null);
        assertEquals(
                checks,
                LineageCodec.decodeValue(
                        LineageCodec.encodeValue(new QcChecks(withNull)), QcChecks.class));
        assertEquals(
                checks, LineageCodec.decodeValue(smile(new QcChecks(withNull)), QcChecks.class));
        LineageMessage.QcCheckUpdate update =
                new LineageMessage.QcCheckUpdate(NodeKey.lot("SA-1"), rich);
        assertEquals(update, readsBackAsItsSmileDoes(update, LineageMessage.class));
        LineageMessage.LotFlagUpdate hold =
                new LineageMessage.LotFlagUpdate(
                        NodeKey.lot("RM-1"),
                        new FlagEvent(
                                "F-1",
                                "RM-1",
                                FlagEvent.HOLD,
                                "Salmonella",
                                "CRITICAL",
                                "QA",
                                Instant.ofEpochSecond(1_764_570_000L, 1_000),
                                "CAPA-7"));
        LineageMessage.LotFlagUpdate release =
                new LineageMessage.LotFlagUpdate(
                        NodeKey.lot("RM-1"),
                        new FlagEvent(
                                "F-2",
                                "RM-1",
                                FlagEvent.RELEASE,
                                null,
                                null,
                                null,
                                Instant.EPOCH,
                                null));
        assertEquals(hold, readsBackAsItsSmileDoes(hold, LineageMessage.class));
        assertEquals(release, readsBackAsItsSmileDoes(release, LineageMessage.class));
        for (Object value : List.of(rich, bare, checks, QcChecks.NONE, update, hold, release)) {
            everyCutFails(value);
        }
        // an action other than HOLD or RELEASE in damaged bytes: the record's own check fails, an
        // IllegalArgumentException like any other damage
        byte[] bytes = LineageCodec.encode(hold);
        int at = indexOf(bytes, "HOLD".getBytes(UTF_8));
        bytes[at + 3] = 'E';
        byte[] damaged = bytes;
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> LineageCodec.decode(damaged));
        assertTrue(e.getMessage().contains("HOLE"), e.getMessage());
    }

    @Test
    void holdsFlagHistoriesAndAlertsRichAndEmptyRoundTripAndTheirSmileStillReads() {
        HoldEntry rich =
                new HoldEntry(
                        "F-1",
                        "RM-1",
                        "Salmonella Nachweis",
                        "CRITICAL",
                        "QA-批次",
                        Instant.ofEpochSecond(1_764_570_000L, 123_456_789),
                        "CAPA-7",
                        List.of("RM-1", "SA-1", "FG-1"));
        HoldEntry bare = new HoldEntry("F-2", "RM-2", null, null, null, null, null, null);
        assertEquals(rich, readsBackAsItsSmileDoes(rich, HoldEntry.class));
        // a null or empty path is the flagged lot alone, in both forms
        assertEquals(List.of("RM-2"), readsBackAsItsSmileDoes(bare, HoldEntry.class).path());
        LotEntryHolds entryHolds = new LotEntryHolds("SA-1", List.of(rich, bare));
        LotEntryHolds noHolds = new LotEntryHolds("SA-1", null);
        assertEquals(entryHolds, readsBackAsItsSmileDoes(entryHolds, LotEntryHolds.class));
        assertEquals(List.of(), readsBackAsItsSmileDoes(noHolds, LotEntryHolds.class).holds());
        FlagEvent hold =
                new FlagEvent(
                        "F-1",
                        "RM-1",
                        FlagEvent.HOLD,
                        "Salmonella",
                        "CRITICAL",
                        "QA",
                        Instant.ofEpochSecond(1_764_570_000L, 1_000),
                        "CAPA-7");
        FlagEvent release =
                new FlagEvent(
                        "F-0", "RM-1", FlagEvent.RELEASE, null, null, null, Instant.EPOCH, null);
        FlagHistory history = FlagHistory.EMPTY.with(release).with(hold);
        assertEquals(history, readsBackAsItsSmileDoes(history, FlagHistory.class));
        assertEquals(
                FlagHistory.EMPTY, readsBackAsItsSmileDoes(FlagHistory.EMPTY, FlagHistory.class));
        FlagHistory releasedOnly = new FlagHistory(release, null);
        assertEquals(releasedOnly, readsBackAsItsSmileDoes(releasedOnly, FlagHistory.class));
        HoldAlert shipmentAlert =
                new HoldAlert(
                        "5f0c2d1e-0000-3000-8000-000000000001",
                        HoldAlert.SHIPPED_WHILE_ON_HOLD,
                        HoldAlert.OPEN,
                        "CRITICAL",
                        "F-1",
                        "RM-1",
                        "Salmonella",
                        Instant.ofEpochSecond(1_764_570_000L, 5),
                        "DN-1",
                        "C-1",
                        "Bäckerei Nord",
                        "Hamburg",
                        Instant.parse("2026-12-01T06:00:00Z"),
                        "FG-1",
                        12.5,
                        "kg",
                        "SHIPPED",
                        List.of("RM-1", "FG-1"),
                        List.of("FG-1", "FG-2"));
        HoldAlert bareAlert =
                new HoldAlert(
                        "a", "K", "S", null, null, null, null, null, null, null, null, null, null,
                        "L", null, null, null, null, null);
        assertEquals(shipmentAlert, readsBackAsItsSmileDoes(shipmentAlert, HoldAlert.class));
        HoldAlert none = readsBackAsItsSmileDoes(bareAlert, HoldAlert.class);
        assertNull(none.quantity());
        assertEquals(List.of(), none.path());
        assertEquals(List.of("L"), none.lotCodes());
        HoldAlert resolved = shipmentAlert.withStatus(HoldAlert.RESOLVED);
        assertEquals(resolved, readsBackAsItsSmileDoes(resolved, HoldAlert.class));
        ShipmentHoldChange change =
                new ShipmentHoldChange("DN-1", "RM-1", rich, List.of("FG-2", "FG-1"), true);
        ShipmentHoldChange gone = new ShipmentHoldChange("DN-1", "RM-1", bare, null, false);
        // the shipped lots keep their order
        assertEquals(
                List.of("FG-2", "FG-1"),
                readsBackAsItsSmileDoes(change, ShipmentHoldChange.class).shippedLots());
        assertEquals(gone, readsBackAsItsSmileDoes(gone, ShipmentHoldChange.class));
        for (Object value :
                List.of(
                        rich,
                        bare,
                        entryHolds,
                        noHolds,
                        history,
                        FlagHistory.EMPTY,
                        releasedOnly,
                        shipmentAlert,
                        bareAlert,
                        change,
                        gone)) {
            everyCutFails(value);
        }
        // a null alert id in damaged bytes: the record's own check fails, as a clear error
        byte[] bytes = LineageCodec.encodeValue(bareAlert);
        assertEquals(4, bytes[3]); // "a": length + 1, zigzag
        byte[] damaged = new byte[bytes.length - 1];
        System.arraycopy(bytes, 0, damaged, 0, 3);
        damaged[3] = 0; // the id null, its one byte gone
        System.arraycopy(bytes, 5, damaged, 4, bytes.length - 5);
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> LineageCodec.decodeValue(damaged, HoldAlert.class));
        assertTrue(e.getMessage().contains("alertId"), e.getMessage());
    }

    private static int indexOf(byte[] bytes, byte[] part) {
        for (int i = 0; i + part.length <= bytes.length; i++) {
            if (Arrays.equals(bytes, i, i + part.length, part, 0, part.length)) {
                return i;
            }
        }
        throw new AssertionError("not found");
    }

    /**
     * {@code value} in the compact layout reads back equal, and so does its Smile (what state
     * written before the layout holds); returns the compact read.
     */
    private static <T> T readsBackAsItsSmileDoes(T value, Class<T> type) {
        byte[] compact =
                value instanceof LineageMessage m
                        ? LineageCodec.encode(m)
                        : LineageCodec.encodeValue(value);
        assertTrue(CompactCodec.isCompact(compact), value.toString());
        byte[] smile = smile(value);
        assertTrue(LineageCodec.isSmile(smile));
        Object fromSmile =
                value instanceof LineageMessage
                        ? LineageCodec.decode(smile)
                        : LineageCodec.decodeValue(smile, type);
        assertEquals(value, fromSmile, "older Smile bytes");
        T back = LineageCodec.decodeValue(compact, type);
        assertEquals(value, back);
        assertEquals(fromSmile, back);
        assertTrue(compact.length < smile.length, compact.length + " vs Smile " + smile.length);
        return back;
    }

    /** Every prefix of the compact bytes fails with a clear error, never reads as some value. */
    private static void everyCutFails(Object value) {
        byte[] good = LineageCodec.encodeValue(value);
        for (int n = 0; n < good.length; n++) {
            byte[] cut = Arrays.copyOf(good, n);
            // shorter than tag, version and kind: not compact, so Jackson's parse fails
            Class<? extends RuntimeException> error =
                    n < 3 ? UncheckedIOException.class : IllegalArgumentException.class;
            RuntimeException e =
                    assertThrows(
                            error,
                            () -> LineageCodec.decodeValue(cut, value.getClass()),
                            n + " of " + good.length + " bytes");
            assertTrue(
                    e.getMessage().contains(n < 3 ? "not a valid" : "compact lineage bytes"),
                    e.getMessage());
        }
    }

    private static byte[] smile(Object value) {
        return LineageCodec.encodeSmile(
                value instanceof LineageMessage m ? new LineageCodec.Envelope(1, m) : value);
    }

    private static LineageMessage.Closure closure(Random r) {
        NodeKey target = r.nextBoolean() ? NodeKey.lot(code(r)) : NodeKey.shipment(code(r));
        NodeKey from = NodeKey.lot(code(r));
        List<AncestorEntry> entries = entries(r);
        if (r.nextInt(3) == 0) {
            return LineageMessage.Closure.whole(target, from, r.nextInt(1000), entries);
        }
        List<String> removed = new ArrayList<>();
        for (int i = r.nextInt(4); i > 0; i--) {
            removed.add(code(r));
        }
        long version = r.nextInt(3) == 0 ? Long.MAX_VALUE - r.nextInt(5) : r.nextInt(1000);
        return new LineageMessage.Closure(
                target, from, version, version - 1, false, entries, removed);
    }

    private static NodeHeader header(Random r) {
        return new NodeHeader(
                r.nextLong(),
                r.nextBoolean() ? entry(r) : null,
                r.nextInt(5000),
                r.nextInt(),
                r.nextBoolean(),
                r.nextBoolean());
    }

    private static ClosureSlot slot(Random r) {
        TreeMap<Integer, Integer> counts = new TreeMap<>();
        for (int i = 1 + r.nextInt(3); i > 0; i--) {
            counts.put(r.nextInt(AncestorEntry.MAX_DEPTH), 1 + r.nextInt(Integer.MAX_VALUE - 1));
        }
        return new ClosureSlot(entry(r), counts);
    }

    private static Announcement announcement(Random r) {
        return new Announcement(r.nextInt(1 << 20), entries(r), holds(r));
    }

    private static List<AncestorEntry> entries(Random r) {
        List<AncestorEntry> entries = new ArrayList<>();
        for (int i = r.nextInt(6); i > 0; i--) {
            entries.add(entry(r));
        }
        return entries;
    }

    private static AncestorEntry entry(Random r) {
        return new AncestorEntry(
                code(r),
                text(r),
                text(r),
                text(r),
                r.nextInt(AncestorEntry.MAX_DEPTH + 1),
                r.nextBoolean(),
                r.nextInt(4) == 0 ? r.nextLong() : r.nextInt(100),
                holds(r));
    }

    private static List<HoldEntry> holds(Random r) {
        List<HoldEntry> holds = new ArrayList<>();
        for (int i = r.nextInt(3); i > 0; i--) {
            List<String> path = new ArrayList<>();
            for (int j = r.nextInt(4); j > 0; j--) {
                path.add(code(r));
            }
            Instant since =
                    r.nextInt(4) == 0
                            ? null
                            : Instant.ofEpochSecond(
                                    r.nextInt(Integer.MAX_VALUE) - (long) Integer.MAX_VALUE / 2,
                                    r.nextInt(1_000_000_000));
            holds.add(
                    new HoldEntry(
                            "F-" + r.nextInt(50),
                            code(r),
                            text(r),
                            text(r),
                            text(r),
                            since,
                            text(r),
                            path));
        }
        return holds;
    }

    private static HoldEntry holdEntry(Random r) {
        List<HoldEntry> holds = holds(r);
        while (holds.isEmpty()) {
            holds = holds(r);
        }
        return holds.get(0);
    }

    private static LotEntryHolds lotEntryHolds(Random r) {
        return new LotEntryHolds(code(r), r.nextInt(5) == 0 ? null : holds(r));
    }

    private static FlagEvent flagEvent(Random r, String action) {
        Instant at = instant(r);
        return new FlagEvent(
                "F-" + r.nextInt(50),
                code(r),
                action,
                text(r),
                text(r),
                text(r),
                at == null ? Instant.EPOCH : at,
                text(r));
    }

    private static FlagHistory flagHistory(Random r) {
        if (r.nextInt(6) == 0) {
            return FlagHistory.EMPTY;
        }
        FlagEvent release = r.nextBoolean() ? flagEvent(r, FlagEvent.RELEASE) : null;
        List<FlagEvent> holds = new ArrayList<>();
        for (int i = r.nextInt(4); i > 0; i--) {
            holds.add(flagEvent(r, FlagEvent.HOLD));
        }
        return new FlagHistory(release, r.nextInt(5) == 0 ? null : holds);
    }

    private static HoldAlert holdAlert(Random r) {
        List<String> path = new ArrayList<>();
        for (int i = r.nextInt(3); i > 0; i--) {
            path.add(code(r));
        }
        List<String> lotCodes = new ArrayList<>();
        for (int i = r.nextInt(3); i > 0; i--) {
            lotCodes.add(code(r));
        }
        return new HoldAlert(
                "id-" + r.nextInt(1000),
                switch (r.nextInt(3)) {
                    case 0 -> HoldAlert.AFFECTED_STOCK;
                    case 1 -> HoldAlert.SHIPPED_WHILE_ON_HOLD;
                    default -> HoldAlert.AFFECTED_SHIPMENT;
                },
                r.nextBoolean() ? HoldAlert.OPEN : HoldAlert.RESOLVED,
                text(r),
                text(r),
                text(r),
                text(r),
                instant(r),
                text(r),
                text(r),
                text(r),
                text(r),
                instant(r),
                code(r),
                r.nextInt(4) == 0 ? null : number(r),
                text(r),
                text(r),
                r.nextInt(4) == 0 ? null : path,
                r.nextInt(4) == 0 ? null : lotCodes);
    }

    private static ShipmentHoldChange shipmentHoldChange(Random r) {
        List<String> shipped = new ArrayList<>();
        for (int i = r.nextInt(4); i > 0; i--) {
            shipped.add(code(r));
        }
        return new ShipmentHoldChange(
                code(r),
                code(r),
                holdEntry(r),
                r.nextInt(4) == 0 ? null : shipped,
                r.nextBoolean());
    }

    private static LineageMessage.LotUsageUpdate usageUpdate(Random r) {
        return new LineageMessage.LotUsageUpdate(NodeKey.lot(code(r)), usage(r));
    }

    private static LotUsage usage(Random r) {
        switch (r.nextInt(8)) {
            case 0:
                return LotUsage.NONE;
            case 1:
                return LotUsage.consumption(code(r), consumption(r));
            case 2:
                return LotUsage.reversal(code(r));
            case 3:
                return LotUsage.shipment(code(r), seq(r), lines(r));
            default:
                break;
        }
        TreeMap<String, Consumption> consumed = new TreeMap<>();
        for (int i = r.nextInt(4); i > 0; i--) {
            consumed.put(code(r), consumption(r));
        }
        TreeMap<String, List<ShipmentLine>> shipped = new TreeMap<>();
        TreeMap<String, Long> seqs = new TreeMap<>();
        for (int i = r.nextInt(3); i > 0; i--) {
            String dispatchId = code(r);
            shipped.put(dispatchId, r.nextInt(4) == 0 ? null : lines(r));
            if (r.nextBoolean()) {
                seqs.put(dispatchId, seq(r));
            }
        }
        return new LotUsage(
                r.nextInt(5) == 0 ? null : consumed,
                strings(r),
                r.nextInt(5) == 0 ? null : shipped,
                r.nextInt(5) == 0 ? null : seqs);
    }

    private static Consumption consumption(Random r) {
        return new Consumption(code(r), r.nextInt(4) == 0 ? null : number(r), text(r), text(r));
    }

    private static LotUsage.DispatchLines dispatchLines(Random r) {
        return new LotUsage.DispatchLines(seq(r), r.nextInt(5) == 0 ? null : lines(r));
    }

    private static List<ShipmentLine> lines(Random r) {
        List<ShipmentLine> lines = new ArrayList<>();
        for (int i = r.nextInt(4); i > 0; i--) {
            List<String> serials = new ArrayList<>();
            for (int j = r.nextInt(3) == 0 ? r.nextInt(4) : 0; j > 0; j--) {
                serials.add(code(r));
            }
            lines.add(
                    new ShipmentLine(
                            code(r),
                            text(r),
                            number(r),
                            text(r),
                            r.nextInt(4) == 0 ? null : serials));
        }
        return lines;
    }

    private static Link link(Random r) {
        if (r.nextInt(6) == 0) {
            return r.nextBoolean() ? Link.NONE : Link.NONE.apply(code(r), 1, true, text(r));
        }
        TreeMap<String, ViaState> vias = new TreeMap<>();
        for (int i = 1 + r.nextInt(3); i > 0; i--) {
            vias.put(code(r), new ViaState(seq(r), r.nextBoolean(), text(r)));
        }
        return new Link(vias);
    }

    private static LineageMessage.EdgeChange edgeChange(Random r) {
        NodeKey parent = NodeKey.lot(code(r));
        NodeKey child =
                switch (r.nextInt(4)) {
                    case 0 -> parent; // both ends one node (bad data, but the record allows it)
                    case 1 -> NodeKey.shipment(code(r));
                    default -> NodeKey.lot(code(r));
                };
        return LineageMessage.EdgeChange.toBothEnds(
                        parent, child, code(r), seq(r), r.nextBoolean(), text(r))
                .get(r.nextInt(2));
    }

    private static long seq(Random r) {
        return switch (r.nextInt(4)) {
            case 0 -> r.nextLong();
            case 1 -> Long.MAX_VALUE - r.nextInt(3);
            default -> r.nextInt(1000);
        };
    }

    private static LineageMessage.ShipmentFactsUpdate shipmentFactsUpdate(Random r) {
        return new LineageMessage.ShipmentFactsUpdate(NodeKey.shipment(code(r)), shipmentFacts(r));
    }

    private static ShipmentFacts shipmentFacts(Random r) {
        return new ShipmentFacts(
                r.nextInt(8) == 0 ? null : code(r),
                text(r),
                text(r),
                text(r),
                text(r),
                text(r),
                text(r),
                instant(r),
                text(r),
                text(r),
                r.nextInt(5) == 0 ? null : lines(r),
                r.nextInt(4) == 0 ? r.nextInt() : r.nextInt(3),
                switch (r.nextInt(4)) {
                    case 0 -> null;
                    case 1 -> ShipmentFacts.CANCELLED;
                    case 2 -> text(r);
                    default -> ShipmentFacts.SHIPPED;
                });
    }

    private static QcCheck qcCheck(Random r) {
        return new QcCheck(
                "QC-" + r.nextInt(50),
                code(r),
                text(r),
                text(r),
                r.nextInt(4) == 0 ? null : number(r),
                r.nextInt(3) == 0 ? null : number(r),
                r.nextInt(3) == 0 ? null : number(r),
                text(r),
                switch (r.nextInt(4)) {
                    case 0 -> null;
                    case 1 -> QcCheck.FAIL;
                    case 2 -> text(r);
                    default -> QcCheck.PASS;
                },
                text(r),
                instant(r),
                switch (r.nextInt(4)) {
                    case 0 -> null;
                    case 1 -> r.nextInt();
                    default -> r.nextInt(10);
                },
                text(r));
    }

    private static QcChecks qcChecks(Random r) {
        if (r.nextInt(6) == 0) {
            return QcChecks.NONE;
        }
        TreeMap<String, QcCheck> byId = new TreeMap<>();
        for (int i = 1 + r.nextInt(4); i > 0; i--) {
            QcCheck check = qcCheck(r);
            byId.put(check.checkId(), check);
        }
        return new QcChecks(byId);
    }

    private static LineageMessage.QcCheckUpdate qcCheckUpdate(Random r) {
        QcCheck check = qcCheck(r);
        return new LineageMessage.QcCheckUpdate(NodeKey.lot(check.lotCode()), check);
    }

    private static LineageMessage.LotFlagUpdate lotFlagUpdate(Random r) {
        String lot = code(r);
        Instant at = instant(r);
        return new LineageMessage.LotFlagUpdate(
                NodeKey.lot(lot),
                new FlagEvent(
                        "F-" + r.nextInt(50),
                        lot,
                        r.nextBoolean() ? FlagEvent.HOLD : FlagEvent.RELEASE,
                        text(r),
                        text(r),
                        text(r),
                        at == null ? Instant.EPOCH : at,
                        text(r)));
    }

    private static WorkOrderFacts workOrderFacts(Random r) {
        return new WorkOrderFacts(
                code(r),
                r.nextBoolean() ? text(r) : null,
                r.nextBoolean() ? text(r) : null,
                r.nextBoolean() ? text(r) : null,
                r.nextBoolean() ? text(r) : null,
                r.nextBoolean() ? strings(r) : null,
                r.nextBoolean() ? strings(r) : null,
                instant(r),
                instant(r),
                instant(r));
    }

    private static LotFactsSummary factsSummary(Random r) {
        BigDecimal quantity =
                switch (r.nextInt(4)) {
                    case 0 -> null;
                    case 1 -> BigDecimal.valueOf(r.nextInt(100_000));
                    case 2 -> new BigDecimal(r.nextLong()).movePointLeft(r.nextInt(30));
                    default ->
                            BigDecimal.valueOf(r.nextDouble() * 1000)
                                    .multiply(BigDecimal.TEN.pow(40));
                };
        return new LotFactsSummary(r.nextInt(5) == 0 ? null : facts(r), quantity);
    }

    private static LineageMessage.LotFactsUpdate factsUpdate(Random r) {
        return new LineageMessage.LotFactsUpdate(NodeKey.lot(code(r)), facts(r));
    }

    /** Facts as the model derives them from sources, or any facts (older state: flat ones). */
    private static LotFacts facts(Random r) {
        TreeMap<String, LotSource> sources = new TreeMap<>();
        for (int i = r.nextInt(4); i > 0; i--) {
            sources.put(r.nextInt(5) == 0 ? "" : code(r), source(r));
        }
        return r.nextBoolean()
                ? LotFacts.of(sources)
                : factsWith(r, quantities(r), r.nextInt(3) == 0 ? null : sources);
    }

    private static LotSource source(Random r) {
        return switch (r.nextInt(5)) {
            case 0 -> LotSource.REVERSED;
            case 1 -> LotSource.moved(r.nextInt(5));
            case 2 ->
                    new LotSource(
                            r.nextInt(),
                            r.nextBoolean(),
                            r.nextBoolean() ? factsWith(r, quantities(r), null) : null);
            default -> LotSource.of(r.nextInt(3), factsWith(r, quantities(r), null));
        };
    }

    private static LotFacts factsWith(
            Random r, SortedMap<String, Double> quantities, SortedMap<String, LotSource> sources) {
        return new LotFacts(
                r.nextBoolean() ? LotFacts.PURCHASED : text(r),
                text(r),
                text(r),
                text(r),
                text(r),
                text(r),
                quantities,
                text(r),
                text(r),
                instant(r),
                instant(r),
                instant(r),
                text(r),
                strings(r),
                strings(r),
                text(r),
                instant(r),
                instant(r),
                r.nextBoolean() ? null : number(r),
                text(r),
                sources);
    }

    private static SortedMap<String, Double> quantities(Random r) {
        if (r.nextInt(5) == 0) {
            return null;
        }
        TreeMap<String, Double> q = new TreeMap<>();
        for (int i = r.nextInt(4); i > 0; i--) {
            q.put(r.nextInt(6) == 0 ? "" : code(r), number(r));
        }
        return q;
    }

    private static final double[] NUMBERS = {
        0.0,
        -0.0,
        1.0,
        100.0,
        12.5,
        -3.0,
        1e-9,
        1e15,
        0x1p55,
        -0x1p55,
        0x1p55 - 1,
        0x1p63,
        -0x1p63,
        Double.MAX_VALUE,
        -Double.MAX_VALUE,
        Double.MIN_VALUE,
        Long.MAX_VALUE
    };

    private static double number(Random r) {
        return switch (r.nextInt(4)) {
            case 0 -> NUMBERS[r.nextInt(NUMBERS.length)];
            case 1 -> r.nextInt(100_000);
            case 2 -> r.nextDouble() * 1000;
            default -> Double.longBitsToDouble(r.nextLong() & 0x7FEF_FFFF_FFFF_FFFFL);
        };
    }

    private static TreeSet<String> strings(Random r) {
        if (r.nextInt(4) == 0) {
            return null;
        }
        TreeSet<String> set = new TreeSet<>();
        for (int i = r.nextInt(4); i > 0; i--) {
            set.add(code(r));
        }
        return set;
    }

    private static Instant instant(Random r) {
        return switch (r.nextInt(5)) {
            case 0 -> null;
            case 1 -> Instant.ofEpochSecond(253_402_300_799L, 999_999_999); // 9999-12-31
            case 2 -> Instant.ofEpochSecond(1_700_000_000L + r.nextInt(100_000_000));
            default ->
                    Instant.ofEpochSecond(
                            r.nextInt(Integer.MAX_VALUE) - (long) Integer.MAX_VALUE / 2,
                            r.nextInt(1_000_000_000));
        };
    }

    private static String code(Random r) {
        String t = TEXT[2 + r.nextInt(TEXT.length - 2)];
        return t.isEmpty() ? "X" : t + "-" + r.nextInt(100);
    }

    private static String text(Random r) {
        return TEXT[r.nextInt(TEXT.length)];
    }
}
