package dev.batchtrace.connectors.elasticsearch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch.core.GetResponse;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.search.Hit;
import dev.batchtrace.stack.TestServers;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.HistogramStatistics;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * The sink in Flink jobs (MiniCluster, parallelism 2, RocksDB, checkpoints) against a real
 * Elasticsearch node.
 */
class ElasticsearchSinkITCase {

    private static final InMemoryReporter REPORTER = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .setConfiguration(REPORTER.addToConfiguration(jobConfig()))
                            .build());

    private static String elasticsearchUrl;
    private static ElasticsearchClient client;

    @BeforeAll
    static void connect() {
        elasticsearchUrl = TestServers.elasticsearchUrl();
        client = ElasticsearchClients.create(ElasticsearchSettings.forHosts(elasticsearchUrl));
    }

    @AfterAll
    static void disconnect() throws Exception {
        client.close();
    }

    @Test
    void documentsArriveWithTheirIdsAndContent() throws Exception {
        String index = freshIndex("it-sink-content");
        int n = 20_000;
        StreamExecutionEnvironment env = environment();
        env.fromSequence(0, n - 1)
                .sinkTo(ElasticsearchSink.of(settings(), new LotConverter(index)));

        long start = System.nanoTime();
        JobID job = run(env, "content");
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(
                "ElasticsearchSinkITCase: %d documents in %.2f s through the job = %.0f docs/s%n",
                n, seconds, n / seconds);

        refresh(index);
        assertEquals(n, client.count(c -> c.index(index)).count());
        assertEquals(n, counter(job, ElasticsearchSinkWriter.DOCUMENTS_WRITTEN));
        GetResponse<JsonNode> doc = client.get(g -> g.index(index).id("LOT-123"), JsonNode.class);
        assertEquals(1L, doc.version());
        JsonNode source = doc.source();
        assertEquals("LOT-123", source.path("lotCode").asString());
        assertEquals(61.5, source.path("quantity").asDouble());
        assertEquals(
                Instant.ofEpochMilli(LotConverter.EPOCH + 123_000).toString(),
                source.path("receivedAt").asString());
    }

    @Test
    void everyDocumentWithARecordTimestampIsAFreshnessSampleOfTheRunningJob() throws Exception {
        String index = freshIndex("it-sink-freshness");
        int n = 1_000;
        long start = System.currentTimeMillis();
        StreamExecutionEnvironment env = environment();
        // the element's timestamp plays the documents topic's record timestamp: 2 s ago
        env.fromSequence(0, n - 1)
                .assignTimestampsAndWatermarks(
                        WatermarkStrategy.<Long>noWatermarks()
                                .withTimestampAssigner(
                                        (element, previous) -> System.currentTimeMillis() - 2_000))
                .sinkTo(ElasticsearchSink.of(settings(), new LotConverter(index)));

        JobID job = run(env, "freshness");
        long took = System.currentTimeMillis() - start;

        List<Histogram> histograms = histograms(job, ElasticsearchSinkWriter.FRESHNESS);
        assertEquals(2, histograms.size(), "one per sink subtask");
        assertEquals(n, histograms.stream().mapToLong(Histogram::getCount).sum());
        // the sequence's splits go to whichever reader asks first: a subtask may have none
        for (Histogram histogram : histograms) {
            if (histogram.getCount() == 0) {
                continue;
            }
            HistogramStatistics statistics = histogram.getStatistics();
            assertTrue(statistics.getMin() >= 2_000, "min " + statistics.getMin());
            assertTrue(statistics.getMax() <= took + 2_000, "max " + statistics.getMax());
        }
    }

    @Test
    void traceDocumentsCrossANetworkShuffleAndKeepTheirValues() throws Exception {
        String index = freshIndex("it-sink-shuffle");
        StreamExecutionEnvironment env = environment();
        env.fromSequence(0, 99)
                .map(i -> new LotConverter(index).convert(i))
                .returns(TraceDocument.class)
                .rebalance()
                .sinkTo(ElasticsearchSink.forDocuments(settings()));

        run(env, "shuffle");

        refresh(index);
        assertEquals(100, client.count(c -> c.index(index)).count());
        JsonNode source = client.get(g -> g.index(index).id("LOT-42"), JsonNode.class).source();
        assertEquals(21.0, source.path("quantity").asDouble());
        assertEquals(
                Instant.ofEpochMilli(LotConverter.EPOCH + 42_000).toString(),
                source.path("receivedAt").asString());
    }

    @Test
    void anOlderVersionSentAfterANewerOneNeverOverwritesIt() throws Exception {
        String index = freshIndex("it-sink-versions");
        StreamExecutionEnvironment first = environment();
        first.fromData(5L).sinkTo(ElasticsearchSink.of(settings(), new SingleLotConverter(index)));
        run(first, "newer");

        StreamExecutionEnvironment second = environment();
        second.fromData(3L, 5L, 1L)
                .sinkTo(ElasticsearchSink.of(settings(), new SingleLotConverter(index)));
        JobID job = run(second, "older");

        GetResponse<JsonNode> doc = client.get(g -> g.index(index).id("LOT-1"), JsonNode.class);
        assertEquals(5L, doc.version());
        assertEquals(5, doc.source().path("v").asInt());
        assertEquals(3, counter(job, ElasticsearchSinkWriter.SKIPPED_OLDER));
        assertEquals(0, counter(job, ElasticsearchSinkWriter.DOCUMENTS_WRITTEN));
    }

    @Test
    void survivesElasticsearchAnswering429() throws Exception {
        String index = freshIndex("it-sink-429");
        int n = 3_000;
        try (BulkProxy proxy = BulkProxy.inFrontOf(elasticsearchUrl)) {
            proxy.rejectNextBulkRequests(3);
            proxy.rejectItemsOfNextBulkRequests(2);
            ElasticsearchSettings viaProxy =
                    ElasticsearchSettings.forHosts(proxy.url())
                            .withBulk(200, 5 * 1024 * 1024, Duration.ofMillis(200), 2)
                            .withRetry(8, Duration.ofMillis(20), Duration.ofSeconds(1));
            StreamExecutionEnvironment env = environment();
            env.fromSequence(0, n - 1)
                    .sinkTo(ElasticsearchSink.of(viaProxy, new LotConverter(index)));

            JobID job = run(env, "429");

            refresh(index);
            assertEquals(n, client.count(c -> c.index(index)).count());
            assertEquals(3, proxy.rejectedRequests());
            assertTrue(proxy.rejectedOperations() > 0);
            assertEquals(proxy.rejectedOperations(), counter(job, ElasticsearchSinkWriter.RETRIES));
            System.out.printf(
                    "ElasticsearchSinkITCase: %d bulk requests, %d rejected whole, %d operations"
                            + " answered 429 and retried%n",
                    proxy.bulkRequests(), proxy.rejectedRequests(), proxy.rejectedOperations());
        }
    }

    @Test
    void aRestoredJobLeavesTheIndexIdenticalToAnUninterruptedRun() throws Exception {
        String reference = freshIndex("it-sink-reference");
        String recovered = freshIndex("it-sink-recovered");
        int n = 10_000;

        StreamExecutionEnvironment plain = environment();
        plain.fromSequence(0, n - 1)
                .map(new ThrottleAndFailOnce(false))
                .flatMap(new WithOnceMarkers())
                .sinkTo(ElasticsearchSink.of(settings(), new RevisionConverter(reference)));
        run(plain, "uninterrupted");

        ThrottleAndFailOnce.FAILED.set(false);
        ThrottleAndFailOnce.OPENED.set(0);
        StreamExecutionEnvironment failing = environment();
        DataStream<Long> input =
                failing.fromSequence(0, n - 1)
                        .map(new ThrottleAndFailOnce(true))
                        .flatMap(new WithOnceMarkers());
        input.sinkTo(ElasticsearchSink.of(settings(), new RevisionConverter(recovered)));
        JobID job = run(failing, "fail-and-restore");

        assertTrue(ThrottleAndFailOnce.FAILED.get(), "the failure was injected");
        // 2 subtasks opened, then at least the failed one again (its pipelined region restarts)
        assertTrue(ThrottleAndFailOnce.OPENED.get() >= 3, "the failed task was restored");
        Map<String, String> expected = snapshot(reference);
        Map<String, String> actual = snapshot(recovered);
        int onceKeys = 2 * WithOnceMarkers.PER_SPLIT;
        assertEquals(500 + onceKeys, expected.size());
        // the failed subtask's once-keys before the checkpoint it restored from were written
        // before the failure and never again (the last ones shortly before it): only a flush
        // that really waits for them before the checkpoint leaves them all in the index
        for (long split = 0; split < 2; split++) {
            for (long j = 0; j < WithOnceMarkers.PER_SPLIT; j++) {
                long i = split * WithOnceMarkers.SPLIT_SIZE + j;
                assertEquals(
                        "1 {\"once\":" + i + "}",
                        actual.get("once-" + i),
                        "once-" + i + " written before the failure survives the restore");
            }
        }
        assertEquals(expected, actual);
        // and both equal the last revision of every key
        assertEquals("20 {\"n\":9999,\"key\":499,\"revision\":20}", actual.get("doc-499"));
        System.out.printf(
                "ElasticsearchSinkITCase: restored run wrote %d, skipped %d older versions%n",
                counter(job, ElasticsearchSinkWriter.DOCUMENTS_WRITTEN),
                counter(job, ElasticsearchSinkWriter.SKIPPED_OLDER));
    }

    @Test
    void aDocumentElasticsearchCannotMapGoesToTheDeadLetterIndexAndTheJobFinishes()
            throws Exception {
        String index = "it-sink-mapping";
        client.indices().delete(d -> d.index(index).ignoreUnavailable(true));
        client.indices()
                .create(
                        c ->
                                c.index(index)
                                        .settings(s -> s.numberOfShards("1").numberOfReplicas("0"))
                                        .mappings(
                                                m ->
                                                        m.properties(
                                                                "quantity",
                                                                p -> p.double_(d -> d))));
        IndexTemplates.install(settings(), line -> {});
        StreamExecutionEnvironment env = environment();
        env.fromData(1L, 2L, 3L)
                .sinkTo(
                        ElasticsearchSink.of(
                                settings(),
                                i ->
                                        TraceDocument.upsert(
                                                index,
                                                i == 2 ? "BAD-2" : "LOT-" + i,
                                                1,
                                                Map.of("quantity", i == 2 ? "twelve" : i))));

        JobID job = run(env, "mapping"); // a refused document fails nothing
        refresh(index);
        refresh(TraceIndex.DEAD_LETTERS.alias());

        assertEquals(2, client.count(c -> c.index(index)).count(), "the good documents arrived");
        GetResponse<JsonNode> letter =
                client.get(
                        g -> g.index(TraceIndex.DEAD_LETTERS.alias()).id(index + "/BAD-2/1"),
                        JsonNode.class);
        assertTrue(letter.found(), "dead letter of BAD-2");
        assertEquals("BAD-2", letter.source().path("documentId").asString());
        assertTrue(
                letter.source().path("reason").asString().contains("document_parsing_exception"),
                letter.source().toString());
        assertEquals(1L, counter(job, ElasticsearchSinkWriter.DOCUMENTS_REJECTED));
    }

    @Test
    void jsonBodiesGoAsTheyAreAndARefusedOneIsADeadLetterWithItsBytes() throws Exception {
        String index = "it-sink-json";
        client.indices().delete(d -> d.index(index).ignoreUnavailable(true));
        client.indices()
                .create(
                        c ->
                                c.index(index)
                                        .settings(s -> s.numberOfShards("1").numberOfReplicas("0"))
                                        .mappings(
                                                m ->
                                                        m.properties(
                                                                "quantity",
                                                                p -> p.double_(d -> d))));
        IndexTemplates.install(settings(), line -> {});
        String bad = "{\"lotCode\":\"BAD-2\",\"quantity\":\"twelve\"}";
        StreamExecutionEnvironment env = environment();
        env.fromData(1L, 2L, 3L)
                .sinkTo(
                        ElasticsearchSink.of(
                                settings(),
                                i ->
                                        i == 2
                                                ? TraceDocument.upsertJson(index, "BAD-2", 1, bad)
                                                : TraceDocument.upsertJson(
                                                        index,
                                                        "LOT-" + i,
                                                        1,
                                                        "{\"lotCode\":\"LOT-"
                                                                + i
                                                                + "\",\"quantity\":"
                                                                + i
                                                                + ".5}")));

        JobID job = run(env, "json");
        refresh(index);
        refresh(TraceIndex.DEAD_LETTERS.alias());

        assertEquals(2, client.count(c -> c.index(index)).count(), "the good documents arrived");
        JsonNode lot = client.get(g -> g.index(index).id("LOT-3"), JsonNode.class).source();
        assertEquals("LOT-3", lot.path("lotCode").asString());
        assertEquals(3.5, lot.path("quantity").asDouble());
        GetResponse<JsonNode> letter =
                client.get(
                        g -> g.index(TraceIndex.DEAD_LETTERS.alias()).id(index + "/BAD-2/1"),
                        JsonNode.class);
        assertTrue(letter.found(), "dead letter of BAD-2");
        assertEquals(
                bad,
                new String(
                        java.util.Base64.getDecoder()
                                .decode(letter.source().path("source").asString()),
                        java.nio.charset.StandardCharsets.UTF_8),
                "the original bytes");
        assertEquals(1L, counter(job, ElasticsearchSinkWriter.DOCUMENTS_REJECTED));
    }

    // ---------------------------------------------------------------- converters and functions

    /** Element i becomes lot LOT-i, version 1. */
    static final class LotConverter implements DocumentConverter<Long> {
        static final long EPOCH = 1_700_000_000_000L;
        private final String index;

        LotConverter(String index) {
            this.index = index;
        }

        @Override
        public TraceDocument convert(Long i) {
            Map<String, Object> source = new LinkedHashMap<>();
            source.put("lotCode", "LOT-" + i);
            source.put("quantity", i * 0.5);
            source.put("receivedAt", Instant.ofEpochMilli(EPOCH + i * 1000));
            return TraceDocument.upsert(index, "LOT-" + i, 1, source);
        }
    }

    /** Element v becomes version v of lot LOT-1. */
    static final class SingleLotConverter implements DocumentConverter<Long> {
        private final String index;

        SingleLotConverter(String index) {
            this.index = index;
        }

        @Override
        public TraceDocument convert(Long v) {
            return TraceDocument.upsert(index, "LOT-1", v, Map.of("v", v));
        }
    }

    /**
     * Element i is revision i/500+1 of key i%500: 20 revisions of 500 documents. A negative element
     * -(i+1) is the only write of key once-i (see {@link WithOnceMarkers}).
     */
    static final class RevisionConverter implements DocumentConverter<Long> {
        private final String index;

        RevisionConverter(String index) {
            this.index = index;
        }

        @Override
        public TraceDocument convert(Long i) {
            if (i < 0) {
                long once = -i - 1;
                return TraceDocument.upsert(index, "once-" + once, 1, Map.of("once", once));
            }
            long key = i % 500;
            long revision = i / 500 + 1;
            Map<String, Object> source = new LinkedHashMap<>();
            source.put("n", i);
            source.put("key", key);
            source.put("revision", revision);
            return TraceDocument.upsert(index, "doc-" + key, revision, source);
        }
    }

    /**
     * Passes every element on and, for the first {@value #PER_SPLIT} elements of each of the two
     * splits of {@code fromSequence(0, 9999)} at parallelism 2 ([0, 4999] and [5000, 9999]), also a
     * marker that becomes the one and only write of key once-i. The failure is injected well inside
     * this range, so once-keys are written right up to the checkpoint before it.
     */
    static final class WithOnceMarkers implements FlatMapFunction<Long, Long> {
        static final int PER_SPLIT = 2000;
        static final long SPLIT_SIZE = 5000;

        @Override
        public void flatMap(Long value, Collector<Long> out) {
            out.collect(value);
            if (value % SPLIT_SIZE < PER_SPLIT) {
                out.collect(-value - 1);
            }
        }
    }

    /**
     * Slows the stream so checkpoints happen mid-run; optionally throws once, at the first record
     * after a checkpoint completes whose barrier passed this subtask after more than {@value
     * #RECORDS_BEFORE_CHECKPOINT} records: the restore starts after those records' once-keys and
     * never replays them.
     */
    static final class ThrottleAndFailOnce extends RichMapFunction<Long, Long>
            implements CheckpointListener, CheckpointedFunction {
        static final AtomicBoolean FAILED = new AtomicBoolean();
        static final AtomicInteger OPENED = new AtomicInteger();
        static final int RECORDS_BEFORE_CHECKPOINT = 300;
        private final boolean fail;
        private transient boolean checkpointCompleted;
        private transient long seen;

        /** Smallest checkpoint taken after enough records, or MAX_VALUE. */
        private transient long firstCheckpointToFailAfter;

        ThrottleAndFailOnce(boolean fail) {
            this.fail = fail;
        }

        @Override
        public void open(OpenContext openContext) {
            OPENED.incrementAndGet();
        }

        @Override
        public void initializeState(FunctionInitializationContext context) {
            firstCheckpointToFailAfter = Long.MAX_VALUE;
        }

        @Override
        public void snapshotState(FunctionSnapshotContext context) {
            // records before the barrier have reached the chained sink, whose flush precedes
            // this checkpoint's completion
            if (seen > RECORDS_BEFORE_CHECKPOINT) {
                firstCheckpointToFailAfter =
                        Math.min(firstCheckpointToFailAfter, context.getCheckpointId());
            }
        }

        @Override
        public Long map(Long value) throws Exception {
            // slower until the failure is injected, so a checkpoint completes first even on a
            // busy machine
            boolean beforeFailure = fail && !FAILED.get();
            if (++seen % 4 == 0 || beforeFailure) {
                Thread.sleep(1);
            }
            if (fail && checkpointCompleted && FAILED.compareAndSet(false, true)) {
                throw new IllegalStateException("injected failure after " + seen + " records");
            }
            return value;
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) {
            if (checkpointId >= firstCheckpointToFailAfter) {
                checkpointCompleted = true;
            }
        }
    }

    // ---------------------------------------------------------------- helpers

    private static Configuration jobConfig() {
        Configuration conf = new Configuration();
        conf.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
        conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofMillis(200));
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 3);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(200));
        return conf;
    }

    private static StreamExecutionEnvironment environment() {
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(jobConfig());
        env.setParallelism(2);
        return env;
    }

    private static ElasticsearchSettings settings() {
        return ElasticsearchSettings.forHosts(elasticsearchUrl)
                .withBulk(1000, 5 * 1024 * 1024, Duration.ofMillis(200), 2);
    }

    private static JobID run(StreamExecutionEnvironment env, String name) throws Exception {
        JobClient job = env.executeAsync("elasticsearch-sink-it-" + name);
        job.getJobExecutionResult().get();
        return job.getJobID();
    }

    /** The sink subtasks' histograms {@code name} in this job. */
    private static List<Histogram> histograms(JobID job, String name) {
        List<Histogram> histograms = new ArrayList<>();
        for (Map.Entry<MetricGroup, Map<String, Metric>> group :
                REPORTER.getMetricsByGroup().entrySet()) {
            String[] scope = group.getKey().getScopeComponents();
            boolean sinkGroup =
                    scope.length > 0
                            && ElasticsearchSinkWriter.METRIC_GROUP.equals(scope[scope.length - 1])
                            && job.toString()
                                    .equals(group.getKey().getAllVariables().get("<job_id>"));
            if (sinkGroup && group.getValue().get(name) instanceof Histogram histogram) {
                histograms.add(histogram);
            }
        }
        return histograms;
    }

    /** Sum over the sink's subtasks (and attempts) of one of its counters in this job. */
    private static long counter(JobID job, String name) {
        long sum = 0;
        for (Map.Entry<MetricGroup, Map<String, Metric>> group :
                REPORTER.getMetricsByGroup().entrySet()) {
            String[] scope = group.getKey().getScopeComponents();
            boolean sinkGroup =
                    scope.length > 0
                            && ElasticsearchSinkWriter.METRIC_GROUP.equals(scope[scope.length - 1])
                            && job.toString()
                                    .equals(group.getKey().getAllVariables().get("<job_id>"));
            Metric metric = group.getValue().get(name);
            if (sinkGroup && metric instanceof Counter counter) {
                sum += counter.getCount();
            }
        }
        return sum;
    }

    private static String freshIndex(String name) throws Exception {
        client.indices().delete(d -> d.index(name).ignoreUnavailable(true));
        client.indices()
                .create(
                        c ->
                                c.index(name)
                                        .settings(
                                                s -> s.numberOfShards("1").numberOfReplicas("0")));
        return name;
    }

    private static void refresh(String index) throws Exception {
        client.indices().refresh(r -> r.index(index));
    }

    /** id -> "version source" of every document. */
    private static Map<String, String> snapshot(String index) throws Exception {
        refresh(index);
        SearchResponse<JsonNode> response =
                client.search(
                        s ->
                                s.index(index)
                                        .size(10_000)
                                        .version(true)
                                        .query(q -> q.matchAll(m -> m)),
                        JsonNode.class);
        Map<String, String> documents = new TreeMap<>();
        for (Hit<JsonNode> hit : response.hits().hits()) {
            documents.put(hit.id(), hit.version() + " " + hit.source().toString());
        }
        return documents;
    }
}
