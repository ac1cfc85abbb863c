package dev.batchtrace.connectors.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchtrace.stack.RestartableServer;
import dev.batchtrace.stack.TestServers;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.AbortTransactionSpec;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link HangingTransactions} against a real broker of this test's own (it turns off a cluster-wide
 * check): an open transaction the coordinator counts is not hanging; records written in a
 * transaction the coordinator does not count their partition in are, and stop a read_committed
 * reader until the printed abort ends them.
 */
class HangingTransactionsITCase {

    private static RestartableServer kafka;

    @BeforeAll
    static void startBroker() throws Exception {
        kafka = TestServers.restartableKafka("hanging-transactions");
    }

    @AfterAll
    static void stopBroker() {
        if (kafka != null) {
            kafka.stop();
        }
    }

    @Test
    void aTransactionTheCoordinatorDoesNotCountIsFoundAndTheAbortEndsIt() throws Exception {
        String bootstrap = kafka.url();
        String topic = "hanging-" + UUID.randomUUID();
        KafkaTopics.create(bootstrap, topic, 2);
        TopicPartition open = new TopicPartition(topic, 0);
        TopicPartition stuck = new TopicPartition(topic, 1);
        try (Admin admin = Admin.create(KafkaTopics.client(bootstrap));
                HangingTransactions checker =
                        new HangingTransactions(
                                KafkaTopics.client(bootstrap), Duration.ofSeconds(10));
                KafkaProducer<String, String> legit =
                        KafkaTopics.producer(bootstrap, "legit-" + topic);
                KafkaProducer<String, String> ghost =
                        KafkaTopics.producer(bootstrap, "ghost-" + topic)) {
            // an ordinary open transaction: the coordinator lists its partition, so it is not
            // hanging
            legit.initTransactions();
            legit.beginTransaction();
            for (int i = 0; i < 3; i++) {
                legit.send(new ProducerRecord<>(topic, 0, "k", "open-" + i));
            }
            legit.flush();
            assertEquals(List.of(), checker.find(List.of(topic), Duration.ZERO));

            // The fault: transactional records on a partition the coordinator does not count in
            // the producer's transaction. The broker's check that prevents it is turned off here so
            // that a plain produce request can write such records.
            ghost.initTransactions();
            HangingTransactionFixture.Written written =
                    HangingTransactionFixture.write(admin, bootstrap, stuck, "ghost-" + topic);
            long start = written.start();
            legit.commitTransaction();
            try (KafkaProducer<String, String> plain = KafkaTopics.producer(bootstrap, null)) {
                plain.send(new ProducerRecord<>(topic, 1, "k", "after")).get(10, TimeUnit.SECONDS);
            }

            List<HangingTransactions.Hanging> found =
                    checker.find(List.of(topic, "no-such-topic-" + topic), Duration.ZERO);
            assertEquals(1, found.size(), "found: " + found);
            HangingTransactions.Hanging hanging = found.get(0);
            assertEquals(stuck, hanging.partition());
            assertEquals(written.producerId(), hanging.producerId());
            assertEquals(start, hanging.startOffset());
            assertEquals("ghost-" + topic, hanging.transactionalId());
            assertTrue(hanging.coordinatorView().contains("not this one"), hanging.toString());
            assertEquals(
                    "kafka-transactions.sh --bootstrap-server "
                            + bootstrap
                            + " abort --topic "
                            + topic
                            + " --partition 1 --start-offset "
                            + start,
                    hanging.abortCommand(bootstrap));
            // what it does to a reader: the record after it stays invisible to read_committed
            assertEquals(start, stableOffset(admin, stuck));
            // not old enough yet for a minute's idle time
            assertEquals(List.of(), checker.find(List.of(topic), Duration.ofMinutes(1)));

            // the abort the message names ends it (dropping its records)
            admin.abortTransaction(
                            new AbortTransactionSpec(
                                    stuck,
                                    hanging.producerId(),
                                    (short) hanging.producerEpoch(),
                                    Math.max(0, hanging.coordinatorEpoch())))
                    .all()
                    .get(10, TimeUnit.SECONDS);
            assertEquals(List.of(), checker.find(List.of(topic), Duration.ZERO));
            assertTrue(stableOffset(admin, stuck) > start + 2);
        }
    }

    private static long stableOffset(Admin admin, TopicPartition tp) throws Exception {
        return admin.listOffsets(
                        Map.of(tp, OffsetSpec.latest()),
                        new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
                .partitionResult(tp)
                .get(10, TimeUnit.SECONDS)
                .offset();
    }
}
