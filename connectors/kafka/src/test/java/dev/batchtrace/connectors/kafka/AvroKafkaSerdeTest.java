package dev.batchtrace.connectors.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.batchtrace.connectors.registry.InMemorySchemaRegistryClient;
import dev.batchtrace.events.GoodsReceipt;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class AvroKafkaSerdeTest {

    private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();

    @Test
    void kafkaSerdeRoundTripAndErrors() {
        try (AvroKafkaSerializer<GoodsReceipt> serializer = new AvroKafkaSerializer<>(registry);
                AvroKafkaDeserializer<GoodsReceipt> deserializer =
                        AvroKafkaDeserializer.forSpecific(registry, GoodsReceipt.class)) {
            byte[] bytes = serializer.serialize("t", Samples.receipt(4));
            assertEquals(Samples.receipt(4), deserializer.deserialize("t", bytes));
            assertNull(serializer.serialize("t", null));
            assertNull(deserializer.deserialize("t", null), "tombstones read as null");

            SerializationException e =
                    assertThrows(
                            SerializationException.class,
                            () -> deserializer.deserialize("t", new byte[] {1, 2, 3, 4, 5, 6}));
            RecordDecodingException cause =
                    assertInstanceOf(RecordDecodingException.class, e.getCause());
            assertEquals(RecordDecodingException.Reason.WRONG_MAGIC_BYTE, cause.reason());
        }
    }

    @Test
    void unconfiguredSerdeSaysWhatIsMissing() {
        try (AvroKafkaSerializer<GoodsReceipt> serializer = new AvroKafkaSerializer<>()) {
            IllegalStateException e =
                    assertThrows(
                            IllegalStateException.class,
                            () -> serializer.serialize("t", Samples.receipt(1)));
            assertEquals(true, e.getMessage().contains("schema.registry.url"));
        }
    }
}
