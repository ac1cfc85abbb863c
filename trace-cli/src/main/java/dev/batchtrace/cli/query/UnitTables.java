package dev.batchtrace.cli.query;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Plain-text answers of {@code bin/trace unit} and {@code bin/trace exposure}. */
public final class UnitTables {

    private UnitTables() {}

    public static String units(List<UnitTrace> units) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < units.size(); i++) {
            if (i > 0) {
                text.append('\n');
            }
            text.append(unit(units.get(i)));
        }
        if (units.size() > 1) {
            text.append(
                    String.format(
                            "%nSerial %s names units of %d products; --product P shows one.%n",
                            units.get(0).serial(), units.size()));
        }
        return text.toString();
    }

    public static String unit(UnitTrace u) {
        StringBuilder text = new StringBuilder();
        text.append(
                String.format(
                        "Unit %s  product %s  (%d ms)%n", u.serial(), u.productCode(), u.tookMs()));
        text.append(
                String.format(
                        "  made in lot %s by work order %s at %s%n",
                        TextTable.cell(u.lotCode()),
                        TextTable.cell(u.workOrderIds()),
                        TextTable.cell(u.producedAt())));
        text.append(
                String.format(
                        "  operators %s  machines %s  QC %s%n",
                        TextTable.cell(u.operatorIds()),
                        TextTable.cell(u.machineIds()),
                        TextTable.cell(u.qcStatus())));
        text.append('\n');
        if (u.shipments().isEmpty()) {
            text.append("Shipped: not yet (no dispatch line names this unit)\n");
        } else {
            text.append("Shipped with\n");
            TextTable shipments =
                    new TextTable("DISPATCH", "CUSTOMER", "NAME", "SHIPPED", "LOT", "DESTINATION");
            for (UnitTrace.UnitShipmentLine s : u.shipments()) {
                shipments.row(
                        s.dispatchId(),
                        s.customerId(),
                        s.customerName(),
                        s.shippedAt(),
                        s.lotCode(),
                        s.destination());
            }
            text.append(shipments.render());
        }
        if (!u.machineRuns().isEmpty()) {
            text.append("\nMachine runs of the lot's work order\n");
            TextTable runs =
                    new TextTable("MACHINE", "WORK ORDER", "STARTED", "COMPLETED", "ALARMS");
            for (UnitTrace.MachineRun r : u.machineRuns()) {
                runs.row(
                        r.machineId(), r.workOrderId(), r.startedAt(), r.completedAt(), r.alarms());
            }
            text.append(runs.render());
        }
        if (!u.qcChecks().isEmpty()) {
            text.append("\nQC checks of the lot\n");
            TextTable checks = new TextTable("CHECK", "CHARACTERISTIC", "RESULT", "CHECKED");
            for (UnitTrace.QcCheckLine c : u.qcChecks()) {
                checks.row(c.checkId(), c.characteristic(), c.result(), c.checkedAt());
            }
            text.append(checks.render());
        }
        text.append('\n');
        if (u.lot() == null) {
            text.append("The lot has no trace-lots document yet.\n");
        } else {
            text.append(TraceTables.backward(u.lot()));
        }
        return text.toString();
    }

    public static String exposure(ExposureReport r) {
        StringBuilder text = new StringBuilder();
        LotSummary batch = r.batch();
        text.append(
                String.format(
                        "Exposure of %s%s  %s  work order %s  (%d ms)%n",
                        batch.lotCode(),
                        r.serial() == null ? "" : " (the lot of unit " + r.serial() + ")",
                        TextTable.cell(batch.materialCode()),
                        TextTable.cell(batch.workOrderId()),
                        r.tookMs()));
        if (!r.filters().isEmpty()) {
            text.append("Limited to ").append(r.filters()).append('\n');
        }
        text.append('\n');
        TextTable raw =
                new TextTable(
                        "LEVEL",
                        "RAW LOT",
                        "MATERIAL",
                        "SUPPLIER",
                        "SUPPLIER LOT",
                        "OTHER WORK ORDERS",
                        "LOTS MADE",
                        "SHIPMENTS");
        for (ExposureReport.RawLot l : r.rawLots()) {
            raw.row(
                    l.lot().level(),
                    l.lot().lotCode(),
                    l.lot().materialCode(),
                    l.lot().supplierId(),
                    l.lot().supplierLotCode(),
                    l.otherWorkOrderIds(),
                    l.lotsMadeFromIt().size(),
                    l.shipments().size());
        }
        text.append("Raw-material lots\n").append(raw.isEmpty() ? "  none\n" : raw.render());
        for (ExposureReport.RawLot l : r.rawLots()) {
            text.append(
                    String.format(
                            "%nFrom %s (%s/%s)%n",
                            l.lot().lotCode(),
                            TextTable.cell(l.lot().supplierId()),
                            TextTable.cell(l.lot().supplierLotCode())));
            TextTable made =
                    new TextTable("LOT", "MATERIAL", "WORK ORDER", "PRODUCED", "QUANTITY", "LEFT");
            for (ExposureReport.MadeLot m : l.lotsMadeFromIt()) {
                made.row(
                        m.lotCode(),
                        m.materialCode(),
                        m.workOrderId(),
                        m.producedAt(),
                        quantity(m.quantity(), m.unit()),
                        quantity(m.remaining(), m.unit()));
            }
            text.append(made.isEmpty() ? "  no lot made from it\n" : made.render());
            TextTable shipped =
                    new TextTable("DISPATCH", "CUSTOMER", "NAME", "SHIPPED", "LOTS", "QUANTITY");
            for (ExposureReport.Shipment s : l.shipments()) {
                List<String> lots = new ArrayList<>();
                List<String> quantities = new ArrayList<>();
                for (ExposureReport.Line line : s.lines()) {
                    lots.add(line.lotCode());
                    quantities.add(quantity(line.quantity(), line.unit()));
                }
                shipped.row(
                        s.dispatchId(),
                        s.customerId(),
                        s.customerName(),
                        s.shippedAt(),
                        lots,
                        quantities);
            }
            text.append(shipped.isEmpty() ? "  not shipped\n" : shipped.render());
        }
        text.append(String.format("%nCustomers to call: %d%n", r.customers().size()));
        TextTable customers =
                new TextTable("CUSTOMER", "NAME", "SHIPMENTS", "QUANTITY", "FIRST", "LAST");
        for (ExposureReport.Customer c : r.customers()) {
            customers.row(
                    c.customerId(),
                    c.customerName(),
                    c.dispatchIds(),
                    quantities(c.quantityByUnit()),
                    c.firstShippedAt(),
                    c.lastShippedAt());
        }
        if (!customers.isEmpty()) {
            text.append(customers.render());
        }
        if (!r.valueAtStake().isEmpty()) {
            text.append('\n').append(RecallTables.valueAtStake(r.valueAtStake()));
        }
        text.append("\nQueries: ").append(String.join("; ", r.queries())).append('\n');
        return text.toString();
    }

    static String quantities(Map<String, Double> byUnit) {
        List<String> parts = new ArrayList<>();
        byUnit.forEach((unit, q) -> parts.add(quantity(q, unit)));
        return String.join(" + ", parts);
    }

    private static String quantity(Double q, String unit) {
        if (q == null) {
            return TextTable.EMPTY;
        }
        return Quantities.format(q) + (unit == null ? "" : " " + unit);
    }
}
