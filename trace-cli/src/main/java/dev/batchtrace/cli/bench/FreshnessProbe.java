package dev.batchtrace.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.batchtrace.events.DispatchLine;
import dev.batchtrace.events.DispatchNote;
import dev.batchtrace.events.GoodsReceipt;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * Freshness (issue 9): from an event published to its effect searchable, at a steady rate. Each
 * probe is a goods receipt of a new lot and a dispatch note shipping it, sent together at {@code
 * rate} events/s: the lot's document is its receipt's effect (one hop), the shipment's document
 * with the lot among its {@code ancestorLotCodes} is the genealogy's (the lot's closure announced
 * to the shipment). Elasticsearch is searched for the documents not seen yet every {@link #POLL}
 * (an ids query, as the query commands see documents: after the index's refresh; a multi-get would
 * see them before it), so a figure is late by up to that much.
 */
public final class FreshnessProbe {

    /** How often the documents not seen yet are asked for. */
    public static final Duration POLL = Duration.ofMillis(100);

    /**
     * @param lotMillis per probe: published -> the lot's document searchable
     * @param shipmentMillis per probe: published -> the shipment searchable with the lot as
     *     ancestor
     * @param missing probes whose effects were not searchable within the timeout (the percentiles
     *     are null when no probe's effect was)
     */
    public record Result(
            int probes,
            double eventsPerSecond,
            Percentiles lotMillis,
            Percentiles shipmentMillis,
            int missing,
            List<Window> windows) {}

    /**
     * The probes sent from {@code fromSecond} (inclusive) to {@code toSecond} after the first: a
     * run's freshness changes as it goes (a fresh JVM still compiles the probes' paths in the first
     * tens of seconds), so the report shows it per window as well as in total.
     *
     * @param lotMillis null when no probe of the window had its lot searchable
     * @param shipmentMillis null when no probe of the window had its shipment searchable
     */
    public record Window(
            long fromSecond,
            long toSecond,
            int probes,
            Percentiles lotMillis,
            Percentiles shipmentMillis) {}

    private final ElasticsearchProbe es;
    private final String lots;
    private final String shipments;

    public FreshnessProbe(ElasticsearchProbe es, String lotsIndex, String shipmentsIndex) {
        this.es = es;
        this.lots = lotsIndex;
        this.shipments = shipmentsIndex;
    }

    /** The two events of probe {@code i} of run {@code runId}, dated {@code at}. */
    public static List<SpecificRecordBase> probe(String runId, int i, Instant at) {
        String lot = lotCode(runId, i);
        GoodsReceipt receipt =
                GoodsReceipt.newBuilder()
                        .setReceiptId("GR-" + lot)
                        .setLotCode(lot)
                        .setMaterialCode("FRESHNESS-PROBE")
                        .setMaterialName("Freshness probe")
                        .setSupplierId("SUP-PROBE")
                        .setSupplierName("Freshness probe supplier")
                        .setSupplierLotCode("SL-" + lot)
                        .setQuantity(1.0)
                        .setUnit("pcs")
                        .setReceivedAt(at)
                        .setSite("PLANT-SIM")
                        .build();
        DispatchNote note =
                DispatchNote.newBuilder()
                        .setDispatchId(dispatchId(runId, i))
                        .setCustomerId("C-PROBE")
                        .setCustomerName("Freshness probe customer")
                        .setDestination("Probe")
                        .setVehicle("V-PROBE")
                        .setCarrier("Probe carrier")
                        .setRecipient("Goods in")
                        .setShippedAt(at)
                        .setSite("PLANT-SIM")
                        .setLines(
                                List.of(
                                        DispatchLine.newBuilder()
                                                .setLotCode(lot)
                                                .setProductCode("FRESHNESS-PROBE")
                                                .setQuantity(1.0)
                                                .setUnit("pcs")
                                                .build()))
                        .build();
        return List.of(receipt, note);
    }

    static String lotCode(String runId, int i) {
        return "FRESH-" + runId + "-" + i;
    }

    static String dispatchId(String runId, int i) {
        return "DN-FRESH-" + runId + "-" + i;
    }

    /**
     * Publishes {@code probes} probes through {@code send} at {@code eventsPerSecond} (two events a
     * probe) and waits up to {@code timeout} after the last for their effects; the result also per
     * {@code window} of sending.
     */
    public Result run(
            String runId,
            int probes,
            double eventsPerSecond,
            Consumer<SpecificRecordBase> send,
            Duration timeout,
            Duration window)
            throws Exception {
        long[] sentAt = new long[probes];
        AtomicInteger sent = new AtomicInteger();
        AtomicReference<Exception> failure = new AtomicReference<>();
        long intervalNanos = (long) (2e9 / eventsPerSecond);
        Thread publisher =
                new Thread(
                        () -> {
                            long start = System.nanoTime();
                            try {
                                for (int i = 0; i < probes; i++) {
                                    long due = start + i * intervalNanos;
                                    long wait = due - System.nanoTime();
                                    if (wait > 0) {
                                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                                    }
                                    sentAt[i] = System.nanoTime();
                                    probe(runId, i, Instant.now()).forEach(send);
                                    sent.set(i + 1);
                                }
                            } catch (Exception e) {
                                failure.set(e);
                            }
                        },
                        "freshness-publisher");
        publisher.setDaemon(true);
        publisher.start();
        Map<Integer, Double> lotSeen = new ConcurrentHashMap<>();
        Map<Integer, Double> shipmentSeen = new ConcurrentHashMap<>();
        long deadline = Long.MAX_VALUE;
        while (lotSeen.size() < probes || shipmentSeen.size() < probes) {
            if (failure.get() != null) {
                throw new IllegalStateException(
                        "publishing the freshness probes failed: " + failure.get().getMessage(),
                        failure.get());
            }
            int published = sent.get();
            if (published == probes && deadline == Long.MAX_VALUE) {
                deadline = System.nanoTime() + timeout.toNanos();
            }
            if (System.nanoTime() > deadline) {
                break;
            }
            Thread.sleep(POLL.toMillis());
            look(runId, published, sentAt, lotSeen, shipmentSeen);
        }
        publisher.join();
        int missing = 0;
        List<Double> lot = new ArrayList<>(lotSeen.values());
        List<Double> shipment = new ArrayList<>(shipmentSeen.values());
        for (int i = 0; i < probes; i++) {
            if (!lotSeen.containsKey(i) || !shipmentSeen.containsKey(i)) {
                missing++;
            }
        }
        return new Result(
                probes,
                eventsPerSecond,
                percentiles(lot),
                percentiles(shipment),
                missing,
                windows(sentAt, lotSeen, shipmentSeen, window));
    }

    /**
     * The probes grouped by when they were sent ({@code sentAt}, nanos; probe 0 starts the first
     * window), each group's percentiles of what was seen.
     */
    static List<Window> windows(
            long[] sentAt,
            Map<Integer, Double> lotSeen,
            Map<Integer, Double> shipmentSeen,
            Duration window) {
        List<Window> windows = new ArrayList<>();
        if (sentAt.length == 0) {
            return windows;
        }
        long windowNanos = window.toNanos();
        int from = 0;
        while (from < sentAt.length) {
            long index = (sentAt[from] - sentAt[0]) / windowNanos;
            List<Double> lot = new ArrayList<>();
            List<Double> shipment = new ArrayList<>();
            int to = from;
            while (to < sentAt.length && (sentAt[to] - sentAt[0]) / windowNanos == index) {
                if (lotSeen.containsKey(to)) {
                    lot.add(lotSeen.get(to));
                }
                if (shipmentSeen.containsKey(to)) {
                    shipment.add(shipmentSeen.get(to));
                }
                to++;
            }
            long seconds = window.toSeconds();
            windows.add(
                    new Window(
                            index * seconds,
                            (index + 1) * seconds,
                            to - from,
                            percentiles(lot),
                            percentiles(shipment)));
            from = to;
        }
        return windows;
    }

    private void look(
            String runId,
            int published,
            long[] sentAt,
            Map<Integer, Double> lotSeen,
            Map<Integer, Double> shipmentSeen)
            throws Exception {
        Map<String, Integer> pendingLots = new LinkedHashMap<>();
        Map<String, Integer> pendingShipments = new LinkedHashMap<>();
        for (int i = 0; i < published; i++) {
            if (!lotSeen.containsKey(i)) {
                pendingLots.put(lotCode(runId, i), i);
            }
            if (!shipmentSeen.containsKey(i)) {
                pendingShipments.put(dispatchId(runId, i), i);
            }
        }
        long now = System.nanoTime();
        if (!pendingLots.isEmpty()) {
            for (String id :
                    es.searchIds(lots, new ArrayList<>(pendingLots.keySet()), List.of("lotCode"))
                            .keySet()) {
                int i = pendingLots.get(id);
                lotSeen.put(i, (now - sentAt[i]) / 1e6);
            }
        }
        if (!pendingShipments.isEmpty()) {
            Map<String, JsonNode> found =
                    es.searchIds(
                            shipments,
                            new ArrayList<>(pendingShipments.keySet()),
                            List.of("ancestorLotCodes"));
            for (Map.Entry<String, JsonNode> doc : found.entrySet()) {
                int i = pendingShipments.get(doc.getKey());
                for (JsonNode code : doc.getValue().path("ancestorLotCodes")) {
                    if (code.asText().equals(lotCode(runId, i))) {
                        shipmentSeen.put(i, (now - sentAt[i]) / 1e6);
                    }
                }
            }
        }
    }

    private static Percentiles percentiles(List<Double> millis) {
        if (millis.isEmpty()) {
            return null;
        }
        double[] values = new double[millis.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = millis.get(i);
        }
        return Percentiles.of(values);
    }
}
