package dev.batchtrace.connectors.registry;

import org.apache.avro.Schema;

/**
 * The part of the Confluent Schema Registry API the serdes need. Implementations are thread-safe.
 */
public interface SchemaRegistryClient {

    /** Subject naming used throughout the project (Confluent's TopicNameStrategy for values). */
    static String valueSubject(String topic) {
        return topic + "-value";
    }

    /**
     * Registers {@code schema} under {@code subject} (or finds it if already registered) and
     * returns its id.
     *
     * @throws SchemaRegistryException INCOMPATIBLE when the registry rejects it (409), UNREACHABLE,
     *     UNAUTHORIZED, ...
     */
    int register(String subject, Schema schema);

    /**
     * The schema with this id.
     *
     * @throws SchemaRegistryException SCHEMA_NOT_FOUND for an unknown id
     */
    Schema getSchemaById(int id);

    /**
     * The latest version registered under {@code subject}.
     *
     * @throws SchemaRegistryException SUBJECT_NOT_FOUND when nothing is registered under it
     */
    SchemaMetadata getLatestSchemaMetadata(String subject);
}
