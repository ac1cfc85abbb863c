package dev.batchtrace.cli;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import dev.batchtrace.connectors.elasticsearch.ElasticsearchClients;
import dev.batchtrace.connectors.elasticsearch.ElasticsearchSettings;
import dev.batchtrace.connectors.elasticsearch.IndexTemplates;
import dev.batchtrace.schemas.EventTopics;
import dev.batchtrace.stack.LocalStack;
import dev.batchtrace.stack.StackConfig;
import dev.batchtrace.stack.StackStatus;
import java.io.PrintWriter;

/** Brings the local stack up and makes it ready for the pipeline: topics and index templates. */
final class StackSetup {
    /** Two partitions per topic: the local Flink runs with parallelism 2. */
    static final int LOCAL_PARTITIONS = 2;

    private StackSetup() {}

    static StackStatus up(StackOptions options, PrintWriter out) throws Exception {
        StackConfig config = options.toConfig();
        out.println("Local stack in " + config.workDir());
        out.flush();
        StackStatus status =
                LocalStack.at(config)
                        .up(
                                line -> {
                                    out.println("  " + line);
                                    out.flush();
                                });
        if (!status.allRunning()) {
            return status;
        }
        Endpoints endpoints = Endpoints.of(config);
        int created =
                TopicSetup.ensureTopics(
                        endpoints.kafkaBootstrapServers(),
                        EventTopics.allTopicNames(),
                        LOCAL_PARTITIONS);
        out.printf(
                "  topics: %d present, %d created%n", EventTopics.allTopicNames().size(), created);
        try (ElasticsearchClient client =
                ElasticsearchClients.create(
                        ElasticsearchSettings.forHosts(endpoints.elasticsearchUrl()))) {
            IndexTemplates.install(client, line -> out.println("  " + line));
        }
        out.flush();
        return status;
    }
}
