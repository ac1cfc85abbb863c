package dev.batchtrace.jobs.lineage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * A String as state key or map key: a varint length and the UTF-8 bytes. Flink's own {@code
 * StringSerializer} writes one char at a time through a virtual call; for the node stage's keys
 * (every state access serializes the node key, every map access the entry's key, every checkpoint
 * every pending timer's key) that was about an eighth of its samples in a silo replay, and writing
 * the heap timers at each checkpoint another sixth. Partitioning is unchanged: Flink assigns key
 * groups from {@link String#hashCode()}, not from these bytes.
 */
public final class Utf8StringTypeInfo extends SingleValueTypeInfo<String> {

    private static final long serialVersionUID = 1L;

    public static final Utf8StringTypeInfo INSTANCE = new Utf8StringTypeInfo();

    private Utf8StringTypeInfo() {}

    @Override
    public Class<String> getTypeClass() {
        return String.class;
    }

    @Override
    public boolean isKeyType() {
        return true;
    }

    @Override
    public TypeSerializer<String> createSerializer(SerializerConfig config) {
        return Serializer.INSTANCE;
    }

    @Override
    public String toString() {
        return "String(UTF-8)";
    }

    /** Varint length, then UTF-8; no nulls (a key is never null). */
    public static final class Serializer extends ImmutableSerializer<String> {

        private static final long serialVersionUID = 1L;

        public static final Serializer INSTANCE = new Serializer();

        @Override
        public String createInstance() {
            return "";
        }

        @Override
        public void serialize(String value, DataOutputView target) throws IOException {
            byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
            writeLength(bytes.length, target);
            target.write(bytes);
        }

        @Override
        public String deserialize(DataInputView source) throws IOException {
            byte[] bytes = new byte[readLength(source)];
            source.readFully(bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        }

        @Override
        public void copy(DataInputView source, DataOutputView target) throws IOException {
            byte[] bytes = new byte[readLength(source)];
            source.readFully(bytes);
            writeLength(bytes.length, target);
            target.write(bytes);
        }

        @Override
        public TypeSerializerSnapshot<String> snapshotConfiguration() {
            return new Snapshot();
        }

        private static void writeLength(int length, DataOutputView target) throws IOException {
            while ((length & ~0x7F) != 0) {
                target.writeByte((length & 0x7F) | 0x80);
                length >>>= 7;
            }
            target.writeByte(length);
        }

        private static int readLength(DataInputView source) throws IOException {
            int length = 0;
            for (int shift = 0; shift < 35; shift += 7) {
                int b = source.readUnsignedByte();
                length |= (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    if (length < 0) {
                        break;
                    }
                    return length;
                }
            }
            throw new IOException("corrupt UTF-8 string length");
        }
    }

    /** The serializer has no configuration. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<String> {
        public Snapshot() {
            super(() -> Serializer.INSTANCE);
        }
    }
}
