package dev.batchtrace.deploy.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.batchtrace.jobs.machine.MachineAttributionFunction;
import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.connector.kafka.source.metrics.KafkaSourceReaderMetrics;
import org.apache.flink.runtime.metrics.MetricNames;
import org.apache.kafka.clients.consumer.internals.FetchMetricsRegistry;
import org.junit.jupiter.api.Test;

/**
 * The monitoring contract: the Grafana dashboard queries only metrics the README lists, and every
 * listed metric is one the code (ours, Flink's, the Kafka connector's) registers, under the name
 * Flink's Prometheus reporter gives it.
 */
class MonitoringTest {

    static final Path README = Kustomize.MODULE.resolve("README.md");
    static final Path DASHBOARD = Kustomize.MODULE.resolve("grafana/batchtrace-dashboard.json");
    static final String OPERATOR = "flink_taskmanager_job_task_operator_";
    static final String JOB = "flink_jobmanager_job_";
    private static final Pattern METRIC = Pattern.compile("\\b(flink_[A-Za-z0-9_]+)\\b");

    @Test
    void theDashboardQueriesOnlyMetricsTheReadmeLists() throws IOException {
        Set<String> listed = readmeMetrics();
        JsonNode dashboard = JsonMapper.builder().build().readTree(DASHBOARD.toFile());
        List<String> queried = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            assertTrue(panel.path("targets").size() > 0, panel.path("title").asText());
            for (JsonNode target : panel.path("targets")) {
                List<String> names = metricsIn(target.path("expr").asText());
                assertFalse(names.isEmpty(), "a query without a Flink metric: " + target);
                queried.addAll(names);
            }
        }
        assertEquals(List.of(), queried.stream().filter(m -> !listed.contains(m)).toList());
        assertTrue(queried.size() >= 10, "one panel per concern: " + queried);
    }

    /**
     * Issue 11's list: consumer lag per source, checkpoint duration and size, dead letters per
     * reason, documents rejected, alerts raised and delivered, event-to-searchable freshness.
     */
    @Test
    void theDashboardHasAPanelForEveryHealthConcern() throws IOException {
        JsonNode dashboard = JsonMapper.builder().build().readTree(DASHBOARD.toFile());
        Set<String> queried = new TreeSet<>();
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                queried.addAll(metricsIn(target.path("expr").asText()));
            }
        }
        List<String> concerns =
                List.of(
                        OPERATOR + "KafkaSourceReader_KafkaConsumer_records_lag_max",
                        JOB + "lastCheckpointDuration",
                        JOB + "lastCheckpointSize",
                        OPERATOR + "reason_deadLetters",
                        OPERATOR + "elasticsearch_documents_rejected",
                        OPERATOR + "numRecordsSend",
                        OPERATOR + "webhook_delivered",
                        OPERATOR + "elasticsearch_freshness_ms",
                        OPERATOR + "hangingTransactions");
        assertEquals(
                List.of(), concerns.stream().filter(m -> !queried.contains(m)).toList(), "queried");
        assertTrue(
                registeredMetrics().containsAll(concerns), "each concern is a registered metric");
    }

    @Test
    void everyListedMetricIsRegisteredByTheCode() throws IOException {
        Set<String> registered = registeredMetrics();
        List<String> unknown =
                readmeMetrics().stream().filter(m -> !registered.contains(m)).toList();
        assertEquals(List.of(), unknown, "registered: " + registered);
    }

    @Test
    void aMisspelledOrUnlistedMetricIsFound() throws IOException {
        assertFalse(registeredMetrics().contains(OPERATOR + "elasticsearch_documents_writen"));
        Set<String> listed = readmeMetrics();
        assertFalse(
                metricsIn("sum(rate(" + OPERATOR + "numRecordsIn[5m]))").stream()
                        .allMatch(listed::contains));
    }

    /** The backticked names of the table under "## Monitoring". */
    static Set<String> readmeMetrics() throws IOException {
        String text = Files.readString(README);
        int start = text.indexOf("## Monitoring");
        assertTrue(start >= 0, "README has a Monitoring section");
        int end = text.indexOf("\n## ", start + 1);
        String section = text.substring(start, end < 0 ? text.length() : end);
        Set<String> metrics = new TreeSet<>();
        Matcher row = Pattern.compile("(?m)^\\| `(flink_[A-Za-z0-9_]+)` \\|").matcher(section);
        while (row.find()) {
            metrics.add(row.group(1));
        }
        assertTrue(metrics.size() >= 10, "metrics listed: " + metrics);
        return metrics;
    }

    static List<String> metricsIn(String expression) {
        List<String> names = new ArrayList<>();
        Matcher metric = METRIC.matcher(expression);
        while (metric.find()) {
            names.add(metric.group(1));
        }
        return names;
    }

    /** Prometheus names of what the code registers (scope prefix, groups, reporter's filter). */
    static Set<String> registeredMetrics() {
        Set<String> metrics = new TreeSet<>();
        for (String name :
                List.of(
                        MetricNames.NUM_RECORDS_SEND,
                        MetricNames.NUM_RECORDS_OUT_ERRORS,
                        MetricNames.PENDING_RECORDS,
                        MetricNames.CURRENT_EMIT_EVENT_TIME_LAG)) {
            metrics.add(prometheus(OPERATOR + name));
        }
        String kafka =
                KafkaSourceReaderMetrics.KAFKA_SOURCE_READER_METRIC_GROUP
                        + "_"
                        + KafkaSourceReaderMetrics.KAFKA_CONSUMER_METRIC_GROUP
                        + "_"
                        + new FetchMetricsRegistry().recordsLagMax.name();
        metrics.add(prometheus(OPERATOR + kafka));
        Class<?> checkpoints =
                load("org.apache.flink.runtime.checkpoint.DefaultCheckpointStatsTracker");
        for (String field :
                List.of(
                        "LATEST_COMPLETED_CHECKPOINT_DURATION_METRIC",
                        "LATEST_COMPLETED_CHECKPOINT_SIZE_METRIC",
                        "LATEST_COMPLETED_CHECKPOINT_FULL_SIZE_METRIC",
                        "NUMBER_OF_FAILED_CHECKPOINTS_METRIC")) {
            metrics.add(prometheus(JOB + constant(checkpoints, field)));
        }
        metrics.add(prometheus(JOB + MetricNames.NUM_RESTARTS));
        Class<?> elasticsearch =
                load("dev.batchtrace.connectors.elasticsearch.ElasticsearchSinkWriter");
        for (String field :
                List.of(
                        "DOCUMENTS_WRITTEN",
                        "SKIPPED_OLDER",
                        "RETRIES",
                        "DOCUMENTS_REJECTED",
                        "FRESHNESS")) {
            metrics.add(
                    prometheus(
                            OPERATOR
                                    + constant(elasticsearch, "METRIC_GROUP")
                                    + "_"
                                    + constant(elasticsearch, field)));
        }
        Class<?> webhook = load("dev.batchtrace.connectors.webhook.WebhookSinkWriter");
        for (String field :
                List.of(
                        "DELIVERED",
                        "RETRIES",
                        "FAILED",
                        "REJECTED",
                        "PENDING",
                        "ALREADY_DELIVERED")) {
            metrics.add(
                    prometheus(
                            OPERATOR
                                    + constant(webhook, "METRIC_GROUP")
                                    + "_"
                                    + constant(webhook, field)));
        }
        metrics.add(
                prometheus(
                        OPERATOR
                                + constant(load("dev.batchtrace.jobs.RecordSizeGuard"), "METRIC")));
        // Flink's Prometheus reporter turns the group key of addGroup(key, value) into a label
        Class<?> deadLetters = load("dev.batchtrace.connectors.kafka.DeadLetterSplit");
        metrics.add(
                prometheus(
                        OPERATOR
                                + constant(deadLetters, "REASON_GROUP")
                                + "_"
                                + constant(deadLetters, "METRIC")));
        for (Class<?> function :
                List.of(
                        MachineAttributionFunction.class,
                        load("dev.batchtrace.jobs.lineage.LineageNodeFunction"),
                        load(
                                "dev.batchtrace.jobs.lineage.transactionwatch"
                                        + ".TransactionWatchFunction"))) {
            for (Field field : function.getFields()) {
                if (field.getName().startsWith("METRIC_")) {
                    metrics.add(prometheus(OPERATOR + constant(function, field.getName())));
                }
            }
        }
        return metrics;
    }

    /**
     * What Flink's Prometheus reporter does to a name: characters outside [a-zA-Z0-9_:] become _.
     */
    static String prometheus(String name) {
        return name.replaceAll("[^a-zA-Z0-9_:]", "_");
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name);
        } catch (ClassNotFoundException e) {
            throw new AssertionError(name + " is gone: update the monitoring list", e);
        }
    }

    private static String constant(Class<?> type, String field) {
        try {
            Field f = type.getDeclaredField(field);
            f.setAccessible(true);
            return (String) f.get(null);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(type.getSimpleName() + "." + field + " is gone", e);
        }
    }
}
