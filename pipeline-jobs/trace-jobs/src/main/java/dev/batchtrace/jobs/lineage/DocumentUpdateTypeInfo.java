package dev.batchtrace.jobs.lineage;

import dev.batchtrace.jobs.NullableUtf8;
import java.io.IOException;
import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Flink type information for {@link DocumentUpdate}: the strings travel as length-prefixed UTF-8.
 * As a record Flink would take it for a POJO and write its JSON body with {@code StringValue}, one
 * char at a time: that was a fifth of the node stage's samples in a silo replay (documents are
 * kilobytes, a hub's much more), and the same again to read them in the documents writer.
 */
public final class DocumentUpdateTypeInfo extends SingleValueTypeInfo<DocumentUpdate> {

    private static final long serialVersionUID = 1L;

    public static final DocumentUpdateTypeInfo INSTANCE = new DocumentUpdateTypeInfo();

    /** What {@code @TypeInfo} on {@link DocumentUpdate} names: every stream and state of it. */
    public static final class Factory extends TypeInfoFactory<DocumentUpdate> {
        @Override
        public TypeInformation<DocumentUpdate> createTypeInfo(
                Type type, Map<String, TypeInformation<?>> genericParameters) {
            return INSTANCE;
        }
    }

    @Override
    public Class<DocumentUpdate> getTypeClass() {
        return DocumentUpdate.class;
    }

    @Override
    public TypeSerializer<DocumentUpdate> createSerializer(SerializerConfig config) {
        return Serializer.INSTANCE;
    }

    @Override
    public String toString() {
        return "DocumentUpdate(UTF-8)";
    }

    /** Index, id and body, each as length-prefixed UTF-8 (length -1: a deletion's null body). */
    public static final class Serializer extends ImmutableSerializer<DocumentUpdate> {

        private static final long serialVersionUID = 1L;

        public static final Serializer INSTANCE = new Serializer();

        @Override
        public void serialize(DocumentUpdate update, DataOutputView target) throws IOException {
            NullableUtf8.write(target, update.index());
            NullableUtf8.write(target, update.id());
            NullableUtf8.write(target, update.json());
        }

        @Override
        public DocumentUpdate deserialize(DataInputView source) throws IOException {
            String index = NullableUtf8.read(source);
            String id = NullableUtf8.read(source);
            return new DocumentUpdate(index, id, NullableUtf8.read(source));
        }

        @Override
        public void copy(DataInputView source, DataOutputView target) throws IOException {
            for (int field = 0; field < 3; field++) {
                int length = source.readInt();
                target.writeInt(length);
                if (length > 0) {
                    // not target.write(source, length): a DataOutputSerializer does not grow for it
                    byte[] bytes = new byte[length];
                    source.readFully(bytes);
                    target.write(bytes);
                }
            }
        }

        @Override
        public TypeSerializerSnapshot<DocumentUpdate> snapshotConfiguration() {
            return new Snapshot();
        }
    }

    /** The serializer has no configuration. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<DocumentUpdate> {
        public Snapshot() {
            super(() -> Serializer.INSTANCE);
        }
    }
}
