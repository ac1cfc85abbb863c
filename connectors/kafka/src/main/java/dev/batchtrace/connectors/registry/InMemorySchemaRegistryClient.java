package dev.batchtrace.connectors.registry;

import dev.batchtrace.connectors.registry.SchemaRegistryException.Kind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;

/**
 * A registry in memory, for fast tests. Behaves like the real one where the serdes care: the same
 * schema gets the same id in every subject, ids are never reused, subjects keep versions, and with
 * {@link #setBackwardCompatible(String, boolean)} an incompatible schema is rejected like a 409.
 *
 * <p>Flink serializes functions, so tests running a job share a registry by name: {@link
 * #named(String)} and {@link #factory(String)}.
 */
public final class InMemorySchemaRegistryClient implements SchemaRegistryClient {

    private static final Map<String, InMemorySchemaRegistryClient> NAMED =
            new ConcurrentHashMap<>();

    private final Map<Integer, Schema> schemasById = new HashMap<>();
    private final Map<Schema, Integer> idsBySchema = new HashMap<>();
    private final Map<String, List<Integer>> versionsBySubject = new HashMap<>();
    private final Map<String, Boolean> backwardCompatible = new HashMap<>();
    private final Map<Integer, String> nonAvroTypesById = new HashMap<>();
    private final AtomicLong calls = new AtomicLong();
    private int nextId = 1;
    private volatile boolean unreachable;

    /** The JVM-wide registry of this name (created on first use). */
    public static InMemorySchemaRegistryClient named(String name) {
        return NAMED.computeIfAbsent(name, n -> new InMemorySchemaRegistryClient());
    }

    /**
     * A serializable factory returning {@link #named(String)}: usable inside Flink jobs in tests.
     */
    public static SchemaRegistryClientFactory factory(String name) {
        return () -> named(name);
    }

    @Override
    public synchronized int register(String subject, Schema schema) {
        call("register " + subject);
        Integer id = idsBySchema.get(schema);
        List<Integer> versions = versionsBySubject.computeIfAbsent(subject, s -> new ArrayList<>());
        if (id != null && versions.contains(id)) {
            return id;
        }
        if (backwardCompatible.getOrDefault(subject, false)) {
            for (Integer existing : versions) {
                SchemaCompatibility.SchemaPairCompatibility result =
                        SchemaCompatibility.checkReaderWriterCompatibility(
                                schema, schemasById.get(existing));
                if (result.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
                    throw new SchemaRegistryException(
                            Kind.INCOMPATIBLE,
                            "schema registry rejected the schema for subject '"
                                    + subject
                                    + "' as incompatible with the registered versions (409): "
                                    + result.getDescription(),
                            409,
                            409);
                }
            }
        }
        if (id == null) {
            id = nextId++;
            idsBySchema.put(schema, id);
            schemasById.put(id, schema);
        }
        versions.add(id);
        return id;
    }

    /**
     * Registers a schema of another type ({@code JSON}, {@code PROTOBUF}) under a new id and
     * returns it; {@link #getSchemaById} then fails with NOT_AVRO, as the real client does.
     */
    public synchronized int registerNonAvro(String subject, String schemaType) {
        call("register " + schemaType + " " + subject);
        int id = nextId++;
        nonAvroTypesById.put(id, schemaType);
        versionsBySubject.computeIfAbsent(subject, s -> new ArrayList<>()).add(id);
        return id;
    }

    @Override
    public synchronized Schema getSchemaById(int id) {
        call("get schema " + id);
        String otherType = nonAvroTypesById.get(id);
        if (otherType != null) {
            throw new SchemaRegistryException(
                    Kind.NOT_AVRO,
                    "schema id " + id + " is a " + otherType + " schema, not Avro",
                    200,
                    -1);
        }
        Schema schema = schemasById.get(id);
        if (schema == null) {
            throw new SchemaRegistryException(
                    Kind.SCHEMA_NOT_FOUND,
                    "schema id " + id + " is not known to the in-memory registry",
                    404,
                    40403);
        }
        return schema;
    }

    @Override
    public synchronized SchemaMetadata getLatestSchemaMetadata(String subject) {
        call("get latest " + subject);
        List<Integer> versions = versionsBySubject.get(subject);
        if (versions == null || versions.isEmpty()) {
            throw new SchemaRegistryException(
                    Kind.SUBJECT_NOT_FOUND,
                    "subject '" + subject + "' not found in the in-memory registry",
                    404,
                    40401);
        }
        int id = versions.get(versions.size() - 1);
        if (nonAvroTypesById.containsKey(id)) {
            throw new SchemaRegistryException(
                    Kind.NOT_AVRO,
                    "subject '"
                            + subject
                            + "' is a "
                            + nonAvroTypesById.get(id)
                            + " schema, not Avro",
                    200,
                    -1);
        }
        return new SchemaMetadata(subject, id, versions.size(), schemasById.get(id));
    }

    /**
     * Reject schemas a reader of the new schema could not read old data with (Confluent BACKWARD).
     */
    public synchronized void setBackwardCompatible(String subject, boolean enabled) {
        backwardCompatible.put(subject, enabled);
    }

    /** Simulates a registry that is down: every call fails with UNREACHABLE. */
    public void setUnreachable(boolean unreachable) {
        this.unreachable = unreachable;
    }

    /** Calls made so far (lets tests check that callers cache). */
    public long calls() {
        return calls.get();
    }

    private void call(String what) {
        calls.incrementAndGet();
        if (unreachable) {
            throw new SchemaRegistryException(
                    Kind.UNREACHABLE,
                    "in-memory schema registry set unreachable (" + what + ")",
                    -1,
                    -1);
        }
    }
}
