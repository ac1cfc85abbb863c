package dev.batchtrace.connectors.elasticsearch;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import java.io.IOException;
import java.util.Objects;
import org.apache.flink.api.common.operators.MailboxExecutor;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.metrics.groups.SinkWriterMetricGroup;

/**
 * A Flink Sink v2 that writes {@link TraceDocument}s to Elasticsearch through the official client's
 * {@code BulkIngester}, at least once, with external versions.
 *
 * <ul>
 *   <li>Every index/delete carries {@code version_type=external}: an older version that arrives
 *       after a newer one (replay after a restore, retry, out-of-order bulk completion) is rejected
 *       by Elasticsearch with 409 and counted as {@code skipped-older}; it never overwrites.
 *   <li>{@link SinkWriter#flush} (before every checkpoint and at end of input) returns only when
 *       every operation written so far is acknowledged, so a completed checkpoint implies the
 *       documents are in Elasticsearch.
 *   <li>429, 502-504 and I/O errors (whole request or single item) are retried with exponential
 *       backoff ({@link RetryPolicy}); after the last attempt, or on any other error (mapping
 *       error, 400), the task fails with the index, id and reason, and Flink restores from the last
 *       checkpoint.
 * </ul>
 *
 * <p>Metrics on the writer's metric group, subgroup {@value ElasticsearchSinkWriter#METRIC_GROUP}:
 * counters {@value ElasticsearchSinkWriter#DOCUMENTS_WRITTEN}, {@value
 * ElasticsearchSinkWriter#SKIPPED_OLDER}, {@value ElasticsearchSinkWriter#RETRIES}, {@value
 * ElasticsearchSinkWriter#DOCUMENTS_REJECTED}, and the histogram {@value
 * ElasticsearchSinkWriter#FRESHNESS}: per written document, the time from the element's timestamp
 * (a Kafka source's record timestamp) to Elasticsearch's acknowledgement.
 */
public final class ElasticsearchSink<T> implements Sink<T> {

    private static final long serialVersionUID = 1L;

    private final ElasticsearchSettings settings;
    private final DocumentConverter<T> converter;

    public ElasticsearchSink(ElasticsearchSettings settings, DocumentConverter<T> converter) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.converter = Objects.requireNonNull(converter, "converter");
    }

    public static <T> ElasticsearchSink<T> of(
            ElasticsearchSettings settings, DocumentConverter<T> converter) {
        return new ElasticsearchSink<>(settings, converter);
    }

    /** A sink for streams that already carry {@link TraceDocument}s. */
    public static ElasticsearchSink<TraceDocument> forDocuments(ElasticsearchSettings settings) {
        return new ElasticsearchSink<>(settings, document -> document);
    }

    public ElasticsearchSettings settings() {
        return settings;
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) throws IOException {
        return createWriter(
                settings,
                converter,
                ElasticsearchClients.create(settings),
                context.metricGroup(),
                context.getMailboxExecutor(),
                context.getProcessingTimeService());
    }

    /**
     * The writer owns the client from here on; if it cannot be built the client is closed, or its
     * I/O threads would leak on every restart attempt.
     */
    static <T> ElasticsearchSinkWriter<T> createWriter(
            ElasticsearchSettings settings,
            DocumentConverter<T> converter,
            ElasticsearchClient client,
            SinkWriterMetricGroup metricGroup,
            MailboxExecutor mailbox,
            ProcessingTimeService timers) {
        try {
            return new ElasticsearchSinkWriter<>(
                    settings, converter, client, metricGroup, mailbox, timers);
        } catch (RuntimeException | Error e) {
            try {
                client.close();
            } catch (IOException | RuntimeException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }
}
