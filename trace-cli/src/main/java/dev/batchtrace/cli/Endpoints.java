package dev.batchtrace.cli;

import dev.batchtrace.stack.StackConfig;

/** Client-side addresses of Kafka, the schema registry (Confluent API base) and Elasticsearch. */
record Endpoints(String kafkaBootstrapServers, String schemaRegistryUrl, String elasticsearchUrl) {

    static Endpoints of(StackConfig config) {
        return new Endpoints(
                config.host() + ":" + config.kafkaPort(),
                "http://" + config.host() + ":" + config.registryPort() + "/apis/ccompat/v7",
                "http://" + config.host() + ":" + config.elasticsearchPort());
    }
}
