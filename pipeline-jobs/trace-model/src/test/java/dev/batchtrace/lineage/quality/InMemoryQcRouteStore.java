package dev.batchtrace.lineage.quality;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** {@link QcRouteStore} on sorted collections, for tests and the simulation. */
public final class InMemoryQcRouteStore implements QcRouteStore {

    private final Set<String> producers = new TreeSet<>();
    private final Map<String, QcCheck> untagged = new TreeMap<>();

    @Override
    public boolean isProducer(String workOrderId) {
        return producers.contains(workOrderId);
    }

    @Override
    public void markProducer(String workOrderId) {
        producers.add(workOrderId);
    }

    @Override
    public Iterable<String> producers() {
        return producers;
    }

    @Override
    public QcCheck untagged(String checkId) {
        return untagged.get(checkId);
    }

    @Override
    public void putUntagged(String checkId, QcCheck check) {
        untagged.put(checkId, check);
    }

    @Override
    public Iterable<QcCheck> untaggedChecks() {
        return untagged.values();
    }
}
