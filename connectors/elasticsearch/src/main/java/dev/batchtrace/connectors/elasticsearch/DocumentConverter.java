package dev.batchtrace.connectors.elasticsearch;

import java.io.Serializable;

/**
 * Turns a stream element into the document write the sink performs. Runs on the task thread of the
 * sink writer; must be serializable (it ships with the job graph).
 */
@FunctionalInterface
public interface DocumentConverter<T> extends Serializable {

    /** The write for this element, or {@code null} to write nothing for it. */
    TraceDocument convert(T element);
}
