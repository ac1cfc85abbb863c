package dev.batchtrace.stack;

import java.util.List;
import java.util.NoSuchElementException;

/** The state of every server of the local stack. */
public record StackStatus(List<ServerStatus> servers) {
    public StackStatus {
        servers = List.copyOf(servers);
    }

    public ServerStatus server(String name) {
        return servers.stream()
                .filter(s -> s.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new NoSuchElementException("no server named " + name));
    }

    public boolean allRunning() {
        return servers.stream().allMatch(s -> s.state() == ServerState.RUNNING);
    }

    public boolean allStopped() {
        return servers.stream().allMatch(s -> s.state() == ServerState.STOPPED);
    }

    /** A fixed-width table, one line per server, for the CLI. */
    public String table() {
        StringBuilder out =
                new StringBuilder(
                        String.format(
                                "%-16s %-10s %-8s %-26s %s%n",
                                "SERVER", "STATE", "PID", "ENDPOINT", "DETAIL"));
        for (ServerStatus s : servers) {
            out.append(
                    String.format(
                            "%-16s %-10s %-8s %-26s %s%n",
                            s.name(),
                            s.state(),
                            s.pid() > 0 ? Long.toString(s.pid()) : "-",
                            s.endpoint(),
                            s.detail()));
        }
        return out.toString();
    }
}
