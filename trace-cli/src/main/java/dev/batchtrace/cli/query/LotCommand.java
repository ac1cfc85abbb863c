package dev.batchtrace.cli.query;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code trace lot CODE}: backward and forward trace of one lot, from Elasticsearch. */
@Command(
        name = "lot",
        mixinStandardHelpOptions = true,
        description = {
            "Trace one lot from the trace documents in Elasticsearch: backward (every input lot at"
                    + " every level, suppliers, supplier lots) and forward (the lots made from it,"
                    + " by level, with their count at each level; its shipments, with every"
                    + " customer's totals). A large forward trace shows the first --limit lots and"
                    + " shipments; --all shows every one.",
            "Exit codes: 0 answered, 4 lot unknown or not yet indexed, 5 Elasticsearch unreachable"
                    + " or trace indices missing, 2 usage error."
        })
public final class LotCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "CODE", description = "Our lot code (case-sensitive).")
    String lotCode;

    @Option(names = "--json", description = "Print the answer as JSON instead of tables.")
    boolean json;

    /** A bulk lot feeds thousands of lots and shipments: a page of each, with their counts. */
    @Option(
            names = "--limit",
            paramLabel = "N",
            defaultValue = "100",
            description =
                    "Lots made from it (by level, then lot code) and shipments (by customer, then"
                            + " oldest first) shown, 1 to 10000 (default ${DEFAULT-VALUE}). The"
                            + " counts per level and every customer's totals are shown whatever"
                            + " the limit.")
    int limit;

    @Option(
            names = "--all",
            description =
                    "Show every lot made from it and every shipment (reads them all: slow for a"
                            + " bulk lot).")
    boolean all;

    @Mixin ElasticsearchOptions elasticsearch;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        // Elasticsearch's result window (index.max_result_window) bounds one page
        if (!all && (limit < 1 || limit > 10_000)) {
            throw new ParameterException(
                    spec.commandLine(),
                    "--limit must be 1 to 10000 (or --all for every lot and shipment), not "
                            + limit);
        }
        try (TraceQueries queries = TraceQueries.open(elasticsearch.settings())) {
            if (all) {
                LotTrace trace = queries.lot(lotCode);
                out.print(json ? TraceJson.write(trace) + "\n" : TraceTables.lot(trace));
            } else {
                LotPage page = queries.lotPage(lotCode, limit);
                out.print(json ? TraceJson.write(page) + "\n" : TraceTables.lot(page));
            }
            out.flush();
            return 0;
        } catch (TraceQueryException e) {
            return QueryErrors.report(e, spec);
        }
    }
}
