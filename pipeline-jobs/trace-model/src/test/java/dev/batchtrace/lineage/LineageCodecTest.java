package dev.batchtrace.lineage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchtrace.lineage.closure.AncestorEntry;
import dev.batchtrace.lineage.closure.Announcement;
import dev.batchtrace.lineage.closure.LineageMessage;
import dev.batchtrace.lineage.closure.Link;
import dev.batchtrace.lineage.closure.NodeKey;
import dev.batchtrace.lineage.documents.TraceDocument;
import dev.batchtrace.lineage.documents.TraceDocuments;
import dev.batchtrace.lineage.reference.LineageReference;
import dev.batchtrace.lineage.stock.GoodsReceipts;
import dev.batchtrace.lineage.stock.InMemoryDispatchStore;
import dev.batchtrace.lineage.stock.InMemoryWorkOrderStore;
import dev.batchtrace.lineage.stock.LotFacts;
import dev.batchtrace.lineage.stock.WorkOrderLinks;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class LineageCodecTest {

    @Test
    void everyMessageKindSurvivesTheFeedbackTopicEncoding() {
        List<LineageMessage> messages = new ArrayList<>();
        GoodsReceipts.apply(Events.receipt("RM-1", "SUP-A", "L1", 100), messages::add);
        WorkOrderLinks.apply(
                Events.produced("E1", "WO-1", "SA-1", 5),
                new InMemoryWorkOrderStore(),
                messages::add);
        InMemoryDispatchStore.applyAlone(Events.dispatch("DN-1", "C-1", "SA-1"), messages::add);
        messages.add(
                LineageMessage.Closure.whole(
                        NodeKey.lot("SA-1"),
                        NodeKey.lot("RM-1"),
                        7,
                        List.of(new AncestorEntry("RM-1", "MAT", "SUP-A", "L1", 0))));
        messages.add(new LineageMessage.ClosureRequest(NodeKey.lot("RM-1"), NodeKey.lot("SA-1")));
        assertTrue(messages.size() >= 5);
        for (LineageMessage m : messages) {
            byte[] bytes = LineageCodec.encode(m);
            assertEquals(m, LineageCodec.decode(bytes), new String(bytes, StandardCharsets.UTF_8));
        }
    }

    @Test
    void envelopeCarriesTheFormatVersionAndRejectsAnUnknownOne() {
        // closures have their own layout (CompactCodecTest); the other messages the envelope
        LineageMessage m =
                new LineageMessage.ClosureRequest(NodeKey.shipment("DN-1"), NodeKey.lot("A"));
        byte[] bytes = LineageCodec.encode(m);
        assertTrue(LineageCodec.isSmile(bytes));
        String json = LineageCodec.toReadableJson(bytes);
        assertTrue(json.startsWith("{\"v\":1,"), json);
        assertTrue(json.contains("\"target\":\"shipment:DN-1\""), json);
        byte[] future = json.replace("\"v\":1", "\"v\":2").getBytes(StandardCharsets.UTF_8);
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> LineageCodec.decode(future));
        assertTrue(e.getMessage().contains("version 2"), e.getMessage());
    }

    @Test
    void bytesWrittenAsJsonByOlderStateVersionsStillRead() {
        LineageMessage m =
                LineageMessage.Closure.whole(
                        NodeKey.lot("SA-1"),
                        NodeKey.lot("RM-1"),
                        3,
                        List.of(new AncestorEntry("RM-1", "MAT", "SUP-A", "L1", 0)));
        byte[] json = LineageCodec.toReadableJson(LineageCodec.encode(m)).getBytes(UTF_8);
        assertEquals('{', json[0]);
        assertEquals(m, LineageCodec.decode(json));
        LotFacts facts = LotFacts.fromOutput(Events.produced("E9", "WO-2", "SA-2", 12.5));
        String factsJson = LineageCodec.toReadableJson(LineageCodec.encodeValue(facts));
        // times were ISO-8601 strings in the JSON of state version 5
        String iso =
                factsJson.replaceAll(
                        "\"producedAt\":([0-9.]+)",
                        "\"producedAt\":\"" + facts.producedAt() + "\"");
        assertEquals(facts, LineageCodec.decodeValue(iso.getBytes(UTF_8), LotFacts.class));
    }

    @Test
    void valuesKeyedByManyDistinctLotCodesRoundTripWithoutAnInternedNameTable() {
        // lot codes as map keys are unbounded field names: interning them overflowed Jackson's
        // shared table and made every parse copy it (issue 9); names are read per value instead
        assertFalse(LineageCodec.canonicalizesFieldNames());
        for (int value = 0; value < 3_000; value++) {
            Map<String, Integer> byLot = new TreeMap<>();
            for (int lot = 0; lot < 4; lot++) {
                byLot.put("L3-" + value + "-" + lot + "-ü", value * 4 + lot);
            }
            byte[] bytes = LineageCodec.encodeValue(byLot);
            assertEquals(byLot, new TreeMap<>(LineageCodec.decodeValue(bytes, Map.class)));
        }
    }

    @Test
    void binaryIsSmallerThanTheJsonItReplaces() {
        List<AncestorEntry> entries = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            entries.add(new AncestorEntry("RM-" + i, "MAT-" + i, "SUP-" + i, "L" + i, i % 4));
        }
        byte[] bytes = LineageCodec.encodeValue(new Announcement(9, entries));
        int jsonBytes = LineageCodec.toReadableJson(bytes).getBytes(UTF_8).length;
        assertTrue(bytes.length * 2 < jsonBytes, bytes.length + " vs JSON " + jsonBytes);
    }

    @Test
    void statePiecesRoundTrip() {
        Link link = Link.NONE.apply("WO-1", 3, true, null).apply("DN-1", 1, true, "C-1");
        assertEquals(link, LineageCodec.decodeValue(LineageCodec.encodeValue(link), Link.class));
        LotFacts facts = LotFacts.fromOutput(Events.produced("E9", "WO-2", "SA-2", 12.5));
        assertEquals(
                facts, LineageCodec.decodeValue(LineageCodec.encodeValue(facts), LotFacts.class));
        Announcement a = new Announcement(4, List.of(new AncestorEntry("X", null, null, null, 2)));
        assertEquals(a, LineageCodec.decodeValue(LineageCodec.encodeValue(a), Announcement.class));
    }

    @Test
    void nodeKeysParseBackAndRejectGarbage() {
        assertEquals(NodeKey.lot("A:B"), NodeKey.parse("lot:A:B"));
        assertEquals(NodeKey.shipment("DN-1"), NodeKey.parse(NodeKey.shipment("DN-1").toString()));
        assertThrows(IllegalArgumentException.class, () -> NodeKey.parse("pallet:7"));
    }

    @Test
    void documentsRoundTripThroughJson() {
        TreeMap<String, Object> source = new TreeMap<>();
        source.put("lotCode", "A");
        source.put("ancestorLotCodes", List.of("B", "C"));
        source.put("ancestors", List.of(Map.of("lotCode", "B", "depth", 1)));
        String json = new TraceDocument(TraceDocuments.LOTS, "A", source).toJson();
        assertEquals(source, LineageCodec.fromJson(json));
    }

    @Test
    void generatedDocumentsReadBackFromJsonEqualToTheirSource() {
        for (TraceDocument doc :
                LineageReference.documents(FactoryHistoryGenerator.generate(3)).values()) {
            assertEquals(doc.source(), LineageCodec.fromJson(doc.toJson()), doc.key());
        }
    }
}
