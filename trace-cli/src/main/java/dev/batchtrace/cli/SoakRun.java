package dev.batchtrace.cli;

import dev.batchtrace.cli.bench.Boundedness;
import dev.batchtrace.cli.bench.Capacity;
import dev.batchtrace.cli.bench.ConsumerLag;
import dev.batchtrace.cli.bench.ElasticsearchProbe;
import dev.batchtrace.cli.bench.FlinkCheckpoints;
import dev.batchtrace.cli.bench.HeapGauge;
import dev.batchtrace.cli.bench.PlantRounds;
import dev.batchtrace.cli.bench.SoakChart;
import dev.batchtrace.cli.bench.SoakCsv;
import dev.batchtrace.cli.bench.SoakSample;
import dev.batchtrace.connectors.kafka.KafkaSettings;
import dev.batchtrace.jobs.lineage.LineageJobConfig;
import dev.batchtrace.jobs.machine.MachineJobConfig;
import dev.batchtrace.schemas.EventTopics;
import dev.batchtrace.simulator.PlantParameters;
import dev.batchtrace.stack.StackStatus;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ToLongFunction;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * {@code trace bench --soak DURATION}: the profile's plant stream at a steady rate for a long time,
 * sampled, charted and judged bounded or not (see BENCHMARKS.md, "Soak").
 *
 * <p>Unless {@code --soak-rate} is given, the rate is half the most the jobs take, measured in the
 * same run first: a backlog of {@code --capacity-events} is published, the jobs start from empty
 * state and the time until every source has drained it gives the maximum ({@link Capacity}). Then
 * the stream goes on at half that, without restarting the jobs, for the soak's duration.
 */
final class SoakRun {
    /** Exit code of a soak in which a metric was not bounded (2 is the bench's "not right"). */
    static final int NOT_BOUNDED = 3;

    private static final double CAPACITY_SAMPLE_SECONDS = 2;

    private final BenchCommand bench;
    private final PrintWriter out;
    private final HeapGauge heap = new HeapGauge();

    SoakRun(BenchCommand bench, PrintWriter out) {
        this.bench = bench;
        this.out = out;
    }

