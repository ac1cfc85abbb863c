package dev.batchtrace.connectors.registry;

import java.io.Serializable;

/**
 * Creates a registry client where it is used. Flink functions hold this (serializable) and create
 * the client in open(): clients hold HTTP connections and caches and are never serialized.
 */
@FunctionalInterface
public interface SchemaRegistryClientFactory extends Serializable {
    SchemaRegistryClient create();
}
