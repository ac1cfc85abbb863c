package dev.batchtrace.jobs.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.batchtrace.events.MachineEvent;
import dev.batchtrace.machine.MachineReference;
import dev.batchtrace.machine.MachineShiftGenerator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.junit.jupiter.api.Test;

/**
 * Throughput of the attribution path (not a timed test: it asserts only correctness and records the
 * numbers). One thread drives {@link MachineAttributionFunction} in Flink's keyed two-input
 * operator harness, with RocksDB state (the production backend) and, for comparison, heap state.
 * Events per second per core = machine events / wall time of that one thread (RocksDB's own
 * background flush/compaction threads come on top).
 *
 * <p>Run (see BENCHMARKS.md): {@code mvn -B -o -pl
 * pipeline-jobs/trace-model,pipeline-jobs/trace-jobs verify -Dtest=MachineAttributionBenchmark
 * -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=none -Dfailsafe.failIfNoSpecifiedTests=false}.
 * Results: stdout and {@code target/machine-benchmark.txt}.
 */
class MachineAttributionBenchmark {

    private static final Duration LATENESS = Duration.ofMinutes(5);
    private static final Duration OUT_OF_ORDERNESS = Duration.ofSeconds(5);
    private static final Duration GRACE = Duration.ofSeconds(30);
    private static final Duration EMIT = Duration.ofSeconds(10);
    private static final int ROUNDS = 3;
    private static final Path REPORT = Path.of("target/machine-benchmark.txt");

    public static void main(String[] args) throws Exception {
        new MachineAttributionBenchmark().run();
    }

    @Test
    void run() throws Exception {
        Files.deleteIfExists(REPORT);
        // the plant: 100 machines at 10 events/s each, for 20 minutes: ~1.2 M events
        MachineShiftGenerator.Options options =
                new MachineShiftGenerator.Options(100, Duration.ofMinutes(20), 1000);
        List<SpecificRecordBase> shift = MachineShiftGenerator.generate(1, options);
        long machineEvents = shift.stream().filter(e -> e instanceof MachineEvent).count();
        var expected = AttributionHarness.byKey(MachineReference.summaries(shift));
        report(
                "shift: %d machine events, %d work-order events, %d machines, %d summaries",
                machineEvents, shift.size() - machineEvents, options.machines(), expected.size());

        List<SpecificRecordBase> inOrder =
                MachineShiftGenerator.arrivalOrder(shift, Duration.ofSeconds(2), new Random(1));
        // gateways up to 60 s late (behind the watermark), the MES up to the 30 s grace
        List<SpecificRecordBase> late = new java.util.ArrayList<>();
        Random random = new Random(1);
        record Arrival(long at, SpecificRecordBase event) {}
        List<Arrival> arrivals = new java.util.ArrayList<>();
        for (SpecificRecordBase e : shift) {
            long delay = e instanceof MachineEvent ? 60_000 : GRACE.toMillis();
            arrivals.add(
                    new Arrival(
                            MachineShiftGenerator.occurredAt(e).toEpochMilli()
                                    + (long) (random.nextDouble() * delay),
                            e));
        }
        arrivals.sort(java.util.Comparator.comparingLong(Arrival::at));
        arrivals.forEach(a -> late.add(a.event()));

        avroBaseline(shift);
        // -Dmachine.benchmark.backends=rocksdb limits the run (e.g. under a profiler)
        List<String> backends =
                List.of(
                        System.getProperty(
                                        "machine.benchmark.backends",
                                        "rocksdb,rocksdb+heap-timers,hashmap")
                                .split(","));
        List<Scenario> scenarios =
                List.of(
                        new Scenario("jitter <= 2 s (within the watermark bound)", inOrder, 0),
                        new Scenario("jitter <= 60 s (many late events)", late, 0),
                        // a replay: the backlog is read far ahead of the watermark, which
                        // another input (or partition) holds back by half an hour
                        new Scenario(
                                "replay, watermark 30 min behind the read",
                                inOrder,
                                Duration.ofMinutes(30).toMillis()));
        // -Dmachine.benchmark.scenario=replay runs the replay only; a name that matches none
        // fails rather than measuring nothing
        String only = System.getProperty("machine.benchmark.scenario", "");
        List<Scenario> chosen = scenarios.stream().filter(s -> s.name().contains(only)).toList();
        if (chosen.isEmpty()) {
            throw new IllegalArgumentException(
                    "-Dmachine.benchmark.scenario="
                            + only
                            + " matches no scenario; one of: "
                            + scenarios.stream().map(Scenario::name).toList());
        }
        for (String backend : backends) {
            for (var scenario : chosen) {
                measure(backend, scenario, machineEvents, 1, false, expected); // warm-up
                for (int round = 1; round <= ROUNDS; round++) {
                    measure(backend, scenario, machineEvents, round, true, expected);
                }
            }
        }
    }

