package dev.batchtrace.jobs.lineage;

import dev.batchtrace.connectors.elasticsearch.ElasticsearchSink;
import dev.batchtrace.connectors.kafka.EventSinks;
import dev.batchtrace.events.DeadLetter;
import dev.batchtrace.events.TraceAlert;
import dev.batchtrace.lineage.closure.LineageMessage;
import java.util.Objects;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.connector.base.DeliveryGuarantee;

/**
 * The sinks of the lineage job; {@link #kafka} builds the production ones.
 *
 * @param deadLetters undecodable input records (at least once: a duplicate dead letter is harmless)
 * @param feedback lineage messages to other nodes (exactly once)
 * @param documents trace documents, key {@code index/id} (exactly once)
 * @param elasticsearch the documents read back from the documents topic, version = offset
 * @param alerts hold alerts, key alertId (exactly once: each OPEN / RESOLVED record once)
 */
public record LineageSinks(
        Sink<DeadLetter> deadLetters,
        Sink<LineageMessage> feedback,
        Sink<DocumentUpdate> documents,
        Sink<DocumentRecord> elasticsearch,
        Sink<TraceAlert> alerts) {

    public LineageSinks {
        Objects.requireNonNull(deadLetters, "deadLetters");
        Objects.requireNonNull(feedback, "feedback");
        Objects.requireNonNull(documents, "documents");
        Objects.requireNonNull(elasticsearch, "elasticsearch");
        Objects.requireNonNull(alerts, "alerts");
    }

    public static LineageSinks kafka(LineageJobConfig config) {
        LineageJobConfig.Topics topics = config.topics();
        return new LineageSinks(
                EventSinks.deadLetters(
                        config.kafka(),
                        config.registry().clientFactory(),
                        topics.deadLetters(),
                        DeliveryGuarantee.AT_LEAST_ONCE),
                FeedbackTopic.sink(
                        config.kafka(), topics.feedback(), config.feedbackTransactionalIdPrefix()),
                DocumentTopic.sink(
                        config.kafka(),
                        topics.documents(),
                        config.documentsTransactionalIdPrefix()),
                ElasticsearchSink.of(config.elasticsearch(), DocumentTopic.converter()),
                // transactional id prefix <group.id.prefix>.<topic> (EventSinks' convention)
                EventSinks.forTopic(
                        config.kafka(),
                        config.registry(),
                        topics.alerts(),
                        TraceAlert.class,
                        TraceAlert::getAlertId,
                        DeliveryGuarantee.EXACTLY_ONCE));
    }
}
