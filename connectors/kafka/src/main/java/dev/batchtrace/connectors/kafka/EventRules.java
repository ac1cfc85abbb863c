package dev.batchtrace.connectors.kafka;

import dev.batchtrace.connectors.kafka.RecordDecodingException.Reason;
import dev.batchtrace.events.DispatchNote;
import dev.batchtrace.events.GoodsReceipt;
import dev.batchtrace.events.LotFlag;
import dev.batchtrace.events.MachineEvent;
import dev.batchtrace.events.QcResult;
import dev.batchtrace.events.WorkOrderEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;

/**
 * What a decoded shop-floor event must satisfy besides its schema (issue 13's bad input catalogue).
 * Avro only says a field is a double or a string; an event with a NaN quantity, a blank lot code, a
 * timestamp in 1970 or a 1 MB string decodes fine and would poison the genealogy (or crash-loop the
 * job further down). Such an event is a dead letter at the decode stage, with a reason naming the
 * field; the genealogy never sees it.
 *
 * <p>The rules, for the six input event types (our own records such as alerts are not checked):
 *
 * <ul>
 *   <li>timestamps from {@link #EARLIEST} to {@link #MAX_AHEAD} after the Kafka record's timestamp
 *       (the reference is the record's, not the wall clock, so a replay decides the same way; a
 *       record without a plausible timestamp is compared with the clock); an expiry date has no
 *       upper bound;
 *   <li>numbers finite; quantities, costs and sample sizes not negative;
 *   <li>identifiers (lot codes, ids, material and product codes), where present, not blank;
 *   <li>the fields a work-order or machine event's type needs (as the JSON gateway requires them);
 *   <li>a QC result's or measurement's lower limit not above its upper limit;
 *   <li>every string at most {@link #MAX_STRING_CHARS} characters, a dispatch note at most {@link
 *       #MAX_DISPATCH_LINES} lines, any other list at most {@link #MAX_LIST_ITEMS} items.
 * </ul>
 */
public final class EventRules {

    /** Nothing in a plant's traceability is older (a 1970 date is an unset clock). */
    public static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");

    /** Clock skew allowed between a gateway and the event it reports. */
    public static final Duration MAX_AHEAD = Duration.ofDays(1);

    /** Codes and names are short; notes and texts fit easily. 1 MB in one field is not data. */
    public static final int MAX_STRING_CHARS = 4096;

    /**
     * A truck carries tens of lots, not thousands; a shipment's document lists every lot behind it,
     * so 10,000 lines would make documents Elasticsearch refuses.
     */
    public static final int MAX_DISPATCH_LINES = 1000;

    /** Serial numbers and other lists. */
    public static final int MAX_LIST_ITEMS = 100_000;

    private static final Set<Class<?>> CHECKED =
            Set.of(
                    GoodsReceipt.class,
                    WorkOrderEvent.class,
                    DispatchNote.class,
                    LotFlag.class,
                    QcResult.class,
                    MachineEvent.class);

    private static final Set<String> IDENTIFIERS =
            Set.of(
                    "lotCode",
                    "receiptId",
                    "eventId",
                    "workOrderId",
                    "dispatchId",
                    "flagId",
                    "checkId",
                    "machineId",
                    "productCode",
                    "materialCode",
                    "customerId",
                    "supplierId",
                    "supplierLotCode",
                    "reversesEventId",
                    "characteristic");

    private static final Set<String> NOT_NEGATIVE = Set.of("quantity", "unitCost", "sampleSize");

    /** Timestamps that lie in the future by nature. */
    private static final Set<String> NO_UPPER_BOUND = Set.of("expiresAt");

    /** record name -> event type -> fields that type needs (JsonEventParser has the same). */
    private static final Map<String, Map<String, List<String>>> REQUIRED_BY_EVENT_TYPE =
            Map.of(
                    "WorkOrderEvent",
                    Map.of(
                            "MATERIAL_CONSUMED", List.of("lotCode", "quantity", "unit"),
                            "OUTPUT_PRODUCED", List.of("lotCode", "quantity", "unit"),
                            "CONSUMPTION_REVERSED",
                                    List.of("lotCode", "quantity", "unit", "reversesEventId")),
                    "MachineEvent",
                    Map.of(
                            "STATE", List.of("state"),
                            "ALARM", List.of("alarmCode"),
                            "MEASUREMENT", List.of("parameter", "value")));

    private EventRules() {}

    /** Whether events of {@code type} are checked at all. */
    public static boolean checks(Class<?> type) {
        return CHECKED.contains(type);
    }

    /**
     * Checks {@code event} (a no-op for types that are not checked).
     *
     * @param recordTimestamp the Kafka record's timestamp (epoch millis; -1 when it has none)
     * @param now the wall clock, used when the record's timestamp is implausible
     * @throws RecordDecodingException with the reason and the field that breaks a rule
     */
    public static void check(Object event, long recordTimestamp, Instant now)
            throws RecordDecodingException {
        if (event == null || !checks(event.getClass())) {
            return;
        }
        IndexedRecord record = (IndexedRecord) event;
        Instant reference =
                recordTimestamp >= EARLIEST.toEpochMilli()
                        ? Instant.ofEpochMilli(recordTimestamp)
                        : now;
        walk(record, "", reference.plus(MAX_AHEAD));
        requiredByEventType(record);
        limitsInOrder(record);
    }

