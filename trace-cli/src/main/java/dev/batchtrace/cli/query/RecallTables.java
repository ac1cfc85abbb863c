package dev.batchtrace.cli.query;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The readable (default) output of {@code trace recall}. */
public final class RecallTables {

    private RecallTables() {}

    public static String report(RecallReport report) {
        StringBuilder text = new StringBuilder();
        flaggedLot(text, report.lot());
        text.append('\n');
        affectedLots(text, report);
        text.append('\n');
        shipments(text, report);
        text.append('\n');
        customers(text, report);
        text.append('\n');
        alerts(text, report);
        if (!report.valueAtStake().isEmpty()) {
            text.append('\n').append(valueAtStake(report.valueAtStake()));
        }
        text.append('\n')
                .append(
                        String.format(
                                "Report took %d ms (Elasticsearch %d ms), read %s%n",
                                report.totalMs(), report.elasticsearchMs(), report.generatedAt()));
        return text.toString();
    }

    /** Value at stake per currency ("unknown": quantities without a unit cost, in their unit). */
    static String valueAtStake(List<ExposureReport.ValueAtStake> values) {
        TextTable value = new TextTable("CURRENCY", "SHIPPED", "IN STOCK");
        for (ExposureReport.ValueAtStake v : values) {
            String unit = v.unit() == null ? "" : " " + v.unit();
            value.row(
                    v.currency(),
                    Quantities.format(v.shipped()) + unit,
                    Quantities.format(v.inStock()) + unit);
        }
        return "Value at stake (quantity x unit cost; \"unknown\": quantities without a unit cost)\n"
                + value.render();
    }

    private static void flaggedLot(StringBuilder text, FlaggedLot lot) {
        LotSummary facts = lot.facts();
        text.append("Mock recall of lot ")
                .append(facts.lotCode())
                .append("  ")
                .append(TextTable.cell(facts.kind()))
                .append("  ")
                .append(
                        TextTable.cell(
                                TraceTables.named(facts.materialName(), facts.materialCode())))
                .append("  ")
                .append(Quantities.format(lot.quantity()))
                .append(' ')
                .append(Quantities.unit(lot.unit()))
                .append('\n');
        TraceTables.origin(text, facts);
        if (!lot.onHold()) {
            text.append("  not on hold\n");
        }
        for (Hold hold : lot.holds()) {
            text.append("  ON HOLD ")
                    .append(TextTable.cell(hold.flagId()))
                    .append(' ')
                    .append(TextTable.cell(hold.severity()))
                    .append(" since ")
                    .append(TextTable.cell(hold.since()))
                    .append(
                            hold.flaggedLotCode() == null
                                            || hold.flaggedLotCode().equals(facts.lotCode())
                                    ? ""
                                    : " (inherited from " + hold.flaggedLotCode() + ")")
                    .append(": ")
                    .append(TextTable.cell(hold.reason()))
                    .append('\n');
        }
        MassBalance balance = lot.balance();
        if (balance == null) {
            text.append("Mass balance: not on the lot's document yet\n");
        } else {
            String unit = Quantities.unit(balance.unit());
            text.append("Mass balance (")
                    .append(unit)
                    .append("): received or produced ")
                    .append(Quantities.format(balance.receivedOrProduced()))
                    .append(", consumed ")
                    .append(Quantities.format(balance.consumed()));
            List<String> uses = new ArrayList<>();
            balance.consumedBy()
                    .forEach(
                            u ->
                                    uses.add(
                                            TextTable.cell(u.workOrderId())
                                                    + " "
                                                    + Quantities.format(u.quantity())
                                                    + " "
                                                    + Quantities.unit(u.unit())));
            if (!uses.isEmpty()) {
                text.append(" (").append(String.join(", ", uses)).append(')');
            }
            text.append(", shipped ").append(Quantities.format(balance.shipped()));
            List<String> dispatches = new ArrayList<>();
            balance.shippedBy()
                    .forEach(
                            u ->
                                    dispatches.add(
                                            TextTable.cell(u.dispatchId())
                                                    + " "
                                                    + Quantities.format(u.quantity())
                                                    + " "
                                                    + Quantities.unit(u.unit())));
            if (!dispatches.isEmpty()) {
                text.append(" (").append(String.join(", ", dispatches)).append(')');
            }
            text.append(", remaining ")
                    .append(
                            balance.remaining() == null
                                    ? "unknown"
                                    : Quantities.format(balance.remaining()))
                    .append(balance.unitMismatch() ? ", UNIT MISMATCH" : "")
                    .append('\n');
            for (MassBalance.UnaccountedUnit other : balance.unaccounted()) {
                text.append("  in ")
                        .append(Quantities.unit(other.unit()))
                        .append(", not converted: consumed ")
                        .append(Quantities.format(other.consumed()))
                        .append(", shipped ")
                        .append(Quantities.format(other.shipped()))
                        .append('\n');
            }
        }
        ShareAccounted share = lot.shareAccounted();
        text.append("Accounted for: ").append(Quantities.percent(share.percent()));
        if (share.accounted() != null) {
            text.append(" = ").append(share.formula());
        }
        text.append('\n').append("  computed as ").append(ShareAccounted.RULE).append('\n');
        for (String note : share.notes()) {
            text.append("  note: ").append(note).append('\n');
        }
    }

