package dev.batchtrace.stack;

/**
 * A server of the local stack could not be started, found or stopped; the message says what to do.
 */
public class StackException extends Exception {
    private static final long serialVersionUID = 1L;

    public StackException(String message) {
        super(message);
    }

    public StackException(String message, Throwable cause) {
        super(message, cause);
    }
}
