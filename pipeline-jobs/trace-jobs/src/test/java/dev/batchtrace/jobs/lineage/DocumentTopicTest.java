package dev.batchtrace.jobs.lineage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchtrace.connectors.elasticsearch.TraceDocument;
import dev.batchtrace.jobs.RecordSizeGuard;
import dev.batchtrace.lineage.LineageCodec;
import dev.batchtrace.lineage.closure.AncestorEntry;
import dev.batchtrace.lineage.closure.LineageMessage;
import dev.batchtrace.lineage.closure.NodeKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/** The byte formats of the job's own topics and of lineage messages between operators. */
class DocumentTopicTest {

    @Test
    void documentKeyIsIndexSlashIdAndTheOffsetBecomesTheExternalVersion() throws Exception {
        DocumentUpdate update =
                new DocumentUpdate(
                        "trace-lots", "LOT/WITH/SLASHES", "{\"lotCode\":\"LOT/WITH/SLASHES\"}");
        ProducerRecord<byte[], byte[]> produced =
                new DocumentTopic.Serializer("trace.documents", guard("trace.documents"))
                        .serialize(update, null, null);
        assertEquals("trace.documents", produced.topic());
        assertEquals(
                "trace-lots/LOT/WITH/SLASHES", new String(produced.key(), StandardCharsets.UTF_8));

        DocumentRecord record =
                read(
                        new ConsumerRecord<>(
                                "trace.documents", 1, 42L, produced.key(), produced.value()));
        assertEquals(
                new DocumentRecord("trace-lots", "LOT/WITH/SLASHES", 42L, update.json()), record);

        TraceDocument write = DocumentTopic.converter().convert(record);
        assertEquals("trace-lots", write.index());
        assertEquals("LOT/WITH/SLASHES", write.id());
        assertEquals(42L, write.version());
        assertEquals(update.json(), write.json(), "the JSON goes to Elasticsearch as it is");
        assertNull(write.source());
        assertFalse(write.isDelete());
    }

    @Test
    void aDeletionTravelsAsATombstoneAndDeletesAtItsOffset() throws Exception {
        DocumentUpdate deletion = new DocumentUpdate("trace-lots", "LOT-X", null);
        ProducerRecord<byte[], byte[]> produced =
                new DocumentTopic.Serializer("t", guard("t")).serialize(deletion, null, null);
        assertNull(produced.value());
        DocumentRecord record = read(new ConsumerRecord<>("t", 0, 7L, produced.key(), null));
        TraceDocument write = DocumentTopic.converter().convert(record);
        assertTrue(write.isDelete());
        assertEquals(7L, write.version());
    }

