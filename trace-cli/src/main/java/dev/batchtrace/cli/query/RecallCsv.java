package dev.batchtrace.cli.query;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.SequenceWriter;
import tools.jackson.dataformat.csv.CsvMapper;
import tools.jackson.dataformat.csv.CsvSchema;
import tools.jackson.dataformat.csv.CsvWriteFeature;

/**
 * The {@code --csv DIR} output, for spreadsheets: {@value #LOTS}, {@value #SHIPMENTS} (one row per
 * dispatch line), {@value #CUSTOMERS} and {@value #SUMMARY} (field, value), UTF-8 with a header
 * row. Unknown values are empty cells; quantities are plain numbers without unit (the unit has its
 * own column).
 */
public final class RecallCsv {

    public static final String LOTS = "lots.csv";
    public static final String SHIPMENTS = "shipments.csv";
    public static final String CUSTOMERS = "customers.csv";
    public static final String SUMMARY = "summary.csv";

    // quote only where CSV needs it (comma, quote, line break), not every value with a space
    private static final CsvMapper MAPPER =
            CsvMapper.builder().enable(CsvWriteFeature.STRICT_CHECK_FOR_QUOTING).build();

    /** The four files, in the order {@link #write(RecallReport, Path)} writes them. */
    public static final List<String> FILES = List.of(LOTS, SHIPMENTS, CUSTOMERS, SUMMARY);

    private RecallCsv() {}

    /**
     * One of the four {@link #FILES} into {@code out} (the explorer's downloads).
     *
     * @throws IllegalArgumentException for another file name
     */
    public static void write(RecallReport report, String file, Writer out) throws IOException {
        switch (file) {
            case LOTS -> write(out, LOT_COLUMNS, lots(report));
            case SHIPMENTS -> write(out, SHIPMENT_COLUMNS, shipments(report));
            case CUSTOMERS -> write(out, CUSTOMER_COLUMNS, customers(report));
            case SUMMARY -> write(out, SUMMARY_COLUMNS, summary(report));
            default ->
                    throw new IllegalArgumentException(
                            "no recall file " + file + "; one of " + String.join(", ", FILES));
        }
    }

    /** The four files as tables, in the order of {@link #FILES} (the XLSX download's sheets). */
    public static List<ReportTable> tables(RecallReport report) {
        return List.of(
                new ReportTable(LOTS, LOT_COLUMNS, lots(report)),
                new ReportTable(SHIPMENTS, SHIPMENT_COLUMNS, shipments(report)),
                new ReportTable(CUSTOMERS, CUSTOMER_COLUMNS, customers(report)),
                new ReportTable(SUMMARY, SUMMARY_COLUMNS, summary(report)));
    }

    /** Writes the four files into {@code directory} (created if missing); returns their paths. */
    public static List<Path> write(RecallReport report, Path directory) throws IOException {
        Files.createDirectories(directory);
        List<Path> files = new ArrayList<>();
        files.add(write(directory.resolve(LOTS), LOT_COLUMNS, lots(report)));
        files.add(write(directory.resolve(SHIPMENTS), SHIPMENT_COLUMNS, shipments(report)));
        files.add(write(directory.resolve(CUSTOMERS), CUSTOMER_COLUMNS, customers(report)));
        files.add(write(directory.resolve(SUMMARY), SUMMARY_COLUMNS, summary(report)));
        return files;
    }

    static final List<String> SUMMARY_COLUMNS = List.of("field", "value");

    static final List<String> LOT_COLUMNS =
            List.of(
                    "role",
                    "level",
                    "lotCode",
                    "kind",
                    "materialCode",
                    "materialName",
                    "workOrderId",
                    "quantity",
                    "unit",
                    "remaining",
                    "unitMismatch",
                    "onHold");

    static final List<String> SHIPMENT_COLUMNS =
            List.of(
                    "dispatchId",
                    "customerId",
                    "customerName",
                    "destination",
                    "shippedAt",
                    "lotCode",
                    "productCode",
                    "quantity",
                    "unit",
                    "affected",
                    "onHold");

    static final List<String> CUSTOMER_COLUMNS =
            List.of(
                    "customerId",
                    "customerName",
                    "unit",
                    "quantity",
                    "shipmentCount",
                    "dispatchIds",
                    "linesWithoutQuantity");

    static List<List<String>> lots(RecallReport report) {
        List<List<String>> rows = new ArrayList<>();
        FlaggedLot flagged = report.lot();
        MassBalance balance = flagged.balance();
        rows.add(
                row(
                        "FLAGGED",
                        0,
                        flagged.facts().lotCode(),
                        flagged.facts().kind(),
                        flagged.facts().materialCode(),
                        flagged.facts().materialName(),
                        flagged.facts().workOrderId(),
                        flagged.quantity(),
                        flagged.unit(),
                        balance == null ? null : balance.remaining(),
                        balance != null && balance.unitMismatch(),
                        flagged.onHold()));
        for (AffectedLot lot : report.lots()) {
            rows.add(
                    row(
                            "AFFECTED",
                            lot.level(),
                            lot.lotCode(),
                            lot.kind(),
                            lot.materialCode(),
                            lot.materialName(),
                            lot.workOrderId(),
                            lot.quantity(),
                            lot.unit(),
                            lot.remaining(),
                            lot.unitMismatch(),
                            lot.onHold()));
        }
        return rows;
    }

