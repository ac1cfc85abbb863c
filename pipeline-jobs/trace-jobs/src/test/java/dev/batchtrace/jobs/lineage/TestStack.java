package dev.batchtrace.jobs.lineage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.batchtrace.connectors.elasticsearch.ElasticsearchSettings;
import dev.batchtrace.connectors.elasticsearch.IndexTemplates;
import dev.batchtrace.connectors.elasticsearch.TraceIndex;
import dev.batchtrace.connectors.kafka.AvroKafkaSerializer;
import dev.batchtrace.connectors.registry.ConfluentSchemaRegistryClient;
import dev.batchtrace.connectors.registry.RegistrySettings;
import dev.batchtrace.events.DispatchNote;
import dev.batchtrace.events.GoodsReceipt;
import dev.batchtrace.events.LotFlag;
import dev.batchtrace.events.MachineEvent;
import dev.batchtrace.events.MachineEventType;
import dev.batchtrace.events.QcResult;
import dev.batchtrace.events.WorkOrderEvent;
import dev.batchtrace.events.WorkOrderEventType;
import dev.batchtrace.lineage.LineageCodec;
import dev.batchtrace.lineage.MachineHistoryGenerator;
import dev.batchtrace.lineage.closure.LineageMessage;
import dev.batchtrace.lineage.documents.TraceDocument;
import dev.batchtrace.lineage.reference.LineageReference;
import dev.batchtrace.machine.MachineRunSummary;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Test access to the real Kafka broker and Elasticsearch node: topics, index reset, read-back. */
final class TestStack {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private TestStack() {}

    static void createTopics(String bootstrap, int partitions, List<String> topics)
            throws Exception {
        Properties props = new Properties();
        props.setProperty("bootstrap.servers", bootstrap);
        try (Admin admin = Admin.create(props)) {
            admin.createTopics(
                            topics.stream()
                                    .map(t -> new NewTopic(t, partitions, (short) 1))
                                    .toList())
                    .all()
                    .get();
        }
    }

    /**
     * Deletes the trace indices and installs them again: the aliases are fixed names, so each test
     * starts from empty indices this way (tests of this JVM run one after the other).
     */
    static void resetIndices(ElasticsearchSettings settings, String url) throws Exception {
        for (TraceIndex index : TraceIndex.values()) {
            send(
                    HttpRequest.newBuilder(URI.create(url + "/" + index.concreteIndex()))
                            .DELETE()
                            .build(),
                    true);
        }
        IndexTemplates.install(settings, line -> {});
    }

    /** A document as stored: its source and external version. */
    record Stored(JsonNode source, long version) {}

    /**
     * Every document of the lots, shipments, work-orders, closures (hub members) and units aliases,
     * keyed index/id.
     */
    static Map<String, Stored> documents(String url) throws Exception {
        return documents(
                url,
                List.of(
                        TraceIndex.LOTS,
                        TraceIndex.SHIPMENTS,
                        TraceIndex.WORK_ORDERS,
                        TraceIndex.CLOSURES,
                        TraceIndex.UNITS));
    }

    /** Every hold alert document (alias trace-alerts), keyed trace-alerts/alertId. */
    static Map<String, Stored> alertDocuments(String url) throws Exception {
        return documents(url, List.of(TraceIndex.ALERTS));
    }

    private static Map<String, Stored> documents(String url, List<TraceIndex> indices)
            throws Exception {
        Map<String, Stored> all = new TreeMap<>();
        send(
                HttpRequest.newBuilder(URI.create(url + "/trace-*/_refresh"))
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                false);
        for (TraceIndex index : indices) {
            String body =
                    send(
                            HttpRequest.newBuilder(
                                            URI.create(
                                                    url
                                                            + "/"
                                                            + index.alias()
                                                            + "/_search?size=10000&version=true"))
                                    .header("Content-Type", "application/json")
                                    .POST(
                                            HttpRequest.BodyPublishers.ofString(
                                                    "{\"query\":{\"match_all\":{}}}"))
                                    .build(),
                            false);
            for (JsonNode hit : JSON.readTree(body).path("hits").path("hits")) {
                all.put(
                        index.alias() + "/" + hit.path("_id").asText(),
                        new Stored(hit.path("_source"), hit.path("_version").asLong()));
            }
        }
        return all;
    }

