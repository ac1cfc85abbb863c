package dev.batchtrace.jobs.lineage.inputwait;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchtrace.connectors.kafka.KafkaSettings;
import dev.batchtrace.stack.TestServers;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.apache.flink.streaming.api.operators.StreamMap;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * {@link InputWaitFunction} against the real broker: input waits while the feedback topic holds
 * more unread records than the mark, goes on once the feedback's group has committed past them, and
 * never waits when the feedback cannot be read.
 */
class InputWaitFunctionITCase {

    @Test
    void inputWaitsWhileTheFeedbackBacklogIsLargeAndGoesOnOnceItIsRead() throws Exception {
        String bootstrap = TestServers.kafkaBootstrapServers();
        String topic = "setting-feedback-" + UUID.randomUUID();
        String group = "setting-group-" + UUID.randomUUID();
        Properties client = new Properties();
        client.setProperty("bootstrap.servers", bootstrap);
        try (Admin admin = Admin.create(client)) {
            admin.createTopics(java.util.List.of(new NewTopic(topic, 1, (short) 1))).all().get();
            try (KafkaProducer<String, String> producer =
                    new KafkaProducer<>(client, new StringSerializer(), new StringSerializer())) {
                for (int i = 0; i < 50; i++) {
                    producer.send(new ProducerRecord<>(topic, "k", "feedback " + i));
                }
            }
            InputWait setting =
                    new InputWait(
                            KafkaSettings.of(bootstrap),
                            topic,
                            group,
                            40,
                            10,
                            Duration.ofMillis(50));
            InputWaitFunction<String> function = new InputWaitFunction<>(setting);
            try (OneInputStreamOperatorTestHarness<String, String> harness =
                    new OneInputStreamOperatorTestHarness<>(new StreamMap<>(function))) {
                harness.open();
                await(function::waiting, "50 unread records > 40: held");
                harness.processElement(new StreamRecord<>("receipt 1"));
                assertTrue(
                        function.heldMillis() >= InputWaitFunction.MAX_WAIT_MILLIS / 2,
                        "a held record waits: " + function.heldMillis() + " ms");
                assertEquals(1, harness.extractOutputValues().size(), "and then passes");

                // the group reads 30 of them: 20 left, above the lower mark, so still held
                commit(admin, group, new TopicPartition(topic, 0), 30);
                Thread.sleep(300);
                assertTrue(function.waiting(), "20 unread, between the marks: still held");

                commit(admin, group, new TopicPartition(topic, 0), 45);
                await(() -> !function.waiting(), "5 unread < 10: goes on");
                long waited = function.heldMillis();
                for (int i = 0; i < 100; i++) {
                    harness.processElement(new StreamRecord<>("receipt " + i));
                }
                assertEquals(waited, function.heldMillis(), "records pass without waiting");
                assertEquals(101, harness.extractOutputValues().size());
            }
        }
    }

    @Test
    void aFeedbackThatCannotBeReadNeverHoldsInput() throws Exception {
        // nothing listens on port 1: the backlog is unreadable, so input is never held
        InputWait setting =
                new InputWait(
                        KafkaSettings.of("127.0.0.1:1"),
                        "feedback",
                        "group",
                        1,
                        0,
                        Duration.ofMillis(50));
        InputWaitFunction<String> function = new InputWaitFunction<>(setting);
        try (OneInputStreamOperatorTestHarness<String, String> harness =
                new OneInputStreamOperatorTestHarness<>(new StreamMap<>(function))) {
            harness.open();
            Thread.sleep(500);
            harness.processElement(new StreamRecord<>("receipt"));
            assertFalse(function.waiting());
            assertEquals(0, function.heldMillis());
            assertEquals(1, harness.extractOutputValues().size());
        }
    }

    private static void commit(Admin admin, String group, TopicPartition partition, long offset)
            throws Exception {
        admin.alterConsumerGroupOffsets(group, Map.of(partition, new OffsetAndMetadata(offset)))
                .all()
                .get();
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(condition.getAsBoolean(), what);
    }
}
