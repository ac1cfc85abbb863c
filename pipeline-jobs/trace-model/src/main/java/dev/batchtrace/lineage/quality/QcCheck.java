package dev.batchtrace.lineage.quality;

import dev.batchtrace.events.QcResult;
import dev.batchtrace.lineage.LineageCodec;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One quality check of one characteristic of a lot (a {@code QcResult}), as kept on the lot and on
 * its work order. Gateways retry, so the same {@code checkId} may arrive more than once: it counts
 * once ({@link #merge}); two different contents under one id (bad data) resolve order-free to the
 * later check, then the larger content.
 *
 * @param result {@link #PASS} or {@link #FAIL}
 * @param workOrderId the work order the check belongs to, or null (incoming inspection)
 */
public record QcCheck(
        String checkId,
        String lotCode,
        String workOrderId,
        String characteristic,
        Double value,
        Double lowerLimit,
        Double upperLimit,
        String unit,
        String result,
        String inspectorId,
        Instant checkedAt,
        Integer sampleSize,
        String note)
        implements Comparable<QcCheck> {

    public static final String PASS = "PASS";
    public static final String FAIL = "FAIL";

    /** Document order: by time, then id (the checks of a lot read as its inspection history). */
    public static final Comparator<QcCheck> DOCUMENT_ORDER =
            Comparator.comparing(
                            QcCheck::checkedAt, Comparator.nullsFirst(Comparator.naturalOrder()))
                    .thenComparing(QcCheck::checkId);

    public QcCheck {
        Objects.requireNonNull(checkId, "checkId");
        Objects.requireNonNull(lotCode, "lotCode");
    }

    public static QcCheck of(QcResult r) {
        return new QcCheck(
                r.getCheckId(),
                r.getLotCode(),
                r.getWorkOrderId(),
                r.getCharacteristic(),
                r.getValue(),
                r.getLowerLimit(),
                r.getUpperLimit(),
                r.getUnit(),
                r.getResult() == null ? null : r.getResult().name(),
                r.getInspectorId(),
                r.getCheckedAt(),
                r.getSampleSize(),
                r.getNote());
    }

    public boolean failed() {
        return FAIL.equals(result);
    }

    /** Order-insensitive and idempotent; either side may be null. */
    public static QcCheck merge(QcCheck a, QcCheck b) {
        if (a == null || a.equals(b)) {
            return b == null ? a : b;
        }
        if (b == null) {
            return a;
        }
        return a.compareTo(b) >= 0 ? a : b;
    }

    /** Total order over the content: checkedAt, then the JSON of the whole check. */
    @Override
    public int compareTo(QcCheck other) {
        int byTime =
                Comparator.nullsFirst(Comparator.<Instant>naturalOrder())
                        .compare(checkedAt, other.checkedAt);
        if (byTime != 0) {
            return byTime;
        }
        // rare (same id, same time, other content): any deterministic order will do
        return LineageCodec.toJson(toDocument()).compareTo(LineageCodec.toJson(other.toDocument()));
    }

    /** The check as it appears in {@code qcChecks} of lot and work-order documents. */
    public Map<String, Object> toDocument() {
        TreeMap<String, Object> d = new TreeMap<>();
        d.put("checkId", checkId);
        d.put("lotCode", lotCode);
        putIfSet(d, "workOrderId", workOrderId);
        putIfSet(d, "characteristic", characteristic);
        putIfSet(d, "value", value);
        putIfSet(d, "lowerLimit", lowerLimit);
        putIfSet(d, "upperLimit", upperLimit);
        putIfSet(d, "unit", unit);
        putIfSet(d, "result", result);
        putIfSet(d, "inspectorId", inspectorId);
        putIfSet(d, "checkedAt", checkedAt == null ? null : checkedAt.toString());
        putIfSet(d, "sampleSize", sampleSize);
        putIfSet(d, "note", note);
        return d;
    }

    private static void putIfSet(Map<String, Object> d, String field, Object value) {
        if (value != null) {
            d.put(field, value);
        }
    }
}
