package dev.batchtrace.jobs.lineage;

import dev.batchtrace.lineage.LineageMessage;
import dev.batchtrace.lineage.NodeKey;
import dev.batchtrace.lineage.NodeProtocol;
import dev.batchtrace.lineage.TraceDocuments;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Stage 2: one genealogy node (a lot or a shipment), keyed by {@link NodeKey#toString()}. Runs the
 * model's closure protocol ({@link NodeProtocol}) over this node's Flink state; messages for other
 * nodes (closures to children) are the main output and go to the feedback topic. When the node's
 * document changed it is marked dirty and emitted once from a processing-time timer {@code
 * coalesceDelay} later (side output {@link #DOCUMENTS}): a resin lot consumed 10,000 times is
 * rewritten a handful of times, not 10,000.
 *
 * <p>State kept forever (no TTL, by design): facts, parent and child links (including removed-via
 * tombstones), contributions and the announcement. The genealogy is the product: a recall reaches
 * back years, to lots whose last event is long past, and a new work order may consume a lot at any
 * time; expiring any piece would silently cut the closure. Size grows with lots and edges, which is
 * why every piece is its own RocksDB-friendly ValueState/MapState. Only the pending-timer marker is
 * cleared (by its timer).
 */
public class LineageNodeFunction
        extends KeyedProcessFunction<String, LineageMessage, LineageMessage> {

    private static final long serialVersionUID = 1L;

    /** Side output: trace documents of lots and shipments (coalesced). */
    public static final OutputTag<DocumentUpdate> DOCUMENTS =
            new OutputTag<>("node-documents", TypeInformation.of(DocumentUpdate.class));

    private static final TypeInformation<byte[]> BYTES =
            PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO;

    public static final ValueStateDescriptor<byte[]> LOT_FACTS =
            new ValueStateDescriptor<>("lot-facts", BYTES);
    public static final ValueStateDescriptor<byte[]> SHIPMENT_FACTS =
            new ValueStateDescriptor<>("shipment-facts", BYTES);

    /** parent node key -> Link (vias); the edge exists while a via is present. */
    public static final MapStateDescriptor<String, byte[]> PARENTS =
            new MapStateDescriptor<>("parents", Types.STRING, BYTES);

    /** child node key -> Link (vias). */
    public static final MapStateDescriptor<String, byte[]> CHILDREN =
            new MapStateDescriptor<>("children", Types.STRING, BYTES);

    /** sender node key -> its newest Announcement (waits here until the sender is a parent). */
    public static final MapStateDescriptor<String, byte[]> CONTRIBUTIONS =
            new MapStateDescriptor<>("contributions", Types.STRING, BYTES);

    /** this node's own Announcement: closure + itself, with its version. */
    public static final ValueStateDescriptor<byte[]> ANNOUNCEMENT =
            new ValueStateDescriptor<>("announcement", BYTES);

    /** processing time of the pending document timer; null when the document is not dirty. */
    public static final ValueStateDescriptor<Long> DOCUMENT_TIMER =
            new ValueStateDescriptor<>("document-timer", Types.LONG);

    private final long coalesceMillis;

    private transient FlinkNodeStore store;
    private transient ValueState<Long> documentTimer;

    public LineageNodeFunction(Duration coalesceDelay) {
        this.coalesceMillis = coalesceDelay.toMillis();
    }

    @Override
    public void open(OpenContext context) {
        store =
                new FlinkNodeStore(
                        getRuntimeContext().getState(LOT_FACTS),
                        getRuntimeContext().getState(SHIPMENT_FACTS),
                        getRuntimeContext().getMapState(PARENTS),
                        getRuntimeContext().getMapState(CHILDREN),
                        getRuntimeContext().getMapState(CONTRIBUTIONS),
                        getRuntimeContext().getState(ANNOUNCEMENT));
        documentTimer = getRuntimeContext().getState(DOCUMENT_TIMER);
    }

    @Override
    public void processElement(
            LineageMessage message, Context context, Collector<LineageMessage> out)
            throws Exception {
        if (!message.target().toString().equals(context.getCurrentKey())) {
            throw new IllegalStateException(
                    "message for "
                            + message.target()
                            + " arrived at key "
                            + context.getCurrentKey()
                            + ": the stream must be keyed by target().toString()");
        }
        boolean documentChanged = NodeProtocol.apply(message, store, out::collect);
        if (documentChanged && documentTimer.value() == null) {
            long at = context.timerService().currentProcessingTime() + coalesceMillis;
            context.timerService().registerProcessingTimeTimer(at);
            documentTimer.update(at);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext context, Collector<LineageMessage> out)
            throws Exception {
        documentTimer.clear();
        NodeKey node = NodeKey.parse(context.getCurrentKey());
        context.output(DOCUMENTS, DocumentUpdate.of(TraceDocuments.node(node, store)));
    }
}