    private static void walk(IndexedRecord record, String prefix, Instant latest)
            throws RecordDecodingException {
        for (Schema.Field field : record.getSchema().getFields()) {
            Object value = record.get(field.pos());
            if (value != null) {
                value(prefix + field.name(), field.name(), nonNull(field.schema()), value, latest);
            }
        }
    }

    private static void value(String path, String name, Schema schema, Object value, Instant latest)
            throws RecordDecodingException {
        switch (schema.getType()) {
            case STRING -> {
                CharSequence text = (CharSequence) value;
                if (text.length() > MAX_STRING_CHARS) {
                    throw new RecordDecodingException(
                            Reason.FIELD_TOO_LONG,
                            "field '"
                                    + path
                                    + "' has "
                                    + text.length()
                                    + " characters, more than the "
                                    + MAX_STRING_CHARS
                                    + " a field may have");
                }
                if (IDENTIFIERS.contains(name) && text.toString().isBlank()) {
                    throw new RecordDecodingException(
                            Reason.MISSING_FIELD, "field '" + path + "' is blank");
                }
            }
            case DOUBLE, FLOAT -> {
                double number = ((Number) value).doubleValue();
                if (!Double.isFinite(number)) {
                    throw new RecordDecodingException(
                            Reason.INVALID_NUMBER, "field '" + path + "' is " + number);
                }
                notNegative(path, name, number);
            }
            case INT -> notNegative(path, name, ((Number) value).doubleValue());
            case LONG -> {
                if (schema.getLogicalType() instanceof LogicalTypes.TimestampMillis
                        && value instanceof Instant at) {
                    timestamp(path, name, at, latest);
                }
            }
            case RECORD -> walk((IndexedRecord) value, path + ".", latest);
            case ARRAY -> {
                Collection<?> items = (Collection<?>) value;
                int max = "lines".equals(name) ? MAX_DISPATCH_LINES : MAX_LIST_ITEMS;
                if (items.size() > max) {
                    throw new RecordDecodingException(
                            Reason.TOO_MANY_ITEMS,
                            "field '"
                                    + path
                                    + "' has "
                                    + items.size()
                                    + " items, more than the "
                                    + max
                                    + " it may have");
                }
                Schema element = nonNull(schema.getElementType());
                int i = 0;
                for (Object item : items) {
                    if (item != null) {
                        value(path + "[" + i + "]", name, element, item, latest);
                    }
                    i++;
                }
            }
            default -> {
                // enums, booleans, bytes: the schema says all there is
            }
        }
    }

    private static void notNegative(String path, String name, double number)
            throws RecordDecodingException {
        if (NOT_NEGATIVE.contains(name) && number < 0) {
            throw new RecordDecodingException(
                    Reason.NEGATIVE_QUANTITY, "field '" + path + "' is negative: " + number);
        }
    }

    private static void timestamp(String path, String name, Instant at, Instant latest)
            throws RecordDecodingException {
        if (at.isBefore(EARLIEST)) {
            throw new RecordDecodingException(
                    Reason.TIMESTAMP_OUT_OF_RANGE,
                    "field '" + path + "' is " + at + ", before " + EARLIEST);
        }
        if (!NO_UPPER_BOUND.contains(name) && at.isAfter(latest)) {
            throw new RecordDecodingException(
                    Reason.TIMESTAMP_OUT_OF_RANGE,
                    "field '"
                            + path
                            + "' is "
                            + at
                            + ", more than "
                            + MAX_AHEAD.toHours()
                            + " h after the record was written ("
                            + latest.minus(MAX_AHEAD)
                            + ")");
        }
    }

    private static void requiredByEventType(IndexedRecord record) throws RecordDecodingException {
        Schema schema = record.getSchema();
        Map<String, List<String>> byType = REQUIRED_BY_EVENT_TYPE.get(schema.getName());
        if (byType == null) {
            return;
        }
        String eventType = String.valueOf(record.get(schema.getField("eventType").pos()));
        for (String field : byType.getOrDefault(eventType, List.of())) {
            Object value = record.get(schema.getField(field).pos());
            if (value == null || (value instanceof CharSequence s && s.toString().isBlank())) {
                throw new RecordDecodingException(
                        Reason.MISSING_FIELD,
                        "field '" + field + "' is required for eventType " + eventType);
            }
        }
    }

    private static void limitsInOrder(IndexedRecord record) throws RecordDecodingException {
        Schema.Field lower = record.getSchema().getField("lowerLimit");
        Schema.Field upper = record.getSchema().getField("upperLimit");
        if (lower == null || upper == null) {
            return;
        }
        if (record.get(lower.pos()) instanceof Double low
                && record.get(upper.pos()) instanceof Double high
                && low > high) {
            throw new RecordDecodingException(
                    Reason.LIMITS_REVERSED, "lowerLimit " + low + " is above upperLimit " + high);
        }
    }

    private static Schema nonNull(Schema schema) {
        if (schema.getType() != Schema.Type.UNION) {
            return schema;
        }
        for (Schema branch : schema.getTypes()) {
            if (branch.getType() != Schema.Type.NULL) {
                return branch;
            }
        }
        return schema;
    }
}
