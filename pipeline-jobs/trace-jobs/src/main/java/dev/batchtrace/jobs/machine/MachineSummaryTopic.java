package dev.batchtrace.jobs.machine;

import dev.batchtrace.connectors.kafka.KafkaSettings;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Topic trace.machine-summaries: key {@code MachineRunSummary.key()} (UTF-8), value its JSON;
 * written exactly once, so consumers read it read_committed.
 */
public final class MachineSummaryTopic {

    /**
     * Flink's default transaction timeout (1 h) exceeds the broker's default maximum (15 min) and
     * fails an exactly-once sink at start; use the broker's maximum unless configured.
     */
    static final String DEFAULT_TRANSACTION_TIMEOUT_MS = "900000";

    private MachineSummaryTopic() {}

    public static KafkaSink<MachineSummaryUpdate> sink(
            KafkaSettings kafka, String topic, String transactionalIdPrefix) {
        Properties producer = kafka.clientProperties(false);
        producer.putIfAbsent("transaction.timeout.ms", DEFAULT_TRANSACTION_TIMEOUT_MS);
        return KafkaSink.<MachineSummaryUpdate>builder()
                .setBootstrapServers(kafka.bootstrapServers())
                .setKafkaProducerConfig(producer)
                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                .setTransactionalIdPrefix(transactionalIdPrefix)
                .setRecordSerializer(new Serializer(topic))
                .build();
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
