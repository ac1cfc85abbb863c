package dev.batchtrace.connectors.kafka;

import dev.batchtrace.connectors.kafka.RecordDecodingException.Reason;
import dev.batchtrace.connectors.registry.SchemaRegistryClient;
import dev.batchtrace.connectors.registry.SchemaRegistryException;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;
import org.apache.avro.SystemLimitException;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;

/**
 * Reads Confluent wire-format values: the writer schema comes from the registry by the id in the
 * header and is resolved to the reader schema, so data written with an older (compatible) schema
 * version reads as the reader's version. Every failure is a {@link RecordDecodingException} with a
 * reason; nothing else is thrown. Thread-safe.
 *
 * <p>Loading this class caps Avro's string/bytes/collection lengths ({@link AvroLimits}), so a
 * corrupt length varint is a CORRUPT_PAYLOAD instead of an OutOfMemoryError.
 */
public final class AvroRecordDeserializer<T> {

    static {
        AvroLimits.apply();
    }

    /**
     * How long an id the registry did not know (or could not give as Avro) is answered from memory:
     * a topic full of such records must not cost one registry call each, but an id that was missing
     * because of replication lag should become readable again soon.
     */
    static final Duration UNKNOWN_ID_RETRY = Duration.ofSeconds(30);

    /** Bounds the memory of that cache: garbage headers can name any of 2^31 ids. */
    private static final int MAX_REMEMBERED_UNKNOWN_IDS = 1000;

    private record Remembered(RecordDecodingException failure, long untilMillis) {}

    private final SchemaRegistryClient registry;
    private final Schema readerSchema; // null: read with the writer schema
    private final GenericData model;
    private final boolean specific;
    private final Clock clock;
    private final Map<Integer, DatumReader<T>> readers = new ConcurrentHashMap<>();
    private final Map<Integer, RecordDecodingException> incompatible = new ConcurrentHashMap<>();
    private final Map<Integer, Remembered> unknownIds =
            Collections.synchronizedMap(
                    new LinkedHashMap<>() {
                        @Override
                        protected boolean removeEldestEntry(Map.Entry<Integer, Remembered> e) {
                            return size() > MAX_REMEMBERED_UNKNOWN_IDS;
                        }
                    });

    private AvroRecordDeserializer(
            SchemaRegistryClient registry,
            Schema readerSchema,
            GenericData model,
            boolean specific,
            Clock clock) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.readerSchema = readerSchema;
        this.model = model;
        this.specific = specific;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    private AvroRecordDeserializer(
            SchemaRegistryClient registry,
            Schema readerSchema,
            GenericData model,
            boolean specific) {
        this(registry, readerSchema, model, specific, Clock.systemUTC());
    }

    /** Reads into the generated class {@code type} (its schema is the reader schema). */
    public static <T extends SpecificRecord> AvroRecordDeserializer<T> forSpecific(
            SchemaRegistryClient registry, Class<T> type) {
        return forSpecific(registry, type, Clock.systemUTC());
    }

    /**
     * As {@link #forSpecific(SchemaRegistryClient, Class)}, with a clock for the unknown-id cache.
     */
    static <T extends SpecificRecord> AvroRecordDeserializer<T> forSpecific(
            SchemaRegistryClient registry, Class<T> type, Clock clock) {
        SpecificData model = SpecificData.getForClass(type);
        return new AvroRecordDeserializer<>(registry, model.getSchema(type), model, true, clock);
    }

    /** Reads GenericRecords shaped by {@code readerSchema}. */
    public static AvroRecordDeserializer<GenericRecord> forGeneric(
            SchemaRegistryClient registry, Schema readerSchema) {
        return new AvroRecordDeserializer<>(
                registry, Objects.requireNonNull(readerSchema), GenericData.get(), false);
    }

    /** Reads GenericRecords with whatever schema they were written with. */
    public static AvroRecordDeserializer<GenericRecord> forWriterSchema(
            SchemaRegistryClient registry) {
        return new AvroRecordDeserializer<>(registry, null, GenericData.get(), false);
    }

    /** The reader schema, or null when records are read with their writer schema. */
    public Schema readerSchema() {
        return readerSchema;
    }

