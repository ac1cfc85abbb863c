package dev.batchtrace.lineage.holds;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.batchtrace.events.TraceAlert;
import dev.batchtrace.events.TraceAlertKind;
import dev.batchtrace.events.TraceAlertStatus;
import dev.batchtrace.lineage.documents.TraceDocument;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One alert a hold raises, derived from a node's state ({@link HoldAlerts}); a pure function of the
 * events, so processing time ({@code raisedAt}) is added only when it is sent.
 *
 * @param alertId deterministic: same kind, flag, node and lot give the same id, so a replay or a
 *     restart never raises one twice and the RESOLVED record overwrites the OPEN one
 * @param kind {@link #AFFECTED_SHIPMENT}, {@link #AFFECTED_STOCK} or {@link #SHIPPED_WHILE_ON_HOLD}
 * @param status {@link #OPEN} or {@link #RESOLVED}
 * @param severity the flag's severity; CRITICAL for SHIPPED_WHILE_ON_HOLD
 * @param holdSince when the hold was set
 * @param quantity shipped on that dispatch (shipment alerts) or still in stock
 * @param quantityBasis what {@code quantity} is: "SHIPPED", "REMAINING" (received or produced minus
 *     consumed minus shipped) or "RECEIVED_OR_PRODUCED" (stock whose remainder cannot be derived:
 *     units differ or quantities are missing; the whole quantity, to be safe)
 * @param path the flagged lot and {@code lotCode} (one element when they are the same)
 * @param lotCodes a shipment alert: every affected lot of the dispatch note, sorted ({@code
 *     lotCode} is the first); a stock alert: {@code lotCode}
 */
public record HoldAlert(
        String alertId,
        String kind,
        String status,
        String severity,
        String flagId,
        String flaggedLotCode,
        String flagReason,
        Instant holdSince,
        String dispatchId,
        String customerId,
        String customerName,
        String destination,
        Instant shippedAt,
        String lotCode,
        Double quantity,
        String unit,
        String quantityBasis,
        List<String> path,
        List<String> lotCodes)
        implements Comparable<HoldAlert> {

    public static final String AFFECTED_SHIPMENT = "AFFECTED_SHIPMENT";
    public static final String AFFECTED_STOCK = "AFFECTED_STOCK";
    public static final String SHIPPED_WHILE_ON_HOLD = "SHIPPED_WHILE_ON_HOLD";
    public static final String OPEN = "OPEN";
    public static final String RESOLVED = "RESOLVED";

    /** Index alias of the alert documents (template trace-alerts). */
    public static final String INDEX = "trace-alerts";

    public HoldAlert {
        Objects.requireNonNull(alertId, "alertId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(lotCode, "lotCode");
        path = path == null ? List.of() : List.copyOf(path);
        lotCodes =
                lotCodes == null || lotCodes.isEmpty() ? List.of(lotCode) : List.copyOf(lotCodes);
    }

    public HoldAlert withStatus(String newStatus) {
        return new HoldAlert(
                alertId,
                kind,
                newStatus,
                severity,
                flagId,
                flaggedLotCode,
                flagReason,
                holdSince,
                dispatchId,
                customerId,
                customerName,
                destination,
                shippedAt,
                lotCode,
                quantity,
                unit,
                quantityBasis,
                path,
                lotCodes);
    }

    @JsonIgnore
    public boolean isOpen() {
        return OPEN.equals(status);
    }

    /**
     * The Avro record for the topic trace.alerts. An unknown quantity or unit (a shipped lot
     * missing from its own dispatch lines, bad data) is sent as 0 and "".
     */
    public TraceAlert toTraceAlert(Instant raisedAt) {
        return TraceAlert.newBuilder()
                .setAlertId(alertId)
                .setFlagId(flagId)
                .setFlaggedLotCode(flaggedLotCode)
                .setKind(TraceAlertKind.valueOf(kind))
                .setDispatchId(dispatchId)
                .setCustomerId(customerId)
                .setLotCode(lotCode)
                .setQuantity(quantity == null ? 0 : quantity)
                .setUnit(unit == null ? "" : unit)
                .setPath(path)
                .setRaisedAt(raisedAt)
                .setStatus(TraceAlertStatus.valueOf(status))
                .setCustomerName(customerName)
                .setFlagReason(flagReason)
                .setLotCodes(lotCodes)
                .build();
    }

    /**
     * The document for the index trace-alerts (id = alertId): the template's fields plus, kept in
     * _source only, the rest of the alert. {@code raisedAt}/{@code resolvedAt} come from the sender
     * (processing time), null ones are left out.
     */
    public TraceDocument toDocument(Instant raisedAt, Instant resolvedAt) {
        TreeMap<String, Object> d = new TreeMap<>();
        d.put("alertId", alertId);
        d.put("kind", kind);
        d.put("status", status);
        d.put("lotCode", lotCode);
        d.put("path", path);
        d.put("lotCodes", lotCodes);
        putIfSet(d, "severity", severity);
        putIfSet(d, "flagId", flagId);
        putIfSet(d, "flaggedLotCode", flaggedLotCode);
        putIfSet(d, "flagReason", flagReason);
        putIfSet(d, "holdSince", holdSince);
        putIfSet(d, "dispatchId", dispatchId);
        putIfSet(d, "customerId", customerId);
        putIfSet(d, "customerName", customerName);
        putIfSet(d, "destination", destination);
        putIfSet(d, "shippedAt", shippedAt);
        putIfSet(d, "quantity", quantity);
        putIfSet(d, "unit", unit);
        putIfSet(d, "quantityBasis", quantityBasis);
        putIfSet(d, "raisedAt", raisedAt);
        putIfSet(d, "resolvedAt", resolvedAt);
        return new TraceDocument(INDEX, alertId, d);
    }

    private static void putIfSet(TreeMap<String, Object> d, String field, Object value) {
        if (value instanceof Instant instant) {
            d.put(field, instant.toString());
        } else if (value != null) {
            d.put(field, value);
        }
    }

    @Override
    public int compareTo(HoldAlert o) {
        return alertId.compareTo(o.alertId);
    }
}
