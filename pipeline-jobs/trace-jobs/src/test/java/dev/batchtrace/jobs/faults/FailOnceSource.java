package dev.batchtrace.jobs.faults;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SourceSplit;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.core.io.InputStatus;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * A source whose task fails once, when the test says so (issue 13: a TaskManager lost mid-flight,
 * as the lineage job's failure ITCase does with its feedback deserializer): after {@link
 * #arm(String)} the first reader of the wrapped source that polls or hears of a completed
 * checkpoint throws, the job restarts from its last checkpoint, and the restored readers never
 * throw again. The test picks the moment (e.g. once the job has committed output, so the restore is
 * from a checkpoint with state). Runs in the MiniCluster's JVM: the switch is a static, by name.
 */
public final class FailOnceSource<T, SplitT extends SourceSplit, EnumChkT>
        implements Source<T, SplitT, EnumChkT>, ResultTypeQueryable<T> {

    private static final long serialVersionUID = 1L;

    /** Per name: 0 idle, 1 armed, 2 failed. */
    private static final Map<String, AtomicInteger> SWITCHES = new ConcurrentHashMap<>();

    private final Source<T, SplitT, EnumChkT> source;
    private final String name;

    private FailOnceSource(Source<T, SplitT, EnumChkT> source, String name) {
        this.source = source;
        this.name = name;
    }

    /** {@code source} with a failure switch {@code name} (idle until armed). */
    public static <T, S extends SourceSplit, E> FailOnceSource<T, S, E> wrap(
            Source<T, S, E> source, String name) {
        SWITCHES.put(name, new AtomicInteger());
        return new FailOnceSource<>(source, name);
    }

    /** The next poll (or completed checkpoint) of a reader of {@code name} fails its task. */
    public static void arm(String name) {
        SWITCHES.get(name).compareAndSet(0, 1);
    }

    /** Whether the armed failure of {@code name} has happened. */
    public static boolean failed(String name) {
        return SWITCHES.get(name).get() == 2;
    }

    private static void failIfArmed(String name, String where) throws IOException {
        if (SWITCHES.get(name).compareAndSet(1, 2)) {
            throw new IOException("injected failure of source '" + name + "' in " + where);
        }
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
        return source.createEnumerator(context);
    }

    @Override
    public SplitEnumerator<SplitT, EnumChkT> restoreEnumerator(
            SplitEnumeratorContext<SplitT> context, EnumChkT checkpoint) throws Exception {
        return source.restoreEnumerator(context, checkpoint);
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
        return new Reader<>(source.createReader(readerContext), name);
    }

    private static final class Reader<T, SplitT extends SourceSplit>
            implements SourceReader<T, SplitT> {
        private final SourceReader<T, SplitT> reader;
        private final String name;

        Reader(SourceReader<T, SplitT> reader, String name) {
            this.reader = reader;
            this.name = name;
        }

        @Override
        public void start() {
            reader.start();
        }

        @Override
        public InputStatus pollNext(ReaderOutput<T> output) throws Exception {
            failIfArmed(name, "pollNext");
            return reader.pollNext(output);
        }

        @Override
        public List<SplitT> snapshotState(long checkpointId) {
            return reader.snapshotState(checkpointId);
        }

        @Override
        public CompletableFuture<Void> isAvailable() {
            return reader.isAvailable();
        }

        @Override
        public void addSplits(List<SplitT> splits) {
            reader.addSplits(splits);
        }

        @Override
        public void notifyNoMoreSplits() {
            reader.notifyNoMoreSplits();
        }

        @Override
        public void handleSourceEvents(SourceEvent sourceEvent) {
            reader.handleSourceEvents(sourceEvent);
        }

        @Override
        public void pauseOrResumeSplits(
                java.util.Collection<String> splitsToPause,
                java.util.Collection<String> splitsToResume) {
            reader.pauseOrResumeSplits(splitsToPause, splitsToResume);
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) throws Exception {
            reader.notifyCheckpointComplete(checkpointId);
            failIfArmed(name, "notifyCheckpointComplete(" + checkpointId + ")");
        }

        @Override
        public void notifyCheckpointAborted(long checkpointId) throws Exception {
            reader.notifyCheckpointAborted(checkpointId);
        }

        @Override
        public void close() throws Exception {
            reader.close();
        }
    }
}
