package dev.batchtrace.cli.query;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code trace recall LOT}: the mock-recall report of a flagged lot, from Elasticsearch. */
@Command(
        name = "recall",
        mixinStandardHelpOptions = true,
        description = {
            "Mock-recall report of a lot, from the trace documents in Elasticsearch: the lot with"
                    + " its holds and mass balance and the share of its quantity accounted for,"
                    + " every lot made from it (stock to quarantine), every shipment that carried"
                    + " it or a lot made from it, the customers with quantities, the open alerts"
                    + " for it, and the time the report took.",
            "Exit codes: 0 answered, 4 lot unknown or not yet indexed, 5 Elasticsearch unreachable"
                    + " or trace indices missing, 1 CSV directory not writable, 2 usage error."
        })
public final class RecallCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "LOT", description = "Our lot code (case-sensitive).")
    String lotCode;

    @Option(
            names = "--json",
            description = "Print the report as one JSON document instead of tables.")
    boolean json;

    @Option(
            names = "--csv",
            paramLabel = "DIR",
            description =
                    "Also write "
                            + RecallCsv.LOTS
                            + ", "
                            + RecallCsv.SHIPMENTS
                            + ", "
                            + RecallCsv.CUSTOMERS
                            + " and "
                            + RecallCsv.SUMMARY
                            + " into DIR (created if missing; existing files are replaced).")
    Path csvDirectory;

    @Mixin ElasticsearchOptions elasticsearch;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        RecallReport report;
        try (TraceQueries queries = TraceQueries.open(elasticsearch.settings())) {
            report = queries.recall(lotCode);
        } catch (TraceQueryException e) {
            return QueryErrors.report(e, spec);
        }
        if (csvDirectory != null) {
            try {
                List<Path> files = RecallCsv.write(report, csvDirectory);
                if (!json) {
                    out.print("CSV written: " + TextTable.cell(files) + "\n\n");
                }
            } catch (IOException e) {
                spec.commandLine()
                        .getErr()
                        .println(
                                "error: cannot write the CSV files into "
                                        + csvDirectory
                                        + ": "
                                        + e);
                spec.commandLine().getErr().flush();
                return 1;
            }
        }
        out.print(json ? TraceJson.write(report) + "\n" : RecallTables.report(report));
        out.flush();
        return 0;
    }
}
