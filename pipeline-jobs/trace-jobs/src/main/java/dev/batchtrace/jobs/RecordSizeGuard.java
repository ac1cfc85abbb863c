package dev.batchtrace.jobs;

import java.io.Serializable;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.SimpleCounter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a record the broker would refuse out of an exactly-once topic: the producer's failure would
 * fail the task, and the restored task would produce the same record again, a restart loop (issue
 * 13). A record over the limit is logged with its key and size, counted in {@value #METRIC}, and
 * not sent; the job goes on. Such records come from closures beyond what one message holds (issue
 * 9, messages that do not grow with the genealogy, is the cure); the count says how often it
 * happened.
 */
public final class RecordSizeGuard implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(RecordSizeGuard.class);

    public static final String METRIC = "oversizedRecordsDropped";

    /** Room for the key, headers and batch overhead inside the producer's max.request.size. */
    public static final int HEADROOM_BYTES = 16 * 1024;

    private final String topic;
    private final int maxValueBytes;
    private transient Counter dropped;

    /**
     * @param maxRequestBytes the producer's {@code max.request.size} (the topic's {@code
     *     max.message.bytes} must be at least as large)
     */
    public RecordSizeGuard(String topic, int maxRequestBytes) {
        this.topic = topic;
        this.maxValueBytes = Math.max(1, maxRequestBytes - HEADROOM_BYTES);
    }

    /** Registers the counter on the sink's metric group. */
    public void open(SerializationSchema.InitializationContext context) {
        dropped = context.getMetricGroup().counter(METRIC);
    }

    /** Whether a value of this size may be sent; logs and counts the ones that may not. */
    public boolean fits(String key, byte[] value) {
        if (value == null || value.length <= maxValueBytes) {
            return true;
        }
        if (dropped == null) {
            dropped = new SimpleCounter(); // a serializer used without open (tests)
        }
        dropped.inc();
        LOG.error(
                "record for {} on {} is {} bytes, over the {} bytes a message may have: not sent"
                        + " ({} so far)",
                key,
                topic,
                value.length,
                maxValueBytes,
                dropped.getCount());
        return false;
    }

    public long dropped() {
        return dropped == null ? 0 : dropped.getCount();
    }

    public int maxValueBytes() {
        return maxValueBytes;
    }
}
