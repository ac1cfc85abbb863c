package dev.batchtrace.schemas;

import dev.batchtrace.events.DeadLetter;
import dev.batchtrace.events.DispatchNote;
import dev.batchtrace.events.GoodsReceipt;
import dev.batchtrace.events.LotFlag;
import dev.batchtrace.events.MachineEvent;
import dev.batchtrace.events.QcResult;
import dev.batchtrace.events.TraceAlert;
import dev.batchtrace.events.WorkOrderEvent;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * The topics of the event contract: default topic name, record, Kafka key and direction of each.
 *
 * <p>The Kafka key of a record is the natural key the downstream jobs partition by, so that all
 * events of one entity land on one partition in order: receipts, QC results and flags by {@code
 * lotCode}, work-order events by {@code workOrderId}, machine events by {@code machineId}, dispatch
 * notes by {@code dispatchId}, alerts by {@code alertId} (a later resolution of an alert compacts
 * onto it). Dead letters have no key.
 */
public final class EventTopics {

    public static final String GOODS_RECEIPTS = "mes.goods-receipts";
    public static final String WORK_ORDERS = "mes.work-orders";
    public static final String MACHINE_EVENTS = "plc.machine-events";
    public static final String QC_RESULTS = "mes.qc-results";
    public static final String DISPATCH_NOTES = "mes.dispatch-notes";
    public static final String LOT_FLAGS = "quality.lot-flags";
    public static final String TRACE_ALERTS = "trace.alerts";
    public static final String DEAD_LETTERS = "trace.dead-letters";

    /** Whether the pipeline reads or writes a topic. */
    public enum Direction {
        /** Published by MES/PLC gateways, read by the pipeline. */
        INPUT,
        /** Written by the pipeline. */
        OUTPUT
    }

    /**
     * One topic of the contract.
     *
     * @param name default topic name
     * @param recordClass generated Avro class of its values
     * @param keyField field whose value is the Kafka key, or {@code null} for unkeyed topics
     * @param direction whether the pipeline reads or writes it
     */
    public record Topic(
            String name,
            Class<? extends SpecificRecord> recordClass,
            String keyField,
            Direction direction) {

        public Topic {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(recordClass, "recordClass");
            Objects.requireNonNull(direction, "direction");
        }

        /** Simple record name, e.g. {@code GoodsReceipt}. */
        public String recordName() {
            return recordClass.getSimpleName();
        }

        /** The Avro schema of the values (the generated class's schema). */
        public Schema schema() {
            return schemaOf(recordClass);
        }

        /** The key field, if the topic is keyed. */
        public Optional<String> key() {
            return Optional.ofNullable(keyField);
        }

        public boolean isInput() {
            return direction == Direction.INPUT;
        }

        /**
         * The Kafka key of a value of this topic: the value of {@link #keyField()}, or {@code null}
         * for unkeyed topics. Works for generated classes and generic records alike.
         *
         * @throws IllegalArgumentException if the record is not of this topic's type
         */
        public String keyOf(GenericRecord record) {
            String fullName = record.getSchema().getFullName();
            if (!fullName.equals(recordClass.getName())) {
                throw new IllegalArgumentException(
                        "topic " + name + " carries " + recordName() + ", not " + fullName);
            }
            if (keyField == null) {
                return null;
            }
            Object value = record.get(keyField);
            return value == null ? null : value.toString();
        }
    }

    private static final List<Topic> ALL =
            List.of(
                    new Topic(GOODS_RECEIPTS, GoodsReceipt.class, "lotCode", Direction.INPUT),
                    new Topic(WORK_ORDERS, WorkOrderEvent.class, "workOrderId", Direction.INPUT),
                    new Topic(MACHINE_EVENTS, MachineEvent.class, "machineId", Direction.INPUT),
                    new Topic(QC_RESULTS, QcResult.class, "lotCode", Direction.INPUT),
                    new Topic(DISPATCH_NOTES, DispatchNote.class, "dispatchId", Direction.INPUT),
                    new Topic(LOT_FLAGS, LotFlag.class, "lotCode", Direction.INPUT),
                    new Topic(TRACE_ALERTS, TraceAlert.class, "alertId", Direction.OUTPUT),
                    new Topic(DEAD_LETTERS, DeadLetter.class, null, Direction.OUTPUT));

    private EventTopics() {}

    /** Every topic of the contract, inputs first. */
    public static List<Topic> all() {
        return ALL;
    }

    /** The topics MES/PLC gateways publish and the pipeline reads. */
    public static List<Topic> inputs() {
        return ALL.stream().filter(Topic::isInput).toList();
    }

    /** Names of every topic of the contract. */
    public static List<String> allTopicNames() {
        return ALL.stream().map(Topic::name).toList();
    }

    /** Names of the input topics. */
    public static List<String> inputTopicNames() {
        return inputs().stream().map(Topic::name).toList();
    }

    /** Names of the records of the input topics, e.g. for a gateway's {@code type} field. */
    public static List<String> inputRecordNames() {
        return inputs().stream().map(Topic::recordName).toList();
    }

    /** The topic of a record given its simple ({@code LotFlag}) or full name. */
    public static Optional<Topic> findByRecordName(String recordName) {
        return ALL.stream()
                .filter(
                        t ->
                                t.recordName().equals(recordName)
                                        || t.recordClass().getName().equals(recordName))
                .findFirst();
    }

    /**
     * The topic of a record given its simple or full name.
     *
     * @throws IllegalArgumentException naming the known records if there is none
     */
    public static Topic byRecordName(String recordName) {
        return findByRecordName(recordName)
                .orElseThrow(
                        () ->
                                new IllegalArgumentException(
                                        "unknown record '"
                                                + recordName
                                                + "' (expected one of "
                                                + ALL.stream()
                                                        .map(Topic::recordName)
                                                        .collect(Collectors.joining(", "))
                                                + ")"));
    }

    /**
     * The topic of a generated record class.
     *
     * @throws IllegalArgumentException if the class is not part of the contract
     */
    public static Topic byClass(Class<?> recordClass) {
        return ALL.stream()
                .filter(t -> t.recordClass().equals(recordClass))
                .findFirst()
                .orElseThrow(
                        () ->
                                new IllegalArgumentException(
                                        recordClass.getName()
                                                + " is not a record of the event contract"));
    }

    /** The topic with this default name. */
    public static Optional<Topic> findByTopicName(String topicName) {
        return ALL.stream().filter(t -> t.name().equals(topicName)).findFirst();
    }

    /** The Avro schema of a record given its simple or full name. */
    public static Schema schemaOf(String recordName) {
        return byRecordName(recordName).schema();
    }

    /** The Avro schema of a generated record class (its {@code SCHEMA$}). */
    public static Schema schemaOf(Class<? extends SpecificRecord> recordClass) {
        return SpecificData.get().getSchema(recordClass);
    }
}
