package dev.batchtrace.jobs.lineage;

import java.util.Map;
import org.apache.flink.api.common.JobID;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.testutils.InMemoryReporter;

/** Sums of one job's metrics as an {@link InMemoryReporter} on the MiniCluster saw them. */
final class JobMetrics {

    private JobMetrics() {}

    /**
     * The sum of every counter or numeric gauge named {@code name} of the job; fails when the job
     * has no such metric (a misspelt name must not read as 0).
     */
    static long sum(InMemoryReporter reporter, JobID job, String name) {
        long sum = 0;
        boolean found = false;
        for (Map.Entry<MetricGroup, Map<String, Metric>> group :
                reporter.getMetricsByGroup().entrySet()) {
            if (!job.toString().equals(group.getKey().getAllVariables().get("<job_id>"))) {
                continue;
            }
            Metric metric = group.getValue().get(name);
            if (metric instanceof Counter c) {
                sum += c.getCount();
                found = true;
            } else if (metric instanceof Gauge<?> g && g.getValue() instanceof Number n) {
                sum += n.longValue();
                found = true;
            }
        }
        if (!found) {
            throw new AssertionError("job " + job + " has no metric " + name);
        }
        return sum;
    }
}
