package dev.batchtrace.jobs.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchtrace.connectors.gateway.JsonLinesReader;
import dev.batchtrace.connectors.gateway.LineResult;
import dev.batchtrace.connectors.gateway.ParsedEvent;
import dev.batchtrace.connectors.kafka.EventRules;
import dev.batchtrace.connectors.kafka.RecordDecodingException;
import dev.batchtrace.lineage.FactoryHistoryGenerator;
import dev.batchtrace.lineage.MachineHistoryGenerator;
import dev.batchtrace.lineage.QcHistoryGenerator;
import dev.batchtrace.machine.MachineShiftGenerator;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The decode-stage rules refuse bad input, not ours: the sample day and every generator the tests
 * and the demo publish pass them (published now, as the tests do).
 */
class GeneratedEventsPassTheRulesTest {

    private static final Path FACTORY_DAY = Path.of("../../deploy/sample-data/factory-day.jsonl");

    @Test
    void sampleDayAndGeneratedHistoriesPass() throws Exception {
        List<Object> events = new ArrayList<>();
        for (LineResult line : new JsonLinesReader().readAll(FACTORY_DAY)) {
            events.add(((ParsedEvent) line).value());
        }
        int sampleDay = events.size();
        for (long seed : List.of(1L, 3L, 5L, 7L)) {
            events.addAll(
                    MachineHistoryGenerator.withMachineEvents(
                            QcHistoryGenerator.withChecks(
                                    FactoryHistoryGenerator.generateWithFlags(seed), seed),
                            seed));
        }
        events.addAll(
                MachineShiftGenerator.generate(
                        17, new MachineShiftGenerator.Options(3, Duration.ofHours(4), 0.25)));
        Instant now = Instant.now();
        List<String> refused = new ArrayList<>();
        for (Object event : events) {
            try {
                EventRules.check(event, now.toEpochMilli(), now);
            } catch (RecordDecodingException e) {
                refused.add(e.getMessage() + " in " + event);
            }
        }
        assertTrue(sampleDay > 100, "the sample day was read: " + sampleDay);
        assertEquals(List.of(), refused.stream().limit(5).toList());
    }
}
