package dev.batchtrace.cli.query;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A page of where a lot went, for lots that fed thousands of others: the first lots made from it
 * (by level, then lot code), how many there are at each level, the first shipments (by customer,
 * then oldest first) and every customer's totals. The first five fields are those of {@link
 * ForwardTrace} (the {@code --json} contract), the counts follow.
 *
 * @param lots the lots shown, level 1 = made directly from it
 * @param customers the shipments shown, by customer
 * @param shipmentCount every shipment that carried it or a lot made from it, shown or not
 * @param tookMs time spent in the Elasticsearch calls
 * @param lotCount every lot made from it, shown or not
 * @param lotsByLevel how many lots at each level; a lot whose chain to the traced lot is not
 *     indexed yet has no level and counts in {@code lotCount} only
 * @param customerTotals every customer, with its shipment count and first and last shipment date
 */
public record ForwardPage(
        String lotCode,
        List<LotSummary> lots,
        List<CustomerShipments> customers,
        int shipmentCount,
        long tookMs,
        long lotCount,
        Map<Integer, Long> lotsByLevel,
        List<CustomerTotal> customerTotals) {

    public ForwardPage {
        lots = List.copyOf(lots);
        lotsByLevel = Collections.unmodifiableMap(new TreeMap<>(lotsByLevel));
        customers = List.copyOf(customers);
        customerTotals = List.copyOf(customerTotals);
    }

    /** The first {@code limit} lots and shipments of a forward trace read in full. */
    static ForwardPage of(ForwardTrace full, int limit) {
        Map<Integer, Long> byLevel = new TreeMap<>();
        for (LotSummary lot : full.lots()) {
            if (lot.level() != null) {
                byLevel.merge(lot.level(), 1L, Long::sum);
            }
        }
        List<CustomerShipments> shown = new ArrayList<>();
        int room = limit;
        for (CustomerShipments customer : full.customers()) {
            if (room <= 0) {
                break;
            }
            List<ShipmentSummary> shipments = customer.shipments();
            if (shipments.size() > room) {
                shipments = shipments.subList(0, room);
            }
            shown.add(
                    new CustomerShipments(
                            customer.customerId(), customer.customerName(), shipments));
            room -= shipments.size();
        }
        return new ForwardPage(
                full.lotCode(),
                full.lots().subList(0, Math.min(limit, full.lots().size())),
                shown,
                full.shipmentCount(),
                full.tookMs(),
                full.lots().size(),
                byLevel,
                CustomerTotal.of(full.customers()));
    }

    /** Whether every lot made from it is shown. */
    public boolean allLotsShown() {
        return lots.size() >= lotCount;
    }

    /** The shipments shown. */
    public int shownShipmentCount() {
        return customers.stream().mapToInt(c -> c.shipments().size()).sum();
    }

    /** Whether every shipment is shown. */
    public boolean allShipmentsShown() {
        return shownShipmentCount() >= shipmentCount;
    }
}