    public T deserialize(byte[] message) throws RecordDecodingException {
        int id = AvroWireFormat.schemaId(message);
        DatumReader<T> reader = readerFor(id);
        BinaryDecoder decoder =
                DecoderFactory.get()
                        .binaryDecoder(
                                message,
                                AvroWireFormat.HEADER_SIZE,
                                message.length - AvroWireFormat.HEADER_SIZE,
                                null);
        T record;
        try {
            record = reader.read(null, decoder);
        } catch (IOException | RuntimeException e) {
            // Garbage shows up as EOF, bad union index, negative length, bad UTF-8, or a length
            // above the AvroLimits caps (SystemLimitException), ...
            throw new RecordDecodingException(
                    Reason.CORRUPT_PAYLOAD,
                    "Avro could not decode the "
                            + (message.length - AvroWireFormat.HEADER_SIZE)
                            + "-byte payload with writer schema id "
                            + id
                            + ": "
                            + e
                            + (e instanceof SystemLimitException
                                    ? " (limits: system properties org.apache.avro.limits.*)"
                                    : ""),
                    e);
        }
        try {
            if (!decoder.isEnd()) {
                throw new RecordDecodingException(
                        Reason.CORRUPT_PAYLOAD,
                        "bytes left over after decoding a record with writer schema id "
                                + id
                                + ": the payload does not match its schema");
            }
        } catch (IOException e) {
            throw new RecordDecodingException(Reason.CORRUPT_PAYLOAD, e.toString(), e);
        }
        return record;
    }

    private DatumReader<T> readerFor(int id) throws RecordDecodingException {
        DatumReader<T> reader = readers.get(id);
        if (reader != null) {
            return reader;
        }
        RecordDecodingException known = incompatible.get(id);
        if (known != null) {
            throw again(known);
        }
        if (id < 0) {
            // Registries hand out ids >= 0; asking would only confuse the registry client.
            throw new RecordDecodingException(
                    Reason.UNKNOWN_SCHEMA_ID,
                    "schema id "
                            + id
                            + " in the header is negative: no registry has such an id, the"
                            + " header is corrupt");
        }
        long now = clock.millis();
        Remembered remembered = unknownIds.get(id);
        if (remembered != null && now < remembered.untilMillis()) {
            throw again(remembered.failure());
        }
        Schema writer;
        try {
            writer = writerSchema(id);
        } catch (RecordDecodingException e) {
            if (e.reason().isRecordFault()) {
                unknownIds.put(id, new Remembered(e, now + UNKNOWN_ID_RETRY.toMillis()));
            }
            throw e;
        }
        unknownIds.remove(id);
        Schema reading = readerSchema == null ? writer : readerSchema;
        if (readerSchema != null) {
            SchemaPairCompatibility result =
                    SchemaCompatibility.checkReaderWriterCompatibility(readerSchema, writer);
            if (result.getType() != SchemaCompatibilityType.COMPATIBLE) {
                RecordDecodingException e =
                        new RecordDecodingException(
                                Reason.INCOMPATIBLE_SCHEMA,
                                "writer schema id "
                                        + id
                                        + " ("
                                        + writer.getFullName()
                                        + ") cannot be read as "
                                        + readerSchema.getFullName()
                                        + ": "
                                        + result.getResult().getIncompatibilities());
                incompatible.put(id, e);
                throw e;
            }
        }
        reader = newReader(writer, reading);
        readers.put(id, reader);
        return reader;
    }

    @SuppressWarnings("unchecked")
    private DatumReader<T> newReader(Schema writer, Schema reading) {
        if (specific) {
            return (DatumReader<T>)
                    new SpecificDatumReader<>(writer, reading, (SpecificData) model);
        }
        return (DatumReader<T>) new GenericDatumReader<>(writer, reading, model);
    }

    private Schema writerSchema(int id) throws RecordDecodingException {
        try {
            return registry.getSchemaById(id);
        } catch (SchemaRegistryException e) {
            switch (e.kind()) {
                case SCHEMA_NOT_FOUND:
                case SUBJECT_NOT_FOUND:
                    throw new RecordDecodingException(
                            Reason.UNKNOWN_SCHEMA_ID,
                            "schema id " + id + " is unknown to the registry: " + e.getMessage(),
                            e);
                case NOT_AVRO:
                case INVALID_SCHEMA:
                    // The registry answered; every retry would get the same schema back.
                    throw new RecordDecodingException(
                            Reason.UNUSABLE_SCHEMA,
                            "schema id " + id + " cannot decode Avro: " + e.getMessage(),
                            e);
                case UNREACHABLE:
                    throw new RecordDecodingException(
                            Reason.REGISTRY_UNREACHABLE, e.getMessage(), e);
                default:
                    throw new RecordDecodingException(
                            Reason.REGISTRY_ERROR,
                            "fetching writer schema id " + id + ": " + e.getMessage(),
                            e);
            }
        }
    }

    /** A cached failure, thrown anew so each record gets its own stack trace. */
    private static RecordDecodingException again(RecordDecodingException known) {
        return new RecordDecodingException(known.reason(), messageOf(known), known);
    }

    private static String messageOf(RecordDecodingException e) {
        String prefix = e.reason() + ": ";
        String message = e.getMessage();
        return message.startsWith(prefix) ? message.substring(prefix.length()) : message;
    }
}
