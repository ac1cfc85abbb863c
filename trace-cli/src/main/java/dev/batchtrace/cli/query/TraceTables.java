package dev.batchtrace.cli.query;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** The readable (default) output of {@code trace lot} and {@code trace customers}. */
public final class TraceTables {

    private TraceTables() {}

    /** Backward and forward trace of a lot. */
    public static String lot(LotTrace trace) {
        return backward(trace.backward()) + "\n" + forward(trace.forward());
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
        TextTable lots =
                new TextTable(
                        "LEVEL", "LOT", "KIND", "MATERIAL", "WORK ORDER", "PRODUCED", "INPUTS");
        for (LotSummary lot : trace.lots()) {
            lots.row(
                    lot.level(),
                    lot.lotCode(),
                    lot.kind(),
                    named(lot.materialName(), lot.materialCode()),
                    lot.workOrderId(),
                    lot.producedAt(),
                    lot.inputLotCodes());
        }
        if (!lots.isEmpty()) {
            text.append(lots.render());
        }
        if (trace.customers().isEmpty()) {
            text.append("  not shipped: no dispatch note carries it or a lot made from it\n");
        } else {
            text.append('\n').append(shipments(trace.customers(), "VIA LOTS"));
        }
        return text.toString();
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
            TextTable totals =
                    new TextTable("CUSTOMER", "SHIPMENTS", "FIRST SHIPPED", "LAST SHIPPED");
            for (CustomerTotal customer : answer.customerTotals()) {
                totals.row(
                        named(customer.customerName(), customer.customerId()),
                        customer.shipments(),
                        customer.firstShipped(),
                        customer.lastShipped());
            }
            text.append(totals.render())
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

    static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
