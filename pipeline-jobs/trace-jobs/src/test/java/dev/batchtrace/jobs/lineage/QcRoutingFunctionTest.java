package dev.batchtrace.jobs.lineage;

import static dev.batchtrace.lineage.Events.produced;
import static dev.batchtrace.lineage.Events.qc;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.batchtrace.events.QcResult;
import dev.batchtrace.events.WorkOrderEvent;
import dev.batchtrace.lineage.quality.QcCheck;
import dev.batchtrace.lineage.quality.WorkOrderAttachment;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class QcRoutingFunctionTest {

    private static KeyedTwoInputStreamOperatorTestHarness<
                    String, WorkOrderEvent, QcResult, WorkOrderAttachment>
            harness() throws Exception {
        var harness =
                new KeyedTwoInputStreamOperatorTestHarness<>(
                        new KeyedCoProcessOperator<>(new QcRoutingFunction()),
                        WorkOrderEvent::getLotCode,
                        QcResult::getLotCode,
                        Utf8StringTypeInfo.INSTANCE);
        harness.setup(ModelTypeInfo.of(WorkOrderAttachment.class).createSerializer(null));
        return harness;
    }

    private static List<WorkOrderAttachment> output(
            KeyedTwoInputStreamOperatorTestHarness<?, ?, ?, WorkOrderAttachment> harness) {
        List<WorkOrderAttachment> out = new ArrayList<>();
        for (Object record : harness.getOutput()) {
            if (record instanceof StreamRecord<?> r) {
                out.add((WorkOrderAttachment) r.getValue());
            }
        }
        return out;
    }

    @Test
    void anUntaggedCheckWaitsForItsProducerAcrossARestoreAndIsSentOnce() throws Exception {
        QcResult check = qc("QC-1", "LOT-P", null, false, 5);
        var harness = harness();
        harness.open();
        harness.processElement2(check, 0);
        harness.processElement2(check, 0); // retried
        assertEquals(List.of(), output(harness), "no producer yet");
        var snapshot = harness.snapshot(1L, 1L);
        harness.close();

        harness = harness();
        harness.initializeState(snapshot);
        harness.open();
        harness.processElement1(produced("E1", "WO-1", "LOT-P"), 0);
        harness.processElement1(produced("E1", "WO-1", "LOT-P"), 0); // retried
        harness.processElement1(produced("E2", "WO-2", "LOT-P"), 0); // a second producer
        harness.processElement2(check, 0);
        assertEquals(
                List.of(
                        new WorkOrderAttachment.Check("WO-1", QcCheck.of(check)),
                        new WorkOrderAttachment.Check("WO-2", QcCheck.of(check))),
                output(harness));
        harness.close();
    }
}
