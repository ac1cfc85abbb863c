package dev.batchtrace.stack;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** The last lines of a server log, for error messages. */
final class LogTail {
    private static final int MAX_BYTES = 64 * 1024;

    private LogTail() {}

    static List<String> lastLines(Path log, int lines) {
        if (!Files.isRegularFile(log)) {
            return List.of();
        }
        // read only the end: server logs can be large
        try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
            long length = file.length();
            int size = (int) Math.min(length, MAX_BYTES);
            byte[] bytes = new byte[size];
            file.seek(length - size);
            file.readFully(bytes);
            String[] all = new String(bytes, StandardCharsets.UTF_8).split("\r?\n");
            return Arrays.asList(all).subList(Math.max(0, all.length - lines), all.length);
        } catch (IOException e) {
            return List.of("(could not read " + log + ": " + e + ")");
        }
    }

    /** Formats the tail as an indented block with a heading naming the file. */
    static String describe(Path log, int lines) {
        List<String> tail = lastLines(log, lines);
        if (tail.isEmpty()) {
            return "\n(" + log + " is empty or missing)";
        }
        StringBuilder text = new StringBuilder("\nLast lines of ").append(log).append(":\n");
        for (String line : tail) {
            text.append("  | ").append(line).append('\n');
        }
        return text.toString();
    }

    /** True when the log contains the text (used for readiness lines). */
    static boolean contains(Path log, String text) {
        if (!Files.isRegularFile(log)) {
            return false;
        }
        try (var lines = Files.lines(log, StandardCharsets.UTF_8)) {
            return lines.anyMatch(line -> line.contains(text));
        } catch (IOException | java.io.UncheckedIOException e) {
            return false;
        }
    }
}
