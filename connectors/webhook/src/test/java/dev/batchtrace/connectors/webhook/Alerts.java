package dev.batchtrace.connectors.webhook;

import dev.batchtrace.events.TraceAlert;
import dev.batchtrace.events.TraceAlertKind;
import dev.batchtrace.events.TraceAlertStatus;
import java.time.Instant;
import java.util.List;

/** Test alerts. */
final class Alerts {

    static final Instant RAISED_AT = Instant.parse("2026-03-02T08:15:30.250Z");

    private Alerts() {}

    /** A shipment alert for a hold on RM-2026-0042 (supplier recall). */
    static TraceAlert shipment(String alertId) {
        return TraceAlert.newBuilder()
                .setAlertId(alertId)
                .setFlagId("F-1")
                .setFlaggedLotCode("RM-2026-0042")
                .setKind(TraceAlertKind.AFFECTED_SHIPMENT)
                .setDispatchId("DN-7781")
                .setCustomerId("C-104")
                .setCustomerName("Nordwind Pumps GmbH")
                .setLotCode("FG-2026-0311")
                .setQuantity(250.0)
                .setUnit("pcs")
                .setPath(List.of("RM-2026-0042", "SA-2026-0107", "FG-2026-0311"))
                .setRaisedAt(RAISED_AT)
                .setStatus(TraceAlertStatus.OPEN)
                .setFlagReason("supplier recall")
                .build();
    }

    static TraceAlert stock(String alertId) {
        return TraceAlert.newBuilder(shipment(alertId))
                .setKind(TraceAlertKind.AFFECTED_STOCK)
                .setDispatchId(null)
                .setCustomerId(null)
                .setCustomerName(null)
                .setLotCode("SA-2026-0107")
                .setQuantity(12.5)
                .setUnit("kg")
                .setPath(List.of("RM-2026-0042", "SA-2026-0107"))
                .build();
    }
}
