package dev.batchtrace.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FreshnessWindowsTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void probesAreGroupedBySendingTimeFromTheFirstProbe() {
        long t0 = 5 * SECOND; // nanoTime has an arbitrary origin
        long[] sentAt = {t0, t0 + 4 * SECOND, t0 + 10 * SECOND, t0 + 19 * SECOND, t0 + 25 * SECOND};
        Map<Integer, Double> lot = Map.of(0, 900.0, 1, 1100.0, 2, 3000.0, 3, 5000.0, 4, 700.0);
        Map<Integer, Double> shipment = Map.of(0, 1000.0, 1, 1200.0, 2, 3100.0, 3, 5100.0);

        List<FreshnessProbe.Window> windows =
                FreshnessProbe.windows(sentAt, lot, shipment, Duration.ofSeconds(10));

        assertEquals(3, windows.size());
        FreshnessProbe.Window first = windows.get(0);
        assertEquals(0, first.fromSecond());
        assertEquals(10, first.toSecond());
        assertEquals(2, first.probes());
        assertEquals(1100, first.lotMillis().max());
        assertEquals(1000, first.shipmentMillis().p50());
        FreshnessProbe.Window second = windows.get(1);
        assertEquals(10, second.fromSecond());
        assertEquals(2, second.probes());
        assertEquals(5000, second.lotMillis().p99());
        FreshnessProbe.Window third = windows.get(2);
        assertEquals(20, third.fromSecond());
        assertEquals(30, third.toSecond());
        assertEquals(700, third.lotMillis().p50());
        assertNull(third.shipmentMillis(), "probe 4's shipment was never seen");
    }

    @Test
    void aWindowWithoutProbesIsSkippedAndNoProbesGiveNoWindows() {
        long[] sentAt = {0, 25 * SECOND};
        List<FreshnessProbe.Window> windows =
                FreshnessProbe.windows(
                        sentAt, Map.of(0, 1.0, 1, 2.0), Map.of(), Duration.ofSeconds(10));
        assertEquals(List.of(0L, 20L), windows.stream().map(w -> w.fromSecond()).toList());
        assertEquals(
                List.of(),
                FreshnessProbe.windows(new long[0], Map.of(), Map.of(), Duration.ofSeconds(10)));
    }
}
