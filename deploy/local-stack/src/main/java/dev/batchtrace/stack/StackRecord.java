package dev.batchtrace.stack;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Properties;

/**
 * What {@code <workDir>/stack.properties} records about the running stack: each server's PID (0 =
 * not running), its start time (null = unknown, e.g. a file from an older version) and the ports it
 * was started on, so that status/down in a later JVM find them and never mistake a process that
 * reused the PID for them.
 */
record StackRecord(
        String host,
        long kafkaPid,
        Instant kafkaStarted,
        int kafkaPort,
        int kafkaControllerPort,
        long registryPid,
        Instant registryStarted,
        int registryPort,
        long elasticsearchPid,
        Instant elasticsearchStarted,
        int elasticsearchPort,
        int elasticsearchTransportPort) {

    static final String FILE_NAME = "stack.properties";

    /** Nothing running; ports as configured. */
    static StackRecord empty(StackConfig config) {
        return new StackRecord(
                config.host(),
                0,
                null,
                config.kafkaPort(),
                config.kafkaControllerPort(),
                0,
                null,
                config.registryPort(),
                0,
                null,
                config.elasticsearchPort(),
                config.elasticsearchTransportPort());
    }

    StackRecord withHost(String newHost) {
        return new StackRecord(
                newHost,
                kafkaPid,
                kafkaStarted,
                kafkaPort,
                kafkaControllerPort,
                registryPid,
                registryStarted,
                registryPort,
                elasticsearchPid,
                elasticsearchStarted,
                elasticsearchPort,
                elasticsearchTransportPort);
    }

    StackRecord withKafka(long pid, Instant started, int port, int controllerPort) {
        return new StackRecord(
                host,
                pid,
                started,
                port,
                controllerPort,
                registryPid,
                registryStarted,
                registryPort,
                elasticsearchPid,
                elasticsearchStarted,
                elasticsearchPort,
                elasticsearchTransportPort);
    }

    StackRecord withRegistry(long pid, Instant started, int port) {
        return new StackRecord(
                host,
                kafkaPid,
                kafkaStarted,
                kafkaPort,
                kafkaControllerPort,
                pid,
                started,
                port,
                elasticsearchPid,
                elasticsearchStarted,
                elasticsearchPort,
                elasticsearchTransportPort);
    }

    StackRecord withElasticsearch(long pid, Instant started, int port, int transportPort) {
        return new StackRecord(
                host,
                kafkaPid,
                kafkaStarted,
                kafkaPort,
                kafkaControllerPort,
                registryPid,
                registryStarted,
                registryPort,
                pid,
                started,
                port,
                transportPort);
    }

    Properties toProperties() {
        Properties p = new Properties();
        p.setProperty("host", host);
        p.setProperty("kafka.pid", Long.toString(kafkaPid));
        putInstant(p, "kafka.started", kafkaStarted);
        p.setProperty("kafka.port", Integer.toString(kafkaPort));
        p.setProperty("kafka.controller-port", Integer.toString(kafkaControllerPort));
        p.setProperty("schema-registry.pid", Long.toString(registryPid));
        putInstant(p, "schema-registry.started", registryStarted);
        p.setProperty("schema-registry.port", Integer.toString(registryPort));
        p.setProperty("elasticsearch.pid", Long.toString(elasticsearchPid));
        putInstant(p, "elasticsearch.started", elasticsearchStarted);
        p.setProperty("elasticsearch.port", Integer.toString(elasticsearchPort));
        p.setProperty("elasticsearch.transport-port", Integer.toString(elasticsearchTransportPort));
        return p;
    }

    /**
     * Reads a record; missing keys fall back to {@code defaults} (e.g. a file from an older run).
     */
    static StackRecord fromProperties(Properties p, StackRecord defaults) {
        return new StackRecord(
                p.getProperty("host", defaults.host()),
                longValue(p, "kafka.pid", defaults.kafkaPid()),
                instantValue(p, "kafka.started", defaults.kafkaStarted()),
                (int) longValue(p, "kafka.port", defaults.kafkaPort()),
                (int) longValue(p, "kafka.controller-port", defaults.kafkaControllerPort()),
                longValue(p, "schema-registry.pid", defaults.registryPid()),
                instantValue(p, "schema-registry.started", defaults.registryStarted()),
                (int) longValue(p, "schema-registry.port", defaults.registryPort()),
                longValue(p, "elasticsearch.pid", defaults.elasticsearchPid()),
                instantValue(p, "elasticsearch.started", defaults.elasticsearchStarted()),
                (int) longValue(p, "elasticsearch.port", defaults.elasticsearchPort()),
                (int)
                        longValue(
                                p,
                                "elasticsearch.transport-port",
                                defaults.elasticsearchTransportPort()));
    }

    String toText() {
        StringWriter out = new StringWriter();
        try {
            toProperties()
                    .store(
                            out,
                            "batchtrace local stack: written by `stack up/down`, read by `stack status`");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    static StackRecord fromText(String text, StackRecord defaults) {
        Properties p = new Properties();
        try (Reader in = new StringReader(text)) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return fromProperties(p, defaults);
    }

    static StackRecord read(Path workDir, StackRecord defaults) throws IOException {
        Path file = workDir.resolve(FILE_NAME);
        if (!Files.isRegularFile(file)) {
            return defaults;
        }
        return fromText(Files.readString(file, StandardCharsets.ISO_8859_1), defaults);
    }

    void write(Path workDir) throws IOException {
        Files.createDirectories(workDir);
        Path tmp = workDir.resolve(FILE_NAME + ".tmp");
        // Properties text is ISO-8859-1 with escapes
        Files.writeString(tmp, toText(), StandardCharsets.ISO_8859_1);
        Files.move(
                tmp,
                workDir.resolve(FILE_NAME),
                StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
    }

    private static void putInstant(Properties p, String key, Instant value) {
        if (value != null) {
            p.setProperty(key, value.toString());
        }
    }

    private static Instant instantValue(Properties p, String key, Instant fallback) {
        String v = p.getProperty(key);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        try {
            return Instant.parse(v.trim());
        } catch (DateTimeParseException e) {
            return fallback;
        }
    }

    private static long longValue(Properties p, String key, long fallback) {
        String v = p.getProperty(key);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
