package dev.batchtrace.jobs.machine;

import dev.batchtrace.connectors.kafka.Decoded;
import dev.batchtrace.connectors.kafka.EventSources;
import dev.batchtrace.events.MachineEvent;
import dev.batchtrace.events.WorkOrderEvent;
import java.util.Objects;
import org.apache.flink.api.connector.source.Source;

/**
 * The sources of the machine job; {@link #kafka} builds the production ones.
 *
 * @param machineEvents MachineEvent (undecodable records arrive as dead letters)
 * @param workOrders WorkOrderEvent; only STARTED and COMPLETED are used
 */
public record MachineSources(
        Source<Decoded<MachineEvent>, ?, ?> machineEvents,
        Source<Decoded<WorkOrderEvent>, ?, ?> workOrders) {

    public MachineSources {
        Objects.requireNonNull(machineEvents, "machineEvents");
        Objects.requireNonNull(workOrders, "workOrders");
    }

    public static MachineSources kafka(MachineJobConfig config) {
        return new MachineSources(
                EventSources.forTopic(
                        config.kafka(),
                        config.registry(),
                        config.topics().machineEvents(),
                        MachineEvent.class),
                EventSources.forTopic(
                        config.kafka(),
                        config.registry(),
                        config.topics().workOrders(),
                        WorkOrderEvent.class));
    }
}
