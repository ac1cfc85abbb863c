package dev.batchtrace.connectors.kafka;

/**
 * Kafka cannot be used with the given settings: the credentials or the TLS trust were refused, or
 * nothing answered in time. The message names the brokers, the user and the setting to check.
 */
public class KafkaConnectionException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** What went wrong, for callers that react differently (exit codes, retries). */
    public enum Kind {
        /** The broker refused the SASL login (wrong user or password, unknown mechanism). */
        AUTHENTICATION,
        /** The TLS handshake failed (certificate not trusted, host name mismatch). */
        TLS,
        /** Authenticated, but not allowed to describe the cluster. */
        AUTHORIZATION,
        /** No answer in time: wrong address, broker down, or a protocol mismatch. */
        UNREACHABLE
    }

    private final Kind kind;

    public KafkaConnectionException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
