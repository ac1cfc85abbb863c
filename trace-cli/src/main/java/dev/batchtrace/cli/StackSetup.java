package dev.batchtrace.cli;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import dev.batchtrace.connectors.elasticsearch.ElasticsearchClients;
import dev.batchtrace.connectors.elasticsearch.ElasticsearchSettings;
import dev.batchtrace.connectors.elasticsearch.IndexTemplates;
import dev.batchtrace.jobs.lineage.LineageJobConfig;
import dev.batchtrace.schemas.EventTopics;
import dev.batchtrace.stack.LocalStack;
import dev.batchtrace.stack.StackConfig;
import dev.batchtrace.stack.StackStatus;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** Brings the local stack up and makes it ready for the pipeline: topics and index templates. */
final class StackSetup {
    /**
     * Two partitions per topic: enough for the local jobs' parallelism on a small machine (half the
     * cores, {@link LocalLineageRun#localParallelism()}); a source reads several partitions.
     */
    static final int LOCAL_PARTITIONS = 2;

    private StackSetup() {}

    /**
     * The event contract's topics plus the jobs' own (feedback loop, documents, machine summaries).
     */
    static List<String> pipelineTopics() {
        List<String> topics = new ArrayList<>(EventTopics.allTopicNames());
        LineageJobConfig.Topics lineage = LineageJobConfig.Topics.defaults();
        topics.add(lineage.feedback());
        topics.add(lineage.documents());
        topics.add(lineage.machineSummaries());
        return topics;
    }

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
        List<String> topics = pipelineTopics();
        int created =
                TopicSetup.ensureTopics(
                        endpoints.kafkaBootstrapServers(), topics, LOCAL_PARTITIONS);
        out.printf("  topics: %d present, %d created%n", topics.size(), created);
        try (ElasticsearchClient client =
                ElasticsearchClients.create(
                        ElasticsearchSettings.forHosts(endpoints.elasticsearchUrl()))) {
            IndexTemplates.install(client, line -> out.println("  " + line));
        }
        out.flush();
        return status;
    }
}
