package dev.batchtrace.jobs.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MachineJobConfigTest {

    private static final Map<String, String> BASE =
            Map.of("bootstrap.servers", "127.0.0.1:9092", "schema.registry.url", "http://r:8081");

    @Test
    void defaultsAreTheDocumentedOnesAndTheGroupPrefixIsTheJobsOwn() {
        MachineJobConfig c = MachineJobConfig.fromMap(BASE);
        assertEquals("plc.machine-events", c.topics().machineEvents());
        assertEquals("mes.work-orders", c.topics().workOrders());
        assertEquals("trace.machine-summaries", c.topics().machineSummaries());
        assertEquals("trace.dead-letters", c.topics().deadLetters());
        assertEquals(Duration.ofHours(1), c.allowedLateness());
        assertEquals(Duration.ofSeconds(10), c.emitInterval());
        assertEquals(
                "batchtrace-machine.plc.machine-events", c.kafka().groupId("plc.machine-events"));
        assertEquals("rocksdb", c.stateBackend());
    }

    @Test
    void overridesAndValidation() {
        var map = new java.util.HashMap<>(BASE);
        map.put("machine.allowed-lateness", "90s");
        map.put("machine.emit-interval", "1h");
        map.put("group.id.prefix", "plant-7");
        MachineJobConfig c = MachineJobConfig.fromMap(map);
        assertEquals(Duration.ofSeconds(90), c.allowedLateness());
        assertEquals(Duration.ofHours(1), c.emitInterval());
        assertEquals("plant-7.mes.work-orders", c.kafka().groupId("mes.work-orders"));

        map.put("machine.alowed-lateness", "1s");
        IllegalArgumentException typo =
                assertThrows(IllegalArgumentException.class, () -> MachineJobConfig.fromMap(map));
        assertTrue(typo.getMessage().contains("machine.alowed-lateness"));
        map.remove("machine.alowed-lateness");
        map.put("machine.emit-interval", "soon");
        assertThrows(IllegalArgumentException.class, () -> MachineJobConfig.fromMap(map));
    }
}
