package dev.batchtrace.connectors.kafka;

import dev.batchtrace.connectors.kafka.RecordDecodingException.Reason;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;

/**
 * The Confluent Schema Registry wire format: magic byte 0, the schema id as 4 bytes big-endian,
 * then the Avro binary encoding of the record (no Avro container header).
 */
public final class AvroWireFormat {

    public static final byte MAGIC_BYTE = 0;
    public static final int HEADER_SIZE = 5;

    private AvroWireFormat() {}

    /** Frames {@code record} written by {@code writer} with the given schema id. */
    public static <T> byte[] encode(int schemaId, DatumWriter<T> writer, T record) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        out.write(MAGIC_BYTE);
        out.write(schemaId >>> 24);
        out.write(schemaId >>> 16);
        out.write(schemaId >>> 8);
        out.write(schemaId);
        try {
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
            writer.write(record, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not throw
        }
        return out.toByteArray();
    }

    /** Checks the header and returns the schema id it names. */
    public static int schemaId(byte[] message) throws RecordDecodingException {
        if (message == null || message.length == 0) {
            throw new RecordDecodingException(
                    Reason.EMPTY, "the value is " + (message == null ? "null" : "empty"));
        }
        if (message[0] != MAGIC_BYTE) {
            throw new RecordDecodingException(
                    Reason.WRONG_MAGIC_BYTE,
                    String.format(
                            "first byte is 0x%02x, expected 0x00 (Confluent wire format); the value"
                                    + " was not written by a schema-registry Avro serializer"
                                    + " (it starts with '%s')",
                            message[0] & 0xff, printablePrefix(message)));
        }
        if (message.length < HEADER_SIZE) {
            throw new RecordDecodingException(
                    Reason.TOO_SHORT,
                    "the value has "
                            + message.length
                            + " bytes, fewer than the "
                            + HEADER_SIZE
                            + "-byte header (magic byte + schema id)");
        }
        return ((message[1] & 0xff) << 24)
                | ((message[2] & 0xff) << 16)
                | ((message[3] & 0xff) << 8)
                | (message[4] & 0xff);
    }

    private static String printablePrefix(byte[] message) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < Math.min(16, message.length); i++) {
            char c = (char) (message[i] & 0xff);
            text.append(c >= 0x20 && c < 0x7f ? c : '.');
        }
        return text.toString();
    }
}
