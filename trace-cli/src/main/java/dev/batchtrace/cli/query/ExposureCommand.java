package dev.batchtrace.cli.query;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code trace exposure (LOT | --serial S)}: the answer to the Wednesday call. */
@Command(
        name = "exposure",
        mixinStandardHelpOptions = true,
        description = {
            "Who else is exposed: the batch (a lot, or the lot of a failed unit), its raw-material"
                    + " lots at every level with supplier and supplier lot, and per raw lot every"
                    + " other work order that consumed it, every lot made from it and every"
                    + " shipment and customer that received any of those, with quantities and"
                    + " dates; then the customers to call and the value at stake per currency.",
            "Served by the trace documents (term queries on ancestorLotCodes and"
                    + " consumedLotCodes), no graph walk per request.",
            "Exit codes: 0 answered, 4 lot or serial unknown or not yet indexed, 5 Elasticsearch"
                    + " unreachable or trace indices missing, 1 CSV directory not writable, 2 usage"
                    + " error."
        })
public final class ExposureCommand implements Callable<Integer> {

    @Parameters(
            index = "0",
            arity = "0..1",
            paramLabel = "LOT",
            description = "The batch: our lot code (or give --serial).")
    String lotCode;

    @Option(names = "--serial", paramLabel = "S", description = "The failed unit's serial number.")
    String serial;

    @Option(names = "--product", paramLabel = "P", description = "The unit's product code.")
    String productCode;

    @Option(
            names = "--material",
            paramLabel = "M",
            description = "Only raw lots of this material code (the suspect material).")
    String material;

    @Option(
            names = "--supplier",
            paramLabel = "S",
            description = "Only raw lots of this supplier id.")
    String supplier;

    @Option(
            names = "--from",
            paramLabel = "DATE",
            description = "Only lots made and shipments sent from DATE (2026-11-02 or an instant).")
    String from;

    @Option(
            names = "--to",
            paramLabel = "DATE",
            description = "... up to and including DATE (a day) or before the instant.")
    String to;

    @Option(names = "--json", description = "Print the report as one JSON document.")
    boolean json;

    @Option(
            names = "--csv",
            paramLabel = "DIR",
            description =
                    "Also write "
                            + ExposureCsv.RAW_LOTS
                            + ", "
                            + ExposureCsv.LOTS
                            + ", "
                            + ExposureCsv.SHIPMENTS
                            + " and "
                            + ExposureCsv.CUSTOMERS
                            + " into DIR (created if missing; existing files are replaced).")
    Path csvDirectory;

    @Mixin ElasticsearchOptions elasticsearch;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if ((lotCode == null) == (serial == null)) {
            throw new ParameterException(spec.commandLine(), "give a LOT or --serial S (one)");
        }
        UnitQueries.Limits limits =
                new UnitQueries.Limits(material, supplier, day(from, false), day(to, true));
        PrintWriter out = spec.commandLine().getOut();
        ExposureReport report;
        try (UnitQueries queries = UnitQueries.open(elasticsearch.settings())) {
            report =
                    serial != null
                            ? queries.exposureOfUnit(serial, productCode, limits)
                            : queries.exposure(lotCode, limits);
        } catch (TraceQueryException e) {
            return QueryErrors.report(e, spec);
        }
        if (csvDirectory != null) {
            try {
                List<Path> files = ExposureCsv.write(report, csvDirectory);
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
        out.print(json ? TraceJson.write(report) + "\n" : UnitTables.exposure(report));
        out.flush();
        return 0;
    }

    /** A day (its start; with {@code end}, the next day's start) or an instant. */
    private Instant day(String text, boolean end) {
        if (text == null) {
            return null;
        }
        try {
            LocalDate date = LocalDate.parse(text);
            return (end ? date.plusDays(1) : date).atStartOfDay().toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException notADay) {
            try {
                return Instant.parse(text);
            } catch (DateTimeParseException e) {
                throw new ParameterException(
                        spec.commandLine(),
                        "not a date: " + text + " (expected 2026-11-02 or 2026-11-02T06:00:00Z)");
            }
        }
    }
}
