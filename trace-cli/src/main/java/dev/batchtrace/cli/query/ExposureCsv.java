package dev.batchtrace.cli.query;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.SequenceWriter;
import tools.jackson.dataformat.csv.CsvMapper;
import tools.jackson.dataformat.csv.CsvSchema;
import tools.jackson.dataformat.csv.CsvWriteFeature;

/**
 * The exposure's {@code --csv DIR} output: {@value #RAW_LOTS}, {@value #LOTS} (per raw lot, every
 * lot made from it), {@value #SHIPMENTS} (per raw lot, one row per exposed dispatch line) and
 * {@value #CUSTOMERS} (the customers to call), UTF-8 with a header row.
 */
public final class ExposureCsv {

    public static final String RAW_LOTS = "exposure-raw-lots.csv";
    public static final String LOTS = "exposure-lots.csv";
    public static final String SHIPMENTS = "exposure-shipments.csv";
    public static final String CUSTOMERS = "exposure-customers.csv";

    /** The files, in the order {@link #write(ExposureReport, Path)} writes them. */
    public static final List<String> FILES = List.of(RAW_LOTS, LOTS, SHIPMENTS, CUSTOMERS);

    private static final CsvMapper MAPPER =
            CsvMapper.builder().enable(CsvWriteFeature.STRICT_CHECK_FOR_QUOTING).build();

    private ExposureCsv() {}

    public static List<Path> write(ExposureReport report, Path directory) throws IOException {
        Files.createDirectories(directory);
        List<Path> files = new ArrayList<>();
        for (String name : FILES) {
            Path file = directory.resolve(name);
            try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                write(report, name, out);
            }
            files.add(file);
        }
        return files;
    }

    /** One of the {@link #FILES} into {@code out} (the caller closes it). */
    public static void write(ExposureReport report, String file, Writer out) throws IOException {
        ReportTable table = table(report, file);
        CsvSchema.Builder schema = CsvSchema.builder();
        table.columns().forEach(schema::addColumn);
        try (SequenceWriter csv =
                MAPPER.writer(schema.build().withHeader())
                        .without(tools.jackson.core.StreamWriteFeature.AUTO_CLOSE_TARGET)
                        .writeValues(out)) {
            for (List<String> row : table.rows()) {
                csv.write(row);
            }
        }
    }

    /** The {@link #FILES} as tables, in that order (the XLSX download's sheets). */
    public static List<ReportTable> tables(ExposureReport report) {
        return FILES.stream().map(file -> table(report, file)).toList();
    }

    /**
     * One of the {@link #FILES} as a table.
     *
     * @throws IllegalArgumentException for another file name
     */
    public static ReportTable table(ExposureReport report, String file) {
        List<List<String>> rows = new ArrayList<>();
        List<String> columns;
        switch (file) {
            case RAW_LOTS -> {
                columns =
                        List.of(
                                "rawLotCode",
                                "level",
                                "materialCode",
                                "supplierId",
                                "supplierLotCode",
                                "otherWorkOrderIds",
                                "lotsMadeFromIt",
                                "shipments");
                for (ExposureReport.RawLot r : report.rawLots()) {
                    rows.add(
                            row(
                                    r.lot().lotCode(),
                                    r.lot().level(),
                                    r.lot().materialCode(),
                                    r.lot().supplierId(),
                                    r.lot().supplierLotCode(),
                                    String.join(" ", r.otherWorkOrderIds()),
                                    r.lotsMadeFromIt().size(),
                                    r.shipments().size()));
                }
            }
            case LOTS -> {
                columns =
                        List.of(
                                "rawLotCode",
                                "lotCode",
                                "materialCode",
                                "workOrderId",
                                "producedAt",
                                "quantity",
                                "unit",
                                "remaining");
                for (ExposureReport.RawLot r : report.rawLots()) {
                    for (ExposureReport.MadeLot m : r.lotsMadeFromIt()) {
                        rows.add(
                                row(
                                        r.lot().lotCode(),
                                        m.lotCode(),
                                        m.materialCode(),
                                        m.workOrderId(),
                                        m.producedAt(),
                                        m.quantity(),
                                        m.unit(),
                                        m.remaining()));
                    }
                }
            }
            case SHIPMENTS -> {
                columns =
                        List.of(
                                "rawLotCode",
                                "dispatchId",
                                "customerId",
                                "customerName",
                                "shippedAt",
                                "lotCode",
                                "quantity",
                                "unit");
                for (ExposureReport.RawLot r : report.rawLots()) {
                    for (ExposureReport.Shipment s : r.shipments()) {
                        for (ExposureReport.Line line : s.lines()) {
                            rows.add(
                                    row(
                                            r.lot().lotCode(),
                                            s.dispatchId(),
                                            s.customerId(),
                                            s.customerName(),
                                            s.shippedAt(),
                                            line.lotCode(),
                                            line.quantity(),
                                            line.unit()));
                        }
                    }
                }
            }
            case CUSTOMERS -> {
                columns =
                        List.of(
                                "customerId",
                                "customerName",
                                "dispatchIds",
                                "quantities",
                                "firstShippedAt",
                                "lastShippedAt");
                for (ExposureReport.Customer c : report.customers()) {
                    rows.add(
                            row(
                                    c.customerId(),
                                    c.customerName(),
                                    String.join(" ", c.dispatchIds()),
                                    UnitTables.quantities(c.quantityByUnit()),
                                    c.firstShippedAt(),
                                    c.lastShippedAt()));
                }
            }
            default ->
                    throw new IllegalArgumentException(
                            "no exposure file " + file + "; one of " + String.join(", ", FILES));
        }
        return new ReportTable(file, columns, rows);
    }

    private static List<String> row(Object... cells) {
        List<String> row = new ArrayList<>();
        for (Object cell : cells) {
            if (cell == null) {
                row.add("");
            } else if (cell instanceof Double quantity) {
                row.add(Quantities.format(quantity));
            } else {
                row.add(cell.toString());
            }
        }
        return row;
    }
}