    /** "30m", "90s", "1h" or plain seconds. */
    static long seconds(String duration) {
        String d = duration.strip().toLowerCase(Locale.ROOT);
        if (d.isEmpty()) {
            throw new IllegalArgumentException("--soak takes a duration such as 30m, 90s or 1h");
        }
        long unit = 1;
        if (d.endsWith("h")) {
            unit = 3600;
        } else if (d.endsWith("m")) {
            unit = 60;
        } else if (!d.endsWith("s") && !d.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException(
                    "--soak takes a duration such as 30m, 90s or 1h, got " + duration);
        }
        String number =
                Character.isDigit(d.charAt(d.length() - 1)) ? d : d.substring(0, d.length() - 1);
        long value;
        try {
            value = Long.parseLong(number);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "--soak takes a duration such as 30m, 90s or 1h, got " + duration);
        }
        if (value <= 0) {
            throw new IllegalArgumentException("--soak must be positive, got " + duration);
        }
        return value * unit;
    }

    int run() throws Exception {
        long soakSeconds = seconds(bench.soak);
        PlantParameters parameters = bench.parameters();
        say(
                "== Soak: %s (profile %s, seed %d) for %,d s",
                bench.soak, bench.profile, parameters.seed(), soakSeconds);
        say("== Local stack");
        StackStatus status = StackSetup.up(bench.stack, out);
        if (!status.allRunning()) {
            StackPrinter.print(status, bench.stack.endpoints(), out);
            return 1;
        }
        Endpoints endpoints = bench.stack.endpoints();
        ElasticsearchProbe es = new ElasticsearchProbe(endpoints.elasticsearchUrl());
        if (!bench.emptyReadModel(es)) {
            return 1;
        }
        String runId = "soak-" + BenchCommand.RUN_ID.format(ZonedDateTime.now());
        Map<String, String> overrides = BenchCommand.topicOverrides(runId);
        Map<String, String> machineOverrides =
                Map.of(
                        MachineJobConfig.TOPIC_MACHINE_EVENTS_KEY,
                        EventTopics.MACHINE_EVENTS + "." + runId);
        Map<String, String> settings = LocalLineageRun.settings(endpoints, runId, overrides);
        LineageJobConfig config = LineageJobConfig.fromMap(settings);
        MachineJobConfig machine = LocalLineageRun.machineConfig(settings, machineOverrides);
        List<String> runTopics = new ArrayList<>(config.topics().all());
        runTopics.add(machine.topics().machineEvents());
        runTopics.add(machine.topics().machineSummaries());
        runTopics = runTopics.stream().distinct().toList();
        TopicSetup.ensureTopics(
                endpoints.kafkaBootstrapServers(), runTopics, StackSetup.LOCAL_PARTITIONS);
        Map<String, String> topicOf = BenchCommand.inputTopics(overrides, machineOverrides);

        List<ConsumerLag.Source> inputs = inputSources(config, machine);
        List<ConsumerLag.Source> all = new ArrayList<>(inputs);
        KafkaSettings kafka = config.kafka();
        all.add(
                source(
                        "work-orders (machine job)",
                        machine.kafka(),
                        machine.topics().workOrders()));
        all.add(source("feedback", kafka, config.topics().feedback()));
        all.add(source("documents", kafka, config.topics().documents()));
        all.add(source("machine-summaries", kafka, config.topics().machineSummaries()));
        List<String> sourceNames = all.stream().map(ConsumerLag.Source::name).toList();

        Path benchDir = bench.stack.toConfig().workDir().resolve("bench");
        Path outDir = bench.soakDir != null ? bench.soakDir : benchDir.resolve(runId);
        Path checkpoints = LocalLineageRun.checkpointsDir(benchDir).resolve(runId);
        PlantRounds stream = new PlantRounds(parameters);
        AtomicLong acknowledged = new AtomicLong();
        AtomicReference<Exception> failure = new AtomicReference<>();
        JobClient job = null;
        try (KafkaProducer<String, SpecificRecordBase> producer = BenchCommand.producer(endpoints);
                ConsumerLag lag = new ConsumerLag(endpoints.kafkaBootstrapServers(), all)) {
            long backlog = bench.soakRate == null ? bench.capacityEvents : 0;
            if (backlog > 0) {
                say(
                        "== Capacity: a backlog of %,d events, then the jobs from empty state",
                        backlog);
                for (long i = 0; i < backlog; i++) {
                    send(producer, topicOf, stream.next(), acknowledged, failure);
                }
                producer.flush();
                check(failure);
            }
            say("== Jobs from empty state (run %s)", runId);
            long jobStarted = System.nanoTime();
            job =
                    LocalLineageRun.start(
                            settings,
                            machineOverrides,
                            benchDir,
                            new LocalLineageRun.Resume(runId, Optional.empty(), List.of()),
                            bench.webUiPort,
                            line -> say("%s", line));
            FlinkCheckpoints flink =
                    new FlinkCheckpoints(
                            "http://127.0.0.1:" + bench.webUiPort, job.getJobID().toString());
            double rate;
            if (bench.soakRate != null) {
                rate = bench.soakRate;
                say("  soak rate %,.0f events/s (--soak-rate)", rate);
            } else {
                Capacity.Rate max = capacity(lag, inputs, backlog, jobStarted, job);
                rate = max.eventsPerSecond() / 2;
                say(
                        "  capacity %,.0f events/s (%s after %.0f s); soak rate half: %,.0f events/s",
                        max.eventsPerSecond(),
                        max.drained() ? "backlog drained" : "NOT drained, rate of its progress",
                        max.seconds(),
                        rate);
            }

            say(
                    "== Steady stream at %,.0f events/s for %,d s, a sample every %d s -> %s",
                    rate, soakSeconds, bench.sampleEvery, outDir);
            SoakCsv csv = new SoakCsv(outDir.resolve("soak.csv"), sourceNames);
            List<SoakSample> samples = new ArrayList<>();
            AtomicReference<Boolean> stop = new AtomicReference<>(false);
            Thread publisher =
                    new Thread(
                            () ->
                                    pace(
                                            producer,
                                            topicOf,
                                            stream,
                                            rate,
                                            stop,
                                            acknowledged,
                                            failure),
                            "soak-publisher");
            publisher.setDaemon(true);
            long soakStarted = System.nanoTime();
            publisher.start();
            int gcEvery = (int) Math.max(1, Math.round(60.0 / bench.sampleEvery));
            String stopped = null;
            for (int k = 0; ; k++) {
                long due = soakStarted + TimeUnit.SECONDS.toNanos((long) k * bench.sampleEvery);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000);
                }
                boolean last = (long) k * bench.sampleEvery >= soakSeconds;
                if (last) {
                    stop.set(true);
                }
                SoakSample sample =
                        sample(
                                (System.nanoTime() - soakStarted) / 1e9,
                                acknowledged.get(),
                                lag,
                                inputs,
                                flink,
                                checkpoints,
                                es,
                                k % gcEvery == 0 || last);
                samples.add(sample);
                csv.append(sample);
                progress(sample, rate);
                if (failure.get() != null) {
                    stopped = "publishing failed: " + failure.get().getMessage();
                }
                JobStatus jobStatus = job.getJobStatus().get(30, TimeUnit.SECONDS);
                if (jobStatus.isGloballyTerminalState()) {
                    stopped = "the job stopped: " + jobStatus;
                }
                if (last || stopped != null) {
                    break;
                }
            }
            stop.set(true);
            publisher.join(TimeUnit.SECONDS.toMillis(30));
            return report(
                    samples, sourceNames, rate, soakSeconds, csv.file(), outDir, runId, stopped);
        } finally {
            if (job != null) {
                try {
                    job.cancel().get(60, TimeUnit.SECONDS);
                } catch (Exception e) {
                    say("  could not cancel the job (%s)", e.getMessage());
                }
            }
            if (!bench.keep) {
                bench.deleteTopics(endpoints.kafkaBootstrapServers(), runTopics);
                BenchCommand.deleteFolder(checkpoints);
            }
        }
    }

    /** The sources whose committed offsets count consumed input events (one per input topic). */
    private static List<ConsumerLag.Source> inputSources(
            LineageJobConfig config, MachineJobConfig machine) {
        KafkaSettings kafka = config.kafka();
        LineageJobConfig.Topics t = config.topics();
        return new ArrayList<>(
                List.of(
                        source("goods-receipts", kafka, t.goodsReceipts()),
                        source("work-orders", kafka, t.workOrders()),
                        source("dispatch-notes", kafka, t.dispatchNotes()),
                        source("qc-results", kafka, t.qcResults()),
                        source(
                                "machine-events",
                                machine.kafka(),
                                machine.topics().machineEvents())));
    }

    private static ConsumerLag.Source source(String name, KafkaSettings kafka, String topic) {
        return new ConsumerLag.Source(name, kafka.groupId(topic), topic);
    }

    /** Samples every 2 s until the backlog is drained or the bench's timeout. */
    private Capacity.Rate capacity(
            ConsumerLag lag,
            List<ConsumerLag.Source> inputs,
            long backlog,
            long jobStarted,
            JobClient job)
            throws Exception {
        List<Capacity.Point> points = new ArrayList<>();
        long deadline = jobStarted + TimeUnit.SECONDS.toNanos(bench.timeoutSeconds);
        long lastSaid = 0;
        while (System.nanoTime() < deadline) {
            Thread.sleep((long) (CAPACITY_SAMPLE_SECONDS * 1000));
            long consumed;
            long total;
            try {
                consumed = lag.committed(inputs);
                total = lag.lag().values().stream().mapToLong(Long::longValue).sum();
            } catch (Exception e) {
                continue; // the broker busy: look again
            }
            double seconds = (System.nanoTime() - jobStarted) / 1e9;
            points.add(new Capacity.Point(seconds, consumed, total));
            if (System.nanoTime() - lastSaid > 10_000_000_000L) {
                lastSaid = System.nanoTime();
                say(
                        "  [%5.0f s] consumed %,d of %,d, lag (all sources) %,d",
                        seconds, consumed, backlog, total);
            }
            if (consumed >= backlog && Capacity.drained(total, backlog)) {
                break;
            }
            if (job.getJobStatus().get(30, TimeUnit.SECONDS).isGloballyTerminalState()) {
                throw new IllegalStateException("the job stopped during the capacity phase");
            }
        }
        return Capacity.rate(points, backlog)
                .orElseThrow(
                        () ->
                                new IllegalStateException(
                                        "the jobs consumed nothing within "
                                                + bench.timeoutSeconds
                                                + " s; give --soak-rate"));
    }

    /** Publishes at {@code rate}: every event is due at its place in a steady schedule. */
    private static void pace(
            KafkaProducer<String, SpecificRecordBase> producer,
            Map<String, String> topicOf,
            PlantRounds stream,
            double rate,
            AtomicReference<Boolean> stop,
            AtomicLong acknowledged,
            AtomicReference<Exception> failure) {
        long started = System.nanoTime();
        long sent = 0;
        try {
            while (!stop.get() && failure.get() == null) {
                long due = (long) ((System.nanoTime() - started) / 1e9 * rate);
                // a late round (generating the next stretch of days) catches up at once
                while (sent < due && !stop.get()) {
                    send(producer, topicOf, stream.next(), acknowledged, failure);
                    sent++;
                }
                Thread.sleep(5);
            }
            producer.flush();
        } catch (Exception e) {
            failure.compareAndSet(null, e);
        }
    }

    private static void send(
            KafkaProducer<String, SpecificRecordBase> producer,
            Map<String, String> topicOf,
            SpecificRecordBase event,
            AtomicLong acknowledged,
            AtomicReference<Exception> failure) {
        EventTopics.Topic contract = EventTopics.byClass(event.getClass());
        producer.send(
                new ProducerRecord<>(
                        topicOf.get(contract.recordName()), contract.keyOf(event), event),
                (metadata, error) -> {
                    if (error == null) {
                        acknowledged.incrementAndGet();
                    } else {
                        failure.compareAndSet(null, error);
                    }
                });
    }

    private static void check(AtomicReference<Exception> failure) {
        if (failure.get() != null) {
            throw new IllegalStateException(
                    "publishing failed: " + failure.get().getMessage(), failure.get());
        }
    }

    /** One look; a figure that cannot be read now is -1, the soak goes on. */
    private SoakSample sample(
            double seconds,
            long published,
            ConsumerLag lag,
            List<ConsumerLag.Source> inputs,
            FlinkCheckpoints flink,
            Path checkpoints,
            ElasticsearchProbe es,
            boolean fullGc) {
        Map<String, Long> lags = new LinkedHashMap<>();
        long consumed = -1;
        try {
            lags = lag.lag();
            consumed = lag.committed(inputs);
        } catch (Exception e) {
            say("  lag not read: %s", e.getMessage());
        }
        long used = heap.used();
        long live = fullGc ? heap.liveAfterFullGc() : -1;
        FlinkCheckpoints.Latest latest = new FlinkCheckpoints.Latest(-1, -1, -1, -1);
        try {
            latest = flink.latest();
        } catch (Exception e) {
            say("  checkpoints not read: %s", e.getMessage());
        }
        long folder = -1;
        try {
            folder = BenchCommand.folderSize(checkpoints);
        } catch (Exception e) {
            say("  checkpoint folder not read: %s", e.getMessage());
        }
        long indexBytes = -1;
        long indexDocs = -1;
        try {
            List<ElasticsearchProbe.IndexSize> sizes = es.indexSizes("trace-*", false);
            indexBytes = sizes.stream().mapToLong(ElasticsearchProbe.IndexSize::storeBytes).sum();
            indexDocs = sizes.stream().mapToLong(ElasticsearchProbe.IndexSize::luceneDocs).sum();
        } catch (Exception e) {
            say("  index sizes not read: %s", e.getMessage());
        }
        return new SoakSample(
                seconds,
                published,
                consumed,
                lags,
                used,
                live,
                latest.stateBytes(),
                folder,
                latest.durationMillis(),
                indexBytes,
                indexDocs,
                latest.checkpointedBytes(),
                java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                        .getSystemLoadAverage());
    }

    private void progress(SoakSample s, double rate) {
        say(
                "  [%5.1f min] published %,d (%,.0f/s target) consumed %,d | lag %,d | heap %,.0f MiB%s | state %,.1f MiB (folder %,.1f) | checkpoint %,d ms | index %,.1f MiB | load %.1f",
                s.seconds() / 60,
                s.published(),
                rate,
                s.consumed(),
                s.totalLag(),
                s.heapUsedBytes() / 1048576.0,
                s.heapLiveBytes() >= 0
                        ? String.format(Locale.ROOT, " (live %,.0f)", s.heapLiveBytes() / 1048576.0)
                        : "",
                s.stateBytes() / 1048576.0,
                s.checkpointFolderBytes() / 1048576.0,
                s.checkpointMillis(),
                s.indexBytes() / 1048576.0,
                s.loadAverage());
    }

    private int report(
            List<SoakSample> samples,
            List<String> sources,
            double rate,
            long soakSeconds,
            Path csv,
            Path outDir,
            String runId,
            String stopped)
            throws Exception {
        Path png = outDir.resolve("soak.png");
        SoakSample lastSample = samples.get(samples.size() - 1);
        String title =
                String.format(
                        Locale.ROOT,
                        "bench --soak %s, profile %s: %,.0f events/s, %,d events published (%s)",
                        bench.soak,
                        bench.profile,
                        rate,
                        lastSample.published(),
                        runId);
        SoakChart.write(png, title, samples, sources);
        say("");
        say("== Figures (start / end / max over the soak)");
        figure("heap used (MiB)", samples, s -> s.heapUsedBytes(), 1048576.0);
        figure("heap live after full GC (MiB)", samples, s -> s.heapLiveBytes(), 1048576.0);
        figure(
                "RocksDB state, checkpoint state size (MiB)",
                samples,
                s -> s.stateBytes(),
                1048576.0);
        figure(
                "RocksDB checkpoint folder (MiB)",
                samples,
                s -> s.checkpointFolderBytes(),
                1048576.0);
        figure("Kafka lag, all sources (events)", samples, SoakSample::totalLag, 1);
        for (String source : sources) {
            figure("  lag " + source, samples, s -> s.lag().getOrDefault(source, -1L), 1);
        }
        figure("checkpoint duration (ms)", samples, s -> s.checkpointMillis(), 1);
        figure("Elasticsearch trace-* store (MiB)", samples, s -> s.indexBytes(), 1048576.0);
        figure("Elasticsearch trace-* Lucene docs", samples, s -> s.indexDocs(), 1);
        figure("input events consumed", samples, s -> s.consumed(), 1);
        figure("checkpoint written (KiB)", samples, s -> s.checkpointedBytes(), 1024.0);
        figure(
                "machine load, 1 min (x100)",
                samples,
                s -> Math.round(s.loadAverage() * 100),
                100.0);
        say("== Bounded? (rules in BENCHMARKS.md, 'Soak')");
        List<Boundedness.Verdict> verdicts = Boundedness.judge(samples, rate);
        verdicts.forEach(v -> say("  %s", v.line()));
        boolean bounded = Boundedness.bounded(verdicts) && stopped == null;
        if (stopped != null) {
            say("  FAIL the soak stopped early: %s", stopped);
        }
        say("  samples: %s", csv);
        say("  chart:   %s", png);
        say("%s", bounded ? "BOUNDED" : "NOT BOUNDED");
        return bounded ? 0 : NOT_BOUNDED;
    }

    private void figure(
            String name, List<SoakSample> samples, ToLongFunction<SoakSample> value, double unit) {
        List<Long> known = samples.stream().map(value::applyAsLong).filter(v -> v >= 0).toList();
        if (known.isEmpty()) {
            say("  %-45s not measured", name);
            return;
        }
        long max = known.stream().mapToLong(Long::longValue).max().getAsLong();
        say(
                "  %-45s %,12.1f %,12.1f %,12.1f",
                name, known.get(0) / unit, known.get(known.size() - 1) / unit, max / unit);
    }

    private void say(String format, Object... args) {
        out.printf(Locale.ROOT, format + "%n", args);
        out.flush();
    }
}
