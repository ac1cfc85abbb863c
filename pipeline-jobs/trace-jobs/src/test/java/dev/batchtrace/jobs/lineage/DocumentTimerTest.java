package dev.batchtrace.jobs.lineage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class DocumentTimerTest {

    @Test
    void aDocumentThatIsSlowToBuildIsWrittenTenTimesItsBuildTimeApartAtMostFiveSeconds() {
        assertEquals(200, DocumentTimer.delayMillis(200, null));
        assertEquals(200, DocumentTimer.delayMillis(200, 19L), "fast builds keep the coalescing");
        assertEquals(200, DocumentTimer.delayMillis(200, 20L), "10 x 20 ms is the coalescing");
        assertEquals(800, DocumentTimer.delayMillis(200, 80L));
        assertEquals(5_000, DocumentTimer.delayMillis(200, 2_000L));
        assertEquals(1_000, DocumentTimer.delayMillis(1_000, 50L), "never below the coalescing");
    }
}
