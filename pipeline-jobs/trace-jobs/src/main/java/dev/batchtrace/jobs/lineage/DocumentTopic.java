package dev.batchtrace.jobs.lineage;

import dev.batchtrace.connectors.elasticsearch.DocumentConverter;
import dev.batchtrace.connectors.elasticsearch.TraceDocument;
import dev.batchtrace.connectors.kafka.KafkaSettings;
import dev.batchtrace.jobs.JobTopics;
import dev.batchtrace.jobs.RecordSizeGuard;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The documents topic between the lineage functions and Elasticsearch: written exactly once (key
 * {@code index/id}, value JSON, a tombstone for a deletion), read read_committed with each record's
 * offset as its external version.
 */
public final class DocumentTopic {

    private DocumentTopic() {}

    /** The exactly-once sink of {@link DocumentUpdate}s. */
    public static KafkaSink<DocumentUpdate> sink(
            KafkaSettings kafka, String topic, String transactionalIdPrefix) {
        return JobTopics.exactlyOnceSink(
                kafka,
                transactionalIdPrefix,
                new Serializer(
                        topic, new RecordSizeGuard(topic, JobTopics.maxRequestBytes(kafka))));
    }

    /**
     * The read_committed source of the documents topic. Without restored state it starts at the
     * group's committed offsets, else the earliest (a first run indexes everything).
     */
    public static KafkaSource<DocumentRecord> source(KafkaSettings kafka, String topic) {
        return JobTopics.readCommittedSource(kafka, topic, new Deserializer());
    }

    /**
     * The Elasticsearch write of a stored document: upsert (or delete, for a tombstone) with
     * external version = offset. The JSON goes to Elasticsearch as it is: parsing it into a map to
     * write it again cost this task more than the bulk requests (issue 9).
     */
    public static DocumentConverter<DocumentRecord> converter() {
        return record ->
                record.json() == null
                        ? TraceDocument.delete(record.index(), record.id(), record.offset())
                        : TraceDocument.upsertJson(
                                record.index(), record.id(), record.offset(), record.json());
    }

    /** {@code index/id} key, JSON value, UTF-8. */
    static final class Serializer implements KafkaRecordSerializationSchema<DocumentUpdate> {
        private static final long serialVersionUID = 1L;
        private final String topic;
        private final RecordSizeGuard guard;

        Serializer(String topic, RecordSizeGuard guard) {
            this.topic = topic;
            this.guard = guard;
        }

        @Override
        public void open(
                SerializationSchema.InitializationContext context, KafkaSinkContext sinkContext) {
            guard.open(context);
        }

        /**
         * Null (not sent, logged and counted; Elasticsearch keeps the document's previous version)
         * for a document over the size limit.
         */
        @Override
        public ProducerRecord<byte[], byte[]> serialize(
                DocumentUpdate update, KafkaSinkContext context, Long timestamp) {
            byte[] value =
                    update.isDeletion() ? null : update.json().getBytes(StandardCharsets.UTF_8);
            if (!guard.fits(update.key(), value)) {
                return null;
            }
            return new ProducerRecord<>(
                    topic, update.key().getBytes(StandardCharsets.UTF_8), value);
        }
    }

    /** Splits the key at its first {@code /} (an index name never contains one). */
    static final class Deserializer implements KafkaRecordDeserializationSchema<DocumentRecord> {
        private static final long serialVersionUID = 1L;

        @Override
        public void deserialize(
                ConsumerRecord<byte[], byte[]> record, Collector<DocumentRecord> out)
                throws IOException {
            if (record.key() == null) {
                throw new IOException(
                        "documents topic record without key at "
                                + record.topic()
                                + "/"
                                + record.partition()
                                + "/"
                                + record.offset()
                                + ": only the lineage job may write to this topic");
            }
            String key = new String(record.key(), StandardCharsets.UTF_8);
            int slash = key.indexOf('/');
            if (slash <= 0 || slash == key.length() - 1) {
                throw new IOException(
                        "documents topic key '"
                                + key
                                + "' at "
                                + record.topic()
                                + "/"
                                + record.partition()
                                + "/"
                                + record.offset()
                                + " is not index/id: only the lineage job may write to this topic");
            }
            out.collect(
                    new DocumentRecord(
                            key.substring(0, slash),
                            key.substring(slash + 1),
                            record.offset(),
                            record.value() == null
                                    ? null
                                    : new String(record.value(), StandardCharsets.UTF_8)));
        }

        @Override
        public TypeInformation<DocumentRecord> getProducedType() {
            return TypeInformation.of(DocumentRecord.class);
        }
    }
}
