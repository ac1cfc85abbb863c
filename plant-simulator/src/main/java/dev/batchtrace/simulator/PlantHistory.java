package dev.batchtrace.simulator;

import dev.batchtrace.schemas.EventTopics;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * A generated plant history in arrival order.
 *
 * @param parameters what it was generated from
 * @param events every event as a gateway delivers it (duplicates included)
 * @param genealogyEvents events other than machine events, before duplicates
 * @param machineEvents PLC machine events, before duplicates
 * @param duplicates events sent a second time
 * @param late events that arrive {@code lateBy} after they happened
 * @param jittered events that arrive within the disorder window after they happened
 */
public record PlantHistory(
        PlantParameters parameters,
        List<SpecificRecordBase> events,
        long genealogyEvents,
        long machineEvents,
        long duplicates,
        long late,
        long jittered) {

    /** Events per topic of the contract (duplicates included). */
    public Map<String, Long> eventsPerTopic() {
        Map<String, Long> counts = new TreeMap<>();
        for (SpecificRecordBase event : events) {
            counts.merge(EventTopics.byClass(event.getClass()).name(), 1L, Long::sum);
        }
        return counts;
    }
}
