package dev.batchtrace.connectors.gateway;

/** A JSON event that cannot be turned into its Avro record; the message says what to fix. */
public class InvalidEventException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public InvalidEventException(String message) {
        super(message);
    }
}
