package dev.batchtrace.connectors.kafka;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchtrace.connectors.kafka.RecordDecodingException.Reason;
import dev.batchtrace.connectors.registry.InMemorySchemaRegistryClient;
import dev.batchtrace.connectors.registry.SchemaRegistryClient;
import dev.batchtrace.connectors.registry.SchemaRegistryException;
import dev.batchtrace.events.GoodsReceipt;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.SystemLimitException;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

class AvroSerdeTest {

    private static final String TOPIC = "mes.goods-receipts";

    private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
    private final AvroRecordSerializer<GoodsReceipt> serializer =
            new AvroRecordSerializer<>(registry);
    private final AvroRecordDeserializer<GoodsReceipt> deserializer =
            AvroRecordDeserializer.forSpecific(registry, GoodsReceipt.class);

    @Test
    void specificRecordRoundTripsInWireFormat() throws Exception {
        GoodsReceipt receipt = Samples.receipt(3);

        byte[] bytes = serializer.serialize(TOPIC, receipt);

        assertEquals(0, bytes[0], "magic byte");
        int id = ByteBuffer.wrap(bytes, 1, 4).getInt();
        assertEquals(
                id,
                registry.getLatestSchemaMetadata(SchemaRegistryClient.valueSubject(TOPIC)).id());
        assertEquals(id, AvroWireFormat.schemaId(bytes));
        assertEquals(receipt, deserializer.deserialize(bytes));
    }

    @Test
    void registersOncePerTopicAndSchema() throws Exception {
        serializer.serialize(TOPIC, Samples.receipt(1));
        long afterFirst = registry.calls();
        serializer.serialize(TOPIC, Samples.receipt(2));
        assertEquals(afterFirst, registry.calls(), "second record must not call the registry");

        byte[] bytes = serializer.serialize(TOPIC, Samples.receipt(1));
        deserializer.deserialize(bytes);
        long afterRead = registry.calls();
        deserializer.deserialize(bytes);
        assertEquals(afterRead, registry.calls(), "writer schema must be cached by id");
    }

    @Test
    void genericRecordRoundTrips() throws Exception {
        Schema schema = Samples.sensorV1("test.generic");
        GenericRecord reading = new GenericData.Record(schema);
        reading.put("machineId", "M-1");
        reading.put("value", 42.5);

        byte[] bytes = new AvroRecordSerializer<GenericRecord>(registry).serialize("plc", reading);
        GenericRecord back = AvroRecordDeserializer.forWriterSchema(registry).deserialize(bytes);

        assertEquals("M-1", back.get("machineId").toString());
        assertEquals(42.5, back.get("value"));
    }

    @Test
    void recordWrittenWithV1IsReadByV2Reader() throws Exception {
        Schema v1 = Samples.sensorV1("test.evolution");
        Schema v2 = Samples.sensorV2("test.evolution");
        GenericRecord old = new GenericData.Record(v1);
        old.put("machineId", "M-7");
        old.put("value", 1.5);
        registry.setBackwardCompatible("plc-value", true);
        byte[] bytes = new AvroRecordSerializer<GenericRecord>(registry).serialize("plc", old);
        registry.register("plc-value", v2); // v2 is backward compatible with v1

        GenericRecord read = AvroRecordDeserializer.forGeneric(registry, v2).deserialize(bytes);

        assertEquals(v2, read.getSchema());
        assertEquals("M-7", read.get("machineId").toString());
        assertEquals(1.5, read.get("value"));
        assertEquals("unknown", read.get("unit").toString(), "default of the new field");
        assertNull(read.get("note"));
    }

    @Test
    void writerThatCannotBeResolvedIsIncompatibleSchema() {
        Schema v1 = Samples.sensorV1("test.breaking");
        GenericRecord old = new GenericData.Record(v1);
        old.put("machineId", "M-7");
        old.put("value", 1.5);
        byte[] bytes = new AvroRecordSerializer<GenericRecord>(registry).serialize("plc", old);

        AvroRecordDeserializer<GenericRecord> reader =
                AvroRecordDeserializer.forGeneric(
                        registry, Samples.sensorBreaking("test.breaking"));
        RecordDecodingException e =
                assertThrows(RecordDecodingException.class, () -> reader.deserialize(bytes));
        assertEquals(Reason.INCOMPATIBLE_SCHEMA, e.reason());
        assertTrue(e.getMessage().contains("sequence"), e.getMessage());
        // Cached: the second attempt fails the same way without asking the registry again.
        long calls = registry.calls();
        RecordDecodingException again =
                assertThrows(RecordDecodingException.class, () -> reader.deserialize(bytes));
        assertEquals(Reason.INCOMPATIBLE_SCHEMA, again.reason());
        assertEquals(calls, registry.calls());
    }

