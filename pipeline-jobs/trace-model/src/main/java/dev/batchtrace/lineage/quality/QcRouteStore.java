package dev.batchtrace.lineage.quality;

/**
 * The state of ONE lot in the QC routing stage (keyed by lot code): the work orders that produced
 * it and its checks that name no work order. MapState-shaped; getters return null when absent.
 */
public interface QcRouteStore {

    /** MapState (set): work orders with an OUTPUT_PRODUCED of this lot. */
    boolean isProducer(String workOrderId);

    void markProducer(String workOrderId);

    Iterable<String> producers();

    /** MapState checkId -> check: this lot's checks without a work order. */
    QcCheck untagged(String checkId);

    void putUntagged(String checkId, QcCheck check);

    Iterable<QcCheck> untaggedChecks();
}
