package dev.batchtrace.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchtrace.events.DispatchLine;
import dev.batchtrace.events.DispatchNote;
import dev.batchtrace.events.GoodsReceipt;
import dev.batchtrace.events.MachineEvent;
import dev.batchtrace.events.QcResult;
import dev.batchtrace.events.WorkOrderEvent;
import dev.batchtrace.events.WorkOrderEventType;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.specific.SpecificRecordBase;
import org.junit.jupiter.api.Test;

class PlantSimulatorTest {

    /** A history small enough for every test, with every feature switched on. */
    private static PlantParameters plant() {
        return PlantParameters.profile("small", 7)
                .withRawLots(60)
                .withWorkOrdersPerLevel(200)
                .withDays(5)
                .withShipments(150)
                .withMachines(6)
                .withBulk(2, 80)
                .withSilo(1, 300, 50)
                .withMachineEventShare(0.6)
                .withQc(0.5, 0.1)
                .withReversalShare(0.05)
                .withArrival(0.1, Duration.ofSeconds(30), 0.02, 0.01, Duration.ofHours(2));
    }

    /** What a history contains, read from its events alone. */
    private static final class Shape {
        final Map<String, GoodsReceipt> receipts = new HashMap<>();
        final Set<String> produced = new HashSet<>();
        final Map<String, Set<String>> consumers = new HashMap<>(); // lot -> work orders
        final Map<String, Set<String>> inputs = new HashMap<>(); // work order -> lots
        final Set<String> workOrders = new HashSet<>();
        final Set<String> shipments = new HashSet<>();
        final Set<String> shippedLots = new HashSet<>();
        final Set<String> machineEventIds = new HashSet<>();
        final Set<String> qcChecks = new HashSet<>();
        final Set<Object> distinct = new HashSet<>();

        Shape(List<SpecificRecordBase> events) {
            for (SpecificRecordBase event : events) {
                distinct.add(event);
                if (event instanceof GoodsReceipt r) {
                    receipts.put(r.getLotCode(), r);
                } else if (event instanceof WorkOrderEvent w) {
                    workOrders.add(w.getWorkOrderId());
                    if (w.getEventType() == WorkOrderEventType.OUTPUT_PRODUCED) {
                        produced.add(w.getLotCode());
                    } else if (w.getEventType() == WorkOrderEventType.MATERIAL_CONSUMED) {
                        consumers
                                .computeIfAbsent(w.getLotCode(), k -> new HashSet<>())
                                .add(w.getWorkOrderId());
                        inputs.computeIfAbsent(w.getWorkOrderId(), k -> new LinkedHashSet<>())
                                .add(w.getLotCode());
                    }
                } else if (event instanceof DispatchNote d) {
                    shipments.add(d.getDispatchId());
                    d.getLines().stream().map(DispatchLine::getLotCode).forEach(shippedLots::add);
                } else if (event instanceof MachineEvent m) {
                    machineEventIds.add(m.getEventId());
                } else if (event instanceof QcResult q) {
                    qcChecks.add(q.getCheckId());
                }
            }
        }
    }

    @Test
    void everyMachineReportsIdleAfterTheLastRunSoEventTimePassesEveryCompletion() {
        PlantHistory history = PlantSimulator.generate(plant());
        Map<String, MachineEvent> lastByMachine = new HashMap<>();
        for (SpecificRecordBase event : history.events()) {
            if (event instanceof MachineEvent m) {
                lastByMachine.merge(
                        m.getMachineId(),
                        m,
                        (a, b) -> b.getOccurredAt().isAfter(a.getOccurredAt()) ? b : a);
            }
        }
        // the last run on a machine with PLC events (silo fillings have none)
        Instant lastCompleted = Instant.MIN;
        for (SpecificRecordBase event : history.events()) {
            if (event instanceof WorkOrderEvent w
                    && w.getEventType() == WorkOrderEventType.COMPLETED
                    && lastByMachine.containsKey(w.getMachineId())
                    && w.getOccurredAt().isAfter(lastCompleted)) {
                lastCompleted = w.getOccurredAt();
            }
        }
        assertTrue(lastByMachine.size() > 1, "the plant has machine events");
        for (MachineEvent last : lastByMachine.values()) {
            assertEquals("IDLE", last.getState(), last.getMachineId());
            assertEquals(
                    lastCompleted.plus(PlantSimulator.MACHINES_IDLE_AFTER_LAST_RUN),
                    last.getOccurredAt(),
                    last.getMachineId() + ": after the last run's COMPLETED");
        }
    }

