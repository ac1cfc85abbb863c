package dev.batchtrace.connectors.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchtrace.events.DispatchLine;
import dev.batchtrace.events.DispatchNote;
import dev.batchtrace.events.GoodsReceipt;
import dev.batchtrace.events.LotFlag;
import dev.batchtrace.events.WorkOrderEvent;
import dev.batchtrace.events.WorkOrderEventType;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The sample factory day shipped in deploy/sample-data parses without errors, and the story its
 * README tells (which lots reach which customers, the traps for naive queries) is true.
 */
class FactoryDaySampleTest {

    static final Path SAMPLE = Path.of("../../deploy/sample-data/factory-day.jsonl");

    private static List<ParsedEvent> events;

    @BeforeAll
    static void parseSample() throws IOException {
        List<LineResult> results = new JsonLinesReader().readAll(SAMPLE);
        List<String> errors =
                results.stream().filter(r -> r instanceof LineError).map(Object::toString).toList();
        assertEquals(List.of(), errors, "sample file has invalid lines");
        events = results.stream().map(ParsedEvent.class::cast).toList();
    }

    @Test
    void countsPerType() {
        Map<String, Long> counts =
                events.stream()
                        .collect(
                                Collectors.groupingBy(
                                        ParsedEvent::recordName,
                                        TreeMap::new,
                                        Collectors.counting()));
        assertEquals(
                Map.of(
                        "DispatchNote", 4L,
                        "GoodsReceipt", 9L,
                        "LotFlag", 1L,
                        "MachineEvent", 25L,
                        "QcResult", 9L,
                        "WorkOrderEvent", 54L),
                counts);
        Map<WorkOrderEventType, Long> workOrderKinds =
                all(WorkOrderEvent.class).stream()
                        .collect(
                                Collectors.groupingBy(
                                        WorkOrderEvent::getEventType, Collectors.counting()));
        assertEquals(25L, workOrderKinds.get(WorkOrderEventType.MATERIAL_CONSUMED));
        assertEquals(7L, workOrderKinds.get(WorkOrderEventType.OUTPUT_PRODUCED));
        assertEquals(1L, workOrderKinds.get(WorkOrderEventType.CONSUMPTION_REVERSED));
    }

    @Test
    void resinLotReachesThreeCustomersThroughTwoLevels() {
        assertEquals(
                Set.of("C-100", "C-200", "C-400"),
                customersReachedFrom(Set.of("RM-261102-01"), true));
        assertEquals(
                Set.of("SA-261102-01", "SA-261102-02", "FG-261102-01", "FG-261102-03"),
                descendantLots(Set.of("RM-261102-01"), true));
    }

    @Test
    void supplierLotCodeAloneFoolsANaiveQuery() {
        Map<String, String> supplierByLot = new LinkedHashMap<>();
        for (GoodsReceipt receipt : all(GoodsReceipt.class)) {
            if (receipt.getSupplierLotCode().equals("L2611-01")) {
                supplierByLot.put(receipt.getLotCode(), receipt.getSupplierId());
            }
        }
        assertEquals(Map.of("RM-261102-01", "SUP-POLY", "RM-261102-07", "SUP-FAST"), supplierByLot);
        // by supplier lot code only, the screw lot drags ThermoPro in
        assertEquals(
                Set.of("C-100", "C-200", "C-300", "C-400"),
                customersReachedFrom(supplierByLot.keySet(), true));
    }

    @Test
    void ignoringTheReversedConsumptionWouldAlsoDragThermoProIn() {
        assertTrue(customersReachedFrom(Set.of("RM-261102-01"), false).contains("C-300"));
    }

