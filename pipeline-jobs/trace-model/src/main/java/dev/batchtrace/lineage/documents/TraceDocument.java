package dev.batchtrace.lineage.documents;

import dev.batchtrace.lineage.LineageCodec;
import java.util.Collections;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One trace document: the index alias it belongs to, its deterministic id and its body. A null body
 * means "no document" (e.g. a lot whose only edge was reversed and that has no facts): the writer
 * deletes the id.
 *
 * @param index the alias: {@link TraceDocuments#LOTS}, {@link TraceDocuments#SHIPMENTS} or {@link
 *     TraceDocuments#WORK_ORDERS}
 * @param documentId lot code, dispatch id or work order id
 * @param source the body, keys sorted, no null values; null for a deletion
 */
public record TraceDocument(String index, String documentId, SortedMap<String, Object> source) {

    public TraceDocument {
        Objects.requireNonNull(index, "index");
        Objects.requireNonNull(documentId, "documentId");
        source = source == null ? null : Collections.unmodifiableSortedMap(new TreeMap<>(source));
    }

    public boolean isDeletion() {
        return source == null;
    }

    /** "index/id", unique over all trace documents. */
    public String key() {
        return index + "/" + documentId;
    }

    /** The body as JSON, or null for a deletion. */
    public String toJson() {
        return source == null ? null : LineageCodec.toJson(source);
    }
}
