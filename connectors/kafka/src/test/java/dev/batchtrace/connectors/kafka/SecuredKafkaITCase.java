package dev.batchtrace.connectors.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchtrace.connectors.registry.ConfluentSchemaRegistryClient;
import dev.batchtrace.connectors.registry.RegistrySettings;
import dev.batchtrace.events.GoodsReceipt;
import dev.batchtrace.stack.SecuredTestServers;
import dev.batchtrace.stack.TestServers;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.ExceptionUtils;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real broker (kafka_2.13 4.3.1, its own JVM) with only a SASL_SSL listener (SCRAM-SHA-512, a
 * certificate generated for the test): the settings come from a properties file as a job or the CLI
 * reads it; plain clients, the connection check and a Flink job (source and exactly-once sink:
 * transactions over TLS + SCRAM) work with them; a wrong password, a PLAINTEXT client and a missing
 * truststore each fail fast with a message that says what to fix.
 */
class SecuredKafkaITCase {

    private static final int RECORDS = 12;

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    @TempDir Path dir;

    @Test
    void jobAndPlainClientsWorkWithTlsAndScramFromAConfigFile() throws Exception {
        SecuredTestServers.Kafka broker = SecuredTestServers.kafka();
        String run = UUID.randomUUID().toString().substring(0, 8);
        Path file = configFile(broker, broker.password(), "secured-" + run);
        KafkaSettings kafka = KafkaSettings.fromProperties(load(file));
        RegistrySettings registry = RegistrySettings.fromProperties(load(file));
        assertEquals("SASL_SSL", kafka.securityProtocol());
        assertEquals(SecuredTestServers.KAFKA_USER, kafka.saslUser().orElseThrow());
        assertFalse(kafka.toString().contains(broker.password()), kafka.toString());

        KafkaConnectionCheck.verify(kafka, Duration.ofSeconds(30));

        String input = "mes.goods-receipts.secured." + run;
        String output = "trace.receipts-copy.secured." + run;
        try (Admin admin = Admin.create(kafka.clientProperties(true))) {
            admin.createTopics(
                            List.of(
                                    new NewTopic(input, 2, (short) 1),
                                    new NewTopic(output, 2, (short) 1)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        }
        List<GoodsReceipt> sent = new ArrayList<>();
        Properties producerProps = kafka.clientProperties(true);
        producerProps.setProperty("acks", "all");
        try (KafkaProducer<String, GoodsReceipt> producer =
                new KafkaProducer<>(
                        producerProps,
                        new StringSerializer(),
                        new AvroKafkaSerializer<>(new ConfluentSchemaRegistryClient(registry)))) {
            for (int i = 0; i < RECORDS; i++) {
                GoodsReceipt receipt = Samples.receipt(i);
                sent.add(receipt);
                producer.send(new ProducerRecord<>(input, receipt.getLotCode(), receipt)).get();
            }
        }

        StreamExecutionEnvironment env = environment();
        DeadLetterSplit.Result<GoodsReceipt> split =
                DeadLetterSplit.split(
                        env.fromSource(
                                        EventSources.builder(
                                                        kafka,
                                                        registry.clientFactory(),
                                                        input,
                                                        GoodsReceipt.class)
                                                .setStartingOffsets(OffsetsInitializer.earliest())
                                                .setBounded(OffsetsInitializer.latest())
                                                .build(),
                                        WatermarkStrategy.noWatermarks(),
                                        "secured source")
                                .uid("secured-source"),
                        "secured-split",
                        "Split dead letters");
        split.records()
                .sinkTo(
                        EventSinks.forTopic(
                                kafka,
                                registry,
                                output,
                                GoodsReceipt.class,
                                GoodsReceipt::getLotCode,
                                DeliveryGuarantee.EXACTLY_ONCE))
                .uid("secured-sink");
        env.execute("secured kafka ITCase");

        List<GoodsReceipt> copied = readAll(kafka, registry, output, RECORDS);
        Comparator<GoodsReceipt> byId = Comparator.comparing(GoodsReceipt::getReceiptId);
        assertEquals(sent.stream().sorted(byId).toList(), copied.stream().sorted(byId).toList());
    }

    @Test
    void wrongPasswordFailsFastNamingBrokerAndUserNotThePassword() throws Exception {
        SecuredTestServers.Kafka broker = SecuredTestServers.kafka();
        String wrong = "not-" + broker.password();
        KafkaSettings kafka = KafkaSettings.fromProperties(load(configFile(broker, wrong, "w")));

        long started = System.nanoTime();
        KafkaConnectionException e =
                assertThrows(
                        KafkaConnectionException.class,
                        () -> KafkaConnectionCheck.verify(kafka, Duration.ofSeconds(30)));
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertEquals(KafkaConnectionException.Kind.AUTHENTICATION, e.kind());
        assertInstanceOf(SaslAuthenticationException.class, e.getCause());
        assertTrue(took.compareTo(Duration.ofSeconds(10)) < 0, "took " + took);
        String message = e.getMessage();
        assertTrue(message.contains("Kafka at " + broker.bootstrapServers()), message);
        assertTrue(message.contains("'" + SecuredTestServers.KAFKA_USER + "'"), message);
        assertTrue(message.contains("SCRAM-SHA-512"), message);
        assertTrue(message.contains("sasl.jaas.config"), message);
        assertFalse(message.contains(wrong), message);
    }

    @Test
    void aFlinkJobWithAWrongPasswordFailsInsteadOfWaiting() throws Exception {
        SecuredTestServers.Kafka broker = SecuredTestServers.kafka();
        KafkaSettings kafka =
                KafkaSettings.fromProperties(
                        load(configFile(broker, "wrong-" + broker.password(), "job-w")));
        RegistrySettings registry = RegistrySettings.of(TestServers.schemaRegistryUrl());
        StreamExecutionEnvironment env = environment();
        env.fromSource(
                        EventSources.builder(
                                        kafka,
                                        registry.clientFactory(),
                                        "mes.goods-receipts",
                                        GoodsReceipt.class)
                                .setStartingOffsets(OffsetsInitializer.earliest())
                                .setBounded(OffsetsInitializer.latest())
                                .build(),
                        WatermarkStrategy.noWatermarks(),
                        "wrong password source")
                .print();
        CompletableFuture<Void> job =
                CompletableFuture.runAsync(
                        () -> {
                            try {
                                env.execute("wrong password");
                            } catch (Exception ex) {
                                throw new RuntimeException(ex);
                            }
                        });
        ExecutionException failed =
                assertThrows(ExecutionException.class, () -> job.get(90, TimeUnit.SECONDS));
        assertTrue(
                ExceptionUtils.findThrowable(failed, SaslAuthenticationException.class).isPresent(),
                () -> ExceptionUtils.stringifyException(failed));
    }

    @Test
    void plaintextClientAndUntrustedCertificateAreNamed() throws Exception {
        SecuredTestServers.Kafka broker = SecuredTestServers.kafka();
        KafkaSettings plaintext = KafkaSettings.of(broker.bootstrapServers());
        KafkaConnectionException noAnswer =
                assertThrows(
                        KafkaConnectionException.class,
                        () -> KafkaConnectionCheck.verify(plaintext, Duration.ofSeconds(4)));
        assertEquals(KafkaConnectionException.Kind.UNREACHABLE, noAnswer.kind());
        assertTrue(
                noAnswer.getMessage().contains("security.protocol=PLAINTEXT"),
                noAnswer.getMessage());

        Properties untrusted = load(configFile(broker, broker.password(), "u"));
        untrusted.remove("ssl.truststore.location");
        untrusted.remove("ssl.truststore.password");
        untrusted.remove("ssl.truststore.type");
        KafkaConnectionException tls =
                assertThrows(
                        KafkaConnectionException.class,
                        () ->
                                KafkaConnectionCheck.verify(
                                        KafkaSettings.fromProperties(untrusted),
                                        Duration.ofSeconds(20)));
        assertEquals(KafkaConnectionException.Kind.TLS, tls.kind(), tls.getMessage());
        assertTrue(tls.getMessage().contains("ssl.truststore.location"), tls.getMessage());
    }

    /** The file an operator writes: Kafka's own client keys plus the registry's. */
    private Path configFile(SecuredTestServers.Kafka broker, String password, String name)
            throws Exception {
        Properties p = new Properties();
        p.setProperty(KafkaSettings.BOOTSTRAP_SERVERS, broker.bootstrapServers());
        p.setProperty(KafkaSettings.GROUP_ID_PREFIX, "itcase-" + name);
        broker.clientProperties(broker.user(), password).forEach(p::setProperty);
        p.setProperty(RegistrySettings.URL, TestServers.schemaRegistryUrl());
        Path file = dir.resolve(name + ".properties");
        try (Writer out = Files.newBufferedWriter(file)) {
            p.store(out, "secured Kafka ITCase");
        }
        return file;
    }

    private static Properties load(Path file) throws Exception {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            p.load(in);
        }
        return p;
    }

    private static StreamExecutionEnvironment environment() {
        Configuration config = new Configuration();
        config.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
        env.setParallelism(2);
        env.enableCheckpointing(500);
        return env;
    }

    private static List<GoodsReceipt> readAll(
            KafkaSettings kafka, RegistrySettings registry, String topic, int expected) {
        Properties p = kafka.clientProperties(true);
        p.setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.setProperty(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        List<GoodsReceipt> records = new ArrayList<>();
        try (KafkaConsumer<String, GoodsReceipt> consumer =
                new KafkaConsumer<>(
                        p,
                        new StringDeserializer(),
                        AvroKafkaDeserializer.forSpecific(
                                new ConfluentSchemaRegistryClient(registry), GoodsReceipt.class))) {
            List<TopicPartition> partitions = new ArrayList<>();
            consumer.partitionsFor(topic)
                    .forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (records.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, GoodsReceipt> r :
                        consumer.poll(Duration.ofMillis(200))) {
                    records.add(r.value());
                }
            }
            consumer.poll(Duration.ofMillis(500)).forEach(r -> records.add(r.value()));
        }
        return records;
    }
}