    @Test
    void registryRejectsIncompatibleSchemaLikeA409() {
        registry.setBackwardCompatible("plc-value", true);
        registry.register("plc-value", Samples.sensorV1("test.reject"));
        SchemaRegistryException e =
                assertThrows(
                        SchemaRegistryException.class,
                        () ->
                                registry.register(
                                        "plc-value", Samples.sensorBreaking("test.reject")));
        assertEquals(SchemaRegistryException.Kind.INCOMPATIBLE, e.kind());
    }

    @Test
    void nullAndEmptyAreEmpty() {
        assertReason(Reason.EMPTY, null);
        assertReason(Reason.EMPTY, new byte[0]);
    }

    @Test
    void wrongMagicByteNamesTheByte() {
        RecordDecodingException e =
                assertReason(
                        Reason.WRONG_MAGIC_BYTE,
                        "{\"lotCode\":\"L1\"}".getBytes(StandardCharsets.UTF_8));
        assertTrue(e.getMessage().contains("0x7b"), e.getMessage());
    }

    @Test
    void headerShorterThanFiveBytesIsTooShort() {
        assertReason(Reason.TOO_SHORT, new byte[] {0, 0, 1});
    }

    @Test
    void unknownSchemaIdNamesTheId() {
        RecordDecodingException e =
                assertReason(Reason.UNKNOWN_SCHEMA_ID, new byte[] {0, 0, 0, 0x30, 0x39, 2, 'a'});
        assertTrue(e.getMessage().contains("12345"), e.getMessage());
    }

    @Test
    void garbageAfterAValidHeaderIsCorruptPayload() {
        byte[] good = serializer.serialize(TOPIC, Samples.receipt(1));
        // Truncated payload.
        assertReason(Reason.CORRUPT_PAYLOAD, Arrays.copyOf(good, good.length / 2));
        // Trailing bytes after a complete record.
        byte[] trailing = Arrays.copyOf(good, good.length + 3);
        assertReason(Reason.CORRUPT_PAYLOAD, trailing);
        // A string length far beyond the payload must fail fast, not allocate gigabytes.
        byte[] header = Arrays.copyOf(good, AvroWireFormat.HEADER_SIZE);
        byte[] hugeLength = Arrays.copyOf(header, header.length + 5);
        byte[] varint = {(byte) 0xfe, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x07};
        System.arraycopy(varint, 0, hugeLength, header.length, varint.length);
        assertReason(Reason.CORRUPT_PAYLOAD, hugeLength);
    }

    /** FE FF FF FF 07: the zig-zag varint for 1,073,741,823 (a ~1 GiB length). */
    private static final byte[] ONE_GIB_LENGTH = {
        (byte) 0xfe, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x07
    };

    @Test
    void hugeLengthVarintsAreCorruptPayloadWithoutAllocating() {
        Schema schema =
                SchemaBuilder.record("Blob")
                        .namespace("test.limits")
                        .fields()
                        .requiredString("text")
                        .requiredBytes("data")
                        .name("items")
                        .type()
                        .array()
                        .items()
                        .nullType()
                        .noDefault()
                        .endRecord();
        int id = registry.register("blob-value", schema);
        AvroRecordDeserializer<GenericRecord> reader =
                AvroRecordDeserializer.forWriterSchema(registry);
        byte[] emptyString = {0};
        byte[] emptyBytes = {0};

        long start = System.nanoTime();
        // string, then bytes, then array block count claim ~1 Gi each
        assertLimitHit(reader, frame(id, ONE_GIB_LENGTH));
        assertLimitHit(reader, frame(id, emptyString, ONE_GIB_LENGTH));
        assertLimitHit(reader, frame(id, emptyString, emptyBytes, ONE_GIB_LENGTH));
        // just above the 16 MiB string cap
        assertLimitHit(reader, frame(id, zigZagVarint(AvroLimits.DEFAULT_MAX_STRING_LENGTH + 1)));
        assertTrue(
                Duration.ofNanos(System.nanoTime() - start).toMillis() < 2_000,
                "must fail fast, not allocate gigabytes first");
    }

    private static void assertLimitHit(AvroRecordDeserializer<GenericRecord> reader, byte[] bytes) {
        RecordDecodingException e =
                assertThrows(RecordDecodingException.class, () -> reader.deserialize(bytes));
        assertEquals(Reason.CORRUPT_PAYLOAD, e.reason(), e.getMessage());
        // Without the caps Avro allocates the buffer and only then fails with an EOFException.
        assertInstanceOf(SystemLimitException.class, e.getCause(), e.getMessage());
        assertTrue(e.getMessage().contains("org.apache.avro.limits"), e.getMessage());
    }

    private static byte[] frame(int id, byte[]... parts) {
        ByteBuffer out = ByteBuffer.allocate(64);
        out.put(AvroWireFormat.MAGIC_BYTE).putInt(id);
        for (byte[] part : parts) {
            out.put(part);
        }
        return Arrays.copyOf(out.array(), out.position());
    }

    private static byte[] zigZagVarint(long value) {
        long n = (value << 1) ^ (value >> 63);
        ByteBuffer out = ByteBuffer.allocate(10);
        while ((n & ~0x7fL) != 0) {
            out.put((byte) ((n & 0x7f) | 0x80));
            n >>>= 7;
        }
        out.put((byte) n);
        return Arrays.copyOf(out.array(), out.position());
    }

