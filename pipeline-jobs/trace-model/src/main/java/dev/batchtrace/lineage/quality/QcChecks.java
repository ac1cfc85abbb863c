package dev.batchtrace.lineage.quality;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The QC checks of one lot or one work order, by checkId (a re-sent check counts once). Merging is
 * per id with {@link QcCheck#merge}: commutative, associative, idempotent.
 */
public record QcChecks(SortedMap<String, QcCheck> byId) {

    public static final QcChecks NONE = new QcChecks(null);

    /** Every check passed. */
    public static final String PASSED = "PASSED";

    /** At least one check failed (a passed retest does not undo it: the FAIL stays on record). */
    public static final String FAILED = "FAILED";

    /** No check yet. */
    public static final String PENDING = "PENDING";

    public QcChecks {
        byId = Collections.unmodifiableSortedMap(new TreeMap<>(byId == null ? Map.of() : byId));
    }

    public static QcChecks orNone(QcChecks checks) {
        return checks == null ? NONE : checks;
    }

    /** These checks with {@code check} merged in (this instance when nothing changes). */
    public QcChecks with(QcCheck check) {
        QcCheck before = byId.get(check.checkId());
        QcCheck after = QcCheck.merge(before, check);
        if (after.equals(before)) {
            return this;
        }
        TreeMap<String, QcCheck> next = new TreeMap<>(byId);
        next.put(check.checkId(), after);
        return new QcChecks(next);
    }

    public boolean isEmpty() {
        return byId.isEmpty();
    }

    /** The checks in document order (time, then id). */
    public List<QcCheck> inDocumentOrder() {
        return sorted(byId.values());
    }

    public static List<QcCheck> sorted(Collection<QcCheck> checks) {
        List<QcCheck> list = new ArrayList<>(checks);
        list.sort(QcCheck.DOCUMENT_ORDER);
        return list;
    }

    /**
     * PASSED when every check passed, FAILED when any failed, and with no check PENDING, or null
     * when {@code pendingWhenNone} is false (a lot that need not be inspected).
     */
    public static String status(Collection<QcCheck> checks, boolean pendingWhenNone) {
        if (checks.isEmpty()) {
            return pendingWhenNone ? PENDING : null;
        }
        return checks.stream().anyMatch(QcCheck::failed) ? FAILED : PASSED;
    }
}
