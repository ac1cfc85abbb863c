package dev.batchtrace.jobs;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * A string, possibly null, as its UTF-8 length (-1 for null) and bytes: the layout of the jobs'
 * hand-written serializers (not DataOutput's writeUTF: modified UTF-8, at most 64 KB).
 */
public final class NullableUtf8 {

    private NullableUtf8() {}

    public static void write(DataOutput out, String value) throws IOException {
        if (value == null) {
            out.writeInt(-1);
            return;
        }
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    public static String read(DataInput in) throws IOException {
        int length = in.readInt();
        if (length < 0) {
            return null;
        }
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
