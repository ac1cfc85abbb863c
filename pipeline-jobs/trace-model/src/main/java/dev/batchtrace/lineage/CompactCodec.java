package dev.batchtrace.lineage;

import dev.batchtrace.lineage.closure.AncestorEntry;
import dev.batchtrace.lineage.closure.Announcement;
import dev.batchtrace.lineage.closure.ClosureSlot;
import dev.batchtrace.lineage.closure.LineageMessage;
import dev.batchtrace.lineage.closure.NodeHeader;
import dev.batchtrace.lineage.closure.NodeKey;
import dev.batchtrace.lineage.holds.HoldEntry;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A fixed binary layout for the values the node stage reads and writes on every closure message:
 * {@link LineageMessage.Closure}, {@link NodeHeader}, {@link ClosureSlot} and {@link Announcement}
 * (issue 9: Jackson's Smile binding of these records was about a quarter of the node stage's CPU; a
 * hand-written layout, because these few records are the hot path and a schema library would add a
 * second model of them). Every other value stays Smile ({@link LineageCodec}).
 *
 * <p>Layout: {@link #TAG} (neither Smile's ':' nor JSON's '{' or '['), {@link #VERSION}, a kind
 * byte, then the record's fields in declaration order: numbers as variable-length zigzag integers,
 * strings as length + 1 (0 for null) and UTF-8, lists as a count and their elements, an optional
 * value behind a presence byte, instants as seconds and nanoseconds. A reader meets a newer version
 * only if it runs older code than the writer, and then fails with a message saying so.
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

    private static final NodeKey.Kind[] KINDS = NodeKey.Kind.values();

    private CompactCodec() {}

    static boolean isCompact(byte[] bytes) {
        return bytes.length >= 3 && bytes[0] == TAG;
    }

    /** Whether {@code value} has a compact layout. */
    static boolean supports(Object value) {
        return value instanceof LineageMessage.Closure
                || value instanceof NodeHeader
                || value instanceof ClosureSlot
                || value instanceof Announcement;
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
        Object value =
                switch (bytes[2]) {
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
                    case ANNOUNCEMENT ->
                            new Announcement(in.readLong(), in.readEntries(), in.readHolds());
                    default ->
                            throw new IllegalArgumentException(
                                    "unknown compact lineage kind " + bytes[2]);
                };
        if (in.pos != bytes.length) {
            throw new IllegalArgumentException(
                    "compact lineage bytes: "
                            + (bytes.length - in.pos)
                            + " bytes left after "
                            + value.getClass().getSimpleName());
        }
        return value;
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
                writeString(h.flagId());
                writeString(h.lotCode());
                writeString(h.reason());
                writeString(h.severity());
                writeString(h.flaggedBy());
                writeInstant(h.since());
                writeString(h.reference());
                writeInt(h.path().size());
                for (String lot : h.path()) {
                    writeString(lot);
                }
            }
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
                String flagId = readString();
                String lotCode = readString();
                String reason = readString();
                String severity = readString();
                String flaggedBy = readString();
                Instant since = readInstant();
                String reference = readString();
                int pathSize = readCount();
                List<String> path = new ArrayList<>(pathSize);
                for (int j = 0; j < pathSize; j++) {
                    path.add(readString());
                }
                holds.add(
                        new HoldEntry(
                                flagId, lotCode, reason, severity, flaggedBy, since, reference,
                                path));
            }
            return holds;
        }
    }
}
