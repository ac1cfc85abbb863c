package dev.batchtrace.jobs.lineage;

import java.util.List;

/**
 * What the affected-shipments index has of a shipment through one shipped lot: the entry lots of
 * that lot's announcement at {@code version}. Kept per shipped lot (a shipment has a few), so a
 * shipment whose shipped lots' announcements did not move reads one small value per shipped lot and
 * sends nothing, and one that moved sends only the entry lots added or gone.
 *
 * @param version the shipped lot's announcement version the list was taken from
 * @param entryLots the entry lot codes, sorted, distinct
 */
record IndexedReach(long version, List<String> entryLots) {

    IndexedReach {
        entryLots = entryLots == null ? List.of() : List.copyOf(entryLots);
    }
}
