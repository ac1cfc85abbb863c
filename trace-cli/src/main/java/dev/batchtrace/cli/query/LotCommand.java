package dev.batchtrace.cli.query;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code trace lot CODE}: backward and forward trace of one lot, from Elasticsearch. */
@Command(
        name = "lot",
        mixinStandardHelpOptions = true,
        description = {
            "Trace one lot from the trace documents in Elasticsearch: backward (every input lot at"
                    + " every level, suppliers, supplier lots) and forward (every lot made from it,"
                    + " every shipment and customer).",
            "Exit codes: 0 answered, 4 lot unknown or not yet indexed, 5 Elasticsearch unreachable"
                    + " or trace indices missing, 2 usage error."
        })
public final class LotCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "CODE", description = "Our lot code (case-sensitive).")
    String lotCode;

    @Option(names = "--json", description = "Print the answer as JSON instead of tables.")
    boolean json;

    @Mixin ElasticsearchOptions elasticsearch;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        try (TraceQueries queries = TraceQueries.open(elasticsearch.settings())) {
            LotTrace trace = queries.lot(lotCode);
            out.print(json ? TraceJson.write(trace) + "\n" : TraceTables.lot(trace));
            out.flush();
            return 0;
        } catch (TraceQueryException e) {
            return QueryErrors.report(e, spec);
        }
    }
}
