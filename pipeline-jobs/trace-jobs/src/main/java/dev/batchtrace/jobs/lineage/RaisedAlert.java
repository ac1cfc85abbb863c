package dev.batchtrace.jobs.lineage;

import dev.batchtrace.lineage.holds.HoldAlert;
import java.time.Instant;
import java.util.Objects;

/**
 * An alert a node has sent as OPEN and not yet resolved, with the processing time it was first
 * sent: the RESOLVED record and later updates of its document keep that {@code raisedAt}. Kept in
 * the {@code raised-alerts} state of a lot and of a shipment's alert stage ({@link
 * AlertStateCodec}).
 *
 * @param alert the alert as last derived (its content may change while its id stays)
 * @param raisedAt when the OPEN record was sent
 */
public record RaisedAlert(HoldAlert alert, Instant raisedAt) {

    public RaisedAlert {
        Objects.requireNonNull(alert, "alert");
        Objects.requireNonNull(raisedAt, "raisedAt");
    }
}
