package dev.batchtrace.stack;

/** A port a server needs is already bound by another process. */
public class PortTakenException extends StackException {
    private static final long serialVersionUID = 1L;

    private final int port;

    public PortTakenException(String message, int port) {
        super(message);
        this.port = port;
    }

    public int port() {
        return port;
    }
}
