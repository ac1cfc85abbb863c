package dev.batchtrace.jobs.lineage;

import dev.batchtrace.lineage.quality.QcCheck;
import dev.batchtrace.lineage.quality.QcRouteStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.MapState;

/** The model's {@link QcRouteStore} over the keyed state of {@link QcRoutingFunction}. */
final class FlinkQcRouteStore implements QcRouteStore {

    private final MapState<String, Boolean> producers;
    private final MapState<String, byte[]> untagged;

    FlinkQcRouteStore(MapState<String, Boolean> producers, MapState<String, byte[]> untagged) {
        this.producers = producers;
        this.untagged = untagged;
    }

    @Override
    public boolean isProducer(String workOrderId) {
        return FlinkState.contains(producers, workOrderId);
    }

    @Override
    public void markProducer(String workOrderId) {
        FlinkState.mark(producers, workOrderId);
    }

    @Override
    public Iterable<String> producers() {
        return FlinkState.keys(producers);
    }

    @Override
    public QcCheck untagged(String checkId) {
        return FlinkState.get(untagged, checkId, QcCheck.class);
    }

    @Override
    public void putUntagged(String checkId, QcCheck check) {
        FlinkState.put(untagged, checkId, check);
    }

    @Override
    public Iterable<QcCheck> untaggedChecks() {
        List<QcCheck> checks = new ArrayList<>();
        for (Map.Entry<String, QcCheck> e : FlinkState.entries(untagged, QcCheck.class)) {
            checks.add(e.getValue());
        }
        return checks;
    }
}