    @Test
    void theSameSeedGivesTheSameHistoryAndAnotherSeedAnother() {
        PlantHistory a = PlantSimulator.generate(plant());
        PlantHistory b = PlantSimulator.generate(plant());
        PlantHistory c = PlantSimulator.generate(plant().withSeed(8));
        assertEquals(a.events(), b.events());
        assertNotEquals(a.events(), c.events());
    }

    @Test
    void countsFollowTheParameters() {
        PlantParameters p = plant();
        PlantHistory history = PlantSimulator.generate(p);
        Shape shape = new Shape(history.events());
        assertEquals(
                p.rawLots() + p.bulkLots() + p.siloLots() * p.siloDeliveries(),
                shape.receipts.size());
        assertEquals(p.levels() * p.workOrdersPerLevel() + p.siloLots(), shape.workOrders.size());
        assertEquals(p.shipments(), shape.shipments.size());
        assertEquals(history.machineEvents(), shape.machineEventIds.size());
        assertEquals(
                history.genealogyEvents() + history.machineEvents() + history.duplicates(),
                history.events().size());
        assertEquals(history.genealogyEvents() + history.machineEvents(), shape.distinct.size());
        double machineShare =
                (double) history.machineEvents()
                        / (history.machineEvents() + history.genealogyEvents());
        assertEquals(p.machineEventShare(), machineShare, 0.001);
        // half of the produced lots have a QC check (binomial: well within 5 points)
        assertEquals(0.5, (double) shape.qcChecks.size() / shape.produced.size(), 0.05);
        assertTrue(history.duplicates() > 0 && history.late() > 0 && history.jittered() > 0);
    }

    @Test
    void fanInAndFanOutStayWithinTheirBoundsAndLevelsBuildOnEachOther() {
        PlantParameters p = plant();
        Shape shape = new Shape(PlantSimulator.generate(p).events());
        for (Map.Entry<String, Set<String>> wo : shape.inputs.entrySet()) {
            if (!wo.getKey().startsWith("WO-") || wo.getKey().startsWith("WO-SILO")) {
                continue;
            }
            int level = Integer.parseInt(wo.getKey().substring(3, 4));
            Set<String> ordinary = new HashSet<>(wo.getValue());
            ordinary.removeIf(lot -> lot.startsWith("BULK-") || lot.startsWith("SILO-"));
            assertTrue(
                    ordinary.size() >= 1 && ordinary.size() <= p.fanIn(),
                    wo.getKey() + " consumed " + ordinary);
            String below = level == 1 ? "RM-" : "L" + (level - 1) + "-";
            assertTrue(
                    ordinary.stream().anyMatch(lot -> lot.startsWith(below)),
                    wo.getKey() + " consumed nothing of the level below: " + ordinary);
        }
        Map<String, Integer> outputs = new HashMap<>();
        for (String lot : shape.produced) {
            if (lot.startsWith("L")) {
                outputs.merge(lot.substring(0, lot.lastIndexOf('-')), 1, Integer::sum);
            }
        }
        assertEquals(p.levels() * p.workOrdersPerLevel(), outputs.size());
        assertTrue(outputs.values().stream().allMatch(n -> n >= 1 && n <= p.fanOut()));
        assertTrue(outputs.values().stream().anyMatch(n -> n == p.fanOut()));
    }

