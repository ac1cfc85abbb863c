package dev.batchtrace.connectors.registry;

import org.apache.avro.Schema;

/** One registered version of a subject. */
public record SchemaMetadata(String subject, int id, int version, Schema schema) {}
