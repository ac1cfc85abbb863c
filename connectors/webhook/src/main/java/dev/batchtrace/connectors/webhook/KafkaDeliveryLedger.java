package dev.batchtrace.connectors.webhook;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link DeliveryLedger} in a compacted Kafka topic (key = delivery key, value = when): read
 * whole when a writer opens, appended to after every 2xx. Alerts are few (one per affected shipment
 * or stock and status), so the whole ledger fits in memory. A crash between a 2xx and the append
 * (milliseconds) can still repeat that one delivery; its Idempotency-Key covers it.
 */
public final class KafkaDeliveryLedger implements DeliveryLedger {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaDeliveryLedger.class);
    private static final Duration LOAD_TIMEOUT = Duration.ofMinutes(2);

    private final String topic;
    private final Set<String> delivered;
    private final KafkaProducer<String, String> producer;
    private final AtomicReference<Exception> failure = new AtomicReference<>();

    private KafkaDeliveryLedger(
            String topic, Set<String> delivered, KafkaProducer<String, String> producer) {
        this.topic = topic;
        this.delivered = delivered;
        this.producer = producer;
    }

    /**
     * A factory for the sink.
     *
     * @param clientProperties Kafka client properties, bootstrap.servers and security included
     * @param topic the ledger topic; created compacted when missing
     */
    public static Factory factory(Properties clientProperties, String topic) {
        Map<String, String> props = new HashMap<>();
        clientProperties
                .stringPropertyNames()
                .forEach(k -> props.put(k, clientProperties.getProperty(k)));
        return subtask -> open(props, topic);
    }

    /** Creates the topic if missing, reads it to its end and opens the producer. */
    public static KafkaDeliveryLedger open(Map<String, String> clientProperties, String topic)
            throws IOException {
        Properties base = new Properties();
        base.putAll(clientProperties);
        ensureTopic(base, topic);
        Set<String> delivered = load(base, topic);
        Properties p = new Properties();
        p.putAll(base);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        LOG.info("Delivery ledger {}: {} deliveries already made", topic, delivered.size());
        return new KafkaDeliveryLedger(topic, delivered, new KafkaProducer<>(p));
    }

    private static void ensureTopic(Properties props, String topic) throws IOException {
        try (Admin admin = Admin.create(props)) {
            NewTopic compacted =
                    new NewTopic(topic, 1, (short) -1)
                            .configs(
                                    Map.of(
                                            TopicConfig.CLEANUP_POLICY_CONFIG,
                                            TopicConfig.CLEANUP_POLICY_COMPACT));
            admin.createTopics(List.of(compacted)).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IOException(
                        "delivery ledger: cannot create topic " + topic + ": " + e.getCause(), e);
            }
        } catch (TimeoutException e) {
            throw new IOException("delivery ledger: Kafka did not answer creating " + topic, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static Set<String> load(Properties props, String topic) throws IOException {
        Properties c = new Properties();
        c.putAll(props);
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        Set<String> delivered = new HashSet<>();
        Instant deadline = Instant.now().plus(LOAD_TIMEOUT);
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(c)) {
            List<TopicPartition> partitions =
                    consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                            .map((PartitionInfo i) -> new TopicPartition(topic, i.partition()))
                            .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (Instant.now().isAfter(deadline)) {
                    throw new IOException(
                            "delivery ledger: could not read topic "
                                    + topic
                                    + " in "
                                    + LOAD_TIMEOUT);
                }
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    if (r.key() != null) {
                        delivered.add(r.key());
                    }
                }
            }
        } catch (org.apache.kafka.common.KafkaException e) {
            throw new IOException("delivery ledger: cannot read topic " + topic + ": " + e, e);
        }
        return delivered;
    }

    @Override
    public boolean contains(String deliveryKey) {
        synchronized (delivered) {
            return delivered.contains(deliveryKey);
        }
    }

    @Override
    public void record(String deliveryKey) {
        synchronized (delivered) {
            delivered.add(deliveryKey);
        }
        producer.send(
                new ProducerRecord<>(topic, deliveryKey, Instant.now().toString()),
                (metadata, error) -> {
                    if (error != null) {
                        failure.compareAndSet(null, error);
                    }
                });
    }

    @Override
    public void flush() throws IOException {
        producer.flush();
        Exception e = failure.get();
        if (e != null) {
            throw new IOException("delivery ledger: cannot record in topic " + topic + ": " + e, e);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }
}
