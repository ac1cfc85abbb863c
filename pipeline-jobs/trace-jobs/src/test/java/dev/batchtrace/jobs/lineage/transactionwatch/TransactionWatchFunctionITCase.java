package dev.batchtrace.jobs.lineage.transactionwatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchtrace.connectors.kafka.HangingTransactionFixture;
import dev.batchtrace.connectors.kafka.KafkaSettings;
import dev.batchtrace.stack.RestartableServer;
import dev.batchtrace.stack.TestServers;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.flink.streaming.api.operators.StreamMap;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.kafka.clients.admin.AbortTransactionSpec;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link TransactionWatchFunction} against a broker of this test's own (making a hanging
 * transaction turns off a cluster-wide check): records pass unchanged, a hanging transaction on a
 * watched topic is counted once two checks found it, and no longer once it is aborted.
 */
class TransactionWatchFunctionITCase {

    private static RestartableServer kafka;

    @BeforeAll
    static void startBroker() throws Exception {
        kafka = TestServers.restartableKafka("transaction-watch");
    }

    @AfterAll
    static void stopBroker() {
        if (kafka != null) {
            kafka.stop();
        }
    }

    @Test
    void aHangingTransactionOnAWatchedTopicIsCountedUntilItIsAborted() throws Exception {
        String bootstrap = kafka.url();
        String topic = "watched-feedback-" + UUID.randomUUID();
        String transactionalId = "feedback-0-18-" + topic;
        Properties client = new Properties();
        client.setProperty("bootstrap.servers", bootstrap);
        TransactionWatch setting =
                new TransactionWatch(
                        KafkaSettings.of(bootstrap),
                        List.of(topic, "not-created-" + topic),
                        Duration.ofMillis(200));
        TransactionWatchFunction<String> function = new TransactionWatchFunction<>(setting);
        try (Admin admin = Admin.create(client);
                OneInputStreamOperatorTestHarness<String, String> harness =
                        new OneInputStreamOperatorTestHarness<>(new StreamMap<>(function));
                KafkaProducer<String, String> producer =
                        new KafkaProducer<>(
                                withTransactionalId(client, transactionalId),
                                new StringSerializer(),
                                new StringSerializer())) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1)))
                    .all()
                    .get(10, TimeUnit.SECONDS);
            harness.open();
            harness.processElement(new StreamRecord<>("document 1"));
            assertEquals(List.of("document 1"), harness.extractOutputValues());

            producer.initTransactions();
            HangingTransactionFixture.Written written =
                    HangingTransactionFixture.write(
                            admin, bootstrap, new TopicPartition(topic, 0), transactionalId);
            await(() -> function.hanging() == 1, "the hanging transaction is counted");

            admin.abortTransaction(
                            new AbortTransactionSpec(
                                    written.partition(), written.producerId(), written.epoch(), 0))
                    .all()
                    .get(10, TimeUnit.SECONDS);
            await(() -> function.hanging() == 0, "gone once aborted");
            harness.processElement(new StreamRecord<>("document 2"));
            assertEquals(List.of("document 1", "document 2"), harness.extractOutputValues());
        }
    }

    private static Properties withTransactionalId(Properties client, String id) {
        Properties p = new Properties();
        p.putAll(client);
        p.setProperty("transactional.id", id);
        return p;
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "not within 30 s: " + what);
            Thread.sleep(50);
        }
    }
}
