package dev.batchtrace.jobs.lineage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class DocumentUpdateTypeInfoTest {

    private static final List<DocumentUpdate> UPDATES =
            List.of(
                    new DocumentUpdate(
                            "trace-lots", "L1-0000001-1", "{\"lotCode\":\"L1-0000001-1\"}"),
                    // non-ASCII: a supplier's name, a CJK material text, an emoji outside the BMP
                    new DocumentUpdate(
                            "trace-shipments",
                            "DN-Ä-7",
                            "{\"customer\":\"Müller 株式会社 \uD83D\uDE9A\"}"),
                    new DocumentUpdate("trace-lots", "L-deleted", null),
                    new DocumentUpdate("trace-closures", "SILO-01/x", "x".repeat(200_000)));

    private final TypeSerializer<DocumentUpdate> serializer =
            TypeInformation.of(DocumentUpdate.class).createSerializer(new SerializerConfigImpl());

    @Test
    void everyStreamAndStateOfDocumentUpdatesUsesTheUtf8Serializer() {
        assertSame(DocumentUpdateTypeInfo.INSTANCE, TypeInformation.of(DocumentUpdate.class));
        assertInstanceOf(DocumentUpdateTypeInfo.Serializer.class, serializer);
    }

    @Test
    void updatesAndDeletionsSurviveTheWireOneAfterAnother() throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        for (DocumentUpdate update : UPDATES) {
            serializer.serialize(update, out);
        }
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        for (DocumentUpdate update : UPDATES) {
            assertEquals(update, serializer.deserialize(in));
        }
        assertEquals(0, in.available(), "nothing left over");
        assertNull(UPDATES.get(2).json());
    }

    @Test
    void copyingSerializedBytesKeepsEveryField() throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        for (DocumentUpdate update : UPDATES) {
            serializer.serialize(update, out);
        }
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        DataOutputSerializer copied = new DataOutputSerializer(64);
        for (int i = 0; i < UPDATES.size(); i++) {
            serializer.copy(in, copied);
        }
        DataInputDeserializer again = new DataInputDeserializer(copied.getCopyOfBuffer());
        for (DocumentUpdate update : UPDATES) {
            assertEquals(update, serializer.deserialize(again));
        }
    }

    @Test
    void aRestoredSnapshotIsCompatibleAsIs() throws IOException {
        TypeSerializerSnapshot<DocumentUpdate> snapshot = serializer.snapshotConfiguration();
        DataOutputSerializer out = new DataOutputSerializer(64);
        TypeSerializerSnapshot.writeVersionedSnapshot(out, snapshot);
        TypeSerializerSnapshot<DocumentUpdate> restored =
                TypeSerializerSnapshot.readVersionedSnapshot(
                        new DataInputDeserializer(out.getCopyOfBuffer()),
                        getClass().getClassLoader());
        TypeSerializerSchemaCompatibility<DocumentUpdate> compatibility =
                serializer.snapshotConfiguration().resolveSchemaCompatibility(restored);
        assertTrue(compatibility.isCompatibleAsIs(), compatibility.toString());
        assertInstanceOf(DocumentUpdateTypeInfo.Serializer.class, restored.restoreSerializer());
    }
}
