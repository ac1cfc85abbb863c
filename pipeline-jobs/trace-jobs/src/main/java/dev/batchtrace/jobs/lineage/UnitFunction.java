package dev.batchtrace.jobs.lineage;

import dev.batchtrace.lineage.documents.TraceDocument;
import dev.batchtrace.lineage.units.UnitDocuments;
import dev.batchtrace.lineage.units.UnitFacts;
import dev.batchtrace.lineage.units.UnitUpdate;
import java.util.Objects;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The unit index (issue 10), keyed by unit ({@link UnitFacts#key}: product and serial): merges what
 * the outputs and dispatch notes say about the unit and writes its {@code trace-units} document
 * when the document changes (once per change; a unit changes rarely, so nothing is coalesced). Unit
 * documents never go into the lot documents: a lot of 100,000 units is 100,000 small documents, not
 * one huge one.
 *
 * <p>State kept forever (no TTL, by design): a unit may be recalled years later; a unit's state is
 * a few outputs and shipments.
 */
public class UnitFunction extends KeyedProcessFunction<String, UnitUpdate, DocumentUpdate> {

    private static final long serialVersionUID = 1L;

    /** UnitFacts: the outputs and shipments of this unit. */
    public static final ValueStateDescriptor<byte[]> UNIT =
            new ValueStateDescriptor<>(
                    "unit-facts", PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO);

    private transient ValueState<byte[]> state;

    @Override
    public void open(OpenContext context) {
        state = getRuntimeContext().getState(UNIT);
    }

    @Override
    public void processElement(UnitUpdate update, Context context, Collector<DocumentUpdate> out) {
        UnitFacts before = FlinkState.value(state, UnitFacts.class);
        UnitFacts after = UnitFacts.merge(before, update.facts());
        if (after.equals(before)) {
            return;
        }
        FlinkState.update(state, after);
        TraceDocument doc = UnitDocuments.unit(after);
        if (before == null ? !doc.isDeletion() : !Objects.equals(doc, UnitDocuments.unit(before))) {
            out.collect(DocumentUpdate.of(doc));
        }
    }
}
