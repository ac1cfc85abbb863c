package dev.batchtrace.jobs.machine;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.BiConsumer;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.ReaderInfo;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SourceSplit;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.connector.source.SplitsAssignment;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.metrics.groups.SplitEnumeratorMetricGroup;

/**
 * A source whose readers get their splits late: the cold start of one input (a slow partition
 * lookup, a cold JVM) made deterministic. Everything else is the wrapped source's.
 */
final class SlowStartSource<T, SplitT extends SourceSplit, EnumChkT>
        implements Source<T, SplitT, EnumChkT>, ResultTypeQueryable<T> {

    private static final long serialVersionUID = 1L;

    private final Source<T, SplitT, EnumChkT> source;
    private final long delayMillis;

    SlowStartSource(Source<T, SplitT, EnumChkT> source, Duration delay) {
        this.source = source;
        this.delayMillis = delay.toMillis();
    }

    @Override
    @SuppressWarnings("unchecked")
    public TypeInformation<T> getProducedType() {
        return ((ResultTypeQueryable<T>) source).getProducedType();
    }

    @Override
    public Boundedness getBoundedness() {
        return source.getBoundedness();
    }

    @Override
    public SplitEnumerator<SplitT, EnumChkT> createEnumerator(
            SplitEnumeratorContext<SplitT> context) throws Exception {
        return source.createEnumerator(new Delaying<>(context, delayMillis));
    }

    @Override
    public SplitEnumerator<SplitT, EnumChkT> restoreEnumerator(
            SplitEnumeratorContext<SplitT> context, EnumChkT checkpoint) throws Exception {
        return source.restoreEnumerator(new Delaying<>(context, delayMillis), checkpoint);
    }

    @Override
    public SimpleVersionedSerializer<SplitT> getSplitSerializer() {
        return source.getSplitSerializer();
    }

    @Override
    public SimpleVersionedSerializer<EnumChkT> getEnumeratorCheckpointSerializer() {
        return source.getEnumeratorCheckpointSerializer();
    }

    @Override
    public SourceReader<T, SplitT> createReader(SourceReaderContext readerContext)
            throws Exception {
        return source.createReader(readerContext);
    }

    /** Hands every assignment to the readers {@code delayMillis} after the enumerator started. */
    private static final class Delaying<SplitT extends SourceSplit>
            implements SplitEnumeratorContext<SplitT> {
        private final SplitEnumeratorContext<SplitT> context;
        private final long releaseAt;

        Delaying(SplitEnumeratorContext<SplitT> context, long delayMillis) {
            this.context = context;
            this.releaseAt = System.currentTimeMillis() + delayMillis;
        }

        @Override
        public void assignSplits(SplitsAssignment<SplitT> assignment) {
            long wait = releaseAt - System.currentTimeMillis();
            if (wait <= 0) {
                context.assignSplits(assignment);
                return;
            }
            context.callAsync(
                    () -> {
                        Thread.sleep(wait);
                        return null;
                    },
                    (ignored, error) -> context.assignSplits(assignment));
        }

        @Override
        public SplitEnumeratorMetricGroup metricGroup() {
            return context.metricGroup();
        }

        @Override
        public void sendEventToSourceReader(int subtaskId, SourceEvent event) {
            context.sendEventToSourceReader(subtaskId, event);
        }

        @Override
        public int currentParallelism() {
            return context.currentParallelism();
        }

        @Override
        public Map<Integer, ReaderInfo> registeredReaders() {
            return context.registeredReaders();
        }

        @Override
        public void signalNoMoreSplits(int subtask) {
            context.signalNoMoreSplits(subtask);
        }

        @Override
        public <R> void callAsync(Callable<R> callable, BiConsumer<R, Throwable> handler) {
            context.callAsync(callable, handler);
        }

        @Override
        public <R> void callAsync(
                Callable<R> callable,
                BiConsumer<R, Throwable> handler,
                long initialDelay,
                long period) {
            context.callAsync(callable, handler, initialDelay, period);
        }

        @Override
        public void runInCoordinatorThread(Runnable runnable) {
            context.runInCoordinatorThread(runnable);
        }
    }
}