    @Test
    void bulkLotsFeedThousandsAndSilosAreFedByThousands() {
        PlantParameters p = plant();
        Shape shape = new Shape(PlantSimulator.generate(p).events());
        for (int b = 1; b <= p.bulkLots(); b++) {
            String bulk = String.format("BULK-%02d", b);
            assertEquals(p.bulkConsumers(), shape.consumers.get(bulk).size(), bulk);
            assertTrue(shape.receipts.containsKey(bulk));
        }
        Set<String> fill = shape.inputs.get("WO-SILO-01");
        assertEquals(p.siloDeliveries(), fill.size());
        assertTrue(fill.stream().allMatch(shape.receipts::containsKey));
        assertTrue(shape.produced.contains("SILO-01"));
        assertEquals(p.siloConsumers(), shape.consumers.get("SILO-01").size());
    }

    @Test
    void everyConsumedLotIsReceivedOrProducedAndEveryShippedLotProduced() {
        Shape shape = new Shape(PlantSimulator.generate(plant()).events());
        for (String lot : shape.consumers.keySet()) {
            assertTrue(
                    shape.receipts.containsKey(lot) || shape.produced.contains(lot),
                    lot + " is consumed but never received or produced");
        }
        assertTrue(shape.produced.containsAll(shape.shippedLots));
        assertTrue(shape.shippedLots.stream().allMatch(lot -> lot.startsWith("L3-")));
    }

    @Test
    void eventsArriveInTimeOrderExceptForJitterRetriesAndLateOnes() {
        PlantParameters p = plant();
        PlantHistory history = PlantSimulator.generate(p);
        Instant newest = Instant.MIN;
        int behindByMoreThanJitter = 0;
        Duration tolerance = p.disorderWindow().plus(Duration.ofMinutes(1)); // retries: 1 min
        for (SpecificRecordBase event : history.events()) {
            Instant at = occurredAt(event);
            if (at.plus(tolerance).isBefore(newest)) {
                behindByMoreThanJitter++;
            }
            newest = at.isAfter(newest) ? at : newest;
        }
        // only the late events (and their retries) arrive far behind the stream
        assertTrue(behindByMoreThanJitter > 0);
        assertTrue(
                behindByMoreThanJitter <= history.late() * 2,
                behindByMoreThanJitter + " far behind, " + history.late() + " late");
    }

    @Test
    void namedProfilesHaveTheirShape() {
        PlantParameters silo = PlantParameters.profile("silo", 1);
        assertEquals(20_000, silo.siloDeliveries());
        assertEquals(2_000, silo.siloConsumers());
        PlantParameters bulk = PlantParameters.profile("bulk", 1);
        assertEquals(5, bulk.bulkLots());
        assertEquals(1_500, bulk.bulkConsumers());
        assertEquals(0.9, PlantParameters.profile("mixed", 1).machineEventShare());
        IllegalArgumentException unknown =
                assertThrows(
                        IllegalArgumentException.class, () -> PlantParameters.profile("huge", 1));
        assertTrue(unknown.getMessage().contains("tiny, small, bulk, silo, mixed"));
        assertThrows(IllegalArgumentException.class, () -> plant().withBulk(1, 201));
        assertThrows(IllegalArgumentException.class, () -> plant().withMachineEventShare(1.0));
    }

    private static Instant occurredAt(SpecificRecordBase event) {
        if (event instanceof GoodsReceipt r) {
            return r.getReceivedAt();
        } else if (event instanceof WorkOrderEvent w) {
            return w.getOccurredAt();
        } else if (event instanceof DispatchNote d) {
            return d.getShippedAt();
        } else if (event instanceof MachineEvent m) {
            return m.getOccurredAt();
        } else if (event instanceof QcResult q) {
            return q.getCheckedAt();
        }
        throw new IllegalArgumentException(event.getClass().getName());
    }
}
