package dev.batchtrace.stack;

/**
 * One server of the stack.
 *
 * @param name kafka, schema-registry or elasticsearch
 * @param endpoint e.g. 127.0.0.1:9092, http://127.0.0.1:8081, http://127.0.0.1:9200
 * @param pid the recorded process id, 0 when none
 * @param detail a human-readable explanation (log file, why unhealthy, ...)
 */
public record ServerStatus(
        String name, String endpoint, long pid, ServerState state, String detail) {}