    @Test
    void aRecordTheBrokerWouldRefuseIsNotSentButCounted() {
        // 20 KiB per request: 4 KiB for a value after the headroom
        RecordSizeGuard documents = new RecordSizeGuard("t", RecordSizeGuard.HEADROOM_BYTES + 4096);
        DocumentTopic.Serializer serializer = new DocumentTopic.Serializer("t", documents);
        String big = "{\"lotCode\":\"" + "x".repeat(5000) + "\"}";
        assertNull(serializer.serialize(new DocumentUpdate("trace-lots", "L", big), null, null));
        assertEquals(1, documents.dropped());
        String small = "{\"lotCode\":\"L\"}";
        assertNotNull(
                serializer.serialize(new DocumentUpdate("trace-lots", "L", small), null, null));
        assertNotNull(
                serializer.serialize(new DocumentUpdate("trace-lots", "L", null), null, null),
                "a tombstone always fits");
        assertEquals(1, documents.dropped());

        RecordSizeGuard feedback = new RecordSizeGuard("fb", RecordSizeGuard.HEADROOM_BYTES + 4096);
        List<AncestorEntry> many = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            many.add(new AncestorEntry("LOT-" + i, null, null, null, 1));
        }
        LineageMessage closure =
                LineageMessage.Closure.whole(NodeKey.lot("C"), NodeKey.lot("P"), 1, many);
        assertNull(new FeedbackTopic.Serializer("fb", feedback).serialize(closure, null, null));
        assertEquals(1, feedback.dropped());
    }

    private static RecordSizeGuard guard(String topic) {
        return new RecordSizeGuard(topic, 1024 * 1024);
    }

    @Test
    void aForeignRecordOnTheDocumentsTopicFailsWithItsPosition() {
        IOException e =
                assertThrows(
                        IOException.class,
                        () ->
                                read(
                                        new ConsumerRecord<>(
                                                "t",
                                                0,
                                                3L,
                                                "no-slash".getBytes(StandardCharsets.UTF_8),
                                                "{}".getBytes(StandardCharsets.UTF_8))));
        assertTrue(e.getMessage().contains("t/0/3"), e.getMessage());
    }

    @Test
    void feedbackRecordsAreKeyedByTargetAndCarryTheCodecBytes() throws Exception {
        LineageMessage message =
                LineageMessage.EdgeChange.toBothEnds(
                                NodeKey.lot("A"), NodeKey.shipment("DN-1"), "DN-1", 1, true, "C-1")
                        .get(1);
        ProducerRecord<byte[], byte[]> produced =
                new FeedbackTopic.Serializer("fb", guard("fb")).serialize(message, null, null);
        assertEquals("shipment:DN-1", new String(produced.key(), StandardCharsets.UTF_8));
        assertArrayEquals(LineageCodec.encode(message), produced.value());

        List<LineageMessage> out = new ArrayList<>();
        new FeedbackTopic.Deserializer()
                .deserialize(
                        new ConsumerRecord<>("fb", 0, 0L, produced.key(), produced.value()),
                        collector(out));
        assertEquals(List.of(message), out);

        IOException e =
                assertThrows(
                        IOException.class,
                        () ->
                                new FeedbackTopic.Deserializer()
                                        .deserialize(
                                                new ConsumerRecord<>(
                                                        "fb",
                                                        1,
                                                        9L,
                                                        produced.key(),
                                                        "{\"v\":99}"
                                                                .getBytes(StandardCharsets.UTF_8)),
                                                collector(out)));
        assertTrue(e.getMessage().contains("fb/1/9"), e.getMessage());
    }

    @Test
    void lineageMessageSerializerRoundTripsThroughFlinkBuffers() throws Exception {
        LineageMessageTypeInfo.Serializer serializer = LineageMessageTypeInfo.Serializer.INSTANCE;
        LineageMessage message =
                LineageMessage.Closure.whole(
                        NodeKey.lot("P"),
                        NodeKey.lot("A"),
                        5,
                        List.of(
                                new dev.batchtrace.lineage.closure.AncestorEntry(
                                        "A", "MAT", "SUP", "SL", 0)));
        DataOutputSerializer out = new DataOutputSerializer(64);
        serializer.serialize(message, out);
        serializer.serialize(message, out);
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        assertEquals(message, serializer.deserialize(in));
        DataOutputSerializer copy = new DataOutputSerializer(64);
        serializer.copy(in, copy);
        assertEquals(
                message, serializer.deserialize(new DataInputDeserializer(copy.getCopyOfBuffer())));
        assertEquals(
                serializer,
                serializer.snapshotConfiguration().restoreSerializer(),
                "restores from its snapshot");
    }

    private static DocumentRecord read(ConsumerRecord<byte[], byte[]> record) throws IOException {
        List<DocumentRecord> out = new ArrayList<>();
        new DocumentTopic.Deserializer().deserialize(record, collector(out));
        assertEquals(1, out.size());
        return out.get(0);
    }

    private static <T> Collector<T> collector(List<T> into) {
        return new Collector<>() {
            @Override
            public void collect(T record) {
                into.add(record);
            }

            @Override
            public void close() {}
        };
    }
}
