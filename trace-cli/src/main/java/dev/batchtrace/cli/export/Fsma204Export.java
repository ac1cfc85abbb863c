package dev.batchtrace.cli.export;

import dev.batchtrace.cli.query.AffectedShipment;
import dev.batchtrace.cli.query.LotRecord;
import dev.batchtrace.cli.query.LotSummary;
import dev.batchtrace.cli.query.MassBalance;
import dev.batchtrace.cli.query.TraceQueries;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.dhatim.fastexcel.Workbook;
import org.dhatim.fastexcel.Worksheet;
import tools.jackson.databind.SequenceWriter;
import tools.jackson.dataformat.csv.CsvMapper;
import tools.jackson.dataformat.csv.CsvSchema;
import tools.jackson.dataformat.csv.CsvWriteFeature;

/**
 * The FSMA 204 sortable spreadsheet of a lot: one row per critical tracking event (receiving,
 * transformation, shipping) in its genealogy: the receipts of every bought lot upstream, the work
 * orders that made the lot, its inputs and everything made from it, and the shipments of the lot
 * and of what was made from it. Rows are sorted by date, then event, then lot code.
 */
public final class Fsma204Export {

    /** Column headers, in the FDA template's words where it has them. */
    public static final List<String> COLUMNS =
            List.of(
                    "Critical tracking event",
                    "Event date (UTC)",
                    "Traceability lot code",
                    "Product code",
                    "Product description",
                    "Quantity",
                    "Unit of measure",
                    "Location of the event",
                    "Immediate previous source",
                    "Immediate subsequent recipient",
                    "Traceability lot code source",
                    "Supplier lot code",
                    "Input traceability lot codes",
                    "Reference document type",
                    "Reference document number");

    private static final Map<String, Integer> CTE_ORDER =
            Map.of(
                    Fsma204Event.RECEIVING, 0,
                    Fsma204Event.TRANSFORMATION, 1,
                    Fsma204Event.SHIPPING, 2);

    private static final Comparator<Fsma204Event> ORDER =
            Comparator.comparing(
                            Fsma204Event::date,
                            Comparator.nullsLast(Comparator.<Instant>naturalOrder()))
                    .thenComparing(e -> CTE_ORDER.get(e.cte()))
                    .thenComparing(Fsma204Event::traceabilityLotCode)
                    .thenComparing(e -> String.valueOf(e.referenceDocumentNumber()));

    private static final CsvMapper CSV =
            CsvMapper.builder().enable(CsvWriteFeature.STRICT_CHECK_FOR_QUOTING).build();

    private Fsma204Export() {}

    /** Reads the lot's history and builds the rows. */
    public static List<Fsma204Event> of(TraceQueries queries, String lotCode) {
        LotHistory history = LotHistory.load(queries, lotCode);
        return events(history.records(), history.genealogy(), history.shipments());
    }

    /**
     * The request's other form: every lot of a product received or produced in [from, to], each
     * with its genealogy's events, an event listed once.
     *
     * @throws IllegalArgumentException no lot of that product in that time
     */
    public static List<Fsma204Event> ofProduct(
            TraceQueries queries, String product, Instant from, Instant to) {
        List<LotSummary> lots = queries.lotsOfProduct(product, from, to);
        if (lots.isEmpty()) {
            throw new IllegalArgumentException(
                    "no lot of product "
                            + product
                            + " was received or produced"
                            + (from == null ? "" : " from " + from)
                            + (to == null ? "" : " to " + to));
        }
        Set<Fsma204Event> events = new LinkedHashSet<>();
        for (LotSummary lot : lots) {
            events.addAll(of(queries, lot.lotCode()));
        }
        List<Fsma204Event> sorted = new ArrayList<>(events);
        sorted.sort(ORDER);
        return sorted;
    }

