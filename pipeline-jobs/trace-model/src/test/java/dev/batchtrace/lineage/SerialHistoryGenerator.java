package dev.batchtrace.lineage;

import dev.batchtrace.events.DispatchLine;
import dev.batchtrace.events.DispatchNote;
import dev.batchtrace.events.WorkOrderEvent;
import dev.batchtrace.events.WorkOrderEventType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Gives a generated factory history units (issue 10): most outputs get serials, numbered per
 * product from 1 (so two products share serial numbers), and dispatch lines of serialised lots name
 * some of their units (now and then one nobody produced). Events are replaced by copies with
 * serials; nothing else changes.
 */
public final class SerialHistoryGenerator {

    private SerialHistoryGenerator() {}

    public static List<Object> withSerials(List<?> history, long seed) {
        Random random = new Random(seed * 7_727 + 5);
        Map<String, Integer> nextSerial = new HashMap<>();
        Map<String, List<String>> serialsOfLot = new HashMap<>();
        List<Object> out = new ArrayList<>();
        for (Object e : history) {
            if (e instanceof WorkOrderEvent w
                    && w.getEventType() == WorkOrderEventType.OUTPUT_PRODUCED
                    && random.nextInt(4) != 0) {
                List<String> serials = new ArrayList<>();
                int n = 1 + random.nextInt(4);
                for (int i = 0; i < n; i++) {
                    int number = nextSerial.merge(w.getProductCode(), 1, Integer::sum);
                    serials.add(String.format("SN-%04d", number));
                }
                serialsOfLot
                        .computeIfAbsent(w.getLotCode(), k -> new ArrayList<>())
                        .addAll(serials);
                out.add(WorkOrderEvent.newBuilder(w).setSerials(serials).build());
            } else {
                out.add(e);
            }
        }
        for (int i = 0; i < out.size(); i++) {
            if (out.get(i) instanceof DispatchNote n) {
                List<DispatchLine> lines = new ArrayList<>();
                for (DispatchLine line : n.getLines()) {
                    List<String> made = serialsOfLot.getOrDefault(line.getLotCode(), List.of());
                    List<String> shipped = new ArrayList<>();
                    for (String serial : made) {
                        if (random.nextBoolean()) {
                            shipped.add(serial);
                        }
                    }
                    if (random.nextInt(8) == 0) {
                        shipped.add("SN-UNKNOWN-" + random.nextInt(3));
                    }
                    lines.add(
                            DispatchLine.newBuilder(line)
                                    .setSerials(shipped.isEmpty() ? null : shipped)
                                    .build());
                }
                out.set(i, DispatchNote.newBuilder(n).setLines(lines).build());
            }
        }
        return out;
    }
}
