package dev.batchtrace.connectors.kafka;

import java.io.Serializable;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.apache.flink.api.common.eventtime.BoundedOutOfOrdernessWatermarks;
import org.apache.flink.api.common.eventtime.TimestampAssigner;
import org.apache.flink.api.common.eventtime.TimestampAssignerSupplier;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkGeneratorSupplier;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.util.clock.RelativeClock;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Event time of a decoded Kafka source with bounded out-of-orderness and idleness that waits for
 * the backlog: a split that has been quiet for the idle timeout counts as idle only once the
 * source's consumer group has committed past everything the topic held when the source started
 * ({@link KafkaBacklog}). Flink's {@code withIdleness} alone goes by processing time, so an input
 * that is slow to deliver its first records counts as idle and the other inputs of a join run event
 * time past it; with a backlog in the topics (a first run, a restart) that turned every machine run
 * of the sample day into idle time (issue 13). Dead letters have no event time.
 */
public final class BacklogAwareWatermarks<T> implements WatermarkStrategy<Decoded<T>> {

    private static final long serialVersionUID = 1L;

    /** The event time of a decoded value (serializable: it travels with the job graph). */
    @FunctionalInterface
    public interface EventTime<T> extends Serializable {
        long millis(T value);
    }

    /** Makes the check "is the backlog read?" in the task (serializable: part of the graph). */
    @FunctionalInterface
    public interface BacklogCheckFactory extends Serializable {
        BooleanSupplier create();
    }

    private final Duration outOfOrderness;
    private final Duration idleTimeout;
    private final EventTime<T> eventTime;
    private final BacklogCheckFactory backlog;
    private transient BooleanSupplier backlogRead;

    public BacklogAwareWatermarks(
            Duration outOfOrderness,
            Duration idleTimeout,
            EventTime<T> eventTime,
            BacklogCheckFactory backlog) {
        this.outOfOrderness = Objects.requireNonNull(outOfOrderness, "outOfOrderness");
        this.idleTimeout = Objects.requireNonNull(idleTimeout, "idleTimeout");
        this.eventTime = Objects.requireNonNull(eventTime, "eventTime");
        this.backlog = Objects.requireNonNull(backlog, "backlog");
    }

    /**
     * For a source built by {@link EventSources} (group {@code kafka.groupId(topic)}, offsets
     * committed on checkpoints).
     */
    public static <T> BacklogAwareWatermarks<T> forTopic(
            KafkaSettings kafka,
            String topic,
            Duration outOfOrderness,
            Duration idleTimeout,
            EventTime<T> eventTime) {
        java.util.Properties client = kafka.clientProperties(true);
        String groupId = kafka.groupId(topic);
        return new BacklogAwareWatermarks<>(
                outOfOrderness,
                idleTimeout,
                eventTime,
                () ->
                        new PolledBacklog(
                                new KafkaBacklog(client, topic, groupId, Duration.ofSeconds(30))));
    }

    @Override
    public TimestampAssigner<Decoded<T>> createTimestampAssigner(
            TimestampAssignerSupplier.Context context) {
        return (decoded, kafkaTimestamp) ->
                decoded.isDeadLetter() ? Long.MIN_VALUE : eventTime.millis(decoded.value());
    }

    @Override
    public WatermarkGenerator<Decoded<T>> createWatermarkGenerator(
            WatermarkGeneratorSupplier.Context context) {
        synchronized (this) {
            // one check per task: every split of this subtask asks the same question
            if (backlogRead == null) {
                backlogRead = backlog.create();
            }
        }
        return new Generator<>(
                new BoundedOutOfOrdernessWatermarks<>(outOfOrderness),
                idleTimeout,
                context.getInputActivityClock(),
                backlogRead);
    }

    /**
     * Like Flink's {@code WatermarksWithIdleness}, but idle only once the backlog is read; until
     * then a quiet split keeps emitting its (possibly initial) watermark and holds event time.
     */
    static final class Generator<E> implements WatermarkGenerator<E> {
        private final WatermarkGenerator<E> watermarks;
        private final long timeoutMillis;
        private final RelativeClock clock;
        private final BooleanSupplier backlogRead;
        private long lastActivity;
        private boolean idle;

        Generator(
                WatermarkGenerator<E> watermarks,
                Duration timeout,
                RelativeClock clock,
                BooleanSupplier backlogRead) {
            this.watermarks = watermarks;
            this.timeoutMillis = timeout.toMillis();
            this.clock = clock;
            this.backlogRead = backlogRead;
            this.lastActivity = clock.relativeTimeMillis();
        }

        @Override
        public void onEvent(E event, long eventTimestamp, WatermarkOutput output) {
            watermarks.onEvent(event, eventTimestamp, output);
            lastActivity = clock.relativeTimeMillis();
            idle = false;
        }

        @Override
        public void onPeriodicEmit(WatermarkOutput output) {
            boolean quiet = clock.relativeTimeMillis() - lastActivity >= timeoutMillis;
            if (quiet && (idle || backlogRead.getAsBoolean())) {
                if (!idle) {
                    output.markIdle();
                    idle = true;
                }
            } else {
                watermarks.onPeriodicEmit(output);
            }
        }
    }

    /**
     * Asks {@link KafkaBacklog} off the task thread, at most once a second, until the group has
     * read it; then answers true for good. A backlog that stays unread is logged every 30 s with
     * its partitions, since it holds the job's event time.
     */
    static final class PolledBacklog implements BooleanSupplier {
        private static final Logger LOG = LoggerFactory.getLogger(PolledBacklog.class);
        private static final long POLL_MILLIS = 1000;
        private static final long WARN_MILLIS = 30_000;

        private final KafkaBacklog backlog;
        private final AtomicBoolean read = new AtomicBoolean();
        private final AtomicBoolean asking = new AtomicBoolean();
        private volatile long lastAsked;
        private volatile long lastWarned = System.currentTimeMillis();

        PolledBacklog(KafkaBacklog backlog) {
            this.backlog = backlog;
        }

        @Override
        public boolean getAsBoolean() {
            if (read.get()) {
                return true;
            }
            long now = System.currentTimeMillis();
            if (now - lastAsked >= POLL_MILLIS && asking.compareAndSet(false, true)) {
                lastAsked = now;
                Thread thread = new Thread(this::ask, "batchtrace-" + backlog);
                thread.setDaemon(true);
                thread.start();
            }
            return false;
        }

        private void ask() {
            try {
                Map<TopicPartition, Long> unread = backlog.unread();
                if (unread.isEmpty()) {
                    read.set(true);
                    backlog.close(); // never asked again
                    LOG.info("{} is read: idle partitions may now release event time", backlog);
                } else if (System.currentTimeMillis() - lastWarned >= WARN_MILLIS) {
                    lastWarned = System.currentTimeMillis();
                    LOG.warn(
                            "{} not read yet (partition=committed offset): {} of {}; quiet"
                                    + " partitions hold event time until it is",
                            backlog,
                            unread,
                            backlog.backlog());
                }
            } catch (Exception e) {
                if (System.currentTimeMillis() - lastWarned >= WARN_MILLIS) {
                    lastWarned = System.currentTimeMillis();
                    LOG.warn("cannot tell whether the {} is read: {}", backlog, e.toString());
                }
            } finally {
                asking.set(false);
            }
        }
    }
}
