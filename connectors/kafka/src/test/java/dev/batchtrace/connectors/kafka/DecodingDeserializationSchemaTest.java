package dev.batchtrace.connectors.kafka;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchtrace.connectors.registry.InMemorySchemaRegistryClient;
import dev.batchtrace.events.DeadLetter;
import dev.batchtrace.events.GoodsReceipt;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.flink.api.common.functions.util.ListCollector;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.util.InstantiationUtil;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class DecodingDeserializationSchemaTest {

    private static final String TOPIC = "mes.goods-receipts";
    private static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");

    private final String registryName = "decoding-test-" + UUID.randomUUID();
    private final InMemorySchemaRegistryClient registry =
            InMemorySchemaRegistryClient.named(registryName);
    private final DecodingDeserializationSchema<GoodsReceipt> schema =
            new DecodingDeserializationSchema<>(
                    InMemorySchemaRegistryClient.factory(registryName),
                    GoodsReceipt.class,
                    Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void goodRecordIsDecodedWithItsPosition() throws Exception {
        GoodsReceipt receipt = Samples.receipt(5);
        byte[] value = new AvroRecordSerializer<GoodsReceipt>(registry).serialize(TOPIC, receipt);

        Decoded<GoodsReceipt> decoded = decode(record(1, 17L, "LOT-5", value));

        assertFalse(decoded.isDeadLetter());
        assertEquals(receipt, decoded.value());
        assertEquals(TOPIC, decoded.topic());
        assertEquals(1, decoded.partition());
        assertEquals(17L, decoded.offset());
        assertEquals(1_000L, decoded.timestamp());
    }

    @Test
    void badBytesBecomeADeadLetterWithOriginalBytesPartitionAndOffset() throws Exception {
        byte[] garbage = "not avro at all".getBytes(StandardCharsets.UTF_8);

        Decoded<GoodsReceipt> decoded = decode(record(2, 42L, "key-1", garbage));

        assertTrue(decoded.isDeadLetter());
        assertNull(decoded.value());
        DeadLetter letter = decoded.deadLetter();
        assertEquals(TOPIC, letter.getSourceTopic());
        assertEquals(2, letter.getPartition());
        assertEquals(42L, letter.getOffset());
        assertArrayEquals(garbage, bytes(letter.getValue()));
        assertArrayEquals("key-1".getBytes(StandardCharsets.UTF_8), bytes(letter.getKey()));
        assertTrue(letter.getError().startsWith("WRONG_MAGIC_BYTE: "), letter.getError());
        assertEquals(NOW, letter.getFailedAt());
    }

    @Test
    void eachRecordFaultBecomesADeadLetterNamingItsReason() throws Exception {
        byte[] good =
                new AvroRecordSerializer<GoodsReceipt>(registry)
                        .serialize(TOPIC, Samples.receipt(1));
        assertDeadLetter("EMPTY", null);
        assertDeadLetter("EMPTY", new byte[0]);
        assertDeadLetter("TOO_SHORT", new byte[] {0, 1});
        assertDeadLetter("UNKNOWN_SCHEMA_ID", new byte[] {0, 0, 0, 0x7f, 0x7f, 1});
        assertDeadLetter(
                "UNKNOWN_SCHEMA_ID",
                new byte[] {0, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 1});
        int jsonId = registry.registerNonAvro("json-value", "JSON");
        assertDeadLetter("UNUSABLE_SCHEMA", new byte[] {0, 0, 0, 0, (byte) jsonId, 1});
        // A string length of ~1 GiB: a dead letter, not an OutOfMemoryError.
        byte[] hugeString = java.util.Arrays.copyOf(good, 10);
        System.arraycopy(
                new byte[] {(byte) 0xfe, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x07},
                0,
                hugeString,
                5,
                5);
        assertDeadLetter("CORRUPT_PAYLOAD", hugeString);
        assertDeadLetter("CORRUPT_PAYLOAD", java.util.Arrays.copyOf(good, 9));
    }

    @Test
    void registryDownLongerThanTheBudgetFailsTheJobInsteadOfDeadLetteringGoodRecords() {
        byte[] value =
                new AvroRecordSerializer<GoodsReceipt>(registry)
                        .serialize(TOPIC, Samples.receipt(1));
        DecodingDeserializationSchema<GoodsReceipt> impatient =
                new DecodingDeserializationSchema<>(
                        InMemorySchemaRegistryClient.factory(registryName),
                        GoodsReceipt.class,
                        Clock.fixed(NOW, ZoneOffset.UTC),
                        Duration.ofMillis(700));
        registry.setUnreachable(true);
        long started = System.nanoTime();
        IOException e =
                assertThrows(
                        IOException.class,
                        () ->
                                impatient.deserialize(
                                        record(0, 1L, null, value),
                                        new ListCollector<>(new ArrayList<>())));
        long waitedMillis = (System.nanoTime() - started) / 1_000_000;
        assertTrue(e.getMessage().contains("REGISTRY_UNREACHABLE"), e.getMessage());
        // 200 + 400 ms of pauses fit the 700 ms budget, the next 800 ms would not
        assertTrue(waitedMillis >= 600 && waitedMillis < 1500, "waited " + waitedMillis + " ms");
    }

    @Test
    void recordWaitsForTheRegistryAndDecodesOnceItIsBack() throws Exception {
        byte[] value =
                new AvroRecordSerializer<GoodsReceipt>(registry)
                        .serialize(TOPIC, Samples.receipt(4));
        // a fresh client: the id is not cached, the schema must come from the registry
        DecodingDeserializationSchema<GoodsReceipt> fresh =
                new DecodingDeserializationSchema<>(
                        InMemorySchemaRegistryClient.factory(registryName),
                        GoodsReceipt.class,
                        Clock.fixed(NOW, ZoneOffset.UTC));
        registry.setUnreachable(true);
        Thread back =
                new Thread(
                        () -> {
                            try {
                                Thread.sleep(1000);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                            registry.setUnreachable(false);
                        });
        back.start();
        List<Decoded<GoodsReceipt>> out = new ArrayList<>();
        long started = System.nanoTime();
        fresh.deserialize(record(0, 2L, null, value), new ListCollector<>(out));
        back.join();
        assertEquals(1, out.size());
        assertFalse(out.get(0).isDeadLetter(), () -> out.get(0).deadLetter().getError());
        assertEquals(Samples.receipt(4), out.get(0).value());
        assertTrue(System.nanoTime() - started >= 1_000_000_000L, "it waited for the registry");
    }

    @Test
    void eventBreakingARuleIsADeadLetterWithItsBytes() throws Exception {
        GoodsReceipt negative = Samples.receipt(2);
        negative.setQuantity(-5.0);
        byte[] value = new AvroRecordSerializer<GoodsReceipt>(registry).serialize(TOPIC, negative);
        assertDeadLetter("NEGATIVE_QUANTITY", value);
        GoodsReceipt blank = Samples.receipt(2);
        blank.setLotCode(" ");
        assertDeadLetter(
                "MISSING_FIELD",
                new AvroRecordSerializer<GoodsReceipt>(registry).serialize(TOPIC, blank));
    }

    @Test
    void deadLetterOfAValueOverTheLimitKeepsItsFirstBytesAndSaysSo() throws Exception {
        byte[] huge = new byte[DecodingDeserializationSchema.MAX_DEAD_LETTER_VALUE_BYTES + 10];
        huge[0] = 'x'; // not the magic byte
        Decoded<GoodsReceipt> decoded = decode(record(1, 8L, null, huge));
        DeadLetter letter = decoded.deadLetter();
        assertTrue(letter.getError().startsWith("WRONG_MAGIC_BYTE: "), letter.getError());
        assertTrue(
                letter.getError().contains("truncated to its first 1015808 of 1015818 bytes"),
                letter.getError());
        assertArrayEquals(
                java.util.Arrays.copyOf(
                        huge, DecodingDeserializationSchema.MAX_DEAD_LETTER_VALUE_BYTES),
                bytes(letter.getValue()));
    }

    @Test
    void schemaIsSerializableAndCreatesItsClientAfterwards() throws Exception {
        byte[] value =
                new AvroRecordSerializer<GoodsReceipt>(registry)
                        .serialize(TOPIC, Samples.receipt(8));
        DecodingDeserializationSchema<GoodsReceipt> copy =
                InstantiationUtil.clone(schema, getClass().getClassLoader());
        List<Decoded<GoodsReceipt>> out = new ArrayList<>();
        copy.deserialize(record(0, 3L, null, value), new ListCollector<>(out));
        assertEquals(Samples.receipt(8), out.get(0).value());
    }

    @Test
    void producedTypeSerializesBothShapesWithoutKryo() throws Exception {
        TypeInformation<Decoded<GoodsReceipt>> type = schema.getProducedType();
        SerializerConfigImpl config = new SerializerConfigImpl();
        config.setGenericTypes(false); // fails if any part would fall back to Kryo
        TypeSerializer<Decoded<GoodsReceipt>> serializer = type.createSerializer(config);

        Decoded<GoodsReceipt> good = Decoded.of(Samples.receipt(3), TOPIC, 1, 2L, 3L);
        Decoded<GoodsReceipt> bad =
                decode(record(0, 9L, "k", "garbage".getBytes(StandardCharsets.UTF_8)));

        for (Decoded<GoodsReceipt> element : List.of(good, bad)) {
            DataOutputSerializer out = new DataOutputSerializer(256);
            serializer.serialize(element, out);
            Decoded<GoodsReceipt> back =
                    serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
            assertEquals(element, back);
            assertEquals(element, serializer.copy(element));
        }
    }

    private void assertDeadLetter(String reason, byte[] value) throws IOException {
        Decoded<GoodsReceipt> decoded = decode(record(0, 5L, null, value));
        assertTrue(decoded.isDeadLetter());
        assertTrue(
                decoded.deadLetter().getError().startsWith(reason + ": "),
                decoded.deadLetter().getError());
        if (value == null) {
            assertNull(decoded.deadLetter().getValue());
        } else {
            assertArrayEquals(value, bytes(decoded.deadLetter().getValue()));
        }
    }

    private Decoded<GoodsReceipt> decode(ConsumerRecord<byte[], byte[]> record) throws IOException {
        List<Decoded<GoodsReceipt>> out = new ArrayList<>();
        schema.deserialize(record, new ListCollector<>(out));
        assertEquals(1, out.size());
        return out.get(0);
    }

    private static ConsumerRecord<byte[], byte[]> record(
            int partition, long offset, String key, byte[] value) {
        return new ConsumerRecord<>(
                TOPIC,
                partition,
                offset,
                1_000L,
                org.apache.kafka.common.record.TimestampType.CREATE_TIME,
                key == null ? -1 : key.length(),
                value == null ? -1 : value.length,
                key == null ? null : key.getBytes(StandardCharsets.UTF_8),
                value,
                new org.apache.kafka.common.header.internals.RecordHeaders(),
                java.util.Optional.empty());
    }

    private static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer copy = buffer.duplicate();
        byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        return bytes;
    }
}
