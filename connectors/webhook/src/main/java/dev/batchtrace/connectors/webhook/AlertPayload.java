package dev.batchtrace.connectors.webhook;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.batchtrace.events.TraceAlert;
import dev.batchtrace.events.TraceAlertKind;
import dev.batchtrace.events.TraceAlertStatus;
import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;

/**
 * The JSON body POSTed for one {@link TraceAlert}. {@code text} is a one-line summary that chat
 * tools show as the message (Slack, Mattermost and Rocket.Chat incoming webhooks read a top-level
 * {@code text}); the other fields are for systems (ticketing, e-mail gateways). Optional fields are
 * {@code null} in the JSON, not left out, so receivers see a stable shape.
 */
@JsonPropertyOrder({
    "alertId",
    "idempotencyKey",
    "kind",
    "status",
    "flagId",
    "flaggedLotCode",
    "flagReason",
    "lotCode",
    "dispatchId",
    "customerId",
    "customerName",
    "quantity",
    "unit",
    "path",
    "raisedAt",
    "text"
})
public record AlertPayload(
        String alertId,
        String idempotencyKey,
        String kind,
        String status,
        String flagId,
        String flaggedLotCode,
        String flagReason,
        String lotCode,
        String dispatchId,
        String customerId,
        String customerName,
        double quantity,
        String unit,
        List<String> path,
        String raisedAt,
        String text) {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    public static AlertPayload from(TraceAlert alert) {
        Objects.requireNonNull(alert, "alert");
        return new AlertPayload(
                alert.getAlertId(),
                idempotencyKey(alert),
                alert.getKind().name(),
                status(alert).name(),
                alert.getFlagId(),
                alert.getFlaggedLotCode(),
                alert.getFlagReason(),
                alert.getLotCode(),
                alert.getDispatchId(),
                alert.getCustomerId(),
                alert.getCustomerName(),
                alert.getQuantity(),
                alert.getUnit(),
                List.copyOf(alert.getPath()),
                alert.getRaisedAt() == null ? null : alert.getRaisedAt().toString(),
                text(alert));
    }

    /**
     * {@code <alertId>/<status>}: the same alert opened and later resolved are two deliveries, a
     * re-sent one has the same key. Receivers deduplicate on it.
     */
    public static String idempotencyKey(TraceAlert alert) {
        return alert.getAlertId() + "/" + status(alert).name();
    }

    /** The body as UTF-8 JSON. */
    public byte[] toJson() {
        try {
            return MAPPER.writeValueAsBytes(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write alert " + alertId + " as JSON", e);
        }
    }

    /**
     * The human line, e.g. {@code HOLD on RM-1 (supplier recall): shipment DN-7 to Acme (C-3)
     * carries FG-9 250 pcs, path RM-1 > SA-2 > FG-9}.
     */
    public static String text(TraceAlert alert) {
        StringBuilder out = new StringBuilder();
        boolean resolved = status(alert) == TraceAlertStatus.RESOLVED;
        out.append(resolved ? "RESOLVED hold on " : "HOLD on ").append(alert.getFlaggedLotCode());
        if (alert.getFlagReason() != null && !alert.getFlagReason().isBlank()) {
            out.append(" (").append(alert.getFlagReason().strip()).append(')');
        }
        out.append(": ");
        String goods =
                alert.getLotCode() + " " + quantity(alert.getQuantity()) + " " + alert.getUnit();
        TraceAlertKind kind = alert.getKind();
        if (kind == TraceAlertKind.AFFECTED_STOCK) {
            out.append("stock of ")
                    .append(goods)
                    .append(resolved ? " may be released" : " to quarantine");
        } else {
            out.append(
                            kind == TraceAlertKind.SHIPPED_WHILE_ON_HOLD
                                    ? "SHIPPED WHILE ON HOLD, "
                                    : "")
                    .append("shipment ")
                    .append(alert.getDispatchId() == null ? "(unknown)" : alert.getDispatchId())
                    .append(" to ")
                    .append(customer(alert))
                    .append(" carries ")
                    .append(goods);
        }
        List<String> path = alert.getPath();
        if (path != null && !path.isEmpty()) {
            out.append(", path ").append(String.join(" > ", path));
        }
        return out.toString();
    }

    private static String customer(TraceAlert alert) {
        String name = alert.getCustomerName();
        String id = alert.getCustomerId();
        if (name != null && !name.isBlank()) {
            return id == null ? name : name + " (" + id + ")";
        }
        return id == null ? "an unknown customer" : "customer " + id;
    }

    /** 250.0 prints as 250, 12.5 as 12.5: people read these. */
    static String quantity(double quantity) {
        if (Double.isNaN(quantity) || Double.isInfinite(quantity)) {
            return Double.toString(quantity);
        }
        return BigDecimal.valueOf(quantity).stripTrailingZeros().toPlainString();
    }

    private static TraceAlertStatus status(TraceAlert alert) {
        // records read with an older reader schema may carry no status: that reads as OPEN
        return alert.getStatus() == null ? TraceAlertStatus.OPEN : alert.getStatus();
    }
}
