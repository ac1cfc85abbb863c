package dev.batchtrace.jobs.machine;

import static dev.batchtrace.machine.MachineEvents.at;
import static dev.batchtrace.machine.MachineEvents.completed;
import static dev.batchtrace.machine.MachineEvents.cycle;
import static dev.batchtrace.machine.MachineEvents.measurement;
import static dev.batchtrace.machine.MachineEvents.started;
import static dev.batchtrace.machine.MachineEvents.state;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchtrace.events.DeadLetter;
import dev.batchtrace.events.MachineEvent;
import dev.batchtrace.events.WorkOrderEvent;
import dev.batchtrace.machine.MachineReference;
import dev.batchtrace.machine.MachineRunSummary;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MachineAttributionFunctionTest {

    private static final Duration LATENESS = Duration.ofSeconds(60);
    private static final Duration EMIT = Duration.ofSeconds(10);

    private AttributionHarness h;

    @BeforeEach
    void setUp() throws Exception {
        h = new AttributionHarness(LATENESS, EMIT);
    }

    @AfterEach
    void tearDown() throws Exception {
        h.close();
    }

    private static Map<String, MachineRunSummary> reference(List<?> events) {
        return AttributionHarness.byKey(MachineReference.summaries(events));
    }

    @Test
    void eventsBeforeDuringAndAfterAWorkOrder() throws Exception {
        List<Object> events =
                List.of(
                        cycle("M-1", at(10)),
                        started("WO-1", "M-1", at(100)),
                        cycle("M-1", at(100)),
                        state("M-1", at(110), "RUNNING"),
                        measurement("M-1", at(150), "temp", 220.5, 215.0, 235.0),
                        completed("WO-1", "M-1", at(200)),
                        cycle("M-1", at(200)),
                        cycle("M-1", at(250)));
        h.sendAll(events);
        h.watermark(Long.MAX_VALUE);

        Map<String, MachineRunSummary> merged = h.merged();
        assertEquals(reference(events), merged);
        MachineRunSummary run = merged.get("wo:WO-1|M-1");
        assertEquals(3, run.eventCount());
        assertEquals(Map.of("RUNNING", 90_000L), run.stateMillis());
        assertEquals(3, merged.get("idle:M-1|2026-11-02T06:00:00Z").eventCount());
    }

    @Test
    void outOfOrderAndLateEventsAroundTheBoundariesLandInTheRightRun() throws Exception {
        List<Object> events = new ArrayList<>();
        events.add(started("WO-1", "M-1", at(100)));
        events.add(completed("WO-1", "M-1", at(200)));
        // ahead of the watermark but out of order: wait for it, then in time order
        events.add(cycle("M-1", at(101)));
        events.add(cycle("M-1", at(99)));
        events.add(cycle("M-1", at(200)));
        events.add(cycle("M-1", at(199)));
        h.sendAll(events);
        // behind the watermark, within the allowed lateness: attributed at once
        h.watermark(at(150));
        List<Object> lateAroundStarted =
                List.of(cycle("M-1", at(100)), cycle("M-1", at(99).plusMillis(999)));
        h.sendAll(lateAroundStarted);
        events.addAll(lateAroundStarted);
        h.watermark(at(230));
        List<Object> lateAroundCompleted =
                List.of(cycle("M-1", at(199).plusMillis(999)), cycle("M-1", at(200)));
        h.sendAll(lateAroundCompleted);
        events.addAll(lateAroundCompleted);
        h.watermark(Long.MAX_VALUE);

        assertEquals(reference(events), h.merged());
        assertEquals(4, h.merged().get("wo:WO-1|M-1").eventCount());
        assertEquals(4, h.function.lateEventCount());
        assertTrue(h.tooLate().isEmpty());
    }

    @Test
    void aGatewayRetryWithTheSameEventIdCountsOnce() throws Exception {
        MachineEvent first = cycle("M-1", at(150));
        first.setEventId("PLC-M-1-0001");
        MachineEvent retry = MachineEvent.newBuilder(first).build();
        MachineEvent other = cycle("M-1", at(150)); // same time, no id: a second cycle
        List<Object> events =
                List.of(
                        started("WO-1", "M-1", at(100)),
                        first,
                        other,
                        retry,
                        completed("WO-1", "M-1", at(200)));
        h.sendAll(events);
        h.watermark(Long.MAX_VALUE);

        assertEquals(reference(events), h.merged());
        assertEquals(2, h.merged().get("wo:WO-1|M-1").eventCount());
    }

    @Test
    void aGatewayRetryArrivingAfterItsOriginalWasAppliedCountsOnce() throws Exception {
        MachineEvent first = cycle("M-1", at(150));
        first.setEventId("PLC-M-1-0001");
        MachineEvent retry = MachineEvent.newBuilder(first).build();
        List<Object> events = new ArrayList<>();
        events.add(started("WO-1", "M-1", at(100)));
        events.add(first);
        events.add(completed("WO-1", "M-1", at(300)));
        h.sendAll(events);
        h.watermark(at(170)); // the original's timer (150 s) has applied it
        assertEquals(1, h.merged().get("wo:WO-1|M-1").eventCount());

        h.send(retry); // 20 s behind the watermark: late, within the 60 s allowed lateness
        events.add(retry);
        h.watermark(at(200));
        assertEquals(1, h.merged().get("wo:WO-1|M-1").eventCount());
        h.watermark(Long.MAX_VALUE);

        assertEquals(reference(events), h.merged());
        assertEquals(1, h.merged().get("wo:WO-1|M-1").eventCount());
        assertEquals(1, h.function.lateEventCount());
        assertEquals(1, h.function.duplicateEventCount());
        assertTrue(h.tooLate().isEmpty());
    }

    @Test
    void aRetryAtTheEdgeOfTheAllowedLatenessCountsOnceAndOneBeyondItIsADeadLetter()
            throws Exception {
        MachineEvent first = cycle("M-1", at(150));
        first.setEventId("PLC-M-1-0001");
        MachineEvent idle = cycle("M-1", at(155)); // idle time: another summary, same bucket
        idle.setEventId("PLC-M-1-0002");
        h.sendAll(List.of(first, idle));
        h.watermark(at(165));
        h.watermark(at(210)); // exactly the allowed lateness past the original
        h.send(MachineEvent.newBuilder(first).build());
        h.watermark(at(215).plusMillis(1)); // 0.001 s too late for a copy of the second
        h.send(MachineEvent.newBuilder(idle).build());
        h.watermark(Long.MAX_VALUE);

        assertEquals(2, h.merged().get("idle:M-1|2026-11-02T06:00:00Z").eventCount());
        assertEquals(1, h.function.duplicateEventCount());
        assertEquals(1, h.function.tooLateEventCount());
        assertEquals(1, h.tooLate().size());
    }

    @Test
    void appliedIdsAreGoneAfterTheAllowedLateness() throws Exception {
        for (int i = 0; i < 30; i++) {
            MachineEvent e = cycle("M-1", at(100 + i * 3));
            e.setEventId("PLC-M-1-" + i);
            h.send(e);
        }
        h.watermark(at(200));
        assertTrue(h.stateEntries() > 0);
        // the last events' bucket (190 s) + 60 s lateness, up to the 10 s grid: 260 s; the idle
        // bucket ends at 07:00 + 60 s
        h.watermark(at(260));
        h.watermark(at(3600 + 60));
        assertEquals(0, h.stateEntries(), "no keyed state left");
        assertEquals(30, h.merged().get("idle:M-1|2026-11-02T06:00:00Z").eventCount());
    }

    @Test
    void aSlowMachinesAppliedIdsShareOneExpiryTimerAMinute() throws Exception {
        // one event per 10 s interval for 2 minutes: 12 buckets of applied ids
        for (int i = 0; i < 12; i++) {
            MachineEvent e = cycle("M-1", at(5 + i * 10L));
            e.setEventId("PLC-M-1-" + i);
            h.send(e);
        }
        h.watermark(at(130)); // every event applied: what waits now are expiry timers
        // the buckets end at 10..120 s and may go 70 s later (the 60 s lateness + 1 ms, up to
        // the 10 s grid), at 80..190 s: on the minute grid that is 120 (fired), 180 and 240 s,
        // and the idle hour's own timer at 07:01 is the third (one per bucket: seven)
        assertEquals(3, h.harness.numEventTimeTimers());
        h.watermark(at(240));
        h.watermark(at(3600 + 60));
        assertEquals(0, h.stateEntries(), "every bucket removed by the shared timers");
        assertEquals(12, h.merged().get("idle:M-1|2026-11-02T06:00:00Z").eventCount());
    }

    @Test
    void eventIdHashesOfSimilarIdsDiffer() {
        java.util.Set<Long> hashes = new java.util.HashSet<>();
        int n = 0;
        for (String machine : List.of("M-1", "M-01", "M-10", "PLC-7")) {
            for (int i = 0; i < 100_000; i++) {
                hashes.add(MachineAttributionFunction.eventIdHash(machine + "-" + i));
                n++;
            }
        }
        hashes.add(MachineAttributionFunction.eventIdHash(""));
        hashes.add(MachineAttributionFunction.eventIdHash("\0"));
        hashes.add(MachineAttributionFunction.eventIdHash("\0\0"));
        assertEquals(n + 3, hashes.size());
    }

    @Test
    void twoWorkOrdersBackToBackOnOneMachine() throws Exception {
        List<Object> events =
                List.of(
                        started("WO-1", "M-1", at(0)),
                        cycle("M-1", at(99)),
                        cycle("M-1", at(100)), // the handover instant: the next run's
                        completed("WO-1", "M-1", at(100)),
                        started("WO-2", "M-1", at(100)),
                        cycle("M-1", at(150)),
                        completed("WO-2", null, at(300)), // booked without machine
                        cycle("M-1", at(300)));
        h.sendAll(events);
        h.watermark(Long.MAX_VALUE);

        Map<String, MachineRunSummary> merged = h.merged();
        assertEquals(reference(events), merged);
        assertEquals(1, merged.get("wo:WO-1|M-1").eventCount());
        assertEquals(2, merged.get("wo:WO-2|M-1").eventCount());
        assertEquals(at(300), merged.get("wo:WO-2|M-1").completedAt());
    }

    @Test
    void aCompletedArrivingBeforeTheMachinesLastEvents() throws Exception {
        h.sendAll(List.of(started("WO-1", "M-1", at(0)), cycle("M-1", at(10))));
        h.send(completed("WO-1", "M-1", at(100)));
        h.watermark(at(130));
        int emittedBefore = h.emitted().size();
        MachineRunSummary first = h.merged().get("wo:WO-1|M-1");
        assertEquals(1, first.eventCount());
        assertEquals(at(100), first.completedAt());

        // the gateway delivers the run's last events after the COMPLETED was processed
        h.sendAll(List.of(cycle("M-1", at(95)), cycle("M-1", at(99))));
        h.watermark(at(150));
        assertTrue(h.emitted().size() > emittedBefore, "a corrected summary is emitted");
        assertEquals(3, h.merged().get("wo:WO-1|M-1").eventCount());
    }

    @Test
    void stateIsGoneAfterTheAllowedLateness() throws Exception {
        h.sendAll(
                List.of(
                        started("WO-1", "M-1", at(0)),
                        cycle("M-1", at(10)),
                        completed("WO-1", "M-1", at(100)),
                        cycle("M-1", at(120)), // idle bucket 06:00-07:00
                        cycle("M-1", at(4000)))); // waits: ahead of the watermark
        h.watermark(at(159));
        assertTrue(h.stateEntries() > 0);
        h.watermark(at(161)); // COMPLETED + 60 s passed: the run is retired
        int afterRun = h.stateEntries();
        h.watermark(at(3600 + 60)); // bucket end + 60 s: the idle bucket too
        h.watermark(at(4000 + 3600)); // the waiting event's bucket, too
        assertEquals(0, h.stateEntries(), "no keyed state left");
        assertTrue(afterRun > 0);
        Map<String, MachineRunSummary> merged = h.merged();
        assertEquals(1, merged.get("wo:WO-1|M-1").eventCount());
        assertEquals(1, merged.get("idle:M-1|2026-11-02T06:00:00Z").eventCount());
        assertEquals(1, merged.get("idle:M-1|2026-11-02T07:00:00Z").eventCount());
    }

    @Test
    void aTooLateEventGoesToTheSideOutputWithItsReasonAndBytes() throws Exception {
        h.sendAll(List.of(started("WO-1", "M-1", at(0)), cycle("M-1", at(10))));
        h.watermark(at(200));
        MachineEvent tooLate = cycle("M-1", at(139)); // 61 s behind the watermark
        MachineEvent stillOk = cycle("M-1", at(140));
        h.send(tooLate);
        h.send(stillOk);
        h.watermark(Long.MAX_VALUE);

        List<DeadLetter> letters = h.tooLate();
        assertEquals(1, letters.size());
        DeadLetter letter = letters.get(0);
        assertEquals("plc.machine-events", letter.getSourceTopic());
        assertTrue(letter.getError().contains("allowed lateness"), letter.getError());
        assertEquals(tooLate, MachineEvent.fromByteBuffer(letter.getValue()));
        assertEquals(1, h.function.tooLateEventCount());
        assertEquals(2, h.merged().get("wo:WO-1|M-1").eventCount());
    }

    @Test
    void emissionsAreCoalesced() throws Exception {
        h.send(started("WO-1", "M-1", at(0)));
        for (int i = 0; i < 5_000; i++) {
            h.send(cycle("M-1", at(0).plusMillis(i * 10L))); // 50 s of events
            if (i % 100 == 0) {
                h.watermark(at(0).plusMillis(i * 10L - 1));
            }
        }
        h.watermark(Long.MAX_VALUE);
        int emissions = h.emitted().size();
        assertTrue(emissions <= 7, "one per 10 s emit interval, was " + emissions);
        assertEquals(5_000, h.merged().get("wo:WO-1|M-1").eventCount());
    }

    @Test
    void aSummaryChangedByManyTimersBetweenTwoBarriersIsSentOnceAtTheBarrier() throws Exception {
        h.send(started("WO-1", "M-1", at(0)));
        for (int i = 0; i < 100; i++) {
            h.send(cycle("M-1", at(i))); // 100 s: ten timers of the 10 s grid
        }
        h.watermarkWithoutBarrier(at(200).toEpochMilli()); // a replay's watermark jump
        assertEquals(List.of(), h.emitted(), "nothing before the barrier");
        assertTrue(h.function.summariesUnsent());

        h.barrier();
        List<MachineRunSummary> sent = h.emitted();
        assertEquals(1, sent.size(), "one version, the newest: " + sent);
        assertEquals(100, sent.get(0).eventCount());
        h.barrier();
        assertEquals(1, h.emitted().size(), "an unchanged summary is not sent again");
    }

    @Test
    void aSummaryRetiringBetweenTwoBarriersIsSentWithItsLastVersionBeforeItsStateGoes()
            throws Exception {
        List<Object> events =
                List.of(
                        started("WO-1", "M-1", at(0)),
                        cycle("M-1", at(5)),
                        cycle("M-1", at(25)),
                        completed("WO-1", "M-1", at(30)));
        h.sendAll(events);
        h.watermarkWithoutBarrier(at(20).toEpochMilli()); // the first cycle applied, unsent
        assertTrue(h.function.summariesUnsent());
        h.watermarkWithoutBarrier(Long.MAX_VALUE); // applied and retired: no barrier came

        assertEquals(reference(events), h.merged());
        assertEquals(1, h.emitted().size(), "sent once, when it retired: " + h.emitted());
        assertEquals(0, h.stateEntries());
        assertTrue(!h.function.summariesUnsent());
    }

    @Test
    void aStartedUpToTheGraceBehindTheWatermarkStillSplitsTheRunsExactly() throws Exception {
        try (AttributionHarness g =
                new AttributionHarness(LATENESS, Duration.ofSeconds(30), EMIT, null)) {
            List<Object> events = new ArrayList<>();
            events.add(cycle("M-1", at(95)));
            events.add(cycle("M-1", at(105)));
            g.sendAll(events);
            g.watermark(at(120)); // the PLC is 20 s ahead of the MES
            WorkOrderEvent start = started("WO-1", "M-1", at(100));
            g.send(start);
            events.add(start);
            g.watermark(Long.MAX_VALUE);
            assertEquals(reference(events), g.merged());
            assertEquals(1, g.merged().get("wo:WO-1|M-1").eventCount());
            assertEquals(0, g.function.lateBoundaryCount());
        }
        // without the grace the same STARTED is late: counted, and the event before it stays idle
        h.sendAll(List.of(cycle("M-1", at(95)), cycle("M-1", at(105))));
        h.watermark(at(120));
        h.send(started("WO-1", "M-1", at(100)));
        h.watermark(Long.MAX_VALUE);
        assertEquals(1, h.function.lateBoundaryCount());
        assertEquals(2, h.merged().get("idle:M-1|2026-11-02T06:00:00Z").eventCount());
    }

    @Test
    void machinesAreIndependent() throws Exception {
        List<Object> events =
                List.of(
                        started("WO-1", "M-1", at(0)),
                        cycle("M-1", at(10)),
                        cycle("M-2", at(10)),
                        completed("WO-1", "M-1", at(20)));
        h.sendAll(events);
        h.watermark(Long.MAX_VALUE);
        assertEquals(reference(events), h.merged());
        assertEquals(2, h.merged().size());
    }
}
