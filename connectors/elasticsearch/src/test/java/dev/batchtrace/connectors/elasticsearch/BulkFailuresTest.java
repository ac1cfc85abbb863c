package dev.batchtrace.connectors.elasticsearch;

import static dev.batchtrace.connectors.elasticsearch.BulkFailures.Outcome.FAIL;
import static dev.batchtrace.connectors.elasticsearch.BulkFailures.Outcome.REJECTED;
import static dev.batchtrace.connectors.elasticsearch.BulkFailures.Outcome.RETRY;
import static dev.batchtrace.connectors.elasticsearch.BulkFailures.Outcome.SKIPPED_OLDER;
import static dev.batchtrace.connectors.elasticsearch.BulkFailures.Outcome.WRITTEN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.ErrorResponse;
import co.elastic.clients.elasticsearch.core.bulk.BulkResponseItem;
import co.elastic.clients.elasticsearch.core.bulk.OperationType;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class BulkFailuresTest {

    @Test
    void classifiesBulkItems() {
        assertEquals(WRITTEN, BulkFailures.classifyItem(201, null));
        assertEquals(WRITTEN, BulkFailures.classifyItem(200, null));
        assertEquals(WRITTEN, BulkFailures.classifyItem(404, null), "delete of a missing doc");
        assertEquals(
                SKIPPED_OLDER, BulkFailures.classifyItem(409, "version_conflict_engine_exception"));
        assertEquals(RETRY, BulkFailures.classifyItem(429, "es_rejected_execution_exception"));
        assertEquals(RETRY, BulkFailures.classifyItem(503, "unavailable_shards_exception"));
        // the document's fault: a dead letter, the sink goes on
        assertEquals(REJECTED, BulkFailures.classifyItem(400, "document_parsing_exception"));
        assertEquals(REJECTED, BulkFailures.classifyItem(400, "illegal_argument_exception"));
        assertEquals(REJECTED, BulkFailures.classifyItem(413, "content_too_long_exception"));
        // the sink's or the cluster's fault: fail
        assertEquals(FAIL, BulkFailures.classifyItem(403, "cluster_block_exception"));
        assertEquals(FAIL, BulkFailures.classifyItem(401, "security_exception"));
        assertEquals(FAIL, BulkFailures.classifyItem(404, "index_not_found_exception"));
        assertEquals(FAIL, BulkFailures.classifyItem(409, "some_other_conflict"));
        assertEquals(FAIL, BulkFailures.classifyItem(500, "illegal_state_exception"));
    }

    @Test
    void describesAFailedItemWithIndexIdAndReason() {
        BulkResponseItem item =
                BulkResponseItem.of(
                        i ->
                                i.operationType(OperationType.Index)
                                        .index("trace-lots-v1")
                                        .id("LOT-7")
                                        .status(400)
                                        .error(
                                                e ->
                                                        e.type("document_parsing_exception")
                                                                .reason(
                                                                        "failed to parse field"
                                                                                + " [receivedAt]")));

        assertEquals(REJECTED, BulkFailures.classifyItem(item));
        String text = BulkFailures.describe(item);
        assertTrue(text.contains("index=trace-lots-v1"), text);
        assertTrue(text.contains("id=LOT-7"), text);
        assertTrue(text.contains("failed to parse field [receivedAt]"), text);
    }

    @Test
    void wholeRequestFailuresAreRetriedOnlyWhenTransient() {
        assertTrue(BulkFailures.isRetryable(esError(429)));
        assertTrue(BulkFailures.isRetryable(esError(503)));
        assertTrue(BulkFailures.isRetryable(new CompletionException(esError(502))));
        assertTrue(BulkFailures.isRetryable(new ConnectException("Connection refused")));
        assertTrue(
                BulkFailures.isRetryable(
                        new CompletionException(new SocketTimeoutException("read timed out"))));
        assertFalse(BulkFailures.isRetryable(esError(400)));
        assertFalse(BulkFailures.isRetryable(esError(401)));
        assertFalse(BulkFailures.isRetryable(esError(413)));
        assertFalse(
                BulkFailures.isRetryable(new IOException("wrapped", esError(403))),
                "status wins over IOException");
        assertFalse(BulkFailures.isRetryable(new IllegalStateException("bug")));
        assertEquals(
                429, BulkFailures.httpStatus(new CompletionException(esError(429))).getAsInt());
    }

    private static ElasticsearchException esError(int status) {
        return new ElasticsearchException(
                "bulk",
                ErrorResponse.of(
                        r ->
                                r.status(status)
                                        .error(
                                                e ->
                                                        e.type("test_exception")
                                                                .reason("status " + status))));
    }
}
