package dev.batchtrace.cli.query;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code trace unit SERIAL}: one unit's lot, genealogy and shipment, from Elasticsearch. */
@Command(
        name = "unit",
        mixinStandardHelpOptions = true,
        description = {
            "One unit by its serial number, from the trace documents in Elasticsearch: the lot"
                    + " that made it, the work order, operators, machine runs and QC checks of that"
                    + " lot, every raw lot at every level with its supplier and supplier lot, and"
                    + " the shipment and customer it left with; and the time it took.",
            "Serials repeat across products: every product's unit is shown unless --product says"
                    + " which.",
            "Exit codes: 0 answered, 4 serial unknown or not yet indexed, 5 Elasticsearch"
                    + " unreachable or trace indices missing, 2 usage error."
        })
public final class UnitCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "SERIAL", description = "The unit's serial number.")
    String serial;

    @Option(
            names = "--product",
            paramLabel = "P",
            description = "Only the unit of this product code.")
    String productCode;

    @Option(names = "--json", description = "Print the answer as JSON instead of tables.")
    boolean json;

    @Mixin ElasticsearchOptions elasticsearch;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        try (UnitQueries queries = UnitQueries.open(elasticsearch.settings())) {
            List<UnitTrace> units = queries.units(serial, productCode);
            out.print(
                    json
                            ? TraceJson.write(units.size() == 1 ? units.get(0) : units) + "\n"
                            : UnitTables.units(units));
            out.flush();
            return 0;
        } catch (TraceQueryException e) {
            return QueryErrors.report(e, spec);
        }
    }
}
