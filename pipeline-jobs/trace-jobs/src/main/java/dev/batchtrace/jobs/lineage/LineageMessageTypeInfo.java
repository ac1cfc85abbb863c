package dev.batchtrace.jobs.lineage;

import dev.batchtrace.lineage.LineageCodec;
import dev.batchtrace.lineage.closure.LineageMessage;
import java.io.IOException;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Flink type information for {@link LineageMessage}: between operators a message travels in the
 * same versioned bytes as on the feedback topic ({@link LineageCodec}). Without it Flink would fall
 * back to Kryo for the sealed interface, which copes badly with immutable JDK collections inside
 * records.
 */
public final class LineageMessageTypeInfo extends SingleValueTypeInfo<LineageMessage> {

    private static final long serialVersionUID = 1L;

    public static final LineageMessageTypeInfo INSTANCE = new LineageMessageTypeInfo();

    @Override
    public Class<LineageMessage> getTypeClass() {
        return LineageMessage.class;
    }

    @Override
    public TypeSerializer<LineageMessage> createSerializer(SerializerConfig config) {
        return Serializer.INSTANCE;
    }

    @Override
    public String toString() {
        return "LineageMessage(LineageCodec v" + LineageCodec.FORMAT_VERSION + ")";
    }

    /** Length-prefixed codec bytes. Messages are immutable records: copies are the same object. */
    public static final class Serializer extends ImmutableSerializer<LineageMessage> {

        private static final long serialVersionUID = 1L;

        public static final Serializer INSTANCE = new Serializer();

        @Override
        public void serialize(LineageMessage message, DataOutputView target) throws IOException {
            byte[] bytes = LineageCodec.encode(message);
            target.writeInt(bytes.length);
            target.write(bytes);
        }

        @Override
        public LineageMessage deserialize(DataInputView source) throws IOException {
            byte[] bytes = new byte[source.readInt()];
            source.readFully(bytes);
            return LineageCodec.decode(bytes);
        }

        @Override
        public void copy(DataInputView source, DataOutputView target) throws IOException {
            byte[] bytes = new byte[source.readInt()];
            source.readFully(bytes);
            target.writeInt(bytes.length);
            target.write(bytes);
        }

        @Override
        public TypeSerializerSnapshot<LineageMessage> snapshotConfiguration() {
            return new Snapshot();
        }
    }

    /** The serializer has no configuration; the codec versions its own bytes. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<LineageMessage> {
        public Snapshot() {
            super(() -> Serializer.INSTANCE);
        }
    }
}
