package dev.batchtrace.cli.query;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/** The readable (default) output of {@code trace lot} and {@code trace customers}. */
public final class TraceTables {

    private TraceTables() {}

    /** Backward and forward trace of a lot. */
    public static String lot(LotTrace trace) {
        return backward(trace.backward()) + "\n" + forward(trace.forward());
    }

    /**
     * Backward trace and a page of the forward trace of a lot ({@code trace lot} without --all).
     */
    public static String lot(LotPage page) {
        return backward(page.backward()) + "\n" + forward(page.forward());
    }

    /** Heading with the lot's origin, then its ancestors by level. */
    public static String backward(BackwardTrace trace) {
        StringBuilder text = new StringBuilder();
        LotSummary lot = trace.lot();
        text.append("Lot ")
                .append(lot.lotCode())
                .append("  ")
                .append(TextTable.cell(lot.kind()))
                .append("  ")
                .append(named(lot.materialName(), lot.materialCode()))
                .append('\n');
        origin(text, lot);
        text.append('\n');

        Set<String> supplierLots = new TreeSet<>();
        for (LotSummary ancestor : trace.ancestors()) {
            if (ancestor.supplierId() != null && ancestor.supplierLotCode() != null) {
                supplierLots.add(ancestor.supplierId() + "/" + ancestor.supplierLotCode());
            }
        }
        text.append(
                String.format(
                        "Backward trace: %s, %s in all, %s (%d ms)%n",
                        count(lot.inputLotCodes().size(), "direct input"),
                        count(
                                trace.ancestors().size() + trace.notIndexedLotCodes().size(),
                                "ancestor lot"),
                        count(supplierLots.size(), "supplier lot"),
                        trace.tookMs()));
        TextTable table =
                new TextTable(
                        "LEVEL",
                        "LOT",
                        "KIND",
                        "MATERIAL",
                        "SUPPLIER",
                        "SUPPLIER LOT",
                        "WORK ORDER",
                        "INPUTS");
        for (LotSummary ancestor : trace.ancestors()) {
            table.row(
                    ancestor.level(),
                    ancestor.lotCode(),
                    ancestor.kind(),
                    named(ancestor.materialName(), ancestor.materialCode()),
                    named(ancestor.supplierName(), ancestor.supplierId()),
                    ancestor.supplierLotCode(),
                    ancestor.workOrderId(),
                    ancestor.inputLotCodes());
        }
        if (table.isEmpty()) {
            text.append("  no inputs: nothing was consumed to make this lot\n");
        } else {
            text.append(table.render());
        }
        if (!trace.notIndexedLotCodes().isEmpty()) {
            text.append("Not indexed yet (no trace-lots document): ")
                    .append(TextTable.cell(trace.notIndexedLotCodes()))
                    .append('\n');
        }
        return text.toString();
    }

    /** Lots made from the lot, then its shipments by customer. */
    public static String forward(ForwardTrace trace) {
        StringBuilder text = new StringBuilder();
        text.append(
                String.format(
                        "Forward trace: %s made from %s, %s to %s (%d ms)%n",
                        count(trace.lots().size(), "lot"),
                        trace.lotCode(),
                        count(trace.shipmentCount(), "shipment"),
                        count(trace.customers().size(), "customer"),
                        trace.tookMs()));
        text.append(madeLots(trace.lots()));
        if (trace.customers().isEmpty()) {
            text.append("  not shipped: no dispatch note carries it or a lot made from it\n");
        } else {
            text.append('\n').append(shipments(trace.customers(), "VIA LOTS"));
        }
        return text.toString();
    }

    /**
     * A page of the lots made from the lot (with the count at each level), then every customer's
     * totals and a page of the shipments when not all are shown.
     */
    public static String forward(ForwardPage page) {
        StringBuilder text = new StringBuilder();
        text.append(
                String.format(
                        "Forward trace: %s made from %s, %s to %s (%d ms)%n",
                        count(page.lotCount(), "lot"),
                        page.lotCode(),
                        count(page.shipmentCount(), "shipment"),
                        count(page.customerTotals().size(), "customer"),
                        page.tookMs()));
        if (!page.lotsByLevel().isEmpty()) {
            StringBuilder levels = new StringBuilder("Lots by level:");
            page.lotsByLevel()
                    .forEach(
                            (level, lots) ->
                                    levels.append(
                                                    String.format(
                                                            Locale.ROOT, " %d: %,d", level, lots))
                                            .append(','));
            levels.setLength(levels.length() - 1);
            text.append(levels).append('\n');
        }
        if (!page.allLotsShown()) {
            text.append(
                    String.format(
                            Locale.ROOT,
                            "Showing %,d of %,d lots made from %s (by level, then lot code);"
                                    + " --limit N or --all for more:%n",
                            page.lots().size(),
                            page.lotCount(),
                            page.lotCode()));
        }
        text.append(madeLots(page.lots()));
        if (page.shipmentCount() == 0) {
            text.append("  not shipped: no dispatch note carries it or a lot made from it\n");
        } else if (page.allShipmentsShown()) {
            text.append('\n').append(shipments(page.customers(), "VIA LOTS"));
        } else {
            text.append('\n').append(customerTotals(page.customerTotals()));
            text.append(
                    String.format(
                            Locale.ROOT,
                            "%nShowing %,d of %,d shipments (by customer, then oldest first);"
                                    + " --limit N or --all for more:%n",
                            page.shownShipmentCount(),
                            page.shipmentCount()));
            text.append(shipments(page.customers(), "VIA LOTS"));
        }
        return text.toString();
    }

