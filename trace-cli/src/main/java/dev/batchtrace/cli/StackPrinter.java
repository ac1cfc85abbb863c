package dev.batchtrace.cli;

import dev.batchtrace.stack.ServerStatus;
import dev.batchtrace.stack.StackStatus;
import java.io.PrintWriter;

/** Prints the stack as a small table plus the client settings to copy. */
final class StackPrinter {
    private StackPrinter() {}

    static void print(StackStatus status, Endpoints endpoints, PrintWriter out) {
        out.printf("%-16s %-10s %-8s %-36s %s%n", "SERVER", "STATE", "PID", "ENDPOINT", "DETAIL");
        for (ServerStatus server : status.servers()) {
            out.printf(
                    "%-16s %-10s %-8s %-36s %s%n",
                    server.name(),
                    server.state(),
                    server.pid() > 0 ? Long.toString(server.pid()) : "-",
                    server.endpoint(),
                    server.detail() == null ? "" : server.detail());
        }
        if (status.allRunning()) {
            out.println();
            out.println("Client settings:");
            out.println("  bootstrap.servers    = " + endpoints.kafkaBootstrapServers());
            out.println("  schema.registry.url  = " + endpoints.schemaRegistryUrl());
            out.println("  elasticsearch.hosts  = " + endpoints.elasticsearchUrl());
        }
        out.flush();
    }
}
