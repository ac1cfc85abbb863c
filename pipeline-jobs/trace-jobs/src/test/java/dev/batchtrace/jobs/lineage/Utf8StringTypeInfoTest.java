package dev.batchtrace.jobs.lineage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class Utf8StringTypeInfoTest {

    // lengths around the varint's steps (127/128 and 16383/16384 bytes), non-ASCII, empty
    private static final List<String> KEYS =
            List.of(
                    "lot:L1-0000001-1",
                    "shipment:DN-26-7004",
                    "",
                    "lot:Müller-Ä-株式会社-\uD83D\uDE9A",
                    "a".repeat(127),
                    "b".repeat(128),
                    "c".repeat(16_383),
                    "d".repeat(16_384),
                    "é".repeat(70_000));

    private final TypeSerializer<String> serializer = Utf8StringTypeInfo.Serializer.INSTANCE;

    @Test
    void keysSurviveTheRoundTripOneAfterAnother() throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(16);
        for (String key : KEYS) {
            serializer.serialize(key, out);
        }
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        for (String key : KEYS) {
            assertEquals(key, serializer.deserialize(in));
        }
        assertEquals(0, in.available());
    }

    @Test
    void copyingBytesKeepsEveryKey() throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(16);
        for (String key : KEYS) {
            serializer.serialize(key, out);
        }
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        DataOutputSerializer copied = new DataOutputSerializer(16);
        for (int i = 0; i < KEYS.size(); i++) {
            serializer.copy(in, copied);
        }
        assertArrayEquals(out.getCopyOfBuffer(), copied.getCopyOfBuffer());
    }

    /** RocksDB finds state by these bytes: the same key always, different keys never the same. */
    @Test
    void bytesAreDeterministicAndDistinct() throws IOException {
        byte[] first = bytes("lot:L1-0000001-1");
        assertArrayEquals(first, bytes("lot:L1-0000001-1"));
        assertFalse(Arrays.equals(first, bytes("lot:L1-0000001-2")));
        assertFalse(Arrays.equals(bytes("ab"), bytes("a")));
        assertEquals(1 + 16, first.length, "one length byte, then the UTF-8");
    }

    @Test
    void aDamagedLengthIsAnIoErrorNotAHugeAllocation() {
        byte[] damaged = {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF};
        assertThrows(
                IOException.class,
                () -> serializer.deserialize(new DataInputDeserializer(damaged)));
    }

    @Test
    void aRestoredSnapshotIsCompatibleAsIs() throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        TypeSerializerSnapshot.writeVersionedSnapshot(out, serializer.snapshotConfiguration());
        TypeSerializerSnapshot<String> restored =
                TypeSerializerSnapshot.readVersionedSnapshot(
                        new DataInputDeserializer(out.getCopyOfBuffer()),
                        getClass().getClassLoader());
        TypeSerializerSchemaCompatibility<String> compatibility =
                serializer.snapshotConfiguration().resolveSchemaCompatibility(restored);
        assertTrue(compatibility.isCompatibleAsIs(), compatibility.toString());
        assertInstanceOf(Utf8StringTypeInfo.Serializer.class, restored.restoreSerializer());
        assertTrue(Utf8StringTypeInfo.INSTANCE.isKeyType());
    }

    private byte[] bytes(String key) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(16);
        serializer.serialize(key, out);
        return out.getCopyOfBuffer();
    }
}
