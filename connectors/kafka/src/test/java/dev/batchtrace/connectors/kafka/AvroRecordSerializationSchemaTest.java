package dev.batchtrace.connectors.kafka;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchtrace.connectors.registry.InMemorySchemaRegistryClient;
import dev.batchtrace.connectors.registry.SchemaRegistryException;
import dev.batchtrace.events.GoodsReceipt;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/** The sink side of a registry outage: the first record of a type waits for the registry. */
class AvroRecordSerializationSchemaTest {

    private static final String TOPIC = "mes.goods-receipts";

    private final String registryName = "serialization-test-" + UUID.randomUUID();
    private final InMemorySchemaRegistryClient registry =
            InMemorySchemaRegistryClient.named(registryName);

    @Test
    void firstRecordWaitsForTheRegistryAndIsWrittenOnceItIsBack() throws Exception {
        AvroRecordSerializationSchema<GoodsReceipt> schema =
                new AvroRecordSerializationSchema<>(
                        InMemorySchemaRegistryClient.factory(registryName),
                        TOPIC,
                        GoodsReceipt::getLotCode);
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
        long started = System.nanoTime();
        ProducerRecord<byte[], byte[]> record = schema.serialize(Samples.receipt(6), null, 5L);
        back.join();
        assertTrue(System.nanoTime() - started >= 1_000_000_000L, "it waited for the registry");
        assertArrayEquals("LOT-6".getBytes(StandardCharsets.UTF_8), record.key());
        assertEquals(
                Samples.receipt(6),
                AvroRecordDeserializer.forSpecific(registry, GoodsReceipt.class)
                        .deserialize(record.value()));
    }

    @Test
    void registryDownLongerThanTheBudgetFailsTheTask() {
        AvroRecordSerializationSchema<GoodsReceipt> impatient =
                new AvroRecordSerializationSchema<>(
                        InMemorySchemaRegistryClient.factory(registryName),
                        TOPIC,
                        GoodsReceipt::getLotCode,
                        Duration.ofMillis(700));
        registry.setUnreachable(true);
        SchemaRegistryException e =
                assertThrows(
                        SchemaRegistryException.class,
                        () -> impatient.serialize(Samples.receipt(1), null, 1L));
        assertEquals(SchemaRegistryException.Kind.UNREACHABLE, e.kind());
    }

    @Test
    void onlyUnreachableAnd5xxAreWaitedFor() {
        assertTrue(
                AvroRecordSerializationSchema.isTransient(
                        new SchemaRegistryException(
                                SchemaRegistryException.Kind.UNREACHABLE, "down", -1, -1)));
        assertTrue(
                AvroRecordSerializationSchema.isTransient(
                        new SchemaRegistryException(
                                SchemaRegistryException.Kind.REGISTRY_ERROR, "503", 503, -1)));
        assertTrue(
                !AvroRecordSerializationSchema.isTransient(
                        new SchemaRegistryException(
                                SchemaRegistryException.Kind.INCOMPATIBLE, "409", 409, 409)));
        assertTrue(
                !AvroRecordSerializationSchema.isTransient(
                        new SchemaRegistryException(
                                SchemaRegistryException.Kind.UNAUTHORIZED, "401", 401, -1)));
    }
}
