package dev.batchtrace.cli;

import dev.batchtrace.connectors.kafka.AvroKafkaDeserializer;
import dev.batchtrace.connectors.kafka.AvroRecordDeserializer;
import dev.batchtrace.connectors.registry.ConfluentSchemaRegistryClient;
import dev.batchtrace.connectors.registry.RegistrySettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads topics from the beginning to their current end and counts what decodes through the
 * registry.
 */
final class TopicCounter {
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

    private TopicCounter() {}

    /** Per topic: records read, and how many of them decoded as Avro with their writer schema. */
    record Count(long records, long decoded) {}

    static Map<String, Count> count(
            String bootstrapServers, RegistrySettings registry, List<String> topics) {
        AvroKafkaDeserializer<GenericRecord> decoder =
                new AvroKafkaDeserializer<>(
                        AvroRecordDeserializer.forWriterSchema(
                                new ConfluentSchemaRegistryClient(registry)));
        Map<String, Object> config =
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrapServers,
                        ConsumerConfig.GROUP_ID_CONFIG,
                        "trace-cli-count-" + UUID.randomUUID(),
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                        false,
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                        "read_committed");
        Map<String, long[]> counts = new LinkedHashMap<>();
        topics.forEach(topic -> counts.put(topic, new long[2]));
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(
                        config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : topics) {
                consumer.partitionsFor(topic, READ_TIMEOUT)
                        .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, READ_TIMEOUT);
            long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
            while (!reachedEnd(consumer, end)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            "could not read the topics to their end within " + READ_TIMEOUT);
                }
                for (ConsumerRecord<byte[], byte[]> record :
                        consumer.poll(Duration.ofMillis(500))) {
                    long[] count = counts.get(record.topic());
                    count[0]++;
                    if (decodes(decoder, record)) {
                        count[1]++;
                    }
                }
            }
        }
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

    private static boolean reachedEnd(
            KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> partition : end.entrySet()) {
            if (consumer.position(partition.getKey()) < partition.getValue()) {
                return false;
            }
        }
        return true;
    }
}