    static List<List<String>> shipments(RecallReport report) {
        List<List<String>> rows = new ArrayList<>();
        for (AffectedShipment shipment : report.shipments()) {
            for (AffectedShipment.Line line : shipment.lines()) {
                rows.add(
                        row(
                                shipment.dispatchId(),
                                shipment.customerId(),
                                shipment.customerName(),
                                shipment.destination(),
                                shipment.shippedAt(),
                                line.lotCode(),
                                line.productCode(),
                                line.quantity(),
                                line.unit(),
                                line.affected(),
                                shipment.onHold()));
            }
        }
        return rows;
    }

    static List<List<String>> customers(RecallReport report) {
        List<List<String>> rows = new ArrayList<>();
        for (CustomerExposure customer : report.customers()) {
            rows.add(
                    row(
                            customer.customerId(),
                            customer.customerName(),
                            customer.unit(),
                            customer.quantity(),
                            customer.shipmentCount(),
                            String.join(" ", customer.dispatchIds()),
                            customer.linesWithoutQuantity()));
        }
        return rows;
    }

    static List<List<String>> summary(RecallReport report) {
        List<List<String>> rows = new ArrayList<>();
        FlaggedLot lot = report.lot();
        MassBalance balance = lot.balance();
        ShareAccounted share = lot.shareAccounted();
        rows.add(row("lotCode", report.lotCode()));
        rows.add(row("materialCode", lot.facts().materialCode()));
        rows.add(row("materialName", lot.facts().materialName()));
        rows.add(row("onHold", lot.onHold()));
        rows.add(
                row(
                        "holds",
                        String.join(
                                " ",
                                lot.holds().stream()
                                        .map(h -> h.flagId() + "@" + h.flaggedLotCode())
                                        .toList())));
        rows.add(row("unit", balance == null ? lot.unit() : balance.unit()));
        rows.add(row("receivedOrProduced", balance == null ? null : balance.receivedOrProduced()));
        rows.add(row("consumed", balance == null ? null : balance.consumed()));
        rows.add(row("shipped", balance == null ? null : balance.shipped()));
        rows.add(row("remaining", balance == null ? null : balance.remaining()));
        rows.add(row("unitMismatch", balance != null && balance.unitMismatch()));
        if (balance != null) {
            for (MassBalance.UnaccountedUnit other : balance.unaccounted()) {
                rows.add(row("unaccountedConsumed." + other.unit(), other.consumed()));
                rows.add(row("unaccountedShipped." + other.unit(), other.shipped()));
            }
        }
        rows.add(row("shareAccountedPercent", share.percent()));
        rows.add(row("shareAccountedFormula", share.accounted() == null ? null : share.formula()));
        rows.add(row("shareAccountedRule", ShareAccounted.RULE));
        rows.add(row("shareAccountedNotes", String.join("; ", share.notes())));
        rows.add(row("affectedLots", report.lots().size()));
        for (StockToQuarantine stock : report.stockToQuarantine()) {
            rows.add(row("stockToQuarantine." + Quantities.unit(stock.unit()), stock.quantity()));
        }
        rows.add(row("affectedShipments", report.shipments().size()));
        rows.add(row("customers", report.customerCount()));
        rows.add(row("openAlerts", report.openAlertCount()));
        for (Map.Entry<String, Integer> kind : report.openAlertsByKind().entrySet()) {
            rows.add(row("openAlerts." + kind.getKey(), kind.getValue()));
        }
        for (ExposureReport.ValueAtStake v : report.valueAtStake()) {
            String key = "valueAtStake." + v.currency() + (v.unit() == null ? "" : "." + v.unit());
            rows.add(row(key + ".shipped", v.shipped()));
            rows.add(row(key + ".inStock", v.inStock()));
        }
        rows.add(row("generatedAt", report.generatedAt()));
        rows.add(row("elasticsearchMs", report.elasticsearchMs()));
        rows.add(row("totalMs", report.totalMs()));
        return rows;
    }

    private static Path write(Path file, List<String> columns, List<List<String>> rows)
            throws IOException {
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            write(out, columns, rows);
        }
        return file;
    }

    private static void write(Writer out, List<String> columns, List<List<String>> rows)
            throws IOException {
        CsvSchema.Builder schema = CsvSchema.builder();
        columns.forEach(schema::addColumn);
        // the caller owns (and closes) out
        try (SequenceWriter csv =
                MAPPER.writer(schema.build().withHeader())
                        .without(tools.jackson.core.StreamWriteFeature.AUTO_CLOSE_TARGET)
                        .writeValues(out)) {
            for (List<String> row : rows) {
                csv.write(row);
            }
        }
    }

    /** Cells as text: numbers without trailing ".0", unknown values empty. */
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
