package dev.batchtrace.lineage.quality;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.batchtrace.lineage.LineageCodec;
import dev.batchtrace.machine.MachineRunSummary;
import java.util.Objects;

/**
 * Something that belongs to one work order besides its own events, routed to the work-order stage
 * by {@link #workOrderId()}: a QC check of one of its lots, or what a machine did during its run
 * there. Bytes: {@link LineageCodec#encodeValue} / {@code decodeValue(bytes,
 * WorkOrderAttachment.class)}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = WorkOrderAttachment.Check.class, name = "qcCheck"),
    @JsonSubTypes.Type(value = WorkOrderAttachment.MachineRun.class, name = "machineRun")
})
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

    /** A machine run summary of this work order (never an idle bucket). */
    record MachineRun(MachineRunSummary summary) implements WorkOrderAttachment {
        public MachineRun {
            Objects.requireNonNull(summary, "summary");
            if (summary.workOrderId() == null) {
                throw new IllegalArgumentException(
                        "an idle summary belongs to no work order: " + summary.key());
            }
        }

        @Override
        public String workOrderId() {
            return summary.workOrderId();
        }
    }
}