    private static void affectedLots(StringBuilder text, RecallReport report) {
        List<String> stock = new ArrayList<>();
        for (StockToQuarantine unit : report.stockToQuarantine()) {
            stock.add(
                    Quantities.format(unit.quantity())
                            + " "
                            + Quantities.unit(unit.unit())
                            + (unit.lotsWithUnknownRemaining() == 0
                                    ? ""
                                    : " + unknown in "
                                            + TraceTables.count(
                                                    unit.lotsWithUnknownRemaining(), "lot")));
        }
        text.append(
                String.format(
                        "Affected lots: %s made from %s; stock to quarantine (this lot"
                                + " included): %s%n",
                        TraceTables.count(report.lots().size(), "lot"),
                        report.lotCode(),
                        String.join(", ", stock)));
        if (report.lots().isEmpty()) {
            text.append("  none: no lot was made from it\n");
            return;
        }
        TextTable table =
                new TextTable(
                        "LEVEL",
                        "LOT",
                        "KIND",
                        "MATERIAL",
                        "WORK ORDER",
                        "QUANTITY",
                        "REMAINING",
                        "UNIT",
                        "ON HOLD");
        for (AffectedLot lot : report.lots()) {
            table.row(
                    lot.level(),
                    lot.lotCode(),
                    lot.kind(),
                    TraceTables.named(lot.materialName(), lot.materialCode()),
                    lot.workOrderId(),
                    Quantities.format(lot.quantity()),
                    lot.remaining() == null && lot.unitMismatch()
                            ? "unit mismatch"
                            : Quantities.format(lot.remaining()),
                    lot.unit(),
                    lot.onHold() ? "yes" : "no");
        }
        text.append(table.render());
    }

    private static void shipments(StringBuilder text, RecallReport report) {
        text.append(
                String.format(
                        "Affected shipments: %s to %s%n",
                        TraceTables.count(report.shipments().size(), "shipment"),
                        TraceTables.count(report.customerCount(), "customer")));
        if (report.shipments().isEmpty()) {
            text.append("  none: no dispatch note carries it or a lot made from it\n");
            return;
        }
        TextTable table =
                new TextTable(
                        "SHIPMENT",
                        "CUSTOMER",
                        "DESTINATION",
                        "SHIPPED",
                        "LINES (* = affected lot)",
                        "ON HOLD");
        for (AffectedShipment shipment : report.shipments()) {
            List<String> lines = new ArrayList<>();
            for (AffectedShipment.Line line : shipment.lines()) {
                lines.add(
                        (line.affected() ? "*" : "")
                                + TextTable.cell(line.lotCode())
                                + " "
                                + Quantities.format(line.quantity())
                                + " "
                                + Quantities.unit(line.unit()));
            }
            table.row(
                    shipment.dispatchId(),
                    TraceTables.named(shipment.customerName(), shipment.customerId()),
                    shipment.destination(),
                    shipment.shippedAt(),
                    lines,
                    shipment.onHold() ? "yes" : "no");
        }
        text.append(table.render());
    }

    private static void customers(StringBuilder text, RecallReport report) {
        text.append("Customers (quantity of affected lots shipped, per unit):\n");
        if (report.customers().isEmpty()) {
            text.append("  none\n");
            return;
        }
        TextTable table = new TextTable("CUSTOMER", "QUANTITY", "UNIT", "SHIPMENTS", "DISPATCHES");
        for (CustomerExposure customer : report.customers()) {
            table.row(
                    TraceTables.named(customer.customerName(), customer.customerId()),
                    Quantities.format(customer.quantity())
                            + (customer.linesWithoutQuantity() == 0
                                    ? ""
                                    : " + "
                                            + customer.linesWithoutQuantity()
                                            + " line(s) without quantity"),
                    customer.unit(),
                    customer.shipmentCount(),
                    customer.dispatchIds());
        }
        text.append(table.render());
    }

    private static void alerts(StringBuilder text, RecallReport report) {
        List<String> kinds = new ArrayList<>();
        for (Map.Entry<String, Integer> kind : report.openAlertsByKind().entrySet()) {
            kinds.add(kind.getKey() + " " + kind.getValue());
        }
        text.append(
                String.format(
                        "Open alerts for %s: %d%s%n",
                        report.lotCode(),
                        report.openAlertCount(),
                        kinds.isEmpty() ? "" : " (" + String.join(", ", kinds) + ")"));
        if (report.openAlerts().isEmpty()) {
            text.append("  none in trace-alerts\n");
            return;
        }
        TextTable table =
                new TextTable(
                        "KIND", "SEVERITY", "LOT", "DISPATCH", "CUSTOMER", "QUANTITY", "RAISED");
        for (RecallAlert alert : report.openAlerts()) {
            table.row(
                    alert.kind(),
                    alert.severity(),
                    alert.lotCode(),
                    alert.dispatchId(),
                    TraceTables.named(alert.customerName(), alert.customerId()),
                    alert.quantity() == null
                            ? null
                            : Quantities.format(alert.quantity())
                                    + " "
                                    + Quantities.unit(alert.unit()),
                    alert.raisedAt());
        }
        text.append(table.render());
    }
}
