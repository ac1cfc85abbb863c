package dev.batchtrace.cli;

import dev.batchtrace.connectors.kafka.AvroKafkaDeserializer;
import dev.batchtrace.connectors.kafka.AvroRecordDeserializer;
import dev.batchtrace.connectors.registry.ConfluentSchemaRegistryClient;
import dev.batchtrace.connectors.registry.RegistrySettings;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Reads topics from the beginning to their current end and counts what decodes through the
 * registry.
 */
final class TopicCounter {
    private TopicCounter() {}

    /** Per topic: records read, and how many of them decoded as Avro with their writer schema. */
    record Count(long records, long decoded) {}

    static Map<String, Count> count(
            String bootstrapServers, RegistrySettings registry, List<String> topics) {
        AvroKafkaDeserializer<GenericRecord> decoder =
                new AvroKafkaDeserializer<>(
                        AvroRecordDeserializer.forWriterSchema(
                                new ConfluentSchemaRegistryClient(registry)));
        Map<String, long[]> counts = new LinkedHashMap<>();
        topics.forEach(topic -> counts.put(topic, new long[2]));
        TopicReader.readToEnd(
                bootstrapServers,
                topics,
                record -> {
                    long[] count = counts.get(record.topic());
                    count[0]++;
                    if (decodes(decoder, record)) {
                        count[1]++;
                    }
                });
        Map<String, Count> result = new LinkedHashMap<>();
        counts.forEach((topic, c) -> result.put(topic, new Count(c[0], c[1])));
        return result;
    }

    private static boolean decodes(
            AvroKafkaDeserializer<GenericRecord> decoder, ConsumerRecord<byte[], byte[]> record) {
        try {
            return decoder.deserialize(record.topic(), record.value()) != null;
        } catch (RuntimeException e) {
            return false;
        }
    }
}
