package dev.batchtrace.cli.kibana;

/** A Kibana request that did not do what it should, with what to check. */
public final class KibanaException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public KibanaException(String message) {
        super(message);
    }

    public KibanaException(String message, Throwable cause) {
        super(message, cause);
    }
}
