package dev.batchtrace.connectors.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonLinesReaderTest {

    private final JsonLinesReader reader = new JsonLinesReader();

    private static final String FLAG =
            "{\"type\":\"LotFlag\",\"flagId\":\"F-1\",\"lotCode\":\"RM-1\",\"action\":\"HOLD\","
                    + "\"reason\":\"r\",\"severity\":\"MAJOR\",\"flaggedBy\":\"qa\","
                    + "\"flaggedAt\":\"2026-11-02T17:00:00Z\"}";

    private List<LineResult> readString(String text) throws IOException {
        return reader.readAll(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void skipsBlankAndCommentLinesButCountsThemInLineNumbers() throws IOException {
        String text =
                String.join(
                        "\n",
                        "# sample export",
                        "",
                        FLAG,
                        "   ",
                        "  # indented comment",
                        "{\"type\":\"Foo\"}",
                        JsonEventParserTest.RECEIPT);

        List<LineResult> results = readString(text);

        assertEquals(3, results.size());
        assertEquals("RM-1", assertInstanceOf(ParsedEvent.class, results.get(0)).key());
        LineError error = assertInstanceOf(LineError.class, results.get(1));
        assertEquals(6, error.lineNumber());
        assertEquals("{\"type\":\"Foo\"}", error.rawLine());
        assertEquals(
                "unknown type 'Foo' (expected one of GoodsReceipt, WorkOrderEvent, MachineEvent,"
                        + " QcResult, DispatchNote, LotFlag)",
                error.message());
        ParsedEvent last = assertInstanceOf(ParsedEvent.class, results.get(2));
        assertEquals("RM-0001", last.key());
        assertEquals(7, last.lineNumber());
    }

    @Test
    void badLinesDoNotStopTheRest() throws IOException {
        List<LineResult> results =
                readString("not json\n" + FLAG + "\n{\"type\":\"LotFlag\"}\r\n" + FLAG + "\n");

        assertEquals(4, results.size());
        assertEquals(1, assertInstanceOf(LineError.class, results.get(0)).lineNumber());
        assertInstanceOf(ParsedEvent.class, results.get(1));
        LineError missing = assertInstanceOf(LineError.class, results.get(2));
        assertEquals(3, missing.lineNumber());
        assertEquals("field 'flagId' is required", missing.message());
        assertInstanceOf(ParsedEvent.class, results.get(3));
    }

    @Test
    void byteOrderMarkOfWindowsExportsIsIgnored() throws IOException {
        List<LineResult> results = readString("\uFEFF" + FLAG + "\n");
        assertInstanceOf(ParsedEvent.class, results.get(0));
    }

    @Test
    void readsFilesLazilyAndClosesThem(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("export.jsonl");
        Files.writeString(file, FLAG + "\n\n" + FLAG + "\n[]\n");

        try (Stream<LineResult> results = reader.read(file)) {
            assertEquals(
                    List.of("event", "event", "error line 4"),
                    results.map(
                                    r ->
                                            r instanceof LineError e
                                                    ? "error line " + e.lineNumber()
                                                    : "event")
                            .toList());
        }
        assertEquals(3, reader.readAll(file).size());
    }
}
