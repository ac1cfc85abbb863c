package dev.batchtrace.connectors.kafka;

import dev.batchtrace.connectors.registry.SchemaRegistryClientFactory;
import dev.batchtrace.connectors.registry.SchemaRegistryException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import org.apache.avro.generic.IndexedRecord;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.metrics.Counter;
import org.apache.flink.util.function.SerializableFunction;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes records to one topic: value in the Confluent wire format (schema registered under {@code
 * <topic>-value}), key as UTF-8 from the key extractor (a null key is allowed). The registry client
 * is created in {@link #open} (or on first use), never serialized.
 *
 * <p>A registry that is down, answers 5xx or times out while a schema is registered (the first
 * record of a type after a start) is waited for like the sources do ({@link RegistryBackoff}: WARN
 * lines, counter {@value DecodingDeserializationSchema#RETRY_METRIC}); after the budget the task
 * fails and the job restarts from its last checkpoint. Other registry answers (incompatible,
 * unauthorized) fail at once.
 */
public final class AvroRecordSerializationSchema<T extends IndexedRecord>
        implements KafkaRecordSerializationSchema<T> {

    private static final Logger LOG = LoggerFactory.getLogger(AvroRecordSerializationSchema.class);

    private final SchemaRegistryClientFactory registry;
    private final String topic;
    private final SerializableFunction<T, String> keyExtractor;
    private final Duration retryBudget;
    private transient AvroRecordSerializer<T> serializer;
    private transient Counter retries;

    public AvroRecordSerializationSchema(
            SchemaRegistryClientFactory registry,
            String topic,
            SerializableFunction<T, String> keyExtractor) {
        this(registry, topic, keyExtractor, RegistryBackoff.DEFAULT_BUDGET);
    }

    /** With how long a record may wait for the registry before the task fails (tests). */
    public AvroRecordSerializationSchema(
            SchemaRegistryClientFactory registry,
            String topic,
            SerializableFunction<T, String> keyExtractor,
            Duration retryBudget) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.topic = Objects.requireNonNull(topic, "topic");
        this.keyExtractor = Objects.requireNonNull(keyExtractor, "keyExtractor");
        this.retryBudget = Objects.requireNonNull(retryBudget, "retryBudget");
    }

    @Override
    public void open(
            SerializationSchema.InitializationContext context, KafkaSinkContext sinkContext) {
        serializer();
        retries = context.getMetricGroup().counter(DecodingDeserializationSchema.RETRY_METRIC);
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
            T element, KafkaSinkContext context, Long timestamp) {
        String key = keyExtractor.apply(element);
        return new ProducerRecord<>(
                topic,
                null,
                timestamp,
                key == null ? null : key.getBytes(StandardCharsets.UTF_8),
                valueWaitingForTheRegistry(element));
    }

    private byte[] valueWaitingForTheRegistry(T element) {
        RegistryBackoff backoff = new RegistryBackoff(retryBudget);
        while (true) {
            try {
                return serializer().serialize(topic, element);
            } catch (SchemaRegistryException e) {
                Duration pause = isTransient(e) ? backoff.nextPause() : null;
                if (pause == null) {
                    throw e;
                }
                if (retries != null) {
                    retries.inc();
                }
                LOG.warn(
                        "cannot register the schema of {} for {} (attempt {}, waiting {} ms, {} s so"
                                + " far): {}",
                        element.getSchema().getFullName(),
                        topic,
                        backoff.attempt(),
                        pause.toMillis(),
                        backoff.waited().toSeconds(),
                        e.getMessage());
                try {
                    backoff.sleep();
                } catch (IOException interrupted) {
                    throw new UncheckedIOException(interrupted);
                }
            }
        }
    }

    /** Down, timing out or 5xx: asking again later may work. */
    static boolean isTransient(SchemaRegistryException e) {
        return e.kind() == SchemaRegistryException.Kind.UNREACHABLE
                || (e.kind() == SchemaRegistryException.Kind.REGISTRY_ERROR
                        && e.httpStatus() >= 500);
    }

    private AvroRecordSerializer<T> serializer() {
        if (serializer == null) {
            serializer = new AvroRecordSerializer<>(registry.create());
        }
        return serializer;
    }
}
