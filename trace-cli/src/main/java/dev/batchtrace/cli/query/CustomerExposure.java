package dev.batchtrace.cli.query;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What one customer received of affected lots, in one unit (units are never added together).
 *
 * @param quantity sum of the affected dispatch lines in {@code unit} that have a quantity
 * @param shipmentCount dispatches with affected lines in this unit
 * @param linesWithoutQuantity affected lines without a quantity (not in {@code quantity})
 */
public record CustomerExposure(
        String customerId,
        String customerName,
        String unit,
        double quantity,
        int shipmentCount,
        List<String> dispatchIds,
        int linesWithoutQuantity) {

    public CustomerExposure {
        dispatchIds = List.copyOf(dispatchIds);
    }

    private static final Comparator<String> NULLS_LAST =
            Comparator.nullsLast(Comparator.naturalOrder());

    /**
     * Per customer and unit, from the affected lines of the shipments. A shipment whose affected
     * lot is missing from its own lines (bad data) still counts its customer, without quantity.
     */
    static List<CustomerExposure> of(List<AffectedShipment> shipments) {
        Map<String, Map<String, Sum>> byCustomer = new TreeMap<>(NULLS_LAST);
        Map<String, String> names = new TreeMap<>(NULLS_LAST);
        for (AffectedShipment shipment : shipments) {
            if (shipment.customerName() != null) {
                names.put(shipment.customerId(), shipment.customerName());
            }
            Map<String, Sum> byUnit =
                    byCustomer.computeIfAbsent(
                            shipment.customerId(), id -> new TreeMap<>(NULLS_LAST));
            boolean anyLine = false;
            for (AffectedShipment.Line line : shipment.lines()) {
                if (line.affected()) {
                    anyLine = true;
                    byUnit.computeIfAbsent(line.unit(), u -> new Sum()).add(shipment, line);
                }
            }
            if (!anyLine) {
                byUnit.computeIfAbsent(null, u -> new Sum()).dispatchIds.add(shipment.dispatchId());
            }
        }
        List<CustomerExposure> exposures = new ArrayList<>();
        byCustomer.forEach(
                (customerId, byUnit) ->
                        byUnit.forEach(
                                (unit, sum) ->
                                        exposures.add(
                                                new CustomerExposure(
                                                        customerId,
                                                        names.get(customerId),
                                                        unit,
                                                        sum.quantity,
                                                        sum.dispatchIds.size(),
                                                        List.copyOf(sum.dispatchIds),
                                                        sum.withoutQuantity))));
        return List.copyOf(exposures);
    }

    private static final class Sum {
        double quantity;
        int withoutQuantity;
        final TreeSet<String> dispatchIds = new TreeSet<>();

        void add(AffectedShipment shipment, AffectedShipment.Line line) {
            dispatchIds.add(Objects.requireNonNullElse(shipment.dispatchId(), "-"));
            if (line.quantity() == null) {
                withoutQuantity++;
            } else {
                quantity += line.quantity();
            }
        }
    }
}
