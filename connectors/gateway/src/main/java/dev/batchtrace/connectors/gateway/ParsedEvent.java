package dev.batchtrace.connectors.gateway;

import java.util.Objects;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * One gateway event, ready to publish.
 *
 * @param topic default topic of the record (see {@code EventTopics})
 * @param key Kafka key: the record's natural key (lot code, work order, machine or dispatch id)
 * @param value the event as its generated Avro class; it is also a {@code GenericRecord}
 * @param lineNumber 1-based line of the file it came from, 0 when not read from a file
 */
public record ParsedEvent(String topic, String key, SpecificRecordBase value, long lineNumber)
        implements LineResult {

    public ParsedEvent {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
    }

    public ParsedEvent(String topic, String key, SpecificRecordBase value) {
        this(topic, key, value, 0);
    }

    /** The same event, as read from the given line of a file. */
    public ParsedEvent atLine(long number) {
        return new ParsedEvent(topic, key, value, number);
    }

    /** Simple record name of the value, e.g. {@code GoodsReceipt}. */
    public String recordName() {
        return value.getSchema().getName();
    }
}
