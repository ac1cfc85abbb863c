package dev.batchtrace.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

class BoundednessTest {
    private static final long MIB = 1048576;

    /** 31 samples 60 s apart of a steady 100 events/s; {@code change} alters sample i. */
    private static List<SoakSample> run(IntFunction<SoakSample> sample) {
        List<SoakSample> samples = new ArrayList<>();
        for (int i = 0; i <= 30; i++) {
            samples.add(sample.apply(i));
        }
        return samples;
    }

    private static SoakSample steady(int i) {
        long consumed = 30_000 + i * 6_000L; // after a capacity backlog of 30,000
        return new SoakSample(
                i * 60.0,
                consumed + 500,
                consumed,
                Map.of("work-orders", 400L + (i % 3) * 100, "feedback", 50L),
                (300 + (i % 4) * 100) * MIB,
                i % 2 == 0 ? 200 * MIB + (i % 4) * MIB : -1,
                consumed * 300, // state grows with the lots made: linear
                consumed * 500,
                800 + (i % 5) * 100,
                consumed * 2_000,
                consumed * 3,
                1_000_000,
                1.5);
    }

    private static Boundedness.Verdict verdict(List<SoakSample> samples, String metric) {
        return Boundedness.judge(samples, 100).stream()
                .filter(v -> v.metric().startsWith(metric))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void aSteadyRunIsBoundedEvenThoughStateAndIndexGrowWithTheInput() {
        List<Boundedness.Verdict> verdicts = Boundedness.judge(run(BoundednessTest::steady), 100);
        assertEquals(5, verdicts.size());
        assertTrue(Boundedness.bounded(verdicts), verdicts.toString());
        verdicts.forEach(v -> assertTrue(v.line().startsWith("PASS "), v.line()));
    }

    @Test
    void lagThatKeepsGrowingFails() {
        List<SoakSample> samples =
                run(
                        i -> {
                            SoakSample s = steady(i);
                            return new SoakSample(
                                    s.seconds(),
                                    s.published(),
                                    s.consumed(),
                                    Map.of("work-orders", 1_000L + i * 1_000L),
                                    s.heapUsedBytes(),
                                    s.heapLiveBytes(),
                                    s.stateBytes(),
                                    s.checkpointFolderBytes(),
                                    s.checkpointMillis(),
                                    s.indexBytes(),
                                    s.indexDocs(),
                                    s.checkpointedBytes(),
                                    s.loadAverage());
                        });
        Boundedness.Verdict lag = verdict(samples, "Kafka lag");
        assertFalse(lag.pass(), lag.line());
        assertEquals(10_000, lag.first()); // sample 9 is the first third's last
        assertEquals(31_000, lag.last());
        assertFalse(Boundedness.bounded(Boundedness.judge(samples, 100)));
    }

    @Test
    void lagUnderTheFloorPassesHoweverItMoves() {
        // from 10 to 2,000 events: 20 s of input at 100 events/s, under the 30 s floor
        List<SoakSample> samples =
                run(
                        i -> {
                            SoakSample s = steady(i);
                            return new SoakSample(
                                    s.seconds(),
                                    s.published(),
                                    s.consumed(),
                                    Map.of("machine-events", i < 10 ? 10L : 2_000L),
                                    s.heapUsedBytes(),
                                    s.heapLiveBytes(),
                                    s.stateBytes(),
                                    s.checkpointFolderBytes(),
                                    s.checkpointMillis(),
                                    s.indexBytes(),
                                    s.indexDocs(),
                                    s.checkpointedBytes(),
                                    s.loadAverage());
                        });
        assertTrue(verdict(samples, "Kafka lag").pass());
        assertFalse(
                Boundedness.judge(samples, 10).get(1).pass(), "at 10 events/s the floor is 300");
    }

    @Test
    void liveHeapThatDoublesFailsAndHeapUsedAloneIsNotJudged() {
        List<SoakSample> samples =
                run(
                        i -> {
                            SoakSample s = steady(i);
                            return new SoakSample(
                                    s.seconds(),
                                    s.published(),
                                    s.consumed(),
                                    s.lag(),
                                    5_000 * MIB, // used: high but flat garbage
                                    i % 2 == 0 ? (200 + i * 10L) * MIB : -1,
                                    s.stateBytes(),
                                    s.checkpointFolderBytes(),
                                    s.checkpointMillis(),
                                    s.indexBytes(),
                                    s.indexDocs(),
                                    s.checkpointedBytes(),
                                    s.loadAverage());
                        });
        Boundedness.Verdict heap = verdict(samples, "heap live");
        assertFalse(heap.pass(), heap.line());
        assertEquals(280, heap.first(), 1e-9); // sample 8
        assertEquals(500, heap.last(), 1e-9); // sample 30
    }

    @Test
    void stateGrowingFasterThanTheInputFails() {
        // quadratic: every new lot copies what came before (a closure per lot)
        List<SoakSample> samples =
                run(
                        i -> {
                            SoakSample s = steady(i);
                            return new SoakSample(
                                    s.seconds(),
                                    s.published(),
                                    s.consumed(),
                                    s.lag(),
                                    s.heapUsedBytes(),
                                    s.heapLiveBytes(),
                                    s.consumed() * s.consumed() / 1_000,
                                    -1,
                                    s.checkpointMillis(),
                                    s.indexBytes(),
                                    s.indexDocs(),
                                    s.checkpointedBytes(),
                                    s.loadAverage());
                        });
        Boundedness.Verdict state = verdict(samples, "RocksDB state");
        assertFalse(state.pass(), state.line());
        assertTrue(verdict(samples, "Elasticsearch").pass());
    }

    @Test
    void checkpointsSlowingDownFailAboveTheFloor() {
        List<SoakSample> samples =
                run(
                        i -> {
                            SoakSample s = steady(i);
                            return new SoakSample(
                                    s.seconds(),
                                    s.published(),
                                    s.consumed(),
                                    s.lag(),
                                    s.heapUsedBytes(),
                                    s.heapLiveBytes(),
                                    s.stateBytes(),
                                    s.checkpointFolderBytes(),
                                    i < 25 ? 900 : 4_000,
                                    s.indexBytes(),
                                    s.indexDocs(),
                                    s.checkpointedBytes(),
                                    s.loadAverage());
                        });
        assertFalse(verdict(samples, "checkpoint").pass());
    }

    @Test
    void aMetricNeverReadFailsInsteadOfPassing() {
        List<SoakSample> samples =
                run(
                        i -> {
                            SoakSample s = steady(i);
                            return new SoakSample(
                                    s.seconds(),
                                    s.published(),
                                    s.consumed(),
                                    s.lag(),
                                    s.heapUsedBytes(),
                                    s.heapLiveBytes(),
                                    s.stateBytes(),
                                    s.checkpointFolderBytes(),
                                    -1,
                                    s.indexBytes(),
                                    s.indexDocs(),
                                    s.checkpointedBytes(),
                                    s.loadAverage());
                        });
        Boundedness.Verdict checkpoint = verdict(samples, "checkpoint");
        assertFalse(checkpoint.pass());
        assertTrue(checkpoint.line().contains("not measured"), checkpoint.line());
    }

    @Test
    void thirdsSplitTheTimeSpanAndMedianIsTheMiddle() {
        List<SoakSample> samples = run(BoundednessTest::steady);
        assertEquals(10, Boundedness.third(samples, 0).size()); // 0..540 s
        assertEquals(10, Boundedness.third(samples, 1).size()); // 600..1140 s
        assertEquals(11, Boundedness.third(samples, 2).size()); // 1200..1800 s, the end included
        assertEquals(2.5, Boundedness.median(new double[] {4, 1, 3, 2}));
        assertEquals(3, Boundedness.median(new double[] {5, 1, 3}));
        assertTrue(Double.isNaN(Boundedness.max(new double[0])));
    }
}