    private record Scenario(
            String name, List<SpecificRecordBase> arrivals, long watermarkLagMillis) {}

    private static StateBackend backend(String name) {
        return switch (name) {
            case "rocksdb" -> new EmbeddedRocksDBStateBackend();
            case "rocksdb+heap-timers" -> {
                EmbeddedRocksDBStateBackend b = new EmbeddedRocksDBStateBackend();
                b.setPriorityQueueStateType(
                        EmbeddedRocksDBStateBackend.PriorityQueueStateType.HEAP);
                yield b;
            }
            default -> new HashMapStateBackend();
        };
    }

    private static void measure(
            String backend,
            Scenario scenario,
            long machineEvents,
            int round,
            boolean record,
            java.util.Map<String, dev.batchtrace.machine.MachineRunSummary> expected)
            throws Exception {
        try (AttributionHarness h =
                new AttributionHarness(LATENESS, GRACE, EMIT, backend(backend))) {
            long highest = Long.MIN_VALUE;
            int n = 0;
            long start = System.nanoTime();
            for (SpecificRecordBase e : scenario.arrivals()) {
                h.send(e);
                long t = MachineShiftGenerator.occurredAt(e).toEpochMilli();
                if (t > highest) {
                    highest = t;
                }
                // the source's periodic watermark: every 1,000 records here
                if (++n % 1000 == 0) {
                    h.watermark(
                            highest
                                    - OUT_OF_ORDERNESS.toMillis()
                                    - 1
                                    - scenario.watermarkLagMillis());
                }
            }
            h.watermark(Long.MAX_VALUE);
            long nanos = System.nanoTime() - start;
            assertEquals(expected, h.merged(), "the benchmarked path must be right");
            if (record) {
                report(
                        "%-20s %-45s round %d: %,10.0f machine events/s (%.2f s, %d emissions,"
                                + " %d late)",
                        backend,
                        scenario.name(),
                        round,
                        machineEvents / (nanos / 1e9),
                        nanos / 1e9,
                        h.emitted().size(),
                        h.function.lateEventCount());
            }
        }
    }

    /** What one Avro round trip of a MachineEvent costs (the waiting list pays about one). */
    private static void avroBaseline(List<SpecificRecordBase> shift) throws IOException {
        TypeSerializer<MachineEvent> serializer =
                TypeInformation.of(MachineEvent.class).createSerializer(new SerializerConfigImpl());
        DataOutputSerializer out = new DataOutputSerializer(256);
        DataInputDeserializer in = new DataInputDeserializer();
        long count = 0;
        long start = 0;
        for (int pass = 0; pass < 2; pass++) {
            start = System.nanoTime();
            count = 0;
            for (SpecificRecordBase e : shift) {
                if (e instanceof MachineEvent m) {
                    out.clear();
                    serializer.serialize(m, out);
                    in.setBuffer(out.getSharedBuffer(), 0, out.length());
                    serializer.deserialize(in);
                    count++;
                }
            }
        }
        double nanosPer = (System.nanoTime() - start) / (double) count;
        report("baseline: Avro serialize+deserialize of a MachineEvent: %.0f ns", nanosPer);
    }

    private static void report(String format, Object... args) throws IOException {
        String line = String.format(Locale.ROOT, format, args);
        System.out.println(line);
        Files.createDirectories(REPORT.toAbsolutePath().getParent());
        Files.writeString(
                REPORT,
                line + "\n",
                StandardCharsets.UTF_8,
                StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }
}
