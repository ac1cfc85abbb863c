package dev.batchtrace.jobs.lineage;

import java.util.Objects;

/**
 * A trace document read back from the documents topic (read_committed) with the Kafka offset it was
 * stored at. The offset is the document's external version in Elasticsearch: the key fixes the
 * partition, so later writes of the same document have larger offsets; a replay after a restore
 * reads the same offsets again (409 in Elasticsearch, skipped), and what an aborted transaction
 * wrote is never read.
 *
 * @param index alias, e.g. {@code trace-lots}
 * @param id document id
 * @param offset Kafka offset of the record, the external version
 * @param json document body, null for a deletion
 */
public record DocumentRecord(String index, String id, long offset, String json) {

    public DocumentRecord {
        Objects.requireNonNull(index, "index");
        Objects.requireNonNull(id, "id");
    }
}
