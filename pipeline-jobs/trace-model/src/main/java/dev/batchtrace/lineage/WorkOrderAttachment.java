package dev.batchtrace.lineage;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.Objects;

/**
 * Something that belongs to one work order besides its own events, routed to the work-order stage
 * by {@link #workOrderId()}: a QC check of one of its lots. Bytes: {@link LineageCodec#encodeValue}
 * / {@code decodeValue(bytes, WorkOrderAttachment.class)}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({@JsonSubTypes.Type(value = WorkOrderAttachment.Check.class, name = "qcCheck")})
public sealed interface WorkOrderAttachment {

    /** The work order this belongs to (its routing key). */
    String workOrderId();

    /** A QC check that names this work order. */
    record Check(String workOrderId, QcCheck check) implements WorkOrderAttachment {
        public Check {
            Objects.requireNonNull(workOrderId, "workOrderId");
            Objects.requireNonNull(check, "check");
        }
    }
}
