package dev.batchtrace.stack;

/** What {@link LocalStack#status()} found for one server. */
public enum ServerState {
    /** Our process is alive and answers its health check. */
    RUNNING,
    /** No process of ours is running. */
    STOPPED,
    /** Our process is alive but does not answer (starting, hung or shutting down). */
    UNHEALTHY
}
