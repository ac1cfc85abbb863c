package dev.batchtrace.cli.query;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code trace customers --supplier X --supplier-lot Y} (or {@code --lot CODE}): who received
 * product made from that lot.
 */
@Command(
        name = "customers",
        mixinStandardHelpOptions = true,
        description = {
            "Which customers received product made from supplier X's lot Y (--supplier X"
                    + " --supplier-lot Y), or from our lot (--lot CODE): one term query on"
                    + " trace-shipments, grouped by customer with shipments, dates and lots"
                    + " shipped. A large answer shows every customer's totals and the first"
                    + " --limit shipments.",
            "Exit codes: 0 answered (also when no customer received it), 4 lot unknown or not yet"
                    + " indexed, 5 Elasticsearch unreachable or trace indices missing, 2 usage"
                    + " error."
        })
public final class CustomersCommand implements Callable<Integer> {

    /** Either a supplier lot or one of our lots, never both. */
    static final class Subject {
        @ArgGroup(exclusive = false, multiplicity = "1")
        SupplierLot supplierLot;

        @Option(
                names = "--lot",
                paramLabel = "CODE",
                required = true,
                description = "Our lot code (bought or made).")
        String lotCode;
    }

    static final class SupplierLot {
        @Option(
                names = "--supplier",
                paramLabel = "X",
                required = true,
                description = "Supplier id, as in the goods receipts.")
        String supplierId;

        @Option(
                names = "--supplier-lot",
                paramLabel = "Y",
                required = true,
                description = "The supplier's own lot code.")
        String supplierLotCode;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Subject subject;

    @Option(names = "--json", description = "Print the answer as JSON instead of a table.")
    boolean json;

    /** A bulk lot reaches thousands of shipments: a page of them, and every customer in full. */
    @Option(
            names = "--limit",
            paramLabel = "N",
            defaultValue = "100",
            description =
                    "Shipments shown (by customer, then oldest first; default ${DEFAULT-VALUE})."
                            + " Every customer is listed with its shipment count and dates"
                            + " whatever the limit.")
    int limit;

    @Option(names = "--all", description = "Show every shipment (fetches them all).")
    boolean all;

    @Mixin ElasticsearchOptions elasticsearch;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        // Elasticsearch's result window (index.max_result_window) bounds one page
        if (!all && (limit < 1 || limit > 10_000)) {
            throw new picocli.CommandLine.ParameterException(
                    spec.commandLine(),
                    "--limit must be 1 to 10000 (or --all for every shipment), not " + limit);
        }
        int shown = all ? TraceQueries.ALL : limit;
        try (TraceQueries queries = TraceQueries.open(elasticsearch.settings())) {
            CustomersAnswer answer =
                    subject.lotCode != null
                            ? queries.customersOfLot(subject.lotCode, shown)
                            : queries.customersOfSupplierLot(
                                    subject.supplierLot.supplierId,
                                    subject.supplierLot.supplierLotCode,
                                    shown);
            out.print(json ? TraceJson.write(answer) + "\n" : TraceTables.customers(answer));
            out.flush();
            return 0;
        } catch (TraceQueryException e) {
            return QueryErrors.report(e, spec);
        }
    }
}