    @Test
    void deliberateArrivalOrderQuirks() {
        int consumption = -1;
        int receipt = -1;
        Map<String, Integer> seenEventIds = new HashMap<>();
        for (int i = 0; i < events.size(); i++) {
            Object value = events.get(i).value();
            if (value instanceof WorkOrderEvent e) {
                seenEventIds.merge(e.getEventId(), 1, Integer::sum);
                if ("RM-261102-08".equals(e.getLotCode()) && consumption < 0) {
                    consumption = i;
                }
            }
            if (value instanceof GoodsReceipt r && r.getLotCode().equals("RM-261102-08")) {
                receipt = i;
            }
        }
        assertTrue(consumption >= 0 && consumption < receipt, "consumption before its receipt");
        assertEquals(
                Map.of("WO-26-2001-E05", 2),
                seenEventIds.entrySet().stream()
                        .filter(e -> e.getValue() > 1)
                        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)),
                "exactly one gateway retry");

        LotFlag hold = all(LotFlag.class).get(0);
        DispatchNote italy =
                all(DispatchNote.class).stream()
                        .filter(d -> d.getDispatchId().equals("DN-26-7004"))
                        .findFirst()
                        .orElseThrow();
        assertTrue(italy.getShippedAt().isAfter(hold.getFlaggedAt()), "shipped while on hold");
    }

    @Test
    void everyConsumedOrShippedLotWasReceivedOrProduced() {
        Set<String> known = new HashSet<>();
        all(GoodsReceipt.class).forEach(r -> known.add(r.getLotCode()));
        Set<String> used = new TreeSet<>();
        for (WorkOrderEvent e : all(WorkOrderEvent.class)) {
            if (e.getEventType() == WorkOrderEventType.OUTPUT_PRODUCED) {
                known.add(e.getLotCode());
            } else if (e.getLotCode() != null) {
                used.add(e.getLotCode());
            }
        }
        all(DispatchNote.class).forEach(d -> d.getLines().forEach(l -> used.add(l.getLotCode())));
        used.removeAll(known);
        assertEquals(Set.of(), used);
    }

    // ---- a tiny batch reference: breadth-first search over the edges of the day ----

    private static Set<String> customersReachedFrom(Set<String> lots, boolean honourReversals) {
        Set<String> reached = descendantLots(lots, honourReversals);
        reached.addAll(lots);
        Set<String> customers = new TreeSet<>();
        for (DispatchNote note : all(DispatchNote.class)) {
            for (DispatchLine line : note.getLines()) {
                if (reached.contains(line.getLotCode())) {
                    customers.add(note.getCustomerId());
                }
            }
        }
        return customers;
    }

    private static Set<String> descendantLots(Set<String> lots, boolean honourReversals) {
        Map<String, Set<String>> children = edges(honourReversals);
        Set<String> seen = new HashSet<>();
        ArrayDeque<String> queue = new ArrayDeque<>(lots);
        while (!queue.isEmpty()) {
            for (String child : children.getOrDefault(queue.poll(), Set.of())) {
                if (seen.add(child)) {
                    queue.add(child);
                }
            }
        }
        return seen;
    }

    /** Lot -> lots made from it: all inputs x all outputs of each work order. */
    private static Map<String, Set<String>> edges(boolean honourReversals) {
        Map<String, Map<String, String>> consumedByEventId = new HashMap<>();
        Map<String, Set<String>> produced = new HashMap<>();
        Set<String> reversed = new HashSet<>();
        for (WorkOrderEvent e : all(WorkOrderEvent.class)) {
            switch (e.getEventType()) {
                case MATERIAL_CONSUMED ->
                        consumedByEventId
                                .computeIfAbsent(e.getWorkOrderId(), k -> new HashMap<>())
                                .put(e.getEventId(), e.getLotCode());
                case OUTPUT_PRODUCED ->
                        produced.computeIfAbsent(e.getWorkOrderId(), k -> new HashSet<>())
                                .add(e.getLotCode());
                case CONSUMPTION_REVERSED -> reversed.add(e.getReversesEventId());
                default -> {}
            }
        }
        Map<String, Set<String>> children = new HashMap<>();
        consumedByEventId.forEach(
                (workOrder, consumed) ->
                        consumed.forEach(
                                (eventId, lot) -> {
                                    if (!(honourReversals && reversed.contains(eventId))) {
                                        children.computeIfAbsent(lot, k -> new HashSet<>())
                                                .addAll(produced.getOrDefault(workOrder, Set.of()));
                                    }
                                }));
        return children;
    }

    private static <T> List<T> all(Class<T> type) {
        return events.stream()
                .map(ParsedEvent::value)
                .filter(type::isInstance)
                .map(type::cast)
                .toList();
    }
}
