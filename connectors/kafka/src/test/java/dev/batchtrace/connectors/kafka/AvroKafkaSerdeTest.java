package dev.batchtrace.connectors.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchtrace.connectors.registry.InMemorySchemaRegistryClient;
import dev.batchtrace.connectors.registry.SchemaRegistryException;
import dev.batchtrace.events.GoodsReceipt;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
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
    void registryDownIsASerializationExceptionNamingTopicAndSubject() {
        registry.setUnreachable(true);
        try (AvroKafkaSerializer<GoodsReceipt> serializer = new AvroKafkaSerializer<>(registry)) {
            SerializationException e =
                    assertThrows(
                            SerializationException.class,
                            () -> serializer.serialize("mes.goods-receipts", Samples.receipt(1)));
            SchemaRegistryException cause =
                    assertInstanceOf(SchemaRegistryException.class, e.getCause());
            assertEquals(SchemaRegistryException.Kind.UNREACHABLE, cause.kind());
            assertTrue(e.getMessage().contains("topic mes.goods-receipts"), e.getMessage());
            assertTrue(e.getMessage().contains("'mes.goods-receipts-value'"), e.getMessage());
            assertTrue(e.getMessage().contains("UNREACHABLE"), e.getMessage());
        }
    }

    @Test
    void incompatibleSchemaIsASerializationException() {
        registry.setBackwardCompatible("plc-value", true);
        registry.register("plc-value", Samples.sensorV1("test.kafka-serde"));
        GenericRecord breaking = new GenericData.Record(Samples.sensorBreaking("test.kafka-serde"));
        breaking.put("machineId", "M-1");
        breaking.put("value", 1.0);
        breaking.put("sequence", 7L);
        try (AvroKafkaSerializer<GenericRecord> serializer = new AvroKafkaSerializer<>(registry)) {
            SerializationException e =
                    assertThrows(
                            SerializationException.class,
                            () -> serializer.serialize("plc", breaking));
            assertEquals(
                    SchemaRegistryException.Kind.INCOMPATIBLE,
                    assertInstanceOf(SchemaRegistryException.class, e.getCause()).kind());
            assertTrue(e.getMessage().contains("test.kafka-serde.SensorReading"), e.getMessage());
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
