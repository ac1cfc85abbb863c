package dev.batchtrace.jobs.lineage;

import dev.batchtrace.jobs.NullableUtf8;
import dev.batchtrace.lineage.LineageCodec;
import dev.batchtrace.lineage.holds.HoldAlert;
import dev.batchtrace.lineage.holds.HoldEntry;
import dev.batchtrace.lineage.stock.ShipmentFacts;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The alert state values that live in this module ({@link RaisedAlert}, {@link ShipmentHoldView})
 * in a fixed binary layout; every other value goes to {@link LineageCodec}. The shipment alert
 * stage reads its view and every raised alert on each hold change, and Jackson's binding of them
 * was a large part of its time while a flag on a bulk lot raised its alerts (issue 9); a lot's
 * raised alerts go through the same ledger ({@link AlertLedger}), so they share the layout. Values
 * an older version wrote (Smile or JSON through {@link LineageCodec}) still decode.
 *
 * <p>Layout: {@link #TAG} (neither Smile's ':', JSON's '{' nor the model's compact tag), a kind
 * byte, then the fields in declaration order: instants as Java's fixed-width seconds and
 * nanoseconds, strings as {@link NullableUtf8}, a model value ({@link HoldAlert}, {@link
 * HoldEntry}, {@link ShipmentFacts}) as its length and its {@link LineageCodec#encodeValue} bytes
 * (the model's compact layout), an optional one behind a presence byte, lists as a count and their
 * elements.
 */
final class AlertStateCodec {

    static final byte TAG = (byte) 0xA9;
    private static final byte RAISED_ALERT = 1;
    private static final byte SHIPMENT_HOLD_VIEW = 2;

    private AlertStateCodec() {}

    /**
     * {@code value} as bytes: this layout for a {@link RaisedAlert} or {@link ShipmentHoldView},
     * else the model's.
     */
    static byte[] encodeValue(Object value) {
        if (!(value instanceof RaisedAlert || value instanceof ShipmentHoldView)) {
            return LineageCodec.encodeValue(value);
        }
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeByte(TAG);
            if (value instanceof RaisedAlert r) {
                out.writeByte(RAISED_ALERT);
                writeRaised(out, r);
            } else {
                ShipmentHoldView v = (ShipmentHoldView) value;
                out.writeByte(SHIPMENT_HOLD_VIEW);
                NullableUtf8.write(out, v.dispatchId());
                out.writeBoolean(v.facts() != null);
                if (v.facts() != null) {
                    writeModel(out, v.facts());
                }
                out.writeInt(v.closureHolds().size());
                for (HoldEntry h : v.closureHolds()) {
                    writeModel(out, h);
                }
                out.writeInt(v.adopted().size());
                for (RaisedAlert r : v.adopted()) {
                    writeRaised(out, r);
                }
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The value of {@code type} the bytes hold, in this layout or any the model's codec reads. */
    static <T> T decodeValue(byte[] bytes, Class<T> type) {
        if (bytes.length == 0 || bytes[0] != TAG) {
            return LineageCodec.decodeValue(bytes, type);
        }
        Object value;
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
            in.readByte(); // the tag
            byte kind = in.readByte();
            value =
                    switch (kind) {
                        case RAISED_ALERT -> readRaised(in);
                        case SHIPMENT_HOLD_VIEW -> {
                            String dispatchId = NullableUtf8.read(in);
                            ShipmentFacts facts =
                                    in.readBoolean() ? readModel(in, ShipmentFacts.class) : null;
                            int holdCount = readCount(in);
                            List<HoldEntry> holds = new ArrayList<>(holdCount);
                            for (int i = 0; i < holdCount; i++) {
                                holds.add(readModel(in, HoldEntry.class));
                            }
                            int adoptedCount = readCount(in);
                            List<RaisedAlert> adopted = new ArrayList<>(adoptedCount);
                            for (int i = 0; i < adoptedCount; i++) {
                                adopted.add(readRaised(in));
                            }
                            yield new ShipmentHoldView(dispatchId, facts, holds, adopted);
                        }
                        default ->
                                throw new IllegalArgumentException(
                                        "unknown alert state kind " + kind);
                    };
            if (in.available() > 0) {
                throw new IllegalArgumentException(
                        "alert state bytes: "
                                + in.available()
                                + " bytes left after "
                                + value.getClass().getSimpleName());
            }
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // cut short, or a record's own check on damaged bytes (a null id...)
            throw new IllegalArgumentException("alert state bytes are damaged: " + e, e);
        }
        if (!type.isInstance(value)) {
            throw new IllegalArgumentException(
                    "alert state bytes hold a "
                            + value.getClass().getSimpleName()
                            + ", not a "
                            + type.getSimpleName());
        }
        return type.cast(value);
    }

    private static void writeRaised(DataOutputStream out, RaisedAlert r) throws IOException {
        out.writeLong(r.raisedAt().getEpochSecond());
        out.writeInt(r.raisedAt().getNano());
        writeModel(out, r.alert());
    }

    private static RaisedAlert readRaised(DataInputStream in) throws IOException {
        Instant raisedAt = Instant.ofEpochSecond(in.readLong(), in.readInt());
        return new RaisedAlert(readModel(in, HoldAlert.class), raisedAt);
    }

    private static void writeModel(DataOutputStream out, Object value) throws IOException {
        byte[] bytes = LineageCodec.encodeValue(value);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static <T> T readModel(DataInputStream in, Class<T> type) throws IOException {
        byte[] bytes = new byte[readCount(in)];
        in.readFully(bytes);
        return LineageCodec.decodeValue(bytes, type);
    }

    /** A count or length: not negative, and not more than the bytes left could hold. */
    private static int readCount(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > in.available()) {
            throw new IllegalArgumentException("alert state bytes: bad count " + n);
        }
        return n;
    }
}
