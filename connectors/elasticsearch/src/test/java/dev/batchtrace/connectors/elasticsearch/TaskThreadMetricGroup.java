package dev.batchtrace.connectors.elasticsearch;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.flink.metrics.groups.OperatorIOMetricGroup;
import org.apache.flink.metrics.groups.SinkWriterMetricGroup;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;

/**
 * A sink writer metric group whose Flink counters remember every thread that touched them, like
 * Flink's own (plain, not thread-safe) counters must only be touched by the task thread.
 */
final class TaskThreadMetricGroup extends UnregisteredMetricsGroup
        implements SinkWriterMetricGroup {

    final RecordingCounter recordsSend = new RecordingCounter();
    final RecordingCounter recordsOutErrors = new RecordingCounter();

    /** What the writer registered in its subgroups, by {@code group.name}. */
    final Map<String, Metric> registered = new ConcurrentHashMap<>();

    private final RuntimeException failingAddGroup;

    TaskThreadMetricGroup() {
        this(null);
    }

    /** A group whose {@code addGroup} throws, to break writer construction. */
    static TaskThreadMetricGroup failingOnAddGroup(RuntimeException e) {
        return new TaskThreadMetricGroup(e);
    }

    private TaskThreadMetricGroup(RuntimeException failingAddGroup) {
        this.failingAddGroup = failingAddGroup;
    }

    @Override
    public MetricGroup addGroup(String name) {
        if (failingAddGroup != null) {
            throw failingAddGroup;
        }
        return new RegisteringGroup(name + ".");
    }

    /** A subgroup that remembers its counters and histograms. */
    private final class RegisteringGroup extends UnregisteredMetricsGroup {
        private final String prefix;

        RegisteringGroup(String prefix) {
            this.prefix = prefix;
        }

        @Override
        public <C extends Counter> C counter(String name, C counter) {
            registered.put(prefix + name, counter);
            return counter;
        }

        @Override
        public <H extends Histogram> H histogram(String name, H histogram) {
            registered.put(prefix + name, histogram);
            return histogram;
        }
    }

    @Override
    public Counter getNumRecordsOutErrorsCounter() {
        return recordsOutErrors;
    }

    @Override
    public Counter getNumRecordsSendErrorsCounter() {
        return new SimpleCounter();
    }

    @Override
    public Counter getNumRecordsSendCounter() {
        return recordsSend;
    }

    @Override
    public Counter getNumBytesSendCounter() {
        return new SimpleCounter();
    }

    @Override
    public void setCurrentSendTimeGauge(Gauge<Long> currentSendTimeGauge) {}

    @Override
    public OperatorIOMetricGroup getIOMetricGroup() {
        return UnregisteredMetricsGroup.createOperatorIOMetricGroup();
    }

    /** Counts like a SimpleCounter and records the threads that changed it. */
    static final class RecordingCounter extends SimpleCounter {
        final Set<String> threads = ConcurrentHashMap.newKeySet();

        @Override
        public void inc() {
            threads.add(Thread.currentThread().getName());
            super.inc();
        }

        @Override
        public void inc(long n) {
            threads.add(Thread.currentThread().getName());
            super.inc(n);
        }

        @Override
        public void dec() {
            threads.add(Thread.currentThread().getName());
            super.dec();
        }

        @Override
        public void dec(long n) {
            threads.add(Thread.currentThread().getName());
            super.dec(n);
        }
    }
}
