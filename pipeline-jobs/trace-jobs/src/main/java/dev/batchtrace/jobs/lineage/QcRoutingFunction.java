package dev.batchtrace.jobs.lineage;

import dev.batchtrace.events.QcResult;
import dev.batchtrace.events.WorkOrderEvent;
import dev.batchtrace.lineage.quality.QcRouting;
import dev.batchtrace.lineage.quality.WorkOrderAttachment;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by lot code: joins a lot's OUTPUT_PRODUCED events with its QC checks that name no work
 * order ({@link QcRouting}), so such a check still reaches the work order(s) that produced the lot.
 * Output: {@link WorkOrderAttachment.Check}s for the work-order stage.
 *
 * <p>State kept forever (no TTL, by design, like the genealogy): per lot the producing work-order
 * ids (usually one) and its untagged checks; a final inspection may be booked long after the lot
 * was made, and an untagged incoming inspection of a purchased lot waits here for a producer that
 * never comes (a few small entries per lot).
 */
public class QcRoutingFunction
        extends KeyedCoProcessFunction<String, WorkOrderEvent, QcResult, WorkOrderAttachment> {

    private static final long serialVersionUID = 1L;

    /** set of the work orders that produced the lot. */
    public static final MapStateDescriptor<String, Boolean> PRODUCERS =
            new MapStateDescriptor<>(
                    "qc-lot-producers", Utf8StringTypeInfo.INSTANCE, Types.BOOLEAN);

    /** checkId -> QcCheck: the lot's checks that name no work order. */
    public static final MapStateDescriptor<String, byte[]> UNTAGGED_CHECKS =
            new MapStateDescriptor<>(
                    "qc-untagged-checks",
                    Utf8StringTypeInfo.INSTANCE,
                    PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO);

    private transient FlinkQcRouteStore store;

    @Override
    public void open(OpenContext context) {
        store =
                new FlinkQcRouteStore(
                        getRuntimeContext().getMapState(PRODUCERS),
                        getRuntimeContext().getMapState(UNTAGGED_CHECKS));
    }

    @Override
    public void processElement1(
            WorkOrderEvent produced, Context context, Collector<WorkOrderAttachment> out) {
        QcRouting.apply(produced, store, out::collect);
    }

    @Override
    public void processElement2(
            QcResult result, Context context, Collector<WorkOrderAttachment> out) {
        QcRouting.apply(result, store, out::collect);
    }
}
