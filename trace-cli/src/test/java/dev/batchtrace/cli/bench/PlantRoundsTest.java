package dev.batchtrace.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchtrace.events.DispatchNote;
import dev.batchtrace.events.GoodsReceipt;
import dev.batchtrace.events.MachineEvent;
import dev.batchtrace.events.WorkOrderEvent;
import dev.batchtrace.simulator.PlantParameters;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.avro.specific.SpecificRecordBase;
import org.junit.jupiter.api.Test;

class PlantRoundsTest {
    private static final PlantParameters TINY = PlantParameters.profile("tiny", 3);

    private static Set<String> lots(List<SpecificRecordBase> events) {
        Set<String> lots = new HashSet<>();
        for (SpecificRecordBase e : events) {
            if (e instanceof GoodsReceipt r) {
                lots.add(r.getLotCode());
            } else if (e instanceof WorkOrderEvent w && w.getLotCode() != null) {
                lots.add(w.getLotCode());
            }
        }
        return lots;
    }

    @Test
    void aLaterRoundMakesOtherLotsLaterOnTheSamePlant() {
        List<SpecificRecordBase> first = PlantRounds.events(TINY, 0);
        List<SpecificRecordBase> second = PlantRounds.events(TINY, 1);
        Set<String> firstLots = lots(first);
        Set<String> secondLots = lots(second);
        assertTrue(secondLots.size() > 100, "lots " + secondLots.size());
        assertTrue(secondLots.stream().allMatch(l -> l.endsWith("-R1")), secondLots.toString());
        Set<String> shared = new HashSet<>(firstLots);
        shared.retainAll(secondLots);
        assertEquals(Set.of(), shared);

        GoodsReceipt receipt =
                second.stream()
                        .filter(GoodsReceipt.class::isInstance)
                        .map(GoodsReceipt.class::cast)
                        .findFirst()
                        .orElseThrow();
        assertEquals("GR-" + receipt.getLotCode(), receipt.getReceiptId());
        assertTrue(receipt.getSupplierId().matches("SUP-\\d{3}"), receipt.getSupplierId());
        Instant lastOfFirst =
                first.stream()
                        .filter(GoodsReceipt.class::isInstance)
                        .map(e -> ((GoodsReceipt) e).getReceivedAt())
                        .max(Instant::compareTo)
                        .orElseThrow();
        assertTrue(
                receipt.getReceivedAt().isAfter(lastOfFirst.minus(Duration.ofDays(1))),
                receipt.getReceivedAt() + " vs " + lastOfFirst);

        // dispatch lines name the round's lots; machines are the same machines
        DispatchNote note =
                second.stream()
                        .filter(DispatchNote.class::isInstance)
                        .map(DispatchNote.class::cast)
                        .findFirst()
                        .orElseThrow();
        assertTrue(note.getDispatchId().endsWith("-R1"));
        note.getLines().forEach(line -> assertTrue(secondLots.contains(line.getLotCode())));
        MachineEvent machine =
                second.stream()
                        .filter(MachineEvent.class::isInstance)
                        .map(MachineEvent.class::cast)
                        .findFirst()
                        .orElseThrow();
        assertTrue(
                machine.getMachineId().startsWith("M-") && !machine.getMachineId().endsWith("-R1"));
        assertTrue(machine.getEventId().endsWith("-R1"));
    }

    @Test
    void theStreamGoesOnIntoTheNextRound() {
        int size = PlantRounds.events(TINY, 0).size();
        PlantRounds stream = new PlantRounds(TINY);
        for (int i = 0; i < size; i++) {
            stream.next();
        }
        assertEquals(0, stream.round());
        stream.next();
        assertEquals(1, stream.round());
    }
}
