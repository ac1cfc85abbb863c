package dev.batchtrace.connectors.kafka;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchtrace.connectors.kafka.RecordDecodingException.Reason;
import dev.batchtrace.connectors.registry.ConfluentSchemaRegistryClient;
import dev.batchtrace.connectors.registry.RegistrySettings;
import dev.batchtrace.connectors.registry.SchemaMetadata;
import dev.batchtrace.connectors.registry.SchemaRegistryException;
import dev.batchtrace.events.DeadLetter;
import dev.batchtrace.events.GoodsReceipt;
import dev.batchtrace.stack.TestServers;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

/** The serdes against the real registry (Apicurio's Confluent-compatible API). */
class RegistryWireFormatITCase {

    private static RegistrySettings settings() {
        return RegistrySettings.of(TestServers.schemaRegistryUrl());
    }

    private static String unique(String name) {
        return name + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void generatedRecordsRoundTripAndRegisterUnderTopicValue() throws Exception {
        String topic = unique("mes.goods-receipts");
        ConfluentSchemaRegistryClient writerClient = new ConfluentSchemaRegistryClient(settings());
        AvroRecordSerializer<GoodsReceipt> serializer = new AvroRecordSerializer<>(writerClient);

        byte[] first = serializer.serialize(topic, Samples.receipt(1));
        long calls = writerClient.httpCalls();
        byte[] second = serializer.serialize(topic, Samples.receipt(2));
        assertEquals(calls, writerClient.httpCalls(), "the schema is registered once");

        SchemaMetadata latest = writerClient.getLatestSchemaMetadata(topic + "-value");
        assertEquals(AvroWireFormat.schemaId(first), latest.id());
        assertEquals(GoodsReceipt.getClassSchema(), latest.schema());

        // A fresh client, as a consumer elsewhere would have: the schema comes from the registry.
        AvroRecordDeserializer<GoodsReceipt> deserializer =
                AvroRecordDeserializer.forSpecific(
                        new ConfluentSchemaRegistryClient(settings()), GoodsReceipt.class);
        assertEquals(Samples.receipt(1), deserializer.deserialize(first));
        assertEquals(Samples.receipt(2), deserializer.deserialize(second));

        String dlTopic = unique("trace.dead-letters");
        DeadLetter letter =
                DeadLetter.newBuilder()
                        .setSourceTopic(topic)
                        .setPartition(1)
                        .setOffset(99L)
                        .setKey(null)
                        .setValue(ByteBuffer.wrap(new byte[] {1, 2, 3}))
                        .setError("WRONG_MAGIC_BYTE: first byte is 0x01")
                        .setFailedAt(Instant.parse("2026-11-24T12:00:00Z"))
                        .build();
        byte[] letterBytes =
                new AvroRecordSerializer<DeadLetter>(writerClient).serialize(dlTopic, letter);
        DeadLetter back =
                AvroRecordDeserializer.forSpecific(
                                new ConfluentSchemaRegistryClient(settings()), DeadLetter.class)
                        .deserialize(letterBytes);
        assertEquals(letter, back);
        assertNull(back.getKey());
    }

    @Test
    void writtenWithV1ReadWithV2AndBreakingChangeRejectedBy409() throws Exception {
        String topic = unique("plc.sensor");
        String namespace = "it.v" + UUID.randomUUID().toString().replace("-", "");
        ConfluentSchemaRegistryClient client = new ConfluentSchemaRegistryClient(settings());
        Schema v1 = Samples.sensorV1(namespace);
        Schema v2 = Samples.sensorV2(namespace);

        GenericRecord old = new GenericData.Record(v1);
        old.put("machineId", "M-3");
        old.put("value", 7.25);
        byte[] bytes = new AvroRecordSerializer<GenericRecord>(client).serialize(topic, old);
        // Apicurio defaults to NONE; production registries default to BACKWARD.
        client.setCompatibility(topic + "-value", "BACKWARD");
        int v2Id = client.register(topic + "-value", v2);
        assertTrue(v2Id != AvroWireFormat.schemaId(bytes));
        assertEquals(2, client.getLatestSchemaMetadata(topic + "-value").version());

        GenericRecord read =
                AvroRecordDeserializer.forGeneric(new ConfluentSchemaRegistryClient(settings()), v2)
                        .deserialize(bytes);
        assertEquals("M-3", read.get("machineId").toString());
        assertEquals(7.25, read.get("value"));
        assertEquals("unknown", read.get("unit").toString());
        assertNull(read.get("note"));

        SchemaRegistryException rejected =
                assertThrows(
                        SchemaRegistryException.class,
                        () -> client.register(topic + "-value", Samples.sensorBreaking(namespace)));
        assertEquals(SchemaRegistryException.Kind.INCOMPATIBLE, rejected.kind());
        assertEquals(409, rejected.httpStatus());
        assertTrue(rejected.getMessage().contains(topic + "-value"), rejected.getMessage());
    }

    @Test
    void concurrentFirstRegistrationsAgreeOnOneId() throws Exception {
        // Parallel sink subtasks register a new subject at the same moment; Apicurio answers 409
        // "already exists" to the loser (seen in KafkaSourceSinkITCase before the client handled
        // it).
        // Warm up first: on a fresh Apicurio, concurrent writers also race on its id sequence
        // (500s and hung requests in H2), which is not what this test is about.
        new ConfluentSchemaRegistryClient(settings())
                .register(unique("trace.warm-up") + "-value", Samples.sensorV1("it.warmup"));
        int writers = 3;
        java.util.concurrent.ExecutorService pool =
                java.util.concurrent.Executors.newFixedThreadPool(writers);
        try {
            for (int round = 0; round < 5; round++) {
                String subject = unique("trace.concurrent") + "-value";
                java.util.concurrent.CountDownLatch start =
                        new java.util.concurrent.CountDownLatch(1);
                List<java.util.concurrent.Future<Integer>> ids = new java.util.ArrayList<>();
                for (int i = 0; i < writers; i++) {
                    ConfluentSchemaRegistryClient client =
                            new ConfluentSchemaRegistryClient(settings());
                    ids.add(
                            pool.submit(
                                    () -> {
                                        start.await();
                                        return client.register(
                                                subject, GoodsReceipt.getClassSchema());
                                    }));
                }
                start.countDown();
                java.util.Set<Integer> distinct = new java.util.HashSet<>();
                for (java.util.concurrent.Future<Integer> id : ids) {
                    distinct.add(id.get(30, java.util.concurrent.TimeUnit.SECONDS));
                }
                assertEquals(1, distinct.size(), distinct.toString());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void unknownSchemaIdAndSubjectAreNamed() {
        ConfluentSchemaRegistryClient client = new ConfluentSchemaRegistryClient(settings());
        AvroRecordDeserializer<GoodsReceipt> deserializer =
                AvroRecordDeserializer.forSpecific(client, GoodsReceipt.class);
        byte[] bytes = {0, 0x3b, (byte) 0x9a, (byte) 0xc9, (byte) 0xff, 2, 'x'}; // id 999999999
        RecordDecodingException e =
                assertThrows(RecordDecodingException.class, () -> deserializer.deserialize(bytes));
        assertEquals(Reason.UNKNOWN_SCHEMA_ID, e.reason(), e.getMessage());
        assertTrue(e.getMessage().contains("999999999"), e.getMessage());

        // Header 00 FF FF FF FF: id -1 is a record fault, and never sent to the registry.
        long calls = client.httpCalls();
        byte[] negative = {0, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 2, 'x'};
        RecordDecodingException minusOne =
                assertThrows(
                        RecordDecodingException.class, () -> deserializer.deserialize(negative));
        assertEquals(Reason.UNKNOWN_SCHEMA_ID, minusOne.reason(), minusOne.getMessage());
        assertEquals(calls, client.httpCalls());

        SchemaRegistryException subject =
                assertThrows(
                        SchemaRegistryException.class,
                        () -> client.getLatestSchemaMetadata(unique("nobody") + "-value"));
        assertEquals(SchemaRegistryException.Kind.SUBJECT_NOT_FOUND, subject.kind());
    }

    @Test
    void closedPortIsRegistryUnreachableQuickly() throws Exception {
        // Real bytes from the real registry, read through a client pointing at a closed port.
        byte[] bytes =
                new AvroRecordSerializer<GoodsReceipt>(
                                new ConfluentSchemaRegistryClient(settings()))
                        .serialize(unique("mes.goods-receipts"), Samples.receipt(1));
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        String dead = "http://127.0.0.1:" + port + "/apis/ccompat/v7";
        AvroRecordDeserializer<GoodsReceipt> deserializer =
                AvroRecordDeserializer.forSpecific(
                        new ConfluentSchemaRegistryClient(RegistrySettings.of(dead)),
                        GoodsReceipt.class);
        long start = System.nanoTime();
        RecordDecodingException e =
                assertThrows(RecordDecodingException.class, () -> deserializer.deserialize(bytes));
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertEquals(Reason.REGISTRY_UNREACHABLE, e.reason(), e.getMessage());
        assertTrue(e.getMessage().contains(dead), e.getMessage());
        assertTrue(took.compareTo(Duration.ofSeconds(5)) < 0, "took " + took);
    }

    @Test
    void garbageWithAValidHeaderIsCorruptPayload() throws Exception {
        byte[] good =
                new AvroRecordSerializer<GoodsReceipt>(
                                new ConfluentSchemaRegistryClient(settings()))
                        .serialize(unique("mes.goods-receipts"), Samples.receipt(1));
        byte[] truncated = java.util.Arrays.copyOf(good, 12);
        RecordDecodingException e =
                assertThrows(
                        RecordDecodingException.class,
                        () ->
                                AvroRecordDeserializer.forSpecific(
                                                new ConfluentSchemaRegistryClient(settings()),
                                                GoodsReceipt.class)
                                        .deserialize(truncated));
        assertEquals(Reason.CORRUPT_PAYLOAD, e.reason());
        assertArrayEquals(java.util.Arrays.copyOf(good, 5), java.util.Arrays.copyOf(truncated, 5));
    }
}
