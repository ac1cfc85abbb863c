package dev.batchtrace.cli;

import dev.batchtrace.connectors.gateway.JsonLinesReader;
import dev.batchtrace.connectors.gateway.LineResult;
import dev.batchtrace.connectors.gateway.ParsedEvent;
import dev.batchtrace.connectors.kafka.AvroKafkaDeserializer;
import dev.batchtrace.connectors.registry.ConfluentSchemaRegistryClient;
import dev.batchtrace.connectors.registry.RegistrySettings;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.avro.specific.SpecificRecord;

/**
 * Whether a JSON-lines file was published already: its last event is in its topic. The demo
 * publishes its files once, because machine events are counted, and a second copy of the same
 * events would be a second set of measurements.
 */
final class PublishedEvents {
    private PublishedEvents() {}

    static boolean alreadyPublished(Path file, Endpoints endpoints) throws IOException {
        ParsedEvent last = null;
        for (LineResult line : new JsonLinesReader().readAll(file)) {
            if (line instanceof ParsedEvent event) {
                last = event;
            }
        }
        return last != null && contains(endpoints, last.topic(), last.value());
    }

    /** Whether {@code topic} holds a record equal to {@code event} (read to its current end). */
    static <T extends SpecificRecord> boolean contains(Endpoints endpoints, String topic, T event) {
        @SuppressWarnings("unchecked")
        Class<T> type = (Class<T>) event.getClass();
        AvroKafkaDeserializer<T> decoder =
                AvroKafkaDeserializer.forSpecific(
                        new ConfluentSchemaRegistryClient(
                                RegistrySettings.of(endpoints.schemaRegistryUrl())),
                        type);
        AtomicBoolean found = new AtomicBoolean();
        TopicReader.readToEnd(
                endpoints.kafkaBootstrapServers(),
                List.of(topic),
                record -> {
                    try {
                        if (event.equals(decoder.deserialize(topic, record.value()))) {
                            found.set(true);
                        }
                    } catch (RuntimeException e) {
                        // someone else's bad record: the jobs' dead letters report it
                    }
                });
        return found.get();
    }
}
