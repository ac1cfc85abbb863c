package dev.batchtrace.lineage;

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
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A fixed binary layout for the values the node stage reads and writes on every closure message:
 * {@link LineageMessage.Closure}, {@link NodeHeader}, {@link ClosureSlot} and {@link Announcement}
 * (issue 9: Jackson's Smile binding of these records was about a quarter of the node stage's CPU; a
 * hand-written layout, because these few records are the hot path and a schema library would add a
 * second model of them), and for the next-hottest: a lot's facts ({@link LotFacts}, {@link
 * LotSource}, {@link LineageMessage.LotFactsUpdate}), links to parents and children ({@link Link},
 * {@link LineageMessage.EdgeChange}) and what was taken out of a lot ({@link LotUsage}, its {@link
 * Consumption}s and {@link LotUsage.DispatchLines}, {@link LineageMessage.LotUsageUpdate}), a work
 * order's facts ({@link WorkOrderFacts}: stage 1 reads them on every work-order event), a
 * shipment's ({@link ShipmentFacts}, {@link LineageMessage.ShipmentFactsUpdate}), QC checks ({@link
 * QcCheck}, {@link QcChecks}, {@link LineageMessage.QcCheckUpdate}), quality decisions ({@link
 * LineageMessage.LotFlagUpdate}, a lot's {@link FlagHistory}) and what a flag raises: holds ({@link
 * HoldEntry}, a lot's entry holds {@link LotEntryHolds}, the index's {@link ShipmentHoldChange})
 * and alerts ({@link HoldAlert}; issue 9: decoding and encoding these as Smile was over a third of
 * the shipment alert stage's CPU while a flag on a bulk lot raised its alerts). Every other value
 * stays Smile ({@link LineageCodec}).
 *
 * <p>Layout: {@link #TAG} (neither Smile's ':' nor JSON's '{' or '['), {@link #VERSION}, a kind
 * byte, then the record's fields in declaration order: numbers as variable-length zigzag integers,
 * strings as length + 1 (0 for null) and UTF-8, lists as a count and their elements, an optional
 * value behind a presence byte, instants as seconds and nanoseconds, doubles behind a tag byte (see
 * {@link Out#writeDouble}); sorted maps and sets as a count and their entries in order, a map's
 * null values left out as its Smile leaves them out. A reader meets a newer version only if it runs
 * older code than the writer, and then fails with a message saying so.
 */
final class CompactCodec {

    /** First byte of every compact value. */
    static final byte TAG = (byte) 0xB7;

    /** Layout version written after the tag. */
    static final byte VERSION = 1;

    private static final byte CLOSURE = 1;
    private static final byte NODE_HEADER = 2;
    private static final byte CLOSURE_SLOT = 3;
    private static final byte ANNOUNCEMENT = 4;
    private static final byte LOT_FACTS = 5;
    private static final byte LOT_SOURCE = 6;
    private static final byte LOT_FACTS_UPDATE = 7;
    private static final byte LINK = 8;
    private static final byte EDGE_CHANGE = 9;
    private static final byte LOT_USAGE = 10;
    private static final byte CONSUMPTION = 11;
    private static final byte DISPATCH_LINES = 12;
    private static final byte LOT_USAGE_UPDATE = 13;
    private static final byte LOT_FACTS_SUMMARY = 14;
    private static final byte WORK_ORDER_FACTS = 15;
    private static final byte SHIPMENT_FACTS = 16;
    private static final byte SHIPMENT_FACTS_UPDATE = 17;
    private static final byte QC_CHECK = 18;
    private static final byte QC_CHECKS = 19;
    private static final byte QC_CHECK_UPDATE = 20;
    private static final byte LOT_FLAG_UPDATE = 21;
    private static final byte HOLD_ENTRY = 22;
    private static final byte LOT_ENTRY_HOLDS = 23;
    private static final byte HOLD_ALERT = 24;
    private static final byte FLAG_HISTORY = 25;
    private static final byte SHIPMENT_HOLD_CHANGE = 26;

    /**
     * How deep facts may nest in bytes that are read (facts, a source's facts, ...): the model
     * nests once (a source's facts are flat), so this only stops damaged bytes from overflowing the
     * stack.
     */
    private static final int MAX_NESTING = 16;

    private static final NodeKey.Kind[] KINDS = NodeKey.Kind.values();

    private static final long NEGATIVE_ZERO = Double.doubleToRawLongBits(-0.0);

    /** Whole doubles below this in size are varints of at most 8 bytes (zigzag: 56 bits). */
    private static final long WHOLE_LIMIT = 1L << 55;

    private CompactCodec() {}

    /** Entries a map is written with: its null values are left out, as by its Smile. */
    private static int nonNullValues(Map<?, ?> map) {
        int n = 0;
        for (Object v : map.values()) {
            if (v != null) {
                n++;
            }
        }
        return n;
    }

    static boolean isCompact(byte[] bytes) {
        return bytes.length >= 3 && bytes[0] == TAG;
    }

    /** Whether {@code value} has a compact layout. */
    static boolean supports(Object value) {
        return value instanceof LineageMessage.Closure
                || value instanceof NodeHeader
                || value instanceof ClosureSlot
                || value instanceof Announcement
                || value instanceof LotFacts
                || value instanceof LotSource
                || value instanceof LineageMessage.LotFactsUpdate
                || value instanceof Link
                || value instanceof LineageMessage.EdgeChange
                || value instanceof LotUsage
                || value instanceof Consumption
                || value instanceof LotUsage.DispatchLines
                || value instanceof LineageMessage.LotUsageUpdate
                || value instanceof LotFactsSummary
                || value instanceof WorkOrderFacts
                || value instanceof ShipmentFacts
                || value instanceof LineageMessage.ShipmentFactsUpdate
                || value instanceof QcCheck
                || value instanceof QcChecks
                || value instanceof LineageMessage.QcCheckUpdate
                || value instanceof LineageMessage.LotFlagUpdate
                || value instanceof HoldEntry
                || value instanceof LotEntryHolds
                || value instanceof HoldAlert
                || value instanceof FlagHistory
                || value instanceof ShipmentHoldChange;
    }

    static byte[] encode(Object value) {
        Out out = new Out();
        out.bytes[out.size++] = TAG;
        out.bytes[out.size++] = VERSION;
        if (value instanceof LineageMessage.Closure c) {
            out.writeByte(CLOSURE);
            out.writeNodeKey(c.target());
            out.writeNodeKey(c.from());
            out.writeLong(c.version());
            out.writeLong(c.baseVersion());
            out.writeBoolean(c.full());
            out.writeEntries(c.entries());
            out.writeInt(c.removed().size());
            for (String code : c.removed()) {
                out.writeString(code);
            }
        } else if (value instanceof NodeHeader h) {
            out.writeByte(NODE_HEADER);
            out.writeLong(h.version());
            out.writeBoolean(h.self() != null);
            if (h.self() != null) {
                out.writeEntry(h.self());
            }
            out.writeInt(h.lotParents());
            out.writeInt(h.closureSize());
            out.writeBoolean(h.unannounced());
            out.writeBoolean(h.wholesOwed());
        } else if (value instanceof ClosureSlot s) {
            out.writeByte(CLOSURE_SLOT);
            out.writeEntry(s.entry());
            out.writeInt(s.counts().size());
            for (Map.Entry<Integer, Integer> count : s.counts().entrySet()) {
                out.writeInt(count.getKey());
                out.writeInt(count.getValue());
            }
        } else if (value instanceof Announcement a) {
            out.writeByte(ANNOUNCEMENT);
            out.writeLong(a.version());
            out.writeEntries(a.entries());
            out.writeHolds(a.holds());
        } else if (value instanceof LotFacts f) {
            out.writeByte(LOT_FACTS);
            out.writeLotFacts(f);
        } else if (value instanceof LotSource s) {
            out.writeByte(LOT_SOURCE);
            out.writeLotSource(s);
        } else if (value instanceof LineageMessage.LotFactsUpdate u) {
            out.writeByte(LOT_FACTS_UPDATE);
            out.writeNodeKey(u.target());
            out.writeLotFacts(u.facts());
        } else if (value instanceof Link l) {
            out.writeByte(LINK);
            out.writeInt(nonNullValues(l.vias()));
            for (Map.Entry<String, ViaState> v : l.vias().entrySet()) {
                if (v.getValue() != null) {
                    out.writeString(v.getKey());
                    out.writeLong(v.getValue().seq());
                    out.writeBoolean(v.getValue().present());
                    out.writeString(v.getValue().customerId());
                }
            }
        } else if (value instanceof LineageMessage.EdgeChange e) {
            out.writeByte(EDGE_CHANGE);
            // the target is always one of the two ends (its constructor says so): which one
            out.writeBoolean(!e.target().equals(e.parent()));
            out.writeNodeKey(e.parent());
            out.writeNodeKey(e.child());
            out.writeString(e.via());
            out.writeLong(e.seq());
            out.writeBoolean(e.added());
            out.writeString(e.customerId());
        } else if (value instanceof LotUsage u) {
            out.writeByte(LOT_USAGE);
            out.writeLotUsage(u);
        } else if (value instanceof Consumption c) {
            out.writeByte(CONSUMPTION);
            out.writeConsumption(c);
        } else if (value instanceof LotUsage.DispatchLines d) {
            out.writeByte(DISPATCH_LINES);
            out.writeLong(d.seq());
            out.writeLines(d.lines());
        } else if (value instanceof LineageMessage.LotUsageUpdate u) {
            out.writeByte(LOT_USAGE_UPDATE);
            out.writeNodeKey(u.target());
            out.writeLotUsage(u.usage());
        } else if (value instanceof LotFactsSummary f) {
            out.writeByte(LOT_FACTS_SUMMARY);
            out.writeBoolean(f.facts() != null);
            if (f.facts() != null) {
                out.writeLotFacts(f.facts());
            }
            // the exact sum as BigDecimal's own text: scale and digits round trip as they are
            out.writeString(f.quantity() == null ? null : f.quantity().toString());
        } else if (value instanceof WorkOrderFacts w) {
            // stage 1 reads it on every work-order event
            out.writeByte(WORK_ORDER_FACTS);
            out.writeString(w.workOrderId());
            out.writeString(w.productCode());
            out.writeString(w.productName());
            out.writeString(w.lineId());
            out.writeString(w.site());
            out.writeStrings(w.machineIds());
            out.writeStrings(w.operatorIds());
            out.writeInstant(w.releasedAt());
            out.writeInstant(w.startedAt());
            out.writeInstant(w.completedAt());
        } else if (value instanceof ShipmentFacts f) {
            out.writeByte(SHIPMENT_FACTS);
            out.writeShipmentFacts(f);
        } else if (value instanceof LineageMessage.ShipmentFactsUpdate u) {
            out.writeByte(SHIPMENT_FACTS_UPDATE);
            out.writeNodeKey(u.target());
            out.writeShipmentFacts(u.facts());
        } else if (value instanceof QcCheck c) {
            out.writeByte(QC_CHECK);
            out.writeQcCheck(c);
        } else if (value instanceof QcChecks c) {
            out.writeByte(QC_CHECKS);
            out.writeInt(nonNullValues(c.byId()));
            for (Map.Entry<String, QcCheck> e : c.byId().entrySet()) {
                if (e.getValue() != null) {
                    out.writeString(e.getKey());
                    out.writeQcCheck(e.getValue());
                }
            }
        } else if (value instanceof LineageMessage.QcCheckUpdate u) {
            // the target is always the checked lot (its constructor says so): not written
            out.writeByte(QC_CHECK_UPDATE);
            out.writeQcCheck(u.check());
        } else if (value instanceof LineageMessage.LotFlagUpdate u) {
            // the target is always the flagged lot (its constructor says so): not written
            out.writeByte(LOT_FLAG_UPDATE);
            out.writeFlagEvent(u.flag());
        } else if (value instanceof HoldEntry h) {
            // the index and the shipment alert stage keep one per (hold, shipped lot, entry lot)
            out.writeByte(HOLD_ENTRY);
            out.writeHold(h);
        } else if (value instanceof LotEntryHolds h) {
            out.writeByte(LOT_ENTRY_HOLDS);
            out.writeString(h.lotCode());
            out.writeHolds(h.holds());
        } else if (value instanceof HoldAlert a) {
            // a raised alert, read and written by the alert ledger on every change of a holder
            out.writeByte(HOLD_ALERT);
            out.writeString(a.alertId());
            out.writeString(a.kind());
            out.writeString(a.status());
            out.writeString(a.severity());
            out.writeString(a.flagId());
            out.writeString(a.flaggedLotCode());
            out.writeString(a.flagReason());
            out.writeInstant(a.holdSince());
            out.writeString(a.dispatchId());
            out.writeString(a.customerId());
            out.writeString(a.customerName());
            out.writeString(a.destination());
            out.writeInstant(a.shippedAt());
            out.writeString(a.lotCode());
            out.writeDouble(a.quantity());
            out.writeString(a.unit());
            out.writeString(a.quantityBasis());
            out.writeStrings(a.path()); // never null: the record makes it empty
            out.writeStrings(a.lotCodes()); // never empty: the record makes it (lotCode)
        } else if (value instanceof FlagHistory f) {
            out.writeByte(FLAG_HISTORY);
            out.writeBoolean(f.release() != null);
            if (f.release() != null) {
                out.writeFlagEvent(f.release());
            }
            out.writeInt(f.holds().size()); // never null: the record makes it empty
            for (FlagEvent hold : f.holds()) {
                out.writeFlagEvent(hold);
            }
        } else if (value instanceof ShipmentHoldChange c) {
            // what the index sends a shipment's alert stage, per shipment, when a lot is flagged
            out.writeByte(SHIPMENT_HOLD_CHANGE);
            out.writeString(c.dispatchId());
            out.writeString(c.lotCode());
            out.writeHold(c.hold());
            out.writeStrings(c.shippedLots());
            out.writeBoolean(c.present());
        } else {
            throw new IllegalArgumentException(
                    "no compact layout for " + value.getClass().getName());
        }
        return Arrays.copyOf(out.bytes, out.size);
    }

    /** The value the compact bytes hold (their kind says which record). */
    static Object decode(byte[] bytes) {
        if (!isCompact(bytes)) {
            throw new IllegalArgumentException("not compact lineage bytes");
        }
        if (bytes[1] != VERSION) {
            throw new IllegalArgumentException(
                    "compact lineage bytes of layout version "
                            + bytes[1]
                            + " are not supported (this code reads version "
                            + VERSION
                            + "); run the same version of the job on both ends");
        }
        In in = new In(bytes, 3);
        Object value;
        try {
            value = decode(in, bytes[2]);
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (RuntimeException e) {
            // a record's own check (a null where it wants none, an instant out of range...) on
            // damaged bytes: reported as damaged bytes like every other error here
            throw new IllegalArgumentException(
                    "compact lineage bytes of kind " + bytes[2] + " are damaged: " + e, e);
        }
        if (in.pos != bytes.length) {
            throw new IllegalArgumentException(
                    "compact lineage bytes: "
                            + (bytes.length - in.pos)
                            + " bytes left after "
                            + value.getClass().getSimpleName());
        }
        return value;
    }

    private static Object decode(In in, byte kind) {
        return switch (kind) {
            case CLOSURE -> {
                NodeKey target = in.readNodeKey();
                NodeKey from = in.readNodeKey();
                long version = in.readLong();
                long baseVersion = in.readLong();
                boolean full = in.readBoolean();
                List<AncestorEntry> entries = in.readEntries();
                int removedCount = in.readCount();
                List<String> removed = new ArrayList<>(removedCount);
                for (int i = 0; i < removedCount; i++) {
                    removed.add(in.readString());
                }
                yield new LineageMessage.Closure(
                        target, from, version, baseVersion, full, entries, removed);
            }
            case NODE_HEADER -> {
                long version = in.readLong();
                AncestorEntry self = in.readBoolean() ? in.readEntry() : null;
                yield new NodeHeader(
                        version,
                        self,
                        in.readInt(),
                        in.readInt(),
                        in.readBoolean(),
                        in.readBoolean());
            }
            case CLOSURE_SLOT -> {
                AncestorEntry entry = in.readEntry();
                int n = in.readCount();
                TreeMap<Integer, Integer> counts = new TreeMap<>();
                for (int i = 0; i < n; i++) {
                    counts.put(in.readInt(), in.readInt());
                }
                yield new ClosureSlot(entry, counts);
            }
            case ANNOUNCEMENT -> new Announcement(in.readLong(), in.readEntries(), in.readHolds());
            case LOT_FACTS -> in.readLotFacts(0);
            case LOT_SOURCE -> in.readLotSource(0);
            case LOT_FACTS_UPDATE ->
                    new LineageMessage.LotFactsUpdate(in.readNodeKey(), in.readLotFacts(0));
            case LINK -> {
                int n = in.readCount();
                TreeMap<String, ViaState> vias = new TreeMap<>();
                for (int i = 0; i < n; i++) {
                    vias.put(
                            in.readKey(),
                            new ViaState(in.readLong(), in.readBoolean(), in.readString()));
                }
                yield new Link(vias);
            }
            case EDGE_CHANGE -> {
                boolean toChild = in.readBoolean();
                NodeKey parent = in.readNodeKey();
                NodeKey child = in.readNodeKey();
                yield new LineageMessage.EdgeChange(
                        toChild ? child : parent,
                        parent,
                        child,
                        in.readString(),
                        in.readLong(),
                        in.readBoolean(),
                        in.readString());
            }
            case LOT_USAGE -> in.readLotUsage();
            case CONSUMPTION -> in.readConsumption();
            case DISPATCH_LINES -> new LotUsage.DispatchLines(in.readLong(), in.readLines());
            case LOT_USAGE_UPDATE ->
                    new LineageMessage.LotUsageUpdate(in.readNodeKey(), in.readLotUsage());
            case LOT_FACTS_SUMMARY -> {
                LotFacts facts = in.readBoolean() ? in.readLotFacts(0) : null;
                String quantity = in.readString();
                // a malformed number is a NumberFormatException: an IllegalArgumentException
                yield new LotFactsSummary(
                        facts, quantity == null ? null : new BigDecimal(quantity));
            }
            case WORK_ORDER_FACTS ->
                    new WorkOrderFacts(
                            in.readString(),
                            in.readString(),
                            in.readString(),
                            in.readString(),
                            in.readString(),
                            in.readStringSet(),
                            in.readStringSet(),
                            in.readInstant(),
                            in.readInstant(),
                            in.readInstant());
            case SHIPMENT_FACTS -> in.readShipmentFacts();
            case SHIPMENT_FACTS_UPDATE ->
                    new LineageMessage.ShipmentFactsUpdate(
                            in.readNodeKey(), in.readShipmentFacts());
            case QC_CHECK -> in.readQcCheck();
            case QC_CHECKS -> {
                int n = in.readCount();
                TreeMap<String, QcCheck> byId = new TreeMap<>();
                for (int i = 0; i < n; i++) {
                    byId.put(in.readKey(), in.readQcCheck());
                }
                yield new QcChecks(byId);
            }
            case QC_CHECK_UPDATE -> {
                QcCheck check = in.readQcCheck();
                yield new LineageMessage.QcCheckUpdate(NodeKey.lot(check.lotCode()), check);
            }
            case LOT_FLAG_UPDATE -> {
                FlagEvent flag = in.readFlagEvent();
                yield new LineageMessage.LotFlagUpdate(NodeKey.lot(flag.lotCode()), flag);
            }
            case HOLD_ENTRY -> in.readHold();
            case LOT_ENTRY_HOLDS -> new LotEntryHolds(in.readString(), in.readHolds());
            case HOLD_ALERT ->
                    new HoldAlert(
                            in.readString(),
                            in.readString(),
                            in.readString(),
                            in.readString(),
                            in.readString(),
                            in.readString(),
                            in.readString(),
                            in.readInstant(),
                            in.readString(),
                            in.readString(),
                            in.readString(),
                            in.readString(),
                            in.readInstant(),
                            in.readString(),
                            in.readDouble(),
                            in.readString(),
                            in.readString(),
                            in.readKeys(),
                            in.readKeys());
            case FLAG_HISTORY -> {
                FlagEvent release = in.readBoolean() ? in.readFlagEvent() : null;
                int n = in.readCount();
                List<FlagEvent> holds = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    holds.add(in.readFlagEvent());
                }
                yield new FlagHistory(release, holds);
            }
            case SHIPMENT_HOLD_CHANGE ->
                    new ShipmentHoldChange(
                            in.readString(),
                            in.readString(),
                            in.readHold(),
                            in.readKeys(),
                            in.readBoolean());
            default -> throw new IllegalArgumentException("unknown compact lineage kind " + kind);
        };
    }

    /** A growing byte buffer (not a stream: no synchronization, no checked exceptions). */
    private static final class Out {
        byte[] bytes = new byte[128];
        int size;

        void ensure(int more) {
            if (size + more > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
            }
        }

        void writeByte(int b) {
            ensure(1);
            bytes[size++] = (byte) b;
        }

        void writeBoolean(boolean b) {
            writeByte(b ? 1 : 0);
        }

        void writeLong(long v) {
            long z = (v << 1) ^ (v >> 63); // zigzag: small negatives stay short
            ensure(10);
            while ((z & ~0x7FL) != 0) {
                bytes[size++] = (byte) ((z & 0x7F) | 0x80);
                z >>>= 7;
            }
            bytes[size++] = (byte) z;
        }

        void writeInt(int v) {
            writeLong(v);
        }

        void writeString(String s) {
            if (s == null) {
                writeLong(0);
                return;
            }
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            writeLong(utf8.length + 1L);
            ensure(utf8.length);
            System.arraycopy(utf8, 0, bytes, size, utf8.length);
            size += utf8.length;
        }

        void writeInstant(Instant t) {
            writeBoolean(t != null);
            if (t != null) {
                writeLong(t.getEpochSecond());
                writeInt(t.getNano());
            }
        }

        /**
         * A double behind a tag: 0 null, 1 a whole number as a varint (quantities are mostly whole:
         * 100.0 takes 2 bytes, not 8; only while that is no longer than 8 bytes), 2 its IEEE bits
         * (anything else, -0.0 and NaN included, so every double reads back {@code equals}).
         */
        void writeDouble(Double d) {
            if (d == null) {
                writeByte(0);
                return;
            }
            double v = d;
            long whole = (long) v;
            if ((double) whole == v
                    && whole > -WHOLE_LIMIT
                    && whole < WHOLE_LIMIT
                    && Double.doubleToRawLongBits(v) != NEGATIVE_ZERO) {
                writeByte(1);
                writeLong(whole);
                return;
            }
            writeByte(2);
            long bits = Double.doubleToRawLongBits(v);
            ensure(8);
            for (int i = 0; i < 8; i++) {
                bytes[size++] = (byte) (bits >>> (8 * i));
            }
        }

        void writeStrings(Collection<String> strings) {
            writeInt(strings.size());
            for (String s : strings) {
                writeString(s);
            }
        }

        void writeLotFacts(LotFacts f) {
            writeString(f.kind());
            writeString(f.materialCode());
            writeString(f.materialName());
            writeString(f.supplierId());
            writeString(f.supplierName());
            writeString(f.supplierLotCode());
            writeInt(nonNullValues(f.quantities()));
            for (Map.Entry<String, Double> q : f.quantities().entrySet()) {
                if (q.getValue() != null) {
                    writeString(q.getKey());
                    writeDouble(q.getValue());
                }
            }
            writeString(f.unit());
            writeString(f.site());
            writeInstant(f.receivedAt());
            writeInstant(f.expiresAt());
            writeInstant(f.producedAt());
            writeString(f.workOrderId());
            writeStrings(f.operatorIds());
            writeStrings(f.machineIds());
            writeString(f.lineId());
            writeInstant(f.workOrderStartedAt());
            writeInstant(f.workOrderCompletedAt());
            writeDouble(f.unitCost());
            writeString(f.currency());
            writeInt(nonNullValues(f.sources()));
            for (Map.Entry<String, LotSource> e : f.sources().entrySet()) {
                if (e.getValue() != null) {
                    writeString(e.getKey());
                    writeLotSource(e.getValue());
                }
            }
        }

        void writeLotSource(LotSource s) {
            writeInt(s.revision());
            writeBoolean(s.reversed());
            writeBoolean(s.facts() != null);
            if (s.facts() != null) {
                writeLotFacts(s.facts());
            }
        }

        void writeLotUsage(LotUsage u) {
            writeInt(nonNullValues(u.consumed()));
            for (Map.Entry<String, Consumption> c : u.consumed().entrySet()) {
                if (c.getValue() != null) {
                    writeString(c.getKey());
                    writeConsumption(c.getValue());
                }
            }
            writeStrings(u.reversed());
            writeInt(u.shipped().size()); // never a null list: the record makes it empty
            for (Map.Entry<String, List<ShipmentLine>> s : u.shipped().entrySet()) {
                writeString(s.getKey());
                writeLines(s.getValue());
            }
            writeInt(nonNullValues(u.shippedSeqs()));
            for (Map.Entry<String, Long> s : u.shippedSeqs().entrySet()) {
                if (s.getValue() != null) {
                    writeString(s.getKey());
                    writeLong(s.getValue());
                }
            }
        }

        void writeConsumption(Consumption c) {
            writeString(c.lotCode());
            writeDouble(c.quantity());
            writeString(c.unit());
            writeString(c.workOrderId());
        }

        void writeLines(List<ShipmentLine> lines) {
            writeInt(lines.size());
            for (ShipmentLine line : lines) {
                writeString(line.lotCode());
                writeString(line.productCode());
                writeDouble(line.quantity());
                writeString(line.unit());
                writeStrings(line.serials());
            }
        }

        void writeShipmentFacts(ShipmentFacts f) {
            writeString(f.dispatchId());
            writeString(f.customerId());
            writeString(f.customerName());
            writeString(f.destination());
            writeString(f.vehicle());
            writeString(f.carrier());
            writeString(f.recipient());
            writeInstant(f.shippedAt());
            writeString(f.salesOrder());
            writeString(f.site());
            writeLines(f.lines()); // never null: the record makes it empty
            writeInt(f.revision());
            writeString(f.status());
        }

        void writeQcCheck(QcCheck c) {
            writeString(c.checkId());
            writeString(c.lotCode());
            writeString(c.workOrderId());
            writeString(c.characteristic());
            writeDouble(c.value());
            writeDouble(c.lowerLimit());
            writeDouble(c.upperLimit());
            writeString(c.unit());
            writeString(c.result());
            writeString(c.inspectorId());
            writeInstant(c.checkedAt());
            writeBoolean(c.sampleSize() != null);
            if (c.sampleSize() != null) {
                writeInt(c.sampleSize());
            }
            writeString(c.note());
        }

        void writeNodeKey(NodeKey key) {
            writeByte(key.kind().ordinal());
            writeString(key.code());
        }

        void writeEntries(List<AncestorEntry> entries) {
            writeInt(entries.size());
            for (AncestorEntry e : entries) {
                writeEntry(e);
            }
        }

        void writeEntry(AncestorEntry e) {
            writeString(e.lotCode());
            writeString(e.materialCode());
            writeString(e.supplierId());
            writeString(e.supplierLotCode());
            writeInt(e.depth());
            writeBoolean(e.hub());
            writeLong(e.rev());
            writeHolds(e.holds());
        }

        void writeHolds(List<HoldEntry> holds) {
            writeInt(holds.size());
            for (HoldEntry h : holds) {
                writeHold(h);
            }
        }

        void writeHold(HoldEntry h) {
            writeString(h.flagId());
            writeString(h.lotCode());
            writeString(h.reason());
            writeString(h.severity());
            writeString(h.flaggedBy());
            writeInstant(h.since());
            writeString(h.reference());
            writeStrings(h.path()); // never empty: the record makes it (lotCode)
        }

        void writeFlagEvent(FlagEvent f) {
            writeString(f.flagId());
            writeString(f.lotCode());
            writeString(f.action());
            writeString(f.reason());
            writeString(f.severity());
            writeString(f.flaggedBy());
            writeInstant(f.flaggedAt());
            writeString(f.reference());
        }
    }

    private static final class In {
        final byte[] bytes;
        int pos;

        In(byte[] bytes, int pos) {
            this.bytes = bytes;
            this.pos = pos;
        }

        private byte next() {
            if (pos >= bytes.length) {
                throw new IllegalArgumentException(
                        "compact lineage bytes end early (" + bytes.length + " bytes)");
            }
            return bytes[pos++];
        }

        boolean readBoolean() {
            byte b = next();
            if (b != 0 && b != 1) {
                throw new IllegalArgumentException("compact lineage bytes: bad boolean " + b);
            }
            return b == 1;
        }

        long readLong() {
            long z = 0;
            for (int shift = 0; ; shift += 7) {
                if (shift > 63) {
                    throw new IllegalArgumentException("compact lineage bytes: number too long");
                }
                byte b = next();
                z |= (long) (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    break;
                }
            }
            return (z >>> 1) ^ -(z & 1);
        }

        int readInt() {
            long v = readLong();
            if (v != (int) v) {
                throw new IllegalArgumentException("compact lineage bytes: int out of range " + v);
            }
            return (int) v;
        }

        /** A list's size: not negative, and not more than the bytes left could hold. */
        int readCount() {
            int n = readInt();
            if (n < 0 || n > bytes.length - pos) {
                throw new IllegalArgumentException("compact lineage bytes: bad count " + n);
            }
            return n;
        }

        String readString() {
            long n = readLong();
            if (n == 0) {
                return null;
            }
            if (n < 0 || n - 1 > bytes.length - pos) {
                throw new IllegalArgumentException("compact lineage bytes: bad string length");
            }
            int len = (int) (n - 1);
            String s = new String(bytes, pos, len, StandardCharsets.UTF_8);
            pos += len;
            return s;
        }

        Instant readInstant() {
            return readBoolean() ? Instant.ofEpochSecond(readLong(), readInt()) : null;
        }

        /** A map key or set element: never null (a TreeMap or TreeSet would refuse it). */
        String readKey() {
            String s = readString();
            if (s == null) {
                throw new IllegalArgumentException("compact lineage bytes: null key");
            }
            return s;
        }

        Double readDouble() {
            byte tag = next();
            return switch (tag) {
                case 0 -> null;
                case 1 -> (double) readLong();
                case 2 -> {
                    if (bytes.length - pos < 8) {
                        throw new IllegalArgumentException(
                                "compact lineage bytes end early (" + bytes.length + " bytes)");
                    }
                    long bits = 0;
                    for (int i = 0; i < 8; i++) {
                        bits |= (bytes[pos++] & 0xFFL) << (8 * i);
                    }
                    yield Double.longBitsToDouble(bits);
                }
                default ->
                        throw new IllegalArgumentException(
                                "compact lineage bytes: bad number tag " + tag);
            };
        }

        /**
         * A set as the records keep theirs ({@link Merge#frozenSet}), so their constructors do not
         * copy it again.
         */
        SortedSet<String> readStringSet() {
            int n = readCount();
            if (n == 0) {
                return Collections.emptySortedSet();
            }
            TreeSet<String> set = new TreeSet<>();
            for (int i = 0; i < n; i++) {
                set.add(readKey());
            }
            return Collections.unmodifiableSortedSet(set);
        }

        LotFacts readLotFacts(int depth) {
            if (depth > MAX_NESTING) {
                throw new IllegalArgumentException("compact lineage bytes: facts nested too deep");
            }
            String kind = readString();
            String materialCode = readString();
            String materialName = readString();
            String supplierId = readString();
            String supplierName = readString();
            String supplierLotCode = readString();
            int nq = readCount();
            TreeMap<String, Double> quantities = new TreeMap<>();
            for (int i = 0; i < nq; i++) {
                String key = readKey();
                Double q = readDouble();
                if (q == null) {
                    throw new IllegalArgumentException("compact lineage bytes: null quantity");
                }
                quantities.put(key, q);
            }
            String unit = readString();
            String site = readString();
            Instant receivedAt = readInstant();
            Instant expiresAt = readInstant();
            Instant producedAt = readInstant();
            String workOrderId = readString();
            SortedSet<String> operatorIds = readStringSet();
            SortedSet<String> machineIds = readStringSet();
            String lineId = readString();
            Instant workOrderStartedAt = readInstant();
            Instant workOrderCompletedAt = readInstant();
            Double unitCost = readDouble();
            String currency = readString();
            int ns = readCount();
            TreeMap<String, LotSource> sources = new TreeMap<>();
            for (int i = 0; i < ns; i++) {
                sources.put(readKey(), readLotSource(depth + 1));
            }
            return new LotFacts(
                    kind,
                    materialCode,
                    materialName,
                    supplierId,
                    supplierName,
                    supplierLotCode,
                    quantities,
                    unit,
                    site,
                    receivedAt,
                    expiresAt,
                    producedAt,
                    workOrderId,
                    operatorIds,
                    machineIds,
                    lineId,
                    workOrderStartedAt,
                    workOrderCompletedAt,
                    unitCost,
                    currency,
                    sources);
        }

        LotSource readLotSource(int depth) {
            int revision = readInt();
            boolean reversed = readBoolean();
            LotFacts facts = readBoolean() ? readLotFacts(depth) : null;
            return new LotSource(revision, reversed, facts);
        }

        LotUsage readLotUsage() {
            int nc = readCount();
            TreeMap<String, Consumption> consumed = new TreeMap<>();
            for (int i = 0; i < nc; i++) {
                consumed.put(readKey(), readConsumption());
            }
            SortedSet<String> reversed = readStringSet();
            int ns = readCount();
            TreeMap<String, List<ShipmentLine>> shipped = new TreeMap<>();
            for (int i = 0; i < ns; i++) {
                shipped.put(readKey(), readLines());
            }
            int nq = readCount();
            TreeMap<String, Long> shippedSeqs = new TreeMap<>();
            for (int i = 0; i < nq; i++) {
                shippedSeqs.put(readKey(), readLong());
            }
            return new LotUsage(consumed, reversed, shipped, shippedSeqs);
        }

        Consumption readConsumption() {
            return new Consumption(readString(), readDouble(), readString(), readString());
        }

        List<ShipmentLine> readLines() {
            int n = readCount();
            List<ShipmentLine> lines = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                String lotCode = readString();
                String productCode = readString();
                Double quantity = readDouble();
                if (quantity == null) {
                    throw new IllegalArgumentException("compact lineage bytes: null line quantity");
                }
                String unit = readString();
                int serialCount = readCount();
                List<String> serials = new ArrayList<>(serialCount);
                for (int j = 0; j < serialCount; j++) {
                    serials.add(readKey());
                }
                lines.add(new ShipmentLine(lotCode, productCode, quantity, unit, serials));
            }
            return lines;
        }

        ShipmentFacts readShipmentFacts() {
            return new ShipmentFacts(
                    readString(),
                    readString(),
                    readString(),
                    readString(),
                    readString(),
                    readString(),
                    readString(),
                    readInstant(),
                    readString(),
                    readString(),
                    readLines(),
                    readInt(),
                    readString());
        }

        QcCheck readQcCheck() {
            return new QcCheck(
                    readString(),
                    readString(),
                    readString(),
                    readString(),
                    readDouble(),
                    readDouble(),
                    readDouble(),
                    readString(),
                    readString(),
                    readString(),
                    readInstant(),
                    readBoolean() ? readInt() : null,
                    readString());
        }

        NodeKey readNodeKey() {
            int kind = next();
            if (kind < 0 || kind >= KINDS.length) {
                throw new IllegalArgumentException("compact lineage bytes: node kind " + kind);
            }
            return new NodeKey(KINDS[kind], readString());
        }

        List<AncestorEntry> readEntries() {
            int n = readCount();
            List<AncestorEntry> entries = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                entries.add(readEntry());
            }
            return entries;
        }

        AncestorEntry readEntry() {
            return new AncestorEntry(
                    readString(),
                    readString(),
                    readString(),
                    readString(),
                    readInt(),
                    readBoolean(),
                    readLong(),
                    readHolds());
        }

        List<HoldEntry> readHolds() {
            int n = readCount();
            List<HoldEntry> holds = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                holds.add(readHold());
            }
            return holds;
        }

        HoldEntry readHold() {
            return new HoldEntry(
                    readString(),
                    readString(),
                    readString(),
                    readString(),
                    readString(),
                    readInstant(),
                    readString(),
                    readKeys());
        }

        FlagEvent readFlagEvent() {
            return new FlagEvent(
                    readString(),
                    readString(),
                    readString(),
                    readString(),
                    readString(),
                    readString(),
                    readInstant(),
                    readString());
        }

        /** A list of strings none of which is null (the records refuse a null element). */
        List<String> readKeys() {
            int n = readCount();
            List<String> list = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                list.add(readKey());
            }
            return list;
        }
    }
}
