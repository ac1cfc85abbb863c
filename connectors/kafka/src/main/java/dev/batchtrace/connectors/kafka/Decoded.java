package dev.batchtrace.connectors.kafka;

import dev.batchtrace.events.DeadLetter;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;

/**
 * One Kafka record after decoding: either {@code value} (decoded) or {@code deadLetter} (it could
 * not be decoded; the dead letter keeps the original bytes and the reason), never both.
 *
 * @param value the decoded record, or null for a dead letter
 * @param deadLetter the dead letter, or null when decoded
 * @param topic source topic
 * @param partition source partition
 * @param offset source offset
 * @param timestamp the Kafka record timestamp (epoch millis)
 */
public record Decoded<T>(
        T value, DeadLetter deadLetter, String topic, int partition, long offset, long timestamp) {

    public Decoded {
        if ((value == null) == (deadLetter == null)) {
            throw new IllegalArgumentException("exactly one of value and deadLetter must be set");
        }
    }

    public static <T> Decoded<T> of(
            T value, String topic, int partition, long offset, long timestamp) {
        return new Decoded<>(value, null, topic, partition, offset, timestamp);
    }

    public static <T> Decoded<T> failed(DeadLetter deadLetter, long timestamp) {
        return new Decoded<>(
                null,
                deadLetter,
                deadLetter.getSourceTopic(),
                deadLetter.getPartition(),
                deadLetter.getOffset(),
                timestamp);
    }

    public boolean isDeadLetter() {
        return deadLetter != null;
    }

    /**
     * Flink type information: a POJO (record) type whose value and dead letter are serialized by
     * Flink's Avro serializer, not Kryo.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static <T> TypeInformation<Decoded<T>> typeInfo(TypeInformation<T> valueType) {
        Map<String, TypeInformation<?>> fields = new HashMap<>();
        fields.put("value", valueType);
        fields.put("deadLetter", TypeInformation.of(DeadLetter.class));
        fields.put("topic", Types.STRING);
        fields.put("partition", Types.INT);
        fields.put("offset", Types.LONG);
        fields.put("timestamp", Types.LONG);
        return (TypeInformation) Types.POJO(Decoded.class, fields);
    }
}
