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
                    + " shipped.",
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

    @Mixin ElasticsearchOptions elasticsearch;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        try (TraceQueries queries = TraceQueries.open(elasticsearch.settings())) {
            CustomersAnswer answer =
                    subject.lotCode != null
                            ? queries.customersOfLot(subject.lotCode)
                            : queries.customersOfSupplierLot(
                                    subject.supplierLot.supplierId,
                                    subject.supplierLot.supplierLotCode);
            out.print(json ? TraceJson.write(answer) + "\n" : TraceTables.customers(answer));
            out.flush();
            return 0;
        } catch (TraceQueryException e) {
            return QueryErrors.report(e, spec);
        }
    }
}
