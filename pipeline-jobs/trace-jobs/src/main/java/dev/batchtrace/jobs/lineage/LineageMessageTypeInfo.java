package dev.batchtrace.jobs.lineage;

import dev.batchtrace.lineage.LineageCodec;
import dev.batchtrace.lineage.closure.LineageMessage;
import java.io.IOException;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
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
public final class LineageMessageTypeInfo extends TypeInformation<LineageMessage> {

    private static final long serialVersionUID = 1L;

    public static final LineageMessageTypeInfo INSTANCE = new LineageMessageTypeInfo();

    @Override
    public boolean isBasicType() {
        return false;
    }

    @Override
    public boolean isTupleType() {
        return false;
    }

    @Override
    public int getArity() {
        return 1;
    }

    @Override
    public int getTotalFields() {
        return 1;
    }

    @Override
    public Class<LineageMessage> getTypeClass() {
        return LineageMessage.class;
    }

    @Override
    public boolean isKeyType() {
        return false;
    }

    @Override
    public TypeSerializer<LineageMessage> createSerializer(SerializerConfig config) {
        return Serializer.INSTANCE;
    }

    @Override
    public String toString() {
        return "LineageMessage(LineageCodec v" + LineageCodec.FORMAT_VERSION + ")";
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof LineageMessageTypeInfo;
    }

    @Override
    public int hashCode() {
        return LineageMessageTypeInfo.class.hashCode();
    }

    @Override
    public boolean canEqual(Object other) {
        return other instanceof LineageMessageTypeInfo;
    }

    /** Length-prefixed codec bytes. Messages are immutable records: copies are the same object. */
    public static final class Serializer extends TypeSerializer<LineageMessage> {

        private static final long serialVersionUID = 1L;

        public static final Serializer INSTANCE = new Serializer();

        @Override
        public boolean isImmutableType() {
            return true;
        }

        @Override
        public TypeSerializer<LineageMessage> duplicate() {
            return this;
        }

        @Override
        public LineageMessage createInstance() {
            return null;
        }

        @Override
        public LineageMessage copy(LineageMessage from) {
            return from;
        }

        @Override
        public LineageMessage copy(LineageMessage from, LineageMessage reuse) {
            return from;
        }

        @Override
        public int getLength() {
            return -1;
        }

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
        public LineageMessage deserialize(LineageMessage reuse, DataInputView source)
                throws IOException {
            return deserialize(source);
        }

        @Override
        public void copy(DataInputView source, DataOutputView target) throws IOException {
            byte[] bytes = new byte[source.readInt()];
            source.readFully(bytes);
            target.writeInt(bytes.length);
            target.write(bytes);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Serializer;
        }

        @Override
        public int hashCode() {
            return Serializer.class.hashCode();
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
