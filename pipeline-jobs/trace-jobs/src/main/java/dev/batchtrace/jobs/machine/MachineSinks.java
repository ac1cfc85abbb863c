package dev.batchtrace.jobs.machine;

import dev.batchtrace.connectors.kafka.EventSinks;
import dev.batchtrace.events.DeadLetter;
import java.util.Objects;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.connector.base.DeliveryGuarantee;

/**
 * The sinks of the machine job; {@link #kafka} builds the production ones.
 *
 * @param summaries machine run summaries to trace.machine-summaries (exactly once)
 * @param deadLetters undecodable input records and too-late machine events (at least once: a
 *     duplicate dead letter is harmless)
 */
public record MachineSinks(Sink<MachineSummaryUpdate> summaries, Sink<DeadLetter> deadLetters) {

    public MachineSinks {
        Objects.requireNonNull(summaries, "summaries");
        Objects.requireNonNull(deadLetters, "deadLetters");
    }

    public static MachineSinks kafka(MachineJobConfig config) {
        return new MachineSinks(
                MachineSummaryTopic.sink(
                        config.kafka(),
                        config.topics().machineSummaries(),
                        config.summariesTransactionalIdPrefix()),
                EventSinks.deadLetters(
                        config.kafka(),
                        config.registry().clientFactory(),
                        config.topics().deadLetters(),
                        DeliveryGuarantee.AT_LEAST_ONCE));
    }
}
