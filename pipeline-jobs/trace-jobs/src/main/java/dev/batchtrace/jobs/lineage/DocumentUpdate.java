package dev.batchtrace.jobs.lineage;

import java.util.Objects;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * A trace document as the lineage functions emit it, on its way to the documents topic: Kafka key
 * {@code index/id}, value the JSON body. The document carries no version: the Elasticsearch
 * pipeline uses the Kafka offset of the record as external version (see {@link DocumentRecord}).
 *
 * @param index the alias to write to, e.g. {@code trace-lots}
 * @param id the deterministic document id (lot code, work order id, dispatch id)
 * @param json the document body, a JSON object; null deletes the document (a Kafka tombstone)
 */
@TypeInfo(DocumentUpdateTypeInfo.Factory.class)
public record DocumentUpdate(String index, String id, String json) {

    public DocumentUpdate {
        Objects.requireNonNull(index, "index");
        Objects.requireNonNull(id, "id");
    }

    /** The update for a model document: its body as JSON, or a deletion. */
    public static DocumentUpdate of(dev.batchtrace.lineage.documents.TraceDocument document) {
        return new DocumentUpdate(document.index(), document.documentId(), document.toJson());
    }

    public boolean isDeletion() {
        return json == null;
    }

    /** The Kafka key: it fixes the partition, so offsets of one document only grow. */
    public String key() {
        return index + "/" + id;
    }
}
