package dev.batchtrace.cli.explorer;

import dev.batchtrace.cli.query.ElasticsearchOptions;
import dev.batchtrace.cli.query.LotTrace;
import dev.batchtrace.cli.query.TraceQueries;
import dev.batchtrace.cli.query.TraceQueryException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code trace graph LOT}: the explorer's genealogy picture as an SVG, DOT or Mermaid file. */
@Command(
        name = "graph",
        mixinStandardHelpOptions = true,
        description = {
            "The genealogy of a lot as a file, laid out as the trace explorer draws it (bin/trace"
                    + " serve): inputs at every level on the left, what was made from it, shipped"
                    + " and who received it on the right; held lots and QC failures marked; levels"
                    + " with more than --max-per-level nodes collapsed into a counted node.",
            "Exit codes: 0 written, 4 lot unknown or not yet indexed, 5 Elasticsearch unreachable"
                    + " or trace indices missing, 1 file not writable, 2 usage error."
        })
public final class GraphCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "LOT", description = "Our lot code (case-sensitive).")
    String lotCode;

    @Option(
            names = "--format",
            paramLabel = "FORMAT",
            defaultValue = "svg",
            description = "svg (default), dot (Graphviz) or mermaid.")
    String format;

    @Option(
            names = "--out",
            paramLabel = "FILE",
            description = "Write to FILE instead of standard output.")
    Path out;

    @Option(
            names = "--max-per-level",
            paramLabel = "N",
            defaultValue = "" + GraphLayout.DEFAULT_MAX_PER_LEVEL,
            description =
                    "Nodes shown per level before the rest is collapsed (default ${DEFAULT-VALUE}).")
    int maxPerLevel;

    @Mixin ElasticsearchOptions elasticsearch;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        GraphFormats.Format chosen;
        try {
            chosen = GraphFormats.Format.of(format);
            if (maxPerLevel < 2) {
                throw new IllegalArgumentException("--max-per-level must be at least 2");
            }
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("error: " + e.getMessage());
            spec.commandLine().getErr().flush();
            return 2;
        }
        LotTrace trace;
        try (TraceQueries queries = TraceQueries.open(elasticsearch.settings())) {
            trace = queries.lot(lotCode);
        } catch (TraceQueryException e) {
            spec.commandLine().getErr().println("error: " + e.getMessage());
            spec.commandLine().getErr().flush();
            return e.exitCode();
        }
        String file =
                GraphFormats.render(
                        GraphLayout.layout(GenealogyGraph.of(trace), maxPerLevel), chosen);
        if (out == null) {
            PrintWriter stdout = spec.commandLine().getOut();
            stdout.print(file);
            stdout.flush();
            return 0;
        }
        try {
            Files.writeString(out, file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            spec.commandLine().getErr().println("error: cannot write " + out + ": " + e);
            spec.commandLine().getErr().flush();
            return 1;
        }
        spec.commandLine().getOut().println("Graph of " + lotCode + " written: " + out);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
