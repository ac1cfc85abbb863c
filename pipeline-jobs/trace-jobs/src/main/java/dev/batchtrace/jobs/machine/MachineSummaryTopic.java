package dev.batchtrace.jobs.machine;

import dev.batchtrace.connectors.kafka.KafkaSettings;
import dev.batchtrace.jobs.JobTopics;
import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Topic trace.machine-summaries: key {@code MachineRunSummary.key()} (UTF-8), value its JSON;
 * written exactly once, so consumers read it read_committed.
 */
public final class MachineSummaryTopic {

    private MachineSummaryTopic() {}

    public static KafkaSink<MachineSummaryUpdate> sink(
            KafkaSettings kafka, String topic, String transactionalIdPrefix) {
        return JobTopics.exactlyOnceSink(kafka, transactionalIdPrefix, new Serializer(topic));
    }

    static final class Serializer implements KafkaRecordSerializationSchema<MachineSummaryUpdate> {
        private static final long serialVersionUID = 1L;
        private final String topic;

        Serializer(String topic) {
            this.topic = topic;
        }

        @Override
        public ProducerRecord<byte[], byte[]> serialize(
                MachineSummaryUpdate update, KafkaSinkContext context, Long timestamp) {
            return new ProducerRecord<>(
                    topic, update.key().getBytes(StandardCharsets.UTF_8), update.value());
        }
    }
}
