package dev.batchtrace.cli.query;

/** A trace question that cannot be answered, with the reason an operator can act on. */
public final class TraceQueryException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Why; each has the CLI exit code scripts can test. */
    public enum Reason {
        /** The lot (or supplier lot) has no document: unknown, or not indexed yet. */
        NOT_FOUND(4),
        /** Elasticsearch cannot be reached, refuses us, or the trace indices are missing. */
        ELASTICSEARCH_UNAVAILABLE(5);

        private final int exitCode;

        Reason(int exitCode) {
            this.exitCode = exitCode;
        }

        public int exitCode() {
            return exitCode;
        }
    }

    private final Reason reason;

    TraceQueryException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    public int exitCode() {
        return reason.exitCode();
    }
}
