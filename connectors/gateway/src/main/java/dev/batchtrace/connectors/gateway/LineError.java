package dev.batchtrace.connectors.gateway;

/**
 * A line that is not a valid event.
 *
 * @param lineNumber 1-based line number in the file, counting blank and comment lines
 * @param message what is wrong, e.g. {@code field 'lotCode' is required}
 * @param rawLine the line as read
 */
public record LineError(long lineNumber, String message, String rawLine) implements LineResult {

    @Override
    public String toString() {
        return "line " + lineNumber + ": " + message;
    }
}
