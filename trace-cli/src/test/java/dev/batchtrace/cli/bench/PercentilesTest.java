package dev.batchtrace.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class PercentilesTest {

    @Test
    void nearestRankOfOneToTwoHundred() {
        double[] samples = new double[200];
        for (int i = 0; i < 200; i++) {
            samples[i] = 200 - i; // unsorted on purpose
        }
        Percentiles p = Percentiles.of(samples);
        assertEquals(100, p.p50());
        assertEquals(198, p.p99());
        assertEquals(200, p.percentile(100));
        assertEquals(1, p.percentile(0.1));
        assertEquals(200, p.max());
    }

    @Test
    void fewSamplesTakeTheMeasuredValueAboveTheRank() {
        Percentiles p = Percentiles.of(5, 1, 3);
        assertEquals(3, p.p50()); // rank ceil(1.5) = 2
        assertEquals(5, p.p99()); // rank ceil(2.97) = 3
        assertEquals(7, Percentiles.of(7).p99());
    }

    @Test
    void theSamplesAreNotChangedAndNothingIsAnError() {
        double[] samples = {3, 2, 1};
        Percentiles.of(samples);
        assertEquals(3, samples[0]);
        assertThrows(IllegalArgumentException.class, () -> Percentiles.of());
        assertThrows(IllegalArgumentException.class, () -> Percentiles.of(1).percentile(0));
    }
}