    @Test
    void negativeSchemaIdIsUnknownWithoutAskingTheRegistry() {
        long calls = registry.calls();
        RecordDecodingException e =
                assertReason(
                        Reason.UNKNOWN_SCHEMA_ID,
                        new byte[] {0, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 2, 'a'});
        assertTrue(e.getMessage().contains("-1"), e.getMessage());
        assertTrue(e.reason().isRecordFault());
        assertEquals(calls, registry.calls(), "a negative id must not reach the registry");
    }

    @Test
    void idOfANonAvroSchemaIsUnusableSchemaAndTheRecordsFault() {
        int id = registry.registerNonAvro("json-topic-value", "JSON");
        RecordDecodingException e =
                assertReason(Reason.UNUSABLE_SCHEMA, frame(id, new byte[] {2, 'a'}));
        assertTrue(e.reason().isRecordFault());
        assertTrue(e.getMessage().contains("JSON"), e.getMessage());
    }

    @Test
    void unknownIdIsRememberedForAWhileThenAskedAgain() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-24T12:00:00Z"));
        InMemorySchemaRegistryClient fresh = new InMemorySchemaRegistryClient();
        AvroRecordDeserializer<GoodsReceipt> reader =
                AvroRecordDeserializer.forSpecific(fresh, GoodsReceipt.class, clock);
        // Written against another registry where GoodsReceipt got id 1; unknown to `fresh` yet.
        byte[] bytes =
                new AvroRecordSerializer<GoodsReceipt>(new InMemorySchemaRegistryClient())
                        .serialize(TOPIC, Samples.receipt(2));
        assertEquals(1, AvroWireFormat.schemaId(bytes));

        assertEquals(
                Reason.UNKNOWN_SCHEMA_ID,
                assertThrows(RecordDecodingException.class, () -> reader.deserialize(bytes))
                        .reason());
        long calls = fresh.calls();
        for (int i = 0; i < 5; i++) {
            RecordDecodingException again =
                    assertThrows(RecordDecodingException.class, () -> reader.deserialize(bytes));
            assertEquals(Reason.UNKNOWN_SCHEMA_ID, again.reason());
            assertTrue(again.getMessage().startsWith("UNKNOWN_SCHEMA_ID: schema id 1 "));
        }
        assertEquals(calls, fresh.calls(), "unknown id must be answered from memory");

        assertEquals(1, fresh.register("elsewhere-value", GoodsReceipt.getClassSchema()));
        calls = fresh.calls();
        clock.advance(AvroRecordDeserializer.UNKNOWN_ID_RETRY.minusSeconds(1));
        assertThrows(RecordDecodingException.class, () -> reader.deserialize(bytes));
        assertEquals(calls, fresh.calls(), "still remembered just before the retry time");

        clock.advance(Duration.ofSeconds(1));
        assertEquals(Samples.receipt(2), reader.deserialize(bytes), "asked again after the wait");
        assertEquals(calls + 1, fresh.calls());
    }

    @Test
    void registryDownIsNotRememberedAsUnknown() throws Exception {
        byte[] bytes = serializer.serialize(TOPIC, Samples.receipt(1));
        AvroRecordDeserializer<GoodsReceipt> reader =
                AvroRecordDeserializer.forSpecific(registry, GoodsReceipt.class);
        registry.setUnreachable(true);
        assertThrows(RecordDecodingException.class, () -> reader.deserialize(bytes));
        registry.setUnreachable(false);
        assertEquals(Samples.receipt(1), reader.deserialize(bytes));
        assertFalse(Reason.REGISTRY_UNREACHABLE.isRecordFault());
    }

    @Test
    void registryDownIsRegistryUnreachableNotARecordFault() {
        byte[] bytes = serializer.serialize(TOPIC, Samples.receipt(1));
        registry.setUnreachable(true);
        RecordDecodingException e = assertReason(Reason.REGISTRY_UNREACHABLE, bytes);
        assertTrue(!e.reason().isRecordFault());
    }

    private RecordDecodingException assertReason(Reason reason, byte[] bytes) {
        RecordDecodingException e =
                assertThrows(RecordDecodingException.class, () -> deserializer.deserialize(bytes));
        assertEquals(reason, e.reason(), e.getMessage());
        assertTrue(e.getMessage().startsWith(reason.name() + ": "), e.getMessage());
        return e;
    }

    @Test
    void wireFormatEncodesIdBigEndian() throws Exception {
        byte[] bytes =
                AvroWireFormat.encode(
                        0x01020304,
                        new org.apache.avro.generic.GenericDatumWriter<>(
                                Schema.create(Schema.Type.INT)),
                        7);
        assertArrayEquals(new byte[] {0, 1, 2, 3, 4, 14}, bytes);
        assertEquals(0x01020304, AvroWireFormat.schemaId(bytes));
    }
}
