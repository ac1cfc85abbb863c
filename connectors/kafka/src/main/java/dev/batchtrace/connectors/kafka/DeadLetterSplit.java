package dev.batchtrace.connectors.kafka;

import dev.batchtrace.events.DeadLetter;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Splits a stream of {@link Decoded} records into the decoded values (main output) and the dead
 * letters (side output {@link #DEAD_LETTERS}).
 *
 * <pre>{@code
 * DeadLetterSplit.Result<GoodsReceipt> receipts =
 *         DeadLetterSplit.split(decoded, "goods-receipts-decode", "Decode goods receipts");
 * receipts.records()...; receipts.deadLetters().sinkTo(EventSinks.deadLetters(...));
 * }</pre>
 */
public final class DeadLetterSplit {

    public static final OutputTag<DeadLetter> DEAD_LETTERS =
            new OutputTag<>("dead-letters", TypeInformation.of(DeadLetter.class));

    /** The two outputs of the split. */
    public record Result<T>(
            SingleOutputStreamOperator<T> records, DataStream<DeadLetter> deadLetters) {}

    private DeadLetterSplit() {}

    /**
     * @param uid stable operator uid (savepoint compatibility)
     * @param name operator name shown in the Flink UI
     */
    public static <T> Result<T> split(DataStream<Decoded<T>> decoded, String uid, String name) {
        TypeInformation<T> valueType = valueType(decoded.getType());
        SingleOutputStreamOperator<T> records =
                decoded.process(new Splitter<T>(), valueType).uid(uid).name(name);
        return new Result<>(records, records.getSideOutput(DEAD_LETTERS));
    }

    /** Counter of dead letters, one per reason (metric group {@code reason=<kind>}). */
    public static final String METRIC = "deadLetters";

    /** The metric group key under which {@link #METRIC} is kept per reason. */
    public static final String REASON_GROUP = "reason";

    /**
     * The kind of a dead letter's error, for the metric: the text before the first colon ({@code
     * NOT_AVRO}, {@code UNKNOWN_SCHEMA_ID}, ...), at most 40 characters of letters, digits and
     * underscores, so that the free text after it cannot make a metric per record.
     */
    public static String reasonOf(String error) {
        if (error == null || error.isBlank()) {
            return "UNKNOWN";
        }
        int colon = error.indexOf(':');
        String kind = (colon < 0 ? error : error.substring(0, colon)).strip();
        kind = kind.replaceAll("[^A-Za-z0-9]+", "_").replaceAll("^_+|_+$", "");
        if (kind.isEmpty()) {
            return "UNKNOWN";
        }
        return kind.length() > 40 ? kind.substring(0, 40) : kind;
    }

    /** The function itself, for callers that wire it differently. */
    public static final class Splitter<T> extends ProcessFunction<Decoded<T>, T> {
        private transient Map<String, Counter> perReason;

        @Override
        public void processElement(Decoded<T> element, Context context, Collector<T> out) {
            if (element.isDeadLetter()) {
                count(element.deadLetter().getError());
                context.output(DEAD_LETTERS, element.deadLetter());
            } else {
                out.collect(element.value());
            }
        }

        private void count(String error) {
            if (perReason == null) {
                perReason = new HashMap<>();
            }
            perReason
                    .computeIfAbsent(
                            reasonOf(error),
                            reason ->
                                    getRuntimeContext()
                                            .getMetricGroup()
                                            .addGroup(REASON_GROUP, reason)
                                            .counter(METRIC))
                    .inc();
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> TypeInformation<T> valueType(TypeInformation<Decoded<T>> decodedType) {
        if (decodedType instanceof org.apache.flink.api.java.typeutils.PojoTypeInfo<?> pojo) {
            int index = pojo.getFieldIndex("value");
            if (index >= 0) {
                return (TypeInformation<T>) pojo.getTypeAt(index);
            }
        }
        throw new IllegalArgumentException(
                "expected the type of a Decoded stream (Decoded.typeInfo(...)), got "
                        + decodedType);
    }
}
