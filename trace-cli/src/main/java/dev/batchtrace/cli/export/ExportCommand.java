package dev.batchtrace.cli.export;

import dev.batchtrace.cli.query.ElasticsearchOptions;
import dev.batchtrace.cli.query.TraceQueries;
import dev.batchtrace.cli.query.TraceQueryException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code trace export ...}: files for authorities and customers. */
@Command(
        name = "export",
        mixinStandardHelpOptions = true,
        description = "Files for authorities and customers from the trace documents.",
        subcommands = {
            ExportCommand.Fsma204.class,
            ExportCommand.Epcis.class,
            CommandLine.HelpCommand.class
        })
public final class ExportCommand implements Runnable {

    @Spec CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code trace export fsma204 LOT --out FILE.csv|FILE.xlsx}. */
    @Command(
            name = "fsma204",
            mixinStandardHelpOptions = true,
            description = {
                "The FDA FSMA 204 sortable spreadsheet of a lot's genealogy: one row per critical"
                        + " tracking event (receiving of every bought lot upstream, the"
                        + " transformations, the shipments of the lot and of what was made from"
                        + " it) with its key data elements. Column mapping: README, \"FSMA 204"
                        + " export\".",
                "Exit codes: 0 written, 4 lot unknown or not yet indexed, 5 Elasticsearch"
                        + " unreachable, 1 file not writable, 2 usage error."
            })
    static final class Fsma204 implements Callable<Integer> {

        @Parameters(
                index = "0",
                arity = "0..1",
                paramLabel = "LOT",
                description = "Our lot code (case-sensitive); or --product with --from/--to.")
        String lotCode;

        @Option(
                names = "--product",
                paramLabel = "CODE",
                description =
                        "Instead of LOT: every lot of this product or material received or"
                                + " produced in [--from, --to].")
        String product;

        @Option(
                names = "--from",
                paramLabel = "TIME",
                description = "ISO-8601, e.g. 2026-11-02T00:00:00Z.")
        java.time.Instant from;

        @Option(names = "--to", paramLabel = "TIME", description = "ISO-8601.")
        java.time.Instant to;

        @Option(
                names = "--out",
                required = true,
                paramLabel = "FILE",
                description =
                        "FILE.csv (UTF-8) or FILE.xlsx (one sheet, header frozen, filters on).")
        Path out;

        @Mixin ElasticsearchOptions elasticsearch;

        @Spec CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            String name = out.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
            if (!name.endsWith(".csv") && !name.endsWith(".xlsx")) {
                return fail(2, "--out must end in .csv or .xlsx: " + out);
            }
            if ((lotCode == null) == (product == null)) {
                return fail(2, "name a LOT or --product CODE (with --from/--to), not both");
            }
            if (lotCode != null && (from != null || to != null)) {
                return fail(2, "--from and --to go with --product");
            }
            long start = System.nanoTime();
            List<Fsma204Event> events;
            try (TraceQueries queries = TraceQueries.open(elasticsearch.settings())) {
                events =
                        lotCode != null
                                ? Fsma204Export.of(queries, lotCode)
                                : Fsma204Export.ofProduct(queries, product, from, to);
            } catch (TraceQueryException e) {
                return fail(e.exitCode(), e.getMessage());
            } catch (IllegalArgumentException e) {
                return fail(4, e.getMessage());
            }
            try {
                Fsma204Export.write(events, out);
            } catch (IOException e) {
                return fail(1, "cannot write " + out + ": " + e);
            }
            spec.commandLine()
                    .getOut()
                    .printf(
                            "FSMA 204 spreadsheet of %s written: %s (%d events, %d ms)%n",
                            lotCode != null ? lotCode : "product " + product,
                            out,
                            events.size(),
                            Math.round((System.nanoTime() - start) / 1e6));
            spec.commandLine().getOut().flush();
            return 0;
        }

        private int fail(int code, String message) {
            spec.commandLine().getErr().println("error: " + message);
            spec.commandLine().getErr().flush();
            return code;
        }
    }

    /** {@code trace export epcis LOT --out FILE.jsonld}. */
    @Command(
            name = "epcis",
            mixinStandardHelpOptions = true,
            description = {
                "The history of a lot's genealogy as an EPCIS 2.0 JSON-LD EPCISDocument: receiving"
                        + " ObjectEvents, a TransformationEvent per work order, shipping"
                        + " ObjectEvents. bin/trace import epcis reads it back.",
                "Exit codes: 0 written, 4 lot unknown or not yet indexed, 5 Elasticsearch"
                        + " unreachable, 1 file not writable, 2 usage error."
            })
    static final class Epcis implements Callable<Integer> {

        @Parameters(index = "0", paramLabel = "LOT", description = "Our lot code (case-sensitive).")
        String lotCode;

        @Option(names = "--out", required = true, paramLabel = "FILE", description = "FILE.jsonld")
        Path out;

        @Mixin ElasticsearchOptions elasticsearch;

        @Spec CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            tools.jackson.databind.node.ObjectNode document;
            try (TraceQueries queries = TraceQueries.open(elasticsearch.settings())) {
                document =
                        EpcisExport.document(
                                LotHistory.load(queries, lotCode), java.time.Instant.now());
            } catch (TraceQueryException e) {
                spec.commandLine().getErr().println("error: " + e.getMessage());
                spec.commandLine().getErr().flush();
                return e.exitCode();
            }
            try {
                java.nio.file.Files.writeString(
                        out,
                        document.toPrettyString() + "\n",
                        java.nio.charset.StandardCharsets.UTF_8);
            } catch (IOException e) {
                spec.commandLine().getErr().println("error: cannot write " + out + ": " + e);
                spec.commandLine().getErr().flush();
                return 1;
            }
            spec.commandLine()
                    .getOut()
                    .printf(
                            "EPCIS document of %s written: %s (%d events)%n",
                            lotCode, out, document.path("epcisBody").path("eventList").size());
            spec.commandLine().getOut().flush();
            return 0;
        }
    }
}
