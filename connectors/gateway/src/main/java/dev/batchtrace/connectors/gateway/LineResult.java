package dev.batchtrace.connectors.gateway;

/** What {@link JsonLinesReader} yields for one event line: the event, or why it was rejected. */
public sealed interface LineResult permits ParsedEvent, LineError {
    /** 1-based line number in the file (blank and comment lines count). */
    long lineNumber();
}