    /**
     * The rows from the lots' documents and the shipments.
     *
     * @param records the lots of the genealogy and the inputs of their transformations
     * @param genealogy the lots whose events are rows; shipment lines of other lots, or not
     *     affected ones, are other lots' business and left out
     */
    public static List<Fsma204Event> events(
            List<LotRecord> records, Set<String> genealogy, List<AffectedShipment> shipments) {
        Map<String, LotRecord> byCode =
                records.stream()
                        .collect(
                                Collectors.toMap(
                                        r -> r.lot().lotCode(),
                                        Function.identity(),
                                        (a, b) -> a,
                                        TreeMap::new));
        List<Fsma204Event> events = new ArrayList<>();
        for (LotRecord record : byCode.values()) {
            LotSummary lot = record.lot();
            if (!genealogy.contains(lot.lotCode())) {
                continue;
            }
            if ("PURCHASED".equals(lot.kind())) {
                String supplier = name(lot.supplierName(), lot.supplierId());
                events.add(
                        new Fsma204Event(
                                Fsma204Event.RECEIVING,
                                lot.receivedAt(),
                                lot.lotCode(),
                                lot.materialCode(),
                                lot.materialName(),
                                record.quantity(),
                                record.unit(),
                                record.site(),
                                supplier,
                                null,
                                supplier,
                                lot.supplierLotCode(),
                                null,
                                "Goods receipt",
                                receiptNumber(record)));
            } else if ("PRODUCED".equals(lot.kind())) {
                events.add(
                        new Fsma204Event(
                                Fsma204Event.TRANSFORMATION,
                                lot.producedAt(),
                                lot.lotCode(),
                                lot.materialCode(),
                                lot.materialName(),
                                record.quantity(),
                                record.unit(),
                                join(record.site(), record.lineId()),
                                null,
                                null,
                                record.site(),
                                null,
                                inputs(lot, byCode),
                                "Work order",
                                lot.workOrderId()));
            }
        }
        for (AffectedShipment shipment : shipments) {
            for (AffectedShipment.Line line : shipment.lines()) {
                LotRecord record = byCode.get(line.lotCode());
                if (record == null || !line.affected() || !genealogy.contains(line.lotCode())) {
                    continue;
                }
                LotSummary lot = record.lot();
                boolean bought = "PURCHASED".equals(lot.kind());
                events.add(
                        new Fsma204Event(
                                Fsma204Event.SHIPPING,
                                shipment.shippedAt(),
                                line.lotCode(),
                                line.productCode() != null
                                        ? line.productCode()
                                        : lot.materialCode(),
                                lot.materialName(),
                                line.quantity(),
                                line.unit(),
                                record.site(),
                                null,
                                join(
                                        name(shipment.customerName(), shipment.customerId()),
                                        shipment.destination()),
                                bought ? name(lot.supplierName(), lot.supplierId()) : record.site(),
                                bought ? lot.supplierLotCode() : null,
                                null,
                                "Dispatch note",
                                shipment.dispatchId()));
            }
        }
        events.sort(ORDER);
        return events;
    }

    /**
     * The goods receipts of a bought lot, "GR-1; GR-2" when several deliveries brought it; null
     * when its document names none.
     */
    static String receiptNumber(LotRecord record) {
        return record.receiptIds().isEmpty() ? null : String.join("; ", record.receiptIds());
    }

    /** "RM-1 60 kg; RM-3 1.5 kg": what the lot's work order consumed of each input. */
    private static String inputs(LotSummary lot, Map<String, LotRecord> byCode) {
        List<String> parts = new ArrayList<>();
        for (String input : lot.inputLotCodes()) {
            LotRecord record = byCode.get(input);
            double quantity = 0;
            String unit = null;
            boolean known = false;
            if (record != null && record.balance() != null && lot.workOrderId() != null) {
                for (MassBalance.WorkOrderUse use : record.balance().consumedBy()) {
                    if (lot.workOrderId().equals(use.workOrderId()) && use.quantity() != null) {
                        quantity += use.quantity();
                        unit = use.unit();
                        known = true;
                    }
                }
            }
            parts.add(
                    known
                            ? input + " " + number(quantity) + (unit == null ? "" : " " + unit)
                            : input);
        }
        return parts.isEmpty() ? null : String.join("; ", parts);
    }

