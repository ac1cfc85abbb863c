package dev.batchtrace.connectors.elasticsearch;

import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.ErrorCause;
import co.elastic.clients.elasticsearch.core.bulk.BulkResponseItem;
import co.elastic.clients.transport.TransportException;
import co.elastic.clients.transport.rest5_client.low_level.ResponseException;
import java.io.IOException;
import java.util.OptionalInt;

/** Decides what a bulk failure means for the sink: done, newer already stored, retry, or fail. */
public final class BulkFailures {

    /** What happened to one operation of a bulk request. */
    public enum Outcome {
        /** Stored (or, for a delete, already absent). */
        WRITTEN,
        /** Elasticsearch holds an equal or newer external version: nothing to do. */
        SKIPPED_OLDER,
        /** Elasticsearch was overloaded or unavailable: send again after a backoff. */
        RETRY,
        /**
         * This document cannot be stored (mapping conflict, too many nested objects, too large): it
         * goes to the dead-letter index and the sink goes on; failing the task would meet the same
         * document again after the restore, a restart loop.
         */
        REJECTED,
        /** A permanent error of the sink itself (auth, missing index, blocked cluster): fail. */
        FAIL
    }

    static final String VERSION_CONFLICT = "version_conflict_engine_exception";

    private BulkFailures() {}

    public static Outcome classifyItem(BulkResponseItem item) {
        ErrorCause error = item.error();
        return classifyItem(item.status(), error == null ? null : error.type());
    }

    /**
     * @param status HTTP status of the item
     * @param errorType {@code error.type} of the item, {@code null} when it has no error
     */
    public static Outcome classifyItem(int status, String errorType) {
        if (errorType == null && (status < 300 || status == 404)) {
            // 404 without an error is a delete of a document that is not there: the goal is met
            return Outcome.WRITTEN;
        }
        if (status == 409 && VERSION_CONFLICT.equals(errorType)) {
            return Outcome.SKIPPED_OLDER;
        }
        if (isRetryableStatus(status)) {
            return Outcome.RETRY;
        }
        if (status == 400 || status == 413) {
            return Outcome.REJECTED; // the document's fault, not the cluster's
        }
        return Outcome.FAIL;
    }

    /**
     * Whether a whole bulk request that failed with {@code failure} may be sent again: 429, 502,
     * 503, 504 and I/O errors (connection refused or reset, timeouts) are transient; any other HTTP
     * status (400, 401, 403, 413, ...) or a client-side error is not.
     */
    public static boolean isRetryable(Throwable failure) {
        OptionalInt status = httpStatus(failure);
        if (status.isPresent()) {
            return isRetryableStatus(status.getAsInt());
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof IOException) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    /** The HTTP status the failure carries, looked up along its cause chain. */
    public static OptionalInt httpStatus(Throwable failure) {
        int depth = 0;
        for (Throwable t = failure; t != null && depth < 20; t = t.getCause(), depth++) {
            if (t instanceof ElasticsearchException e) {
                return OptionalInt.of(e.status());
            }
            if (t instanceof TransportException e && e.response() != null) {
                return OptionalInt.of(e.statusCode());
            }
            if (t instanceof ResponseException e) {
                return OptionalInt.of(e.getResponse().getStatusCode());
            }
        }
        return OptionalInt.empty();
    }

    public static boolean isRetryableStatus(int status) {
        return status == 429 || status == 502 || status == 503 || status == 504;
    }

    /** One line an operator can act on. */
    public static String describe(BulkResponseItem item) {
        ErrorCause error = item.error();
        String reason =
                error == null
                        ? "status " + item.status()
                        : error.type()
                                + ": "
                                + error.reason()
                                + (error.causedBy() != null
                                        ? " (caused by "
                                                + error.causedBy().type()
                                                + ": "
                                                + error.causedBy().reason()
                                                + ")"
                                        : "");
        return "index="
                + item.index()
                + " id="
                + item.id()
                + " op="
                + item.operationType().jsonValue()
                + " status="
                + item.status()
                + " reason="
                + reason;
    }
}
