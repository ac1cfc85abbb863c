package dev.batchtrace.jobs.lineage;

import dev.batchtrace.connectors.kafka.KafkaSettings;
import dev.batchtrace.jobs.JobTopics;
import dev.batchtrace.jobs.RecordSizeGuard;
import dev.batchtrace.lineage.LineageCodec;
import dev.batchtrace.lineage.closure.LineageMessage;
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
 * The feedback path of the genealogy: lineage messages from one node to another (closures to
 * children) leave the job through this topic and come back in keyed by their target. Written
 * exactly once and read read_committed, so after a restore the job never sees what a failed attempt
 * sent after its last checkpoint, and version counters restored from state cannot collide with
 * versions nobody will ever read (lineage-design.md, "Restores and versions").
 *
 * <p>Key: {@code target().toString()} (UTF-8), so all messages to one node share a partition.
 * Value: {@link LineageCodec} bytes (versioned JSON envelope).
 */
public final class FeedbackTopic {

    private FeedbackTopic() {}

    public static KafkaSink<LineageMessage> sink(
            KafkaSettings kafka, String topic, String transactionalIdPrefix) {
        return JobTopics.exactlyOnceSink(
                kafka,
                transactionalIdPrefix,
                new Serializer(
                        topic, new RecordSizeGuard(topic, JobTopics.maxRequestBytes(kafka))));
    }

    public static KafkaSource<LineageMessage> source(KafkaSettings kafka, String topic) {
        return source(kafka, topic, new Deserializer());
    }

    /**
     * The same source with another deserializer (tests wrap {@link Deserializer} to inject faults).
     */
    public static KafkaSource<LineageMessage> source(
            KafkaSettings kafka,
            String topic,
            KafkaRecordDeserializationSchema<LineageMessage> deserializer) {
        return JobTopics.readCommittedSource(kafka, topic, deserializer);
    }

    static final class Serializer implements KafkaRecordSerializationSchema<LineageMessage> {
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

        /** Null (not sent, logged and counted) for a message over the size limit. */
        @Override
        public ProducerRecord<byte[], byte[]> serialize(
                LineageMessage message, KafkaSinkContext context, Long timestamp) {
            String key = message.target().toString();
            byte[] value = LineageCodec.encode(message);
            if (!guard.fits(key, value)) {
                return null;
            }
            return new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value);
        }
    }

    /**
     * Decodes the codec bytes. A record that does not decode fails the job with its position: only
     * this job writes the topic, so it means a newer job version wrote a format this one does not
     * know (roll back or upgrade), not a bad input to dead-letter.
     */
    public static class Deserializer implements KafkaRecordDeserializationSchema<LineageMessage> {
        private static final long serialVersionUID = 1L;

        @Override
        public void deserialize(
                ConsumerRecord<byte[], byte[]> record, Collector<LineageMessage> out)
                throws IOException {
            try {
                out.collect(LineageCodec.decode(record.value()));
            } catch (RuntimeException e) {
                throw new IOException(
                        "lineage feedback record at "
                                + record.topic()
                                + "/"
                                + record.partition()
                                + "/"
                                + record.offset()
                                + " cannot be decoded (written by another job version?): "
                                + e.getMessage(),
                        e);
            }
        }

        @Override
        public TypeInformation<LineageMessage> getProducedType() {
            return LineageMessageTypeInfo.INSTANCE;
        }
    }
}
