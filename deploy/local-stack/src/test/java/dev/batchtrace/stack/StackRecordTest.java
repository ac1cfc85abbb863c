package dev.batchtrace.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StackRecordTest {
    private final StackConfig config = StackConfig.defaults(Path.of("/checkout"));

    @Test
    void roundTripsThroughTheFile(@TempDir Path work) throws Exception {
        StackRecord record =
                StackRecord.empty(config)
                        .withKafka(101, Instant.parse("2026-11-24T10:15:30.123Z"), 19092, 19093)
                        .withRegistry(102, Instant.parse("2026-11-24T10:15:31.456Z"), 18081)
                        .withElasticsearch(103, null, 19200, 19300);
        record.write(work);
        assertEquals(record, StackRecord.read(work, StackRecord.empty(config)));
    }

    @Test
    void missingFileMeansNothingRunning(@TempDir Path work) throws Exception {
        StackRecord read = StackRecord.read(work, StackRecord.empty(config));
        assertEquals(0, read.kafkaPid());
        assertEquals(9092, read.kafkaPort());
        assertEquals(9300, read.elasticsearchTransportPort());
    }

    @Test
    void missingOrBrokenKeysFallBackToDefaults() {
        StackRecord read =
                StackRecord.fromText("kafka.pid=42\nkafka.port=oops\n", StackRecord.empty(config));
        assertEquals(42, read.kafkaPid());
        assertEquals(9092, read.kafkaPort());
        assertEquals(0, read.registryPid());
        assertNull(read.kafkaStarted(), "a file of an older version has no start times");
        assertEquals("127.0.0.1", read.host());
    }

    @Test
    void keysAreReadableForOperators() {
        Map<Object, Object> props =
                StackRecord.empty(config)
                        .withRegistry(7, Instant.parse("2026-11-24T10:15:31Z"), 8081)
                        .toProperties();
        assertEquals("7", props.get("schema-registry.pid"));
        assertEquals("8081", props.get("schema-registry.port"));
        assertEquals("2026-11-24T10:15:31Z", props.get("schema-registry.started"));
        assertNull(props.get("kafka.started"), "no start time for a server not running");
    }
}
