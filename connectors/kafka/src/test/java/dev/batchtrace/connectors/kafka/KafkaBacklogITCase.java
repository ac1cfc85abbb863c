package dev.batchtrace.connectors.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchtrace.stack.TestServers;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * {@link KafkaBacklog} against the real broker: the backlog is fixed when first asked, empty
 * partitions and missing topics have none, a transaction marker at a partition's end does not keep
 * it open, and it is read once the group committed past it.
 */
class KafkaBacklogITCase {

    @Test
    void theBacklogIsReadOnceTheGroupCommittedPastItsLastRecords() throws Exception {
        String bootstrap = TestServers.kafkaBootstrapServers();
        String topic = "backlog-" + UUID.randomUUID();
        String group = "backlog-group-" + UUID.randomUUID();
        KafkaTopics.create(bootstrap, topic, 3);
        TopicPartition p0 = new TopicPartition(topic, 0);
        TopicPartition p1 = new TopicPartition(topic, 1);
        try (KafkaProducer<String, String> plain = KafkaTopics.producer(bootstrap, null)) {
            for (int i = 0; i < 5; i++) {
                plain.send(new ProducerRecord<>(topic, 0, "k", "v" + i));
            }
        }
        // partition 1 written in a transaction: its end offset is one past the commit marker
        try (KafkaProducer<String, String> tx =
                KafkaTopics.producer(bootstrap, "backlog-tx-" + topic)) {
            tx.initTransactions();
            tx.beginTransaction();
            tx.send(new ProducerRecord<>(topic, 1, "k", "a"));
            tx.send(new ProducerRecord<>(topic, 1, "k", "b"));
            tx.commitTransaction();
        }
        try (KafkaBacklog backlog =
                new KafkaBacklog(KafkaTopics.client(bootstrap), topic, group, timeout())) {
            checkBacklog(bootstrap, topic, group, backlog, p0, p1);
        }
    }

    private static void checkBacklog(
            String bootstrap,
            String topic,
            String group,
            KafkaBacklog backlog,
            TopicPartition p0,
            TopicPartition p1)
            throws Exception {
        // partition 2 is empty: nothing to read there; partition 1's marker is not counted
        assertEquals(Map.of(p0, 5L, p1, 2L), backlog.backlog());
        assertEquals(Map.of(p0, -1L, p1, -1L), backlog.unread());

        commit(bootstrap, group, Map.of(p0, 3L, p1, 2L));
        assertEquals(Map.of(p0, 3L), backlog.unread());

        // what arrives later is live data, not backlog: it does not move the target
        try (KafkaProducer<String, String> plain = KafkaTopics.producer(bootstrap, null)) {
            plain.send(new ProducerRecord<>(topic, 0, "k", "later"));
        }
        commit(bootstrap, group, Map.of(p0, 5L));
        assertTrue(backlog.unread().isEmpty(), "read: " + backlog.unread());
    }

    @Test
    void pendingRecordsFollowTheGroupAndCountOnlyCommittedTransactions() throws Exception {
        String bootstrap = TestServers.kafkaBootstrapServers();
        String topic = "pending-" + UUID.randomUUID();
        String group = "pending-group-" + UUID.randomUUID();
        KafkaTopics.create(bootstrap, topic, 2);
        TopicPartition p0 = new TopicPartition(topic, 0);
        TopicPartition p1 = new TopicPartition(topic, 1);
        try (KafkaBacklog backlog =
                        new KafkaBacklog(KafkaTopics.client(bootstrap), topic, group, timeout());
                KafkaProducer<String, String> tx =
                        KafkaTopics.producer(bootstrap, "pending-tx-" + topic)) {
            assertEquals(0, backlog.pendingRecords(), "an empty topic");
            tx.initTransactions();
            tx.beginTransaction();
            for (int i = 0; i < 4; i++) {
                tx.send(new ProducerRecord<>(topic, 0, "k", "v" + i));
            }
            tx.send(new ProducerRecord<>(topic, 1, "k", "w"));
            tx.flush();
            assertEquals(0, backlog.pendingRecords(), "an open transaction is not readable yet");
            tx.commitTransaction();
            // 5 records and each partition's commit marker (the coordinator writes the markers
            // after the commit returns, so the last stable offset gets there shortly after)
            awaitPending(backlog, 7);
            commit(bootstrap, group, Map.of(p0, 4L));
            // partition 0: its marker at 4; partition 1 from the log start: record and marker
            assertEquals(3, backlog.pendingRecords());
            commit(bootstrap, group, Map.of(p0, 5L, p1, 2L));
            assertEquals(0, backlog.pendingRecords(), "all read, markers included");
        }
    }

    @Test
    void aTopicThatDoesNotExistHasNoBacklog() throws Exception {
        String bootstrap = TestServers.kafkaBootstrapServers();
        try (KafkaBacklog backlog =
                new KafkaBacklog(
                        KafkaTopics.client(bootstrap),
                        "no-such-topic-" + UUID.randomUUID(),
                        "g",
                        timeout())) {
            assertTrue(backlog.backlog().isEmpty());
            assertTrue(backlog.unread().isEmpty());
            assertEquals(0, backlog.pendingRecords());
        }
    }

    private static void awaitPending(KafkaBacklog backlog, long expected) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        long pending = backlog.pendingRecords();
        while (pending != expected && System.nanoTime() < deadline) {
            Thread.sleep(100);
            pending = backlog.pendingRecords();
        }
        assertEquals(expected, pending, "pending records");
    }

    private static Duration timeout() {
        return Duration.ofSeconds(20);
    }

    private static void commit(String bootstrap, String group, Map<TopicPartition, Long> offsets)
            throws Exception {
        try (Admin admin = Admin.create(KafkaTopics.client(bootstrap))) {
            Map<TopicPartition, OffsetAndMetadata> at = new java.util.HashMap<>();
            offsets.forEach((tp, o) -> at.put(tp, new OffsetAndMetadata(o)));
            admin.alterConsumerGroupOffsets(group, at).all().get();
        }
    }
}
