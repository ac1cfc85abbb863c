package dev.batchtrace.cli;

import dev.batchtrace.connectors.registry.RegistrySettings;
import dev.batchtrace.schemas.EventTopics;
import dev.batchtrace.stack.StackStatus;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code trace demo}: the local stack with the sample factory day, end to end. */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = {
            "Start the local stack, publish the sample factory day"
                    + " (deploy/sample-data/factory-day.jsonl), read every topic back and print the"
                    + " counts.",
            "The stack keeps running afterwards: stop it with 'trace stack down'."
        })
final class DemoCommand implements Callable<Integer> {
    @Mixin StackOptions stack;
    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        out.println("== 1/3 Local stack");
        StackStatus status = StackSetup.up(stack, out);
        StackPrinter.print(status, stack.endpoints(), out);
        if (!status.allRunning()) {
            return 1;
        }
        Endpoints endpoints = stack.endpoints();

        out.println();
        out.println("== 2/3 Publish the sample factory day");
        EventPublisher.Summary summary =
                PublishCommand.publish(
                        StackOptions.sampleFactoryDay(),
                        endpoints.kafkaBootstrapServers(),
                        endpoints.schemaRegistryUrl(),
                        out);

        out.println();
        out.println("== 3/3 Read every input topic back through the registry");
        long started = System.nanoTime();
        Map<String, TopicCounter.Count> counts =
                TopicCounter.count(
                        endpoints.kafkaBootstrapServers(),
                        RegistrySettings.of(endpoints.schemaRegistryUrl()),
                        EventTopics.inputTopicNames());
        out.printf("%-24s %10s %10s %12s%n", "TOPIC", "THIS RUN", "IN TOPIC", "DECODED");
        long undecodable = 0;
        for (Map.Entry<String, TopicCounter.Count> topic : counts.entrySet()) {
            TopicCounter.Count count = topic.getValue();
            undecodable += count.records() - count.decoded();
            out.printf(
                    "%-24s %10d %10d %12d%n",
                    topic.getKey(),
                    summary.publishedPerTopic().getOrDefault(topic.getKey(), 0L),
                    count.records(),
                    count.decoded());
        }
        out.printf(
                "Read back in %d ms. Topics keep what earlier runs published too.%n",
                (System.nanoTime() - started) / 1_000_000);
        out.println(
                "The stack is still running (Kafka "
                        + endpoints.kafkaBootstrapServers()
                        + ", registry "
                        + endpoints.schemaRegistryUrl()
                        + ", Elasticsearch "
                        + endpoints.elasticsearchUrl()
                        + "); stop it with: bin/trace stack down");
        out.flush();
        return summary.rejected().isEmpty() && undecodable == 0 ? 0 : 1;
    }
}
