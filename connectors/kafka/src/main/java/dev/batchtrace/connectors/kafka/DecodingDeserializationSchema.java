package dev.batchtrace.connectors.kafka;

import dev.batchtrace.connectors.registry.SchemaRegistryClientFactory;
import dev.batchtrace.events.DeadLetter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.metrics.Counter;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes Confluent wire-format values into {@link Decoded} records. A bad record (empty, wrong
 * magic byte, unknown schema id, corrupt payload, incompatible schema, or an event that breaks
 * {@link EventRules}) never fails the job: it becomes a {@link DeadLetter} with the original key
 * and value bytes, partition, offset and reason.
 *
 * <p>A registry that is down, answers 5xx or refuses our credentials is not the record's fault: the
 * record waits and is decoded again, with a pause doubling from {@link #FIRST_PAUSE} to {@link
 * #MAX_PAUSE} (a WARN line and the counter {@value #RETRY_METRIC} per attempt), for up to {@link
 * #DEFAULT_RETRY_BUDGET}. Then it throws an IOException, so the job restarts from its last
 * checkpoint with the restart strategy's backoff: the record is never dropped nor dead-lettered.
 * Only an answer from a live registry that it does not know the id (404) makes an UNKNOWN_SCHEMA_ID
 * dead letter. The budget is below the 5 min checkpoint timeout, so a short outage costs no
 * restart.
 *
 * <p>Loading this class applies {@link AvroLimits}, so a corrupt length varint becomes a
 * CORRUPT_PAYLOAD dead letter instead of an OutOfMemoryError.
 *
 * <p>The registry client is created in {@link #open} (or on first use) from a serializable factory;
 * it is never serialized with the job.
 */
public final class DecodingDeserializationSchema<T extends SpecificRecord>
        implements KafkaRecordDeserializationSchema<Decoded<T>> {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(DecodingDeserializationSchema.class);

    /** Counter of decode attempts repeated because of the registry (source metric group). */
    public static final String RETRY_METRIC = "registryRetries";

    static final Duration DEFAULT_RETRY_BUDGET = RegistryBackoff.DEFAULT_BUDGET;

    /**
     * The most value bytes a dead letter keeps: its record must fit the dead-letter producer's
     * default max.request.size (1 MiB) with key, error text and batch overhead. A larger value (a
     * topic configured for bigger messages) keeps its first bytes; the error says so and where the
     * whole record is.
     */
    public static final int MAX_DEAD_LETTER_VALUE_BYTES = 1024 * 1024 - 32 * 1024;

    static {
        // Before Avro decodes anything in this JVM: a corrupt length must not exhaust the heap.
        AvroLimits.apply();
    }

    private final SchemaRegistryClientFactory registry;
    private final Class<T> type;
    private final Clock clock;
    private final Duration retryBudget;
    private transient AvroRecordDeserializer<T> deserializer;
    private transient Counter retries;

    public DecodingDeserializationSchema(SchemaRegistryClientFactory registry, Class<T> type) {
        this(registry, type, Clock.systemUTC());
    }

    /**
     * With a clock for {@link DeadLetter#getFailedAt()} (tests). The clock must be serializable.
     */
    public DecodingDeserializationSchema(
            SchemaRegistryClientFactory registry, Class<T> type, Clock clock) {
        this(registry, type, clock, DEFAULT_RETRY_BUDGET);
    }

    /** With how long a record may wait for the registry before the job restarts (tests). */
    public DecodingDeserializationSchema(
            SchemaRegistryClientFactory registry,
            Class<T> type,
            Clock clock,
            Duration retryBudget) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.type = Objects.requireNonNull(type, "type");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.retryBudget = Objects.requireNonNull(retryBudget, "retryBudget");
    }

    @Override
    public void open(DeserializationSchema.InitializationContext context) {
        deserializer();
        retries = context.getMetricGroup().counter(RETRY_METRIC);
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<Decoded<T>> out)
            throws IOException {
        T value;
        try {
            value = decodeWaitingForTheRegistry(record);
            EventRules.check(value, record.timestamp(), clock.instant());
        } catch (RecordDecodingException e) {
            LOG.debug(
                    "dead letter {}/{}@{}: {}",
                    record.topic(),
                    record.partition(),
                    record.offset(),
                    e.getMessage());
            out.collect(Decoded.failed(deadLetter(record, e.getMessage()), record.timestamp()));
            return;
        }
        out.collect(
                Decoded.of(
                        value,
                        record.topic(),
                        record.partition(),
                        record.offset(),
                        record.timestamp()));
    }

    /**
     * Decodes, repeating while the registry is the problem; throws only what is the record's fault
     * (as RecordDecodingException) or, once the budget is spent, an IOException.
     */
    private T decodeWaitingForTheRegistry(ConsumerRecord<byte[], byte[]> record)
            throws RecordDecodingException, IOException {
        RegistryBackoff backoff = new RegistryBackoff(retryBudget);
        while (true) {
            try {
                T value = deserializer().deserialize(record.value());
                if (backoff.attempt() > 1) {
                    LOG.info(
                            "decoded {} after {} attempts in {} ms: the registry is back",
                            where(record),
                            backoff.attempt(),
                            backoff.waited().toMillis());
                }
                return value;
            } catch (RecordDecodingException e) {
                if (e.reason().isRecordFault()) {
                    throw e;
                }
                Duration pause = backoff.nextPause();
                if (pause == null) {
                    throw new IOException(
                            "cannot decode "
                                    + where(record)
                                    + " because of the registry, not the record, for "
                                    + backoff.waited().toSeconds()
                                    + " s (failing so the job retries from its last checkpoint): "
                                    + e.getMessage(),
                            e);
                }
                if (retries != null) {
                    retries.inc();
                }
                LOG.warn(
                        "cannot decode {} because of the registry (attempt {}, waiting {} ms, {} s"
                                + " so far): {}",
                        where(record),
                        backoff.attempt(),
                        pause.toMillis(),
                        backoff.waited().toSeconds(),
                        e.getMessage());
                backoff.sleep();
            }
        }
    }

    private static String where(ConsumerRecord<?, ?> record) {
        return record.topic() + "/" + record.partition() + "@" + record.offset();
    }

    private DeadLetter deadLetter(ConsumerRecord<byte[], byte[]> record, String error) {
        byte[] value = record.value();
        if (value != null && value.length > MAX_DEAD_LETTER_VALUE_BYTES) {
            error +=
                    " (value truncated to its first "
                            + MAX_DEAD_LETTER_VALUE_BYTES
                            + " of "
                            + value.length
                            + " bytes; the whole record is at "
                            + where(record)
                            + " until the topic's retention)";
            value = Arrays.copyOf(value, MAX_DEAD_LETTER_VALUE_BYTES);
        }
        return DeadLetter.newBuilder()
                .setSourceTopic(record.topic())
                .setPartition(record.partition())
                .setOffset(record.offset())
                .setKey(record.key() == null ? null : ByteBuffer.wrap(record.key()))
                .setValue(value == null ? null : ByteBuffer.wrap(value))
                .setError(error)
                .setFailedAt(clock.instant())
                .build();
    }

    private AvroRecordDeserializer<T> deserializer() {
        if (deserializer == null) {
            deserializer = AvroRecordDeserializer.forSpecific(registry.create(), type);
        }
        return deserializer;
    }

    @Override
    public TypeInformation<Decoded<T>> getProducedType() {
        return Decoded.typeInfo(TypeInformation.of(type));
    }
}
