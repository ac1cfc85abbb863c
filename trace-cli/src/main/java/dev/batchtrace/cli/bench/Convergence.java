package dev.batchtrace.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.batchtrace.connectors.elasticsearch.TraceIndex;
import dev.batchtrace.lineage.documents.TraceDocument;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

/**
 * When are the documents right? Either against the batch reference ({@code LineageReference}, as
 * the demo checks): the document count per index equals the reference's and every compared document
 * equals its reference document exactly (all of them up to a limit, else a fixed random sample);
 * or, for histories whose reference closures do not fit in memory (silos), by counts: the document
 * count per index equals the history's lots, work orders and shipments, and a sample of shipments
 * carries exactly the ancestor lots a breadth-first search finds.
 */
public final class Convergence {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int BATCH = 200;

    /** How documents are checked. */
    public enum Mode {
        REFERENCE,
        COUNTS
    }

    /** One look at Elasticsearch. */
    /**
     * @param rightSince {@code System.nanoTime()} at the start of the look since which every
     *     compared document matched (when converged)
     */
    public record Status(
            Map<String, Long> counts,
            long documents,
            long expected,
            int compared,
            int matching,
            long rightSince) {
        public boolean converged() {
            return documents == expected && compared > 0 && matching == compared;
        }
    }

    private final ElasticsearchProbe es;
    private final Mode mode;
    private final Map<String, Long> expectedCounts;
    private final int totalReferenceDocuments;
    // reference mode: index -> id -> expected source
    private final Map<String, Map<String, JsonNode>> compare = new TreeMap<>();
    // counts mode: shipment id -> expected ancestorLotCodes
    private final Map<String, Set<String>> shipmentAncestors = new LinkedHashMap<>();
    // reference mode: documents that did not match yet ("index/id"); null until the first pass
    private Set<String> pending;
    // start of the look at which the last pending documents matched
    private long candidateSince;
    private long lookStarted;
    // index/id -> expected and stored source of the documents that differed at the last check
    private final Map<String, JsonNode[]> differing = new TreeMap<>();

    private Convergence(
            ElasticsearchProbe es, Mode mode, Map<String, Long> expectedCounts, int total) {
        this.es = es;
        this.mode = mode;
        this.expectedCounts = expectedCounts;
        this.totalReferenceDocuments = total;
    }

    /** Against the reference documents: all when at most {@code fullLimit}, else {@code sample}. */
    public static Convergence reference(
            ElasticsearchProbe es,
            Map<String, TraceDocument> reference,
            int fullLimit,
            int sample,
            long seed)
            throws IOException {
        Map<String, Long> counts = new TreeMap<>();
        List<TraceDocument> present = new ArrayList<>();
        for (TraceDocument doc : reference.values()) {
            if (!doc.isDeletion()) {
                counts.merge(doc.index(), 1L, Long::sum);
                present.add(doc);
            }
        }
        for (TraceIndex index :
                List.of(TraceIndex.LOTS, TraceIndex.WORK_ORDERS, TraceIndex.SHIPMENTS)) {
            counts.putIfAbsent(index.alias(), 0L);
        }
        Convergence check = new Convergence(es, Mode.REFERENCE, counts, present.size());
        List<TraceDocument> chosen = present;
        if (present.size() > fullLimit) {
            chosen = new ArrayList<>(present);
            Collections.shuffle(chosen, new Random(seed));
            chosen = chosen.subList(0, sample);
        }
        for (TraceDocument doc : chosen) {
            check.compare
                    .computeIfAbsent(doc.index(), i -> new LinkedHashMap<>())
                    .put(doc.documentId(), JSON.readTree(doc.toJson()));
        }
        return check;
    }

    /** By counts and sampled shipment closures. */
    public static Convergence counts(
            ElasticsearchProbe es, HistoryGraph graph, int sample, long seed) {
        Map<String, Long> counts = new TreeMap<>();
        counts.put(TraceIndex.LOTS.alias(), (long) graph.lots().size());
        counts.put(TraceIndex.WORK_ORDERS.alias(), (long) graph.workOrders().size());
        counts.put(TraceIndex.SHIPMENTS.alias(), (long) graph.shipments().size());
        Convergence check =
                new Convergence(
                        es,
                        Mode.COUNTS,
                        counts,
                        graph.lots().size() + graph.workOrders().size() + graph.shipments().size());
        List<String> shipments = new ArrayList<>(graph.shipments().keySet());
        Collections.shuffle(shipments, new Random(seed));
        for (String id : shipments.subList(0, Math.min(sample, shipments.size()))) {
            check.shipmentAncestors.put(id, graph.shipmentAncestors(id));
        }
        return check;
    }

    public Mode mode() {
        return mode;
    }

    /** Documents the check compares (reference documents or sampled shipments). */
    public int compared() {
        return mode == Mode.REFERENCE
                ? compare.values().stream().mapToInt(Map::size).sum()
                : shipmentAncestors.size();
    }

    public int referenceDocuments() {
        return totalReferenceDocuments;
    }

    public Map<String, Long> expectedCounts() {
        return expectedCounts;
    }

    /** Counts every time; compares documents only once the counts are reached (it costs more). */
    public Status check() throws IOException, InterruptedException {
        lookStarted = System.nanoTime();
        Map<String, Long> counts = new TreeMap<>();
        long documents = 0;
        long expected = 0;
        for (Map.Entry<String, Long> index : expectedCounts.entrySet()) {
            long count = es.count(index.getKey());
            counts.put(index.getKey(), count);
            documents += count;
            expected += index.getValue();
        }
        boolean countsRight = counts.equals(expectedCounts);
        if (!countsRight) {
            pending = null;
            candidateSince = 0;
            return new Status(counts, documents, expected, 0, 0, 0);
        }
        int matching = mode == Mode.REFERENCE ? matchingReference() : matchingShipments();
        long since = mode == Mode.REFERENCE ? candidateSince : lookStarted;
        return new Status(counts, documents, expected, compared(), matching, since);
    }

