package dev.batchtrace.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StackConfigTest {
    private final Path home = Path.of("/checkout");

    @Test
    void defaultsMatchTheUsualPorts() {
        StackConfig c = StackConfig.defaults(home);
        assertEquals(home.resolve(".trace"), c.workDir());
        assertEquals("127.0.0.1", c.host());
        assertEquals(9092, c.kafkaPort());
        assertEquals(9093, c.kafkaControllerPort());
        assertEquals(8081, c.registryPort());
        assertEquals(9200, c.elasticsearchPort());
        assertEquals(9300, c.elasticsearchTransportPort());
    }

    @Test
    void systemPropertiesWinOverEnvironment() throws Exception {
        StackConfig c =
                StackConfig.fromSettings(
                        home,
                        Map.of(
                                "batchtrace.stack.kafka.port",
                                "19092",
                                "batchtrace.stack.dir",
                                "/tmp/stack"),
                        Map.of(
                                "BATCHTRACE_STACK_KAFKA_PORT", "29092",
                                "BATCHTRACE_STACK_ELASTICSEARCH_PORT", "29200",
                                "BATCHTRACE_STACK_START_TIMEOUT_SECONDS", "30"));
        assertEquals(19092, c.kafkaPort());
        assertEquals(29200, c.elasticsearchPort());
        assertEquals(8081, c.registryPort());
        assertEquals(Path.of("/tmp/stack"), c.workDir());
        assertEquals(Duration.ofSeconds(30), c.startTimeout());
    }

    @Test
    void aBadNumberNamesTheSetting() {
        StackException e =
                assertThrows(
                        StackException.class,
                        () ->
                                StackConfig.fromSettings(
                                        home,
                                        Map.of(),
                                        Map.of("BATCHTRACE_STACK_REGISTRY_PORT", "eighty")));
        assertTrue(e.getMessage().contains("BATCHTRACE_STACK_REGISTRY_PORT"), e.getMessage());
    }

    @Test
    void rejectsPortsOutOfRange() {
        assertThrows(
                IllegalArgumentException.class,
                () -> StackConfig.defaults(home).withRegistryPort(70000));
    }
}
