package dev.batchtrace.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads topics from the beginning, read_committed, without a consumer group (nothing is committed):
 * to their current end, or following new records until the caller has seen enough.
 */
final class TopicReader {
    static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

    private TopicReader() {}

    /** Every record of {@code topics} up to their end as of now. */
    static void readToEnd(
            String bootstrapServers,
            List<String> topics,
            Consumer<ConsumerRecord<byte[], byte[]>> each) {
        try (KafkaConsumer<byte[], byte[]> consumer = open(bootstrapServers)) {
            List<TopicPartition> partitions = assignFromBeginning(consumer, topics);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, READ_TIMEOUT);
            long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
            while (!reachedEnd(consumer, end)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            "could not read the topics to their end within " + READ_TIMEOUT);
                }
                consumer.poll(Duration.ofMillis(500)).forEach(each);
            }
        }
    }

    /**
     * Records of {@code topic} from the beginning, then as they arrive, until {@code done} returns
     * true for one of them.
     *
     * @return false when {@code timeout} passed first
     */
    static boolean follow(
            String bootstrapServers,
            String topic,
            Duration timeout,
            Predicate<ConsumerRecord<byte[], byte[]>> done) {
        try (KafkaConsumer<byte[], byte[]> consumer = open(bootstrapServers)) {
            assignFromBeginning(consumer, List.of(topic));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record :
                        consumer.poll(Duration.ofMillis(200))) {
                    if (done.test(record)) {
                        return true;
                    }
                }
            }
            return false;
        }
    }

    private static KafkaConsumer<byte[], byte[]> open(String bootstrapServers) {
        Map<String, Object> config =
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrapServers,
                        ConsumerConfig.GROUP_ID_CONFIG,
                        "trace-cli-read-" + UUID.randomUUID(),
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                        false,
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                        "read_committed");
        return new KafkaConsumer<>(
                config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private static List<TopicPartition> assignFromBeginning(
            KafkaConsumer<byte[], byte[]> consumer, List<String> topics) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : topics) {
            consumer.partitionsFor(topic, READ_TIMEOUT)
                    .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return partitions;
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
