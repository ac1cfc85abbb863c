package dev.batchtrace.cli.query;

import java.time.Instant;
import java.util.List;

/** An open alert the pipeline raised for the flagged lot (a {@code trace-alerts} document). */
public record RecallAlert(
        String alertId,
        String kind,
        String status,
        String severity,
        String flagId,
        String dispatchId,
        String customerId,
        String customerName,
        String lotCode,
        Double quantity,
        String unit,
        String quantityBasis,
        List<String> path,
        Instant raisedAt) {

    public RecallAlert {
        path = List.copyOf(path);
    }
}
