package dev.batchtrace.cli;

import dev.batchtrace.connectors.gateway.JsonLinesReader;
import dev.batchtrace.connectors.gateway.LineError;
import dev.batchtrace.connectors.gateway.LineResult;
import dev.batchtrace.connectors.gateway.ParsedEvent;
import dev.batchtrace.connectors.kafka.AvroKafkaSerializer;
import dev.batchtrace.connectors.kafka.KafkaSettings;
import dev.batchtrace.connectors.registry.ConfluentSchemaRegistryClient;
import dev.batchtrace.connectors.registry.RegistrySettings;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.StringSerializer;

/** Publishes a JSON-lines export as Avro events, each to its topic, skipping bad lines. */
final class EventPublisher implements AutoCloseable {
    private static final int PROGRESS_EVERY = 10_000;

    private final KafkaProducer<String, SpecificRecordBase> producer;

    /**
     * A producer with the settings' client properties (TLS, SASL, ...) and the publisher's delivery
     * settings (acks=all, idempotence), which a config file may override.
     */
    EventPublisher(KafkaSettings kafka, RegistrySettings registry) {
        Properties properties = new Properties();
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        properties.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        properties.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 60_000);
        properties.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000);
        properties.putAll(kafka.clientProperties(true));
        this.producer =
                new KafkaProducer<>(
                        properties,
                        new StringSerializer(),
                        new AvroKafkaSerializer<>(new ConfluentSchemaRegistryClient(registry)));
    }

    /** What one file gave: records acknowledged per topic, and the lines that were rejected. */
    record Summary(Map<String, Long> publishedPerTopic, List<LineError> rejected) {
        long published() {
            return publishedPerTopic.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    Summary publish(Path file, Consumer<String> progress) throws IOException {
        Map<String, AtomicLong> acknowledged = new TreeMap<>();
        List<LineError> rejected = Collections.synchronizedList(new ArrayList<>());
        long sent = 0;
        try (Stream<LineResult> lines = new JsonLinesReader().read(file)) {
            for (LineResult line : (Iterable<LineResult>) lines::iterator) {
                if (line instanceof LineError error) {
                    rejected.add(error);
                    continue;
                }
                ParsedEvent event = (ParsedEvent) line;
                AtomicLong count =
                        acknowledged.computeIfAbsent(event.topic(), t -> new AtomicLong());
                long lineNumber = event.lineNumber();
                try {
                    producer.send(
                            new ProducerRecord<>(event.topic(), event.key(), event.value()),
                            (metadata, failure) -> {
                                if (failure == null) {
                                    count.incrementAndGet();
                                } else {
                                    rejected.add(
                                            new LineError(
                                                    lineNumber,
                                                    "not published to "
                                                            + event.topic()
                                                            + ": "
                                                            + failure.getMessage(),
                                                    event.value().toString()));
                                }
                            });
                } catch (SerializationException e) {
                    // the registry refused the schema or could not be reached: say so per line
                    rejected.add(
                            new LineError(
                                    lineNumber,
                                    "not published to " + event.topic() + ": " + e.getMessage(),
                                    event.value().toString()));
                    continue;
                }
                if (++sent % PROGRESS_EVERY == 0) {
                    progress.accept(sent + " events sent...");
                }
            }
        }
        producer.flush();
        Map<String, Long> published = new TreeMap<>();
        acknowledged.forEach((topic, count) -> published.put(topic, count.get()));
        List<LineError> sorted = new ArrayList<>(rejected);
        sorted.sort((a, b) -> Long.compare(a.lineNumber(), b.lineNumber()));
        return new Summary(published, sorted);
    }

    @Override
    public void close() {
        producer.close();
    }
}
