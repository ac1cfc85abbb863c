package dev.batchtrace.jobs.lineage;

import dev.batchtrace.connectors.kafka.Decoded;
import dev.batchtrace.connectors.kafka.KafkaSettings;
import dev.batchtrace.events.DeadLetter;
import dev.batchtrace.jobs.JobTopics;
import dev.batchtrace.machine.MachineRunSummary;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.Objects;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The machine-attribution job's output as this job's input: topic {@code trace.machine-summaries},
 * key {@code MachineRunSummary.key()}, value its JSON ({@link MachineRunSummary#decode}), written
 * exactly once, so read {@code read_committed}. Several updates per key are normal; the work-order
 * stage keeps {@link MachineRunSummary#merge}. A record that does not decode becomes a {@link
 * DeadLetter} with its bytes and the reason (the job keeps running), like a bad Avro event.
 */
public final class MachineSummarySource {

    private MachineSummarySource() {}

    public static KafkaSource<Decoded<MachineRunSummary>> source(
            KafkaSettings kafka, String topic) {
        return JobTopics.readCommittedSource(kafka, topic, new Deserializer(Clock.systemUTC()));
    }

    /** JSON to {@link MachineRunSummary}; anything else to a dead letter. */
    public static final class Deserializer
            implements KafkaRecordDeserializationSchema<Decoded<MachineRunSummary>> {

        private static final long serialVersionUID = 1L;

        private final Clock clock;

        /**
         * @param clock for {@code failedAt} of dead letters; must be serializable
         */
        public Deserializer(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
        }

        @Override
        public void deserialize(
                ConsumerRecord<byte[], byte[]> record, Collector<Decoded<MachineRunSummary>> out) {
            MachineRunSummary summary;
            try {
                if (record.value() == null) {
                    throw new IllegalArgumentException("no value (tombstone)");
                }
                summary = MachineRunSummary.decode(record.value());
            } catch (RuntimeException e) {
                out.collect(
                        Decoded.failed(
                                DeadLetter.newBuilder()
                                        .setSourceTopic(record.topic())
                                        .setPartition(record.partition())
                                        .setOffset(record.offset())
                                        .setKey(
                                                record.key() == null
                                                        ? null
                                                        : ByteBuffer.wrap(record.key()))
                                        .setValue(
                                                record.value() == null
                                                        ? null
                                                        : ByteBuffer.wrap(record.value()))
                                        .setError("not a machine run summary: " + e.getMessage())
                                        .setFailedAt(clock.instant())
                                        .build(),
                                record.timestamp()));
                return;
            }
            out.collect(
                    Decoded.of(
                            summary,
                            record.topic(),
                            record.partition(),
                            record.offset(),
                            record.timestamp()));
        }

        @Override
        public TypeInformation<Decoded<MachineRunSummary>> getProducedType() {
            return Decoded.typeInfo(ModelTypeInfo.of(MachineRunSummary.class));
        }
    }
}