    /** Writes CSV or XLSX, by the file's extension. */
    public static void write(List<Fsma204Event> events, Path file) throws IOException {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".csv")) {
            try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                csv(events, out);
            }
        } else if (name.endsWith(".xlsx")) {
            try (OutputStream out = Files.newOutputStream(file)) {
                xlsx(events, out);
            }
        } else {
            throw new IllegalArgumentException(
                    "--out must end in .csv or .xlsx: " + file.getFileName());
        }
    }

    public static void csv(List<Fsma204Event> events, Writer out) throws IOException {
        CsvSchema.Builder schema = CsvSchema.builder();
        COLUMNS.forEach(schema::addColumn);
        try (SequenceWriter csv =
                CSV.writer(schema.build().withHeader())
                        .without(tools.jackson.core.StreamWriteFeature.AUTO_CLOSE_TARGET)
                        .writeValues(out)) {
            for (Fsma204Event event : events) {
                List<String> row = new ArrayList<>();
                for (Object cell : cells(event)) {
                    row.add(
                            cell == null
                                    ? ""
                                    : cell instanceof Double d ? number(d) : cell.toString());
                }
                csv.write(row);
            }
        }
    }

    /** One sheet, header row frozen and filtered (the "sortable" of the FDA's request). */
    public static void xlsx(List<Fsma204Event> events, OutputStream out) throws IOException {
        Workbook workbook = new Workbook(out, "batchtrace", "1.0");
        Worksheet sheet = workbook.newWorksheet("FSMA 204");
        for (int c = 0; c < COLUMNS.size(); c++) {
            sheet.value(0, c, COLUMNS.get(c));
            sheet.style(0, c).bold().set();
            sheet.width(c, c == 12 || c == 9 ? 40 : 20);
        }
        for (int r = 0; r < events.size(); r++) {
            List<Object> cells = cells(events.get(r));
            for (int c = 0; c < cells.size(); c++) {
                Object cell = cells.get(c);
                if (cell instanceof Instant time) {
                    sheet.value(r + 1, c, LocalDateTime.ofInstant(time, ZoneOffset.UTC));
                    sheet.style(r + 1, c).format("yyyy-mm-dd hh:mm:ss").set();
                } else if (cell instanceof Double number) {
                    sheet.value(r + 1, c, number);
                } else if (cell != null) {
                    sheet.value(r + 1, c, cell.toString());
                }
            }
        }
        sheet.freezePane(0, 1);
        sheet.setAutoFilter(0, 0, Math.max(0, events.size()), COLUMNS.size() - 1);
        workbook.finish();
    }

    private static List<Object> cells(Fsma204Event e) {
        List<Object> cells = new ArrayList<>();
        cells.add(e.cte());
        cells.add(e.date());
        cells.add(e.traceabilityLotCode());
        cells.add(e.productCode());
        cells.add(e.productDescription());
        cells.add(e.quantity());
        cells.add(e.unit());
        cells.add(e.location());
        cells.add(e.immediatePreviousSource());
        cells.add(e.immediateSubsequentRecipient());
        cells.add(e.tlcSource());
        cells.add(e.supplierLotCode());
        cells.add(e.inputLots());
        cells.add(e.referenceDocumentType());
        cells.add(e.referenceDocumentNumber());
        return cells;
    }

    private static String name(String name, String id) {
        if (name == null) {
            return id;
        }
        return id == null ? name : name + " (" + id + ")";
    }

    private static String join(String a, String b) {
        if (a == null) {
            return b;
        }
        return b == null ? a : a + ", " + b;
    }

    private static String number(double value) {
        return new DecimalFormat("0.######", DecimalFormatSymbols.getInstance(Locale.ROOT))
                .format(value);
    }
}
