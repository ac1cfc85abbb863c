package dev.batchtrace.cli.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The soak's samples as CSV, one row appended per sample (a run cut short keeps what it saw). Lag
 * columns are {@code lag <source>} in the order of the sources; -1 or empty is "not read".
 */
public final class SoakCsv {
    private final Path file;
    private final List<String> sources;

    public SoakCsv(Path file, List<String> sources) throws IOException {
        this.file = file;
        this.sources = List.copyOf(sources);
        Files.createDirectories(file.toAbsolutePath().getParent());
        List<String> header =
                new ArrayList<>(
                        List.of(
                                "seconds",
                                "published",
                                "consumed",
                                "heap_used_bytes",
                                "heap_live_bytes",
                                "state_bytes",
                                "checkpoint_folder_bytes",
                                "checkpoint_ms",
                                "index_bytes",
                                "index_docs",
                                "checkpointed_bytes",
                                "load_1m",
                                "lag_total"));
        sources.forEach(s -> header.add("lag " + s));
        Files.writeString(file, String.join(",", header) + "\n", StandardCharsets.UTF_8);
    }

    public void append(SoakSample s) throws IOException {
        List<String> row = new ArrayList<>();
        row.add(String.format(Locale.ROOT, "%.1f", s.seconds()));
        row.add(Long.toString(s.published()));
        row.add(Long.toString(s.consumed()));
        row.add(Long.toString(s.heapUsedBytes()));
        row.add(s.heapLiveBytes() < 0 ? "" : Long.toString(s.heapLiveBytes()));
        row.add(Long.toString(s.stateBytes()));
        row.add(Long.toString(s.checkpointFolderBytes()));
        row.add(Long.toString(s.checkpointMillis()));
        row.add(Long.toString(s.indexBytes()));
        row.add(Long.toString(s.indexDocs()));
        row.add(Long.toString(s.checkpointedBytes()));
        row.add(String.format(Locale.ROOT, "%.2f", s.loadAverage()));
        row.add(Long.toString(s.totalLag()));
        sources.forEach(source -> row.add(Long.toString(s.lag().getOrDefault(source, -1L))));
        Files.writeString(
                file,
                String.join(",", row) + "\n",
                StandardCharsets.UTF_8,
                StandardOpenOption.APPEND);
    }

    public Path file() {
        return file;
    }
}