    /** The ids of the documents of {@code alias} that match a query (JSON body of _search). */
    static List<String> search(String url, String alias, String query) throws Exception {
        send(
                HttpRequest.newBuilder(URI.create(url + "/" + alias + "/_refresh"))
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                false);
        String body =
                send(
                        HttpRequest.newBuilder(
                                        URI.create(url + "/" + alias + "/_search?size=10000"))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(query))
                                .build(),
                        false);
        List<String> ids = new ArrayList<>();
        for (JsonNode hit : JSON.readTree(body).path("hits").path("hits")) {
            ids.add(hit.path("_id").asText());
        }
        ids.sort(null);
        return ids;
    }

    private static String send(HttpRequest request, boolean allow404) throws Exception {
        HttpResponse<String> response =
                HTTP.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        if (response.statusCode() >= 300 && !(allow404 && response.statusCode() == 404)) {
            throw new IllegalStateException(
                    request.method()
                            + " "
                            + request.uri()
                            + " -> "
                            + response.statusCode()
                            + ": "
                            + response.body());
        }
        return response.body();
    }

    /** One committed record of a topic. */
    record Committed(String key, long offset, byte[] value) {}

    /** Everything committed to {@code topic} (read_committed, from the beginning to the end). */
    static List<Committed> readCommitted(String bootstrap, String topic) {
        return readCommitted(bootstrap, topic, true);
    }

    /**
     * What is committed to {@code topic} so far, while a job may still have a transaction open on
     * it (read_committed: up to the last stable offsets).
     */
    static List<Committed> readCommittedSoFar(String bootstrap, String topic) {
        return readCommitted(bootstrap, topic, false);
    }

    private static List<Committed> readCommitted(
            String bootstrap, String topic, boolean noOpenTransaction) {
        Properties props = new Properties();
        props.setProperty("bootstrap.servers", bootstrap);
        props.setProperty("isolation.level", "read_committed");
        props.setProperty("enable.auto.commit", "false");
        List<Committed> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(
                        props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions =
                    consumer.partitionsFor(topic).stream()
                            .map(p -> new TopicPartition(topic, p.partition()))
                            .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            // For read_committed the end offsets are the last stable offsets: an open transaction
            // would hide everything after its first record, so insist there is none.
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            Map<TopicPartition, Long> logEnd = logEndOffsets(bootstrap, partitions);
            if (noOpenTransaction && !end.equals(logEnd)) {
                throw new IllegalStateException(
                        "open transaction left on "
                                + topic
                                + ": last stable offsets "
                                + end
                                + " < log end offsets "
                                + logEnd);
            }
            Map<TopicPartition, Long> done = new HashMap<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (done.size() < partitions.size() && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record :
                        consumer.poll(Duration.ofMillis(200))) {
                    out.add(
                            new Committed(
                                    record.key() == null
                                            ? null
                                            : new String(record.key(), StandardCharsets.UTF_8),
                                    record.offset(),
                                    record.value()));
                }
                for (TopicPartition partition : partitions) {
                    if (consumer.position(partition) >= end.get(partition)) {
                        done.put(partition, end.get(partition));
                    }
                }
            }
            if (done.size() < partitions.size()) {
                throw new IllegalStateException("could not read " + topic + " to its end in 60 s");
            }
        }
        return out;
    }

    private static Map<TopicPartition, Long> logEndOffsets(
            String bootstrap, List<TopicPartition> partitions) {
        Properties props = new Properties();
        props.setProperty("bootstrap.servers", bootstrap);
        props.setProperty("isolation.level", "read_uncommitted");
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(
                        props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            return consumer.endOffsets(partitions);
        }
    }

    /** Committed feedback messages, decoded. */
    static List<LineageMessage> feedback(String bootstrap, String topic) {
        return readCommitted(bootstrap, topic).stream()
                .map(c -> LineageCodec.decode(c.value()))
                .toList();
    }

    /**
     * Publishes the lineage job's input events to their (per-test) topics as Avro, and for the
     * machine events the summaries the machine job would write.
     */
    static void publish(
            String bootstrap,
            String registryUrl,
            LineageJobConfig.Topics topics,
            List<SpecificRecordBase> events)
            throws Exception {
        publish(bootstrap, registryUrl, topics, events, null);
    }

    /**
     * As {@link #publish(String, String, LineageJobConfig.Topics, List)}; with {@code
     * machineEventsTopic} the machine events go there as Avro (for a machine job to attribute)
     * instead of as precomputed summaries.
     */
    static void publish(
            String bootstrap,
            String registryUrl,
            LineageJobConfig.Topics topics,
            List<SpecificRecordBase> events,
            String machineEventsTopic)
            throws Exception {
        Properties props = new Properties();
        props.setProperty("bootstrap.servers", bootstrap);
        props.setProperty("acks", "all");
        props.setProperty("linger.ms", "5");
        try (KafkaProducer<String, SpecificRecordBase> producer =
                new KafkaProducer<>(
                        props,
                        new StringSerializer(),
                        new AvroKafkaSerializer<>(
                                new ConfluentSchemaRegistryClient(
                                        RegistrySettings.of(registryUrl))))) {
            for (SpecificRecordBase event : events) {
                if (event instanceof GoodsReceipt r) {
                    producer.send(new ProducerRecord<>(topics.goodsReceipts(), r.getLotCode(), r));
                } else if (event instanceof WorkOrderEvent e) {
                    producer.send(new ProducerRecord<>(topics.workOrders(), e.getWorkOrderId(), e));
                } else if (event instanceof DispatchNote n) {
                    producer.send(
                            new ProducerRecord<>(topics.dispatchNotes(), n.getDispatchId(), n));
                } else if (event instanceof LotFlag f) {
                    producer.send(new ProducerRecord<>(topics.lotFlags(), f.getLotCode(), f));
                } else if (event instanceof QcResult q) {
                    producer.send(new ProducerRecord<>(topics.qcResults(), q.getLotCode(), q));
                } else if (event instanceof MachineEvent m && machineEventsTopic != null) {
                    producer.send(new ProducerRecord<>(machineEventsTopic, m.getMachineId(), m));
                }
                // otherwise machine events are not inputs of this job (the machine job's summaries
                // are)
            }
            producer.flush();
        }
        if (machineEventsTopic != null) {
            return;
        }
        publishMachineSummaries(
                bootstrap,
                topics.machineSummaries(),
                MachineHistoryGenerator.summaryUpdates(events, new Random(events.size())));
    }

    /**
     * A machine event and a work-order event at {@code closing}, after everything else: with the
     * sources' idleness they carry event time past the last run, so the machine job closes it.
     */
    static List<SpecificRecordBase> clockTicks(Instant closing) {
        return List.of(
                MachineEvent.newBuilder()
                        .setMachineId("M-CLOCK")
                        .setOccurredAt(closing)
                        .setEventType(MachineEventType.CYCLE)
                        .setEventId("M-CLOCK-" + closing)
                        .build(),
                WorkOrderEvent.newBuilder()
                        .setEventId("WO-CLOCK-" + closing)
                        .setWorkOrderId("WO-CLOCK")
                        .setEventType(WorkOrderEventType.RELEASED)
                        .setOccurredAt(closing)
                        .setProductCode("CLOCK")
                        .build());
    }

    /**
     * What the machine job would write for these events' machine events (partial and final
     * summaries, idle buckets too), as JSON in Kafka transactions like the machine job does (the
     * lineage job reads read_committed). Shuffled: updates of one run in any order.
     */
    static void publishMachineSummaries(
            String bootstrap, String topic, List<MachineRunSummary> summaries) {
        if (summaries.isEmpty()) {
            return;
        }
        List<MachineRunSummary> shuffled = new ArrayList<>(summaries);
        Collections.shuffle(shuffled, new Random(summaries.size()));
        Properties props = new Properties();
        props.setProperty("bootstrap.servers", bootstrap);
        props.setProperty("transactional.id", "test-machine-summaries-" + UUID.randomUUID());
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            for (MachineRunSummary summary : shuffled) {
                producer.send(
                        new ProducerRecord<>(
                                topic,
                                summary.key().getBytes(StandardCharsets.UTF_8),
                                summary.encode()));
            }
            producer.commitTransaction();
        }
    }

    /** The reference documents as JSON trees, deletions left out (absent in the index). */
    static Map<String, JsonNode> expectedDocuments(LineageReference.Result reference)
            throws IOException {
        Map<String, JsonNode> expected = new TreeMap<>();
        for (Map.Entry<String, TraceDocument> doc : reference.documents().entrySet()) {
            if (!doc.getValue().isDeletion()) {
                expected.put(doc.getKey(), JSON.readTree(doc.getValue().toJson()));
            }
        }
        return expected;
    }
}
