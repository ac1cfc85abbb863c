package dev.batchtrace.connectors.kafka;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchtrace.connectors.registry.ConfluentSchemaRegistryClient;
import dev.batchtrace.connectors.registry.RegistrySettings;
import dev.batchtrace.events.DeadLetter;
import dev.batchtrace.events.GoodsReceipt;
import dev.batchtrace.stack.TestServers;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The source and sink builders on a Flink MiniCluster (parallelism 2) against the real broker and
 * registry: good records decode, a garbage record becomes a dead letter (the job keeps running),
 * and what the sinks write reads back with a plain consumer and our deserializer.
 */
class KafkaSourceSinkITCase {

    private static final int PARALLELISM = 2;
    private static final int GOOD = 20;

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(PARALLELISM)
                            .build());

    @Test
    void goodRecordsDecodeGarbageIsDeadLetteredAndSinksWriteReadableAvro() throws Exception {
        String bootstrap = TestServers.kafkaBootstrapServers();
        RegistrySettings registry = RegistrySettings.of(TestServers.schemaRegistryUrl());
        String run = UUID.randomUUID().toString().substring(0, 8);
        String input = "mes.goods-receipts." + run;
        String output = "trace.receipts-copy." + run;
        String deadLetters = "trace.dead-letters." + run;
        KafkaTopics.create(bootstrap, input, 2);
        KafkaTopics.create(bootstrap, output, 2);
        KafkaTopics.create(bootstrap, deadLetters, 1);

        // Produce with plain clients: good records through our kafka-clients serializer, then
        // one value that is not in the wire format at all.
        Properties producerProps = new Properties();
        producerProps.setProperty("bootstrap.servers", bootstrap);
        producerProps.setProperty("acks", "all");
        List<GoodsReceipt> sent = new ArrayList<>();
        try (KafkaProducer<String, GoodsReceipt> producer =
                new KafkaProducer<>(
                        producerProps,
                        new StringSerializer(),
                        new AvroKafkaSerializer<>(new ConfluentSchemaRegistryClient(registry)))) {
            for (int i = 0; i < GOOD; i++) {
                GoodsReceipt receipt = Samples.receipt(i);
                sent.add(receipt);
                producer.send(new ProducerRecord<>(input, receipt.getLotCode(), receipt)).get();
            }
        }
        byte[] garbage =
                "{\"lotCode\":\"LOT-X\"} is JSON, not Avro".getBytes(StandardCharsets.UTF_8);
        ProducerRecord<byte[], byte[]> bad =
                new ProducerRecord<>(input, 1, "bad-key".getBytes(StandardCharsets.UTF_8), garbage);
        long badOffset;
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(
                        producerProps, new ByteArraySerializer(), new ByteArraySerializer())) {
            badOffset = producer.send(bad).get().offset();
        }

        KafkaSettings kafka = KafkaSettings.of(bootstrap).withGroupIdPrefix("itcase-" + run);
        KafkaSource<Decoded<GoodsReceipt>> source =
                EventSources.builder(kafka, registry.clientFactory(), input, GoodsReceipt.class)
                        .setStartingOffsets(OffsetsInitializer.earliest())
                        .setBounded(OffsetsInitializer.latest())
                        .build();

        Configuration config = new Configuration();
        config.set(RestartStrategyOptions.RESTART_STRATEGY, "none"); // a failure must fail the test
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
        env.setParallelism(PARALLELISM);
        env.enableCheckpointing(500);
        DataStream<Decoded<GoodsReceipt>> decoded =
                env.fromSource(source, WatermarkStrategy.noWatermarks(), "goods receipts")
                        .uid("goods-receipts-source");
        DeadLetterSplit.Result<GoodsReceipt> split =
                DeadLetterSplit.split(decoded, "goods-receipts-split", "Split dead letters");
        split.records()
                .sinkTo(
                        EventSinks.forTopic(
                                kafka,
                                registry,
                                output,
                                GoodsReceipt.class,
                                GoodsReceipt::getLotCode,
                                DeliveryGuarantee.EXACTLY_ONCE))
                .uid("receipts-sink")
                .name("receipts sink");
        split.deadLetters()
                .sinkTo(
                        EventSinks.deadLetters(
                                kafka,
                                registry.clientFactory(),
                                deadLetters,
                                DeliveryGuarantee.AT_LEAST_ONCE))
                .uid("dead-letter-sink")
                .name("dead-letter sink");

        env.execute("kafka source/sink ITCase"); // throws if the job fails

        AvroKafkaDeserializer<GoodsReceipt> receipts =
                AvroKafkaDeserializer.forSpecific(
                        new ConfluentSchemaRegistryClient(registry), GoodsReceipt.class);
        List<ConsumerRecord<String, GoodsReceipt>> copied =
                KafkaTopics.readAll(bootstrap, output, receipts, GOOD);
        assertEquals(GOOD, copied.size(), "every good record exactly once");
        Comparator<GoodsReceipt> byId = Comparator.comparing(GoodsReceipt::getReceiptId);
        assertEquals(
                sent.stream().sorted(byId).collect(Collectors.toList()),
                copied.stream()
                        .map(ConsumerRecord::value)
                        .sorted(byId)
                        .collect(Collectors.toList()));
        for (ConsumerRecord<String, GoodsReceipt> record : copied) {
            assertEquals(record.value().getLotCode(), record.key(), "UTF-8 key from the extractor");
        }

        List<ConsumerRecord<String, DeadLetter>> letters =
                KafkaTopics.readAll(
                        bootstrap,
                        deadLetters,
                        AvroKafkaDeserializer.forSpecific(
                                new ConfluentSchemaRegistryClient(registry), DeadLetter.class),
                        1);
        assertEquals(1, letters.size());
        DeadLetter letter = letters.get(0).value();
        assertEquals(input, letter.getSourceTopic());
        assertEquals(1, letter.getPartition());
        assertEquals(badOffset, letter.getOffset());
        assertArrayEquals(garbage, bytes(letter.getValue()));
        assertArrayEquals("bad-key".getBytes(StandardCharsets.UTF_8), bytes(letter.getKey()));
        assertTrue(letter.getError().startsWith("WRONG_MAGIC_BYTE: "), letter.getError());
        assertEquals(input + "/1/" + badOffset, letters.get(0).key());
    }

    private static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer copy = buffer.duplicate();
        byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        return bytes;
    }
}
