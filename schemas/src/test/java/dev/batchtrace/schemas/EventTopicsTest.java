package dev.batchtrace.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchtrace.events.DeadLetter;
import dev.batchtrace.events.GoodsReceipt;
import dev.batchtrace.events.LotFlag;
import dev.batchtrace.events.LotFlagAction;
import dev.batchtrace.events.LotFlagSeverity;
import dev.batchtrace.events.WorkOrderEvent;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.junit.jupiter.api.Test;

class EventTopicsTest {

    @Test
    void defaultTopicNames() {
        assertEquals(
                List.of(
                        "mes.goods-receipts",
                        "mes.work-orders",
                        "plc.machine-events",
                        "mes.qc-results",
                        "mes.dispatch-notes",
                        "quality.lot-flags",
                        "trace.alerts",
                        "trace.dead-letters"),
                EventTopics.allTopicNames());
        assertEquals(
                List.of(
                        "mes.goods-receipts",
                        "mes.work-orders",
                        "plc.machine-events",
                        "mes.qc-results",
                        "mes.dispatch-notes",
                        "quality.lot-flags"),
                EventTopics.inputTopicNames());
        assertEquals(
                List.of(
                        "GoodsReceipt",
                        "WorkOrderEvent",
                        "MachineEvent",
                        "QcResult",
                        "DispatchNote",
                        "LotFlag"),
                EventTopics.inputRecordNames());
    }

    @Test
    void lookupByRecordNameClassAndTopic() {
        EventTopics.Topic flags = EventTopics.byRecordName("LotFlag");
        assertEquals("quality.lot-flags", flags.name());
        assertEquals(LotFlag.class, flags.recordClass());
        assertEquals(flags, EventTopics.byRecordName("dev.batchtrace.events.LotFlag"));
        assertEquals(flags, EventTopics.byClass(LotFlag.class));
        assertEquals(flags, EventTopics.findByTopicName("quality.lot-flags").orElseThrow());
        assertEquals("mes.work-orders", EventTopics.byClass(WorkOrderEvent.class).name());
        assertTrue(EventTopics.findByTopicName("no.such-topic").isEmpty());
    }

    @Test
    void unknownRecordIsRejectedWithTheKnownNames() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> EventTopics.byRecordName("Foo"));
        assertTrue(e.getMessage().contains("unknown record 'Foo'"), e.getMessage());
        assertTrue(e.getMessage().contains("GoodsReceipt"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> EventTopics.byClass(String.class));
    }

    @Test
    void schemaOfEachRecordIsItsGeneratedSchema() {
        for (EventTopics.Topic topic : EventTopics.all()) {
            Schema schema = topic.schema();
            assertEquals(topic.recordClass().getName(), schema.getFullName());
            assertEquals(schema, EventTopics.schemaOf(topic.recordName()));
            assertEquals(schema, EventTopics.schemaOf(topic.recordClass()));
            topic.key()
                    .ifPresent(
                            field ->
                                    assertEquals(
                                            Schema.Type.STRING,
                                            schema.getField(field).schema().getType(),
                                            topic.name() + " key field " + field));
        }
    }

    @Test
    void everyContractRecordHasExactlyOneTopic() {
        Set<String> records =
                EventTopics.all().stream()
                        .map(EventTopics.Topic::recordName)
                        .collect(Collectors.toSet());
        assertEquals(EventTopics.all().size(), records.size());
        assertEquals(8, records.size());
    }

    @Test
    void keyIsTheNaturalKeyForSpecificAndGenericRecords() {
        LotFlag flag =
                LotFlag.newBuilder()
                        .setFlagId("F-1")
                        .setLotCode("L-42")
                        .setAction(LotFlagAction.HOLD)
                        .setReason("complaint")
                        .setSeverity(LotFlagSeverity.MAJOR)
                        .setFlaggedBy("qa")
                        .setFlaggedAt(Instant.parse("2026-11-02T10:00:00Z"))
                        .build();
        EventTopics.Topic topic = EventTopics.byClass(LotFlag.class);
        assertEquals("L-42", topic.keyOf(flag));

        GenericData.Record generic = new GenericData.Record(LotFlag.getClassSchema());
        generic.put("lotCode", "L-43");
        assertEquals("L-43", topic.keyOf(generic));

        assertEquals("workOrderId", EventTopics.byClass(WorkOrderEvent.class).keyField());
        assertEquals("machineId", EventTopics.byRecordName("MachineEvent").keyField());
        assertEquals("dispatchId", EventTopics.byRecordName("DispatchNote").keyField());
        assertEquals("lotCode", EventTopics.byRecordName("QcResult").keyField());
        assertEquals("lotCode", EventTopics.byClass(GoodsReceipt.class).keyField());
    }

    @Test
    void deadLettersAreUnkeyedAndRecordTypeIsChecked() {
        EventTopics.Topic deadLetters = EventTopics.byClass(DeadLetter.class);
        assertTrue(deadLetters.key().isEmpty());
        assertNull(deadLetters.keyOf(new GenericData.Record(DeadLetter.getClassSchema())));

        EventTopics.Topic receipts = EventTopics.byClass(GoodsReceipt.class);
        assertThrows(
                IllegalArgumentException.class,
                () -> receipts.keyOf(new GenericData.Record(LotFlag.getClassSchema())));
    }
}
