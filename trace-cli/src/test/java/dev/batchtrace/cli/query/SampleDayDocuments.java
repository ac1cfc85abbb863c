package dev.batchtrace.cli.query;

import static org.junit.jupiter.api.Assertions.assertFalse;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.Refresh;
import co.elastic.clients.elasticsearch.core.BulkRequest;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.json.JsonData;
import dev.batchtrace.connectors.gateway.JsonLinesReader;
import dev.batchtrace.connectors.gateway.LineResult;
import dev.batchtrace.connectors.gateway.ParsedEvent;
import dev.batchtrace.lineage.documents.TraceDocument;
import dev.batchtrace.lineage.holds.HoldAlert;
import dev.batchtrace.lineage.reference.LineageReference;
import dev.batchtrace.stack.Checkout;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Indexes the sample factory day's trace documents and alerts as the batch reference computes them
 * from deploy/sample-data/factory-day.jsonl (what the pipeline writes, without running it).
 */
public final class SampleDayDocuments {
    private SampleDayDocuments() {}

    public static void index(ElasticsearchClient client, Instant raisedAt) throws Exception {
        List<Object> events = new ArrayList<>();
        Path day = Checkout.locate().root().resolve("deploy/sample-data/factory-day.jsonl");
        for (LineResult line : new JsonLinesReader().readAll(day)) {
            if (line instanceof ParsedEvent event) {
                events.add(event.value());
            }
        }
        LineageReference.Result reference = LineageReference.withHolds(events);
        BulkRequest.Builder bulk = new BulkRequest.Builder();
        for (TraceDocument doc : reference.documents().values()) {
            if (!doc.isDeletion()) {
                index(bulk, doc);
            }
        }
        for (HoldAlert alert : reference.alerts().values()) {
            index(bulk, alert.toDocument(raisedAt, alert.isOpen() ? null : raisedAt));
        }
        BulkResponse response = client.bulk(bulk.refresh(Refresh.True).build());
        assertFalse(response.errors(), () -> response.items().toString());
    }

    private static void index(BulkRequest.Builder bulk, TraceDocument doc) {
        bulk.operations(
                op ->
                        op.index(
                                i ->
                                        i.index(doc.index())
                                                .id(doc.documentId())
                                                .document(JsonData.fromJson(doc.toJson()))));
    }
}
