package dev.batchtrace.jobs.lineage;

import dev.batchtrace.lineage.LineageCodec;
import java.io.IOException;
import java.util.Objects;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Flink type information for an immutable model value (a record or sealed interface of trace-model)
 * that travels between operators as the model's own bytes ({@link LineageCodec#encodeValue}; a
 * {@link ShipmentHoldView} or {@link RaisedAlert} in {@link AlertStateCodec}), like {@link
 * LineageMessageTypeInfo} does for messages: no Kryo for records, {@code java.time} or sorted maps.
 */
public final class ModelTypeInfo<T> extends TypeInformation<T> {

    private static final long serialVersionUID = 1L;

    private final Class<T> type;

    public ModelTypeInfo(Class<T> type) {
        this.type = Objects.requireNonNull(type, "type");
    }

    public static <T> ModelTypeInfo<T> of(Class<T> type) {
        return new ModelTypeInfo<>(type);
    }

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
    public Class<T> getTypeClass() {
        return type;
    }

    @Override
    public boolean isKeyType() {
        return false;
    }

    @Override
    public TypeSerializer<T> createSerializer(SerializerConfig config) {
        return new Serializer<>(type);
    }

    @Override
    public String toString() {
        return "ModelJson(" + type.getSimpleName() + ")";
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ModelTypeInfo<?> o && o.type.equals(type);
    }

    @Override
    public int hashCode() {
        return type.hashCode();
    }

    @Override
    public boolean canEqual(Object other) {
        return other instanceof ModelTypeInfo;
    }

    /** Length-prefixed JSON bytes. Values are immutable: copies are the same object. */
    public static final class Serializer<T> extends TypeSerializer<T> {

        private static final long serialVersionUID = 1L;

        private final Class<T> type;

        public Serializer(Class<T> type) {
            this.type = type;
        }

        @Override
        public boolean isImmutableType() {
            return true;
        }

        @Override
        public TypeSerializer<T> duplicate() {
            return this;
        }

        @Override
        public T createInstance() {
            return null;
        }

        @Override
        public T copy(T from) {
            return from;
        }

        @Override
        public T copy(T from, T reuse) {
            return from;
        }

        @Override
        public int getLength() {
            return -1;
        }

        @Override
        public void serialize(T value, DataOutputView target) throws IOException {
            byte[] bytes = AlertStateCodec.encodeValue(value);
            target.writeInt(bytes.length);
            target.write(bytes);
        }

        @Override
        public T deserialize(DataInputView source) throws IOException {
            byte[] bytes = new byte[source.readInt()];
            source.readFully(bytes);
            return AlertStateCodec.decodeValue(bytes, type);
        }

        @Override
        public T deserialize(T reuse, DataInputView source) throws IOException {
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
            return other instanceof Serializer<?> s && s.type.equals(type);
        }

        @Override
        public int hashCode() {
            return type.hashCode();
        }

        @Override
        public TypeSerializerSnapshot<T> snapshotConfiguration() {
            return new Snapshot<>(type);
        }
    }

    /** Remembers the value class; the JSON itself tolerates added fields. */
    public static final class Snapshot<T> implements TypeSerializerSnapshot<T> {

        private Class<T> type;

        /** For Flink's reflective restore. */
        public Snapshot() {}

        Snapshot(Class<T> type) {
            this.type = type;
        }

        @Override
        public int getCurrentVersion() {
            return 1;
        }

        @Override
        public void writeSnapshot(DataOutputView out) throws IOException {
            out.writeUTF(type.getName());
        }

        @Override
        @SuppressWarnings("unchecked")
        public void readSnapshot(int readVersion, DataInputView in, ClassLoader classLoader)
                throws IOException {
            String name = in.readUTF();
            try {
                type = (Class<T>) Class.forName(name, false, classLoader);
            } catch (ClassNotFoundException e) {
                throw new IOException(
                        "model class " + name + " of a restored serializer is gone", e);
            }
        }

        @Override
        public TypeSerializer<T> restoreSerializer() {
            return new Serializer<>(type);
        }

        @Override
        public TypeSerializerSchemaCompatibility<T> resolveSchemaCompatibility(
                TypeSerializerSnapshot<T> oldSnapshot) {
            return oldSnapshot instanceof Snapshot<T> old && type.equals(old.type)
                    ? TypeSerializerSchemaCompatibility.compatibleAsIs()
                    : TypeSerializerSchemaCompatibility.incompatible();
        }
    }
}
