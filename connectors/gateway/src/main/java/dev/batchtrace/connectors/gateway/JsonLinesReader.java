package dev.batchtrace.connectors.gateway;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Reads a JSON-lines export (one event per line) and yields, per event line, either the {@link
 * ParsedEvent} or a {@link LineError} with the line number. Blank lines and lines starting with
 * {@code #} (comments) are skipped; line numbers still count them, so they match an editor's. One
 * bad line never stops the rest of the file.
 */
public final class JsonLinesReader {

    private static final char BYTE_ORDER_MARK = '\uFEFF';

    private final JsonEventParser parser;

    public JsonLinesReader() {
        this(new JsonEventParser());
    }

    public JsonLinesReader(JsonEventParser parser) {
        this.parser = Objects.requireNonNull(parser, "parser");
    }

    /**
     * Lazily parses the lines of a reader; the caller closes the reader. I/O errors surface as
     * {@link UncheckedIOException} from the stream.
     */
    public Stream<LineResult> read(BufferedReader reader) {
        AtomicLong lineNumber = new AtomicLong();
        return reader.lines()
                .map(line -> new Numbered(lineNumber.incrementAndGet(), line))
                .filter(Numbered::isEvent)
                .map(this::parseLine);
    }

    /** Lazily parses a UTF-8 file; close the stream (try-with-resources) to close the file. */
    public Stream<LineResult> read(Path file) throws IOException {
        BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
        return read(reader).onClose(() -> closeQuietly(reader));
    }

    /** Parses a whole UTF-8 file. */
    public List<LineResult> readAll(Path file) throws IOException {
        try (Stream<LineResult> results = read(file)) {
            return results.toList();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** Parses a whole UTF-8 stream; the caller closes the stream. */
    public List<LineResult> readAll(InputStream in) throws IOException {
        BufferedReader reader =
                new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        try {
            return read(reader).toList();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private LineResult parseLine(Numbered numbered) {
        try {
            return parser.parse(numbered.text()).atLine(numbered.number());
        } catch (InvalidEventException e) {
            return new LineError(numbered.number(), e.getMessage(), numbered.raw());
        }
    }

    private static void closeQuietly(BufferedReader reader) {
        try {
            reader.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A physical line with its 1-based number. */
    private record Numbered(long number, String raw) {

        /** The line without a Windows export's byte order mark and surrounding blanks. */
        String text() {
            String text = raw;
            if (number == 1 && !text.isEmpty() && text.charAt(0) == BYTE_ORDER_MARK) {
                text = text.substring(1);
            }
            return text.strip();
        }

        boolean isEvent() {
            String text = text();
            return !text.isEmpty() && !text.startsWith("#");
        }
    }
}
