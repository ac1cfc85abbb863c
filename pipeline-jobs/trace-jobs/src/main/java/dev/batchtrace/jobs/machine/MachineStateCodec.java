package dev.batchtrace.jobs.machine;

import dev.batchtrace.jobs.NullableUtf8;
import dev.batchtrace.lineage.LineageCodec;
import dev.batchtrace.machine.AlarmSummary;
import dev.batchtrace.machine.MachineActivity;
import dev.batchtrace.machine.MachineRuns;
import dev.batchtrace.machine.MeasurementSummary;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;

/**
 * The machine job's per-timer state values ({@link OpenSummary}, {@link MachineRuns}) in a fixed
 * binary layout. In a replay a timer applies about one event, and Jackson's binding of these two
 * values was a third of the attribution's time (issue 9); hand-written because they are two small
 * classes on the hot path. Values an older version wrote (Smile or JSON through {@link
 * LineageCodec}) still decode.
 *
 * <p>Layout: {@link #TAG} (neither Smile's ':' nor JSON's '{'), a kind byte, then the fields in
 * declaration order: numbers as Java's fixed-width big-endian, strings as {@link NullableUtf8},
 * optional numbers behind a presence byte, instants as seconds and nanoseconds, sorted maps as a
 * count and their entries in order.
 */
final class MachineStateCodec {

    static final byte TAG = (byte) 0xC3;
    private static final byte OPEN_SUMMARY = 1;
    private static final byte MACHINE_RUNS = 2;

    private MachineStateCodec() {}

    static byte[] encode(OpenSummary summary) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeByte(TAG);
            out.writeByte(OPEN_SUMMARY);
            NullableUtf8.write(out, summary.workOrderId);
            writeLong(out, summary.bucketStart);
            MachineActivity a = summary.activity;
            out.writeLong(a.eventCount);
            out.writeLong(a.cycles);
            NullableUtf8.write(out, a.lineId);
            out.writeInt(a.alarms.size());
            for (Map.Entry<String, AlarmSummary> e : a.alarms.entrySet()) {
                NullableUtf8.write(out, e.getKey());
                AlarmSummary s = e.getValue();
                out.writeLong(s.count());
                writeInstant(out, s.firstAt());
                writeInstant(out, s.lastAt());
                NullableUtf8.write(out, s.highestSeverity());
            }
            out.writeInt(a.measurements.size());
            for (Map.Entry<String, MeasurementSummary> e : a.measurements.entrySet()) {
                NullableUtf8.write(out, e.getKey());
                MeasurementSummary m = e.getValue();
                out.writeLong(m.count());
                out.writeDouble(m.min());
                out.writeDouble(m.max());
                out.writeDouble(m.sum());
                NullableUtf8.write(out, m.unit());
                writeDouble(out, m.lowerLimit());
                writeDouble(out, m.upperLimit());
                out.writeLong(m.outsideLimits());
            }
            out.writeInt(a.stateChanges.size());
            for (Map.Entry<Long, String> e : a.stateChanges.entrySet()) {
                out.writeLong(e.getKey());
                NullableUtf8.write(out, e.getValue());
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static OpenSummary decodeSummary(byte[] bytes) {
        if (bytes.length == 0 || bytes[0] != TAG) {
            return LineageCodec.decodeValue(bytes, OpenSummary.class);
        }
        try {
            DataInputStream in = open(bytes, OPEN_SUMMARY);
            OpenSummary summary = new OpenSummary();
            summary.workOrderId = NullableUtf8.read(in);
            summary.bucketStart = readLong(in);
            MachineActivity a = summary.activity;
            a.eventCount = in.readLong();
            a.cycles = in.readLong();
            a.lineId = NullableUtf8.read(in);
            for (int i = in.readInt(); i > 0; i--) {
                a.alarms.put(
                        NullableUtf8.read(in),
                        new AlarmSummary(
                                in.readLong(),
                                readInstant(in),
                                readInstant(in),
                                NullableUtf8.read(in)));
            }
            for (int i = in.readInt(); i > 0; i--) {
                a.measurements.put(
                        NullableUtf8.read(in),
                        new MeasurementSummary(
                                in.readLong(),
                                in.readDouble(),
                                in.readDouble(),
                                in.readDouble(),
                                NullableUtf8.read(in),
                                readDouble(in),
                                readDouble(in),
                                in.readLong()));
            }
            for (int i = in.readInt(); i > 0; i--) {
                a.stateChanges.put(in.readLong(), NullableUtf8.read(in));
            }
            return summary;
        } catch (IOException e) {
            throw new UncheckedIOException("damaged machine summary state", e);
        }
    }

    static byte[] encode(MachineRuns runs) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeByte(TAG);
            out.writeByte(MACHINE_RUNS);
            out.writeInt(runs.runs.size());
            for (Map.Entry<String, MachineRuns.Run> e : runs.runs.entrySet()) {
                NullableUtf8.write(out, e.getKey());
                MachineRuns.Run run = e.getValue();
                NullableUtf8.write(out, run.workOrderId);
                NullableUtf8.write(out, run.lineId);
                writeLong(out, run.startedAt);
                writeLong(out, run.completedAt);
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static MachineRuns decodeRuns(byte[] bytes) {
        if (bytes.length == 0 || bytes[0] != TAG) {
            return LineageCodec.decodeValue(bytes, MachineRuns.class);
        }
        try {
            DataInputStream in = open(bytes, MACHINE_RUNS);
            MachineRuns runs = new MachineRuns();
            for (int i = in.readInt(); i > 0; i--) {
                String key = NullableUtf8.read(in);
                MachineRuns.Run run = new MachineRuns.Run();
                run.workOrderId = NullableUtf8.read(in);
                run.lineId = NullableUtf8.read(in);
                run.startedAt = readLong(in);
                run.completedAt = readLong(in);
                runs.runs.put(key, run);
            }
            return runs;
        } catch (IOException e) {
            throw new UncheckedIOException("damaged machine runs state", e);
        }
    }

    private static DataInputStream open(byte[] bytes, byte kind) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
        in.readByte(); // the tag
        byte found = in.readByte();
        if (found != kind) {
            throw new IOException("expected machine state kind " + kind + ", found " + found);
        }
        return in;
    }

    private static void writeLong(DataOutputStream out, Long value) throws IOException {
        out.writeBoolean(value != null);
        if (value != null) {
            out.writeLong(value);
        }
    }

    private static Long readLong(DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readLong() : null;
    }

    private static void writeDouble(DataOutputStream out, Double value) throws IOException {
        out.writeBoolean(value != null);
        if (value != null) {
            out.writeDouble(value);
        }
    }

    private static Double readDouble(DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readDouble() : null;
    }

    private static void writeInstant(DataOutputStream out, Instant at) throws IOException {
        out.writeBoolean(at != null);
        if (at != null) {
            out.writeLong(at.getEpochSecond());
            out.writeInt(at.getNano());
        }
    }

    private static Instant readInstant(DataInputStream in) throws IOException {
        return in.readBoolean() ? Instant.ofEpochSecond(in.readLong(), in.readInt()) : null;
    }
}