    /** The lots table of a forward trace; nothing when there are none. */
    private static String madeLots(List<LotSummary> made) {
        TextTable lots =
                new TextTable(
                        "LEVEL", "LOT", "KIND", "MATERIAL", "WORK ORDER", "PRODUCED", "INPUTS");
        for (LotSummary lot : made) {
            lots.row(
                    lot.level(),
                    lot.lotCode(),
                    lot.kind(),
                    named(lot.materialName(), lot.materialCode()),
                    lot.workOrderId(),
                    lot.producedAt(),
                    lot.inputLotCodes());
        }
        return lots.isEmpty() ? "" : lots.render();
    }

    /** Every customer of an answer: shipments, first and last shipped. */
    private static String customerTotals(List<CustomerTotal> customers) {
        TextTable totals = new TextTable("CUSTOMER", "SHIPMENTS", "FIRST SHIPPED", "LAST SHIPPED");
        for (CustomerTotal customer : customers) {
            totals.row(
                    named(customer.customerName(), customer.customerId()),
                    customer.shipments(),
                    customer.firstShipped(),
                    customer.lastShipped());
        }
        return totals.render();
    }

    /** Customers who received product made from a supplier lot or one of our lots. */
    public static String customers(CustomersAnswer answer) {
        StringBuilder text = new StringBuilder();
        String subject =
                answer.lotCode() != null
                        ? "lot " + answer.lotCode()
                        : "supplier " + answer.supplierId() + "'s lot " + answer.supplierLotCode();
        text.append(
                String.format(
                        "Customers who received product made from %s: %s, %s (%d ms)%n",
                        subject,
                        count(answer.customerTotals().size(), "customer"),
                        count(answer.shipmentCount(), "shipment"),
                        answer.tookMs()));
        text.append("Kibana, index trace-shipments: ").append(answer.kql()).append('\n');
        if (answer.shipmentCount() == 0) {
            text.append("  none: no dispatch note carries product made from it\n");
        } else if (!answer.complete()) {
            // a large answer: every customer in full, then a page of the shipments
            text.append(customerTotals(answer.customerTotals()))
                    .append(
                            String.format(
                                    "%nThe first %d of %d shipments (by customer, then oldest"
                                            + " first; --all shows every one):%n",
                                    answer.shownCount(), answer.shipmentCount()))
                    .append(
                            shipments(
                                    answer.customers(),
                                    answer.lotCode() != null ? "VIA LOTS" : "OUR LOTS OF IT"));
        } else {
            text.append(
                    shipments(
                            answer.customers(),
                            answer.lotCode() != null ? "VIA LOTS" : "OUR LOTS OF IT"));
        }
        return text.toString();
    }

    private static String shipments(List<CustomerShipments> customers, String matchedHeader) {
        TextTable table =
                new TextTable(
                        "CUSTOMER",
                        "SHIPMENT",
                        "SHIPPED",
                        "DESTINATION",
                        "LOTS SHIPPED",
                        matchedHeader);
        for (CustomerShipments customer : customers) {
            for (ShipmentSummary shipment : customer.shipments()) {
                table.row(
                        named(customer.customerName(), customer.customerId()),
                        shipment.dispatchId(),
                        shipment.shippedAt(),
                        shipment.destination(),
                        shipment.lotCodes(),
                        shipment.matchedLotCodes());
            }
        }
        return table.render();
    }

    /** The lot's origin lines: supplier and supplier lot, producing work order, dates. */
    static void origin(StringBuilder text, LotSummary lot) {
        if (lot.supplierId() != null || lot.supplierLotCode() != null) {
            text.append("  supplier ")
                    .append(TextTable.cell(named(lot.supplierName(), lot.supplierId())))
                    .append(", supplier lot ")
                    .append(TextTable.cell(lot.supplierLotCode()))
                    .append('\n');
        }
        if (lot.workOrderId() != null) {
            text.append("  made by work order ").append(lot.workOrderId()).append('\n');
        }
        if (lot.receivedAt() != null) {
            text.append("  received ").append(lot.receivedAt()).append('\n');
        }
        if (lot.producedAt() != null) {
            text.append("  produced ").append(lot.producedAt()).append('\n');
        }
    }

    /** "Name (CODE)", or whichever of the two is known. */
    static String named(String name, String code) {
        if (name != null && code != null) {
            return name + " (" + code + ")";
        }
        return name != null ? name : code;
    }

    static String count(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