    /**
     * Whether a stored document equals the expected one: the same JSON, except that two floating
     * point numbers count as equal within a relative 1e-9, because a mean's last digit depends on
     * the order in which the job added up its values (the reference adds in another order).
     */
    public static boolean sameDocument(JsonNode expected, JsonNode stored) {
        if (expected == null || stored == null) {
            return expected == stored;
        }
        if (expected.isNumber() && stored.isNumber()) {
            if (expected.isIntegralNumber() && stored.isIntegralNumber()) {
                return expected.bigIntegerValue().equals(stored.bigIntegerValue());
            }
            double a = expected.doubleValue();
            double b = stored.doubleValue();
            return a == b || Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b));
        }
        if (expected.getNodeType() != stored.getNodeType() || expected.size() != stored.size()) {
            return false;
        }
        if (expected.isObject()) {
            for (Map.Entry<String, JsonNode> field : expected.properties()) {
                if (!sameDocument(field.getValue(), stored.get(field.getKey()))) {
                    return false;
                }
            }
            return true;
        }
        if (expected.isArray()) {
            for (int i = 0; i < expected.size(); i++) {
                if (!sameDocument(expected.get(i), stored.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return expected.equals(stored);
    }

    /** The documents that differed at the last check: index/id -> [expected, stored or null]. */
    public Map<String, JsonNode[]> differing() {
        return differing;
    }

    /**
     * Compares only the documents that did not match at the last look (a large history takes many
     * seconds per full pass, which would blur the time of convergence); when none is left, one full
     * pass confirms that none changed away again.
     */
    private int matchingReference() throws IOException, InterruptedException {
        differing.clear();
        boolean full = pending == null || pending.isEmpty();
        Set<String> stillDifferent = new HashSet<>();
        int compared = compared();
        int mismatched = 0;
        for (Map.Entry<String, Map<String, JsonNode>> index : compare.entrySet()) {
            List<String> ids = new ArrayList<>();
            for (String id : index.getValue().keySet()) {
                if (full || pending.contains(index.getKey() + "/" + id)) {
                    ids.add(id);
                }
            }
            for (int from = 0; from < ids.size(); from += BATCH) {
                List<String> batch = ids.subList(from, Math.min(ids.size(), from + BATCH));
                Map<String, JsonNode> stored = es.get(index.getKey(), batch, null);
                for (String id : batch) {
                    if (!sameDocument(index.getValue().get(id), stored.get(id))) {
                        mismatched++;
                        stillDifferent.add(index.getKey() + "/" + id);
                        if (differing.size() < 20) {
                            differing.put(
                                    index.getKey() + "/" + id,
                                    new JsonNode[] {index.getValue().get(id), stored.get(id)});
                        }
                    }
                }
            }
        }
        if (mismatched == 0 && (!full || pending == null || candidateSince == 0)) {
            candidateSince = lookStarted;
        } else if (mismatched > 0) {
            candidateSince = 0;
        }
        boolean confirmedByFullPass = full && mismatched == 0;
        pending = stillDifferent;
        if (mismatched == 0 && !confirmedByFullPass) {
            // the last ones match now: report one short of all, so that the next look is the
            // full pass that confirms it
            return compared - 1;
        }
        return compared - mismatched;
    }

    private int matchingShipments() throws IOException, InterruptedException {
        differing.clear();
        int matching = 0;
        List<String> ids = new ArrayList<>(shipmentAncestors.keySet());
        // a hub's closure is indexed once (trace-closures): read each hub once per pass
        Map<String, Map<String, Boolean>> hubMembers = new HashMap<>();
        for (int from = 0; from < ids.size(); from += 20) {
            List<String> batch = ids.subList(from, Math.min(ids.size(), from + 20));
            Map<String, JsonNode> stored =
                    es.get(
                            TraceIndex.SHIPMENTS.alias(),
                            batch,
                            List.of("ancestorLotCodes", "ancestorHubs"));
            for (String id : batch) {
                JsonNode doc = stored.get(id);
                if (doc == null) {
                    continue;
                }
                Set<String> actual = new HashSet<>();
                doc.path("ancestorLotCodes").forEach(code -> actual.add(code.asText()));
                java.util.ArrayDeque<String> hubs = new java.util.ArrayDeque<>();
                doc.path("ancestorHubs").forEach(code -> hubs.add(code.asText()));
                Set<String> expanded = new HashSet<>();
                while (!hubs.isEmpty()) {
                    String hub = hubs.poll();
                    if (!expanded.add(hub)) {
                        continue;
                    }
                    Map<String, Boolean> members = hubMembers.get(hub);
                    if (members == null) {
                        members = es.closureMembers(hub);
                        hubMembers.put(hub, members);
                    }
                    members.forEach(
                            (code, isHub) -> {
                                actual.add(code);
                                if (isHub) {
                                    hubs.add(code);
                                }
                            });
                }
                if (actual.equals(shipmentAncestors.get(id))) {
                    matching++;
                } else if (differing.size() < 20) {
                    differing.put(
                            TraceIndex.SHIPMENTS.alias() + "/" + id,
                            new JsonNode[] {
                                JSON.valueToTree(shipmentAncestors.get(id)),
                                doc.path("ancestorLotCodes")
                            });
                }
            }
        }
        return matching;
    }
}
