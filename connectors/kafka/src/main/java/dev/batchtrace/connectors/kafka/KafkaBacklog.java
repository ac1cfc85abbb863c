package dev.batchtrace.connectors.kafka;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * What a consumer group still has to read of a topic: the backlog that was there when it was first
 * asked, and whether the group's committed offsets have passed it. A source input may only count as
 * idle once its backlog is read: an input that is merely slow to start (a cold JVM, a slow
 * partition lookup) would otherwise let the other inputs run event time past everything it has not
 * read yet (issue 13: the fresh-machine demo lost every machine run this way).
 *
 * <p>The backlog's end per partition is the offset after the last record a reader with the source's
 * isolation level emits, so transaction markers at the end of a partition (which no reader commits
 * past) do not keep it open for ever. Committed offsets count only after a checkpoint completed,
 * i.e. after every record before them went through the whole job.
 *
 * <p>Flink-free and blocking: callers run it off the task thread.
 */
public final class KafkaBacklog implements AutoCloseable {

    /** How far back from a partition's end the last readable record is looked for. */
    private static final int TAIL = 1024;

    private final Properties clientProperties;
    private final String topic;
    private final String groupId;
    private final Duration timeout;
    private Map<TopicPartition, Long> ends;
    private final LazyAdmin admin;

    /**
     * @param clientProperties connection properties, {@code bootstrap.servers} included
     * @param topic the topic the source reads
     * @param groupId the source's consumer group (it commits offsets on completed checkpoints)
     */
    public KafkaBacklog(
            Properties clientProperties, String topic, String groupId, Duration timeout) {
        this.clientProperties = clientProperties;
        this.topic = topic;
        this.groupId = groupId;
        this.timeout = timeout;
        this.admin = new LazyAdmin(clientProperties);
    }

    /** The backlog, fixed at the first call: per partition, the end a reader must get past. */
    public synchronized Map<TopicPartition, Long> backlog() throws Exception {
        if (ends == null) {
            ends = readableEnds();
        }
        return ends;
    }

    /** Partitions whose backlog the group has not committed past yet, with what it committed. */
    public Map<TopicPartition, Long> unread() throws Exception {
        Map<TopicPartition, Long> backlog = backlog();
        Map<TopicPartition, Long> unread = new HashMap<>();
        if (backlog.isEmpty()) {
            return unread;
        }
        Map<TopicPartition, OffsetAndMetadata> committed =
                admin().listConsumerGroupOffsets(groupId)
                        .partitionsToOffsetAndMetadata()
                        .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        backlog.forEach(
                (partition, end) -> {
                    OffsetAndMetadata at = committed.get(partition);
                    long offset = at == null ? -1 : at.offset();
                    if (offset < end) {
                        unread.put(partition, offset);
                    }
                });
        return unread;
    }

    /**
     * Records the group has not committed past now: per partition, the last stable offset (what a
     * read_committed reader may read up to) minus the committed offset, or minus the log start
     * where the group has committed nothing. Unlike {@link #backlog()} it is asked anew on every
     * call; transaction markers count as records (one per transaction and partition). A topic that
     * does not exist has none.
     */
    public long pendingRecords() throws Exception {
        Admin admin = admin();
        java.util.List<TopicPartition> partitions = partitions(admin);
        if (partitions.isEmpty()) {
            return 0;
        }
        Map<TopicPartition, OffsetAndMetadata> committed =
                admin.listConsumerGroupOffsets(groupId)
                        .partitionsToOffsetAndMetadata()
                        .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        Map<TopicPartition, OffsetSpec> last = new HashMap<>();
        Map<TopicPartition, OffsetSpec> first = new HashMap<>();
        for (TopicPartition tp : partitions) {
            last.put(tp, OffsetSpec.latest());
            if (committed.get(tp) == null) {
                first.put(tp, OffsetSpec.earliest());
            }
        }
        ListOffsetsOptions stable = new ListOffsetsOptions(IsolationLevel.READ_COMMITTED);
        Map<TopicPartition, Long> ends = offsets(admin.listOffsets(last, stable));
        Map<TopicPartition, Long> starts =
                first.isEmpty() ? Map.of() : offsets(admin.listOffsets(first, stable));
        long pending = 0;
        for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
            OffsetAndMetadata at = committed.get(end.getKey());
            long from = at != null ? at.offset() : starts.getOrDefault(end.getKey(), 0L);
            pending += Math.max(0, end.getValue() - from);
        }
        return pending;
    }

    private Map<TopicPartition, Long> readableEnds() throws Exception {
        Map<TopicPartition, Long> ends = new HashMap<>();
        Map<TopicPartition, Long> earliest;
        Map<TopicPartition, Long> latest;
        Admin admin = admin();
        Map<TopicPartition, OffsetSpec> first = new HashMap<>();
        Map<TopicPartition, OffsetSpec> last = new HashMap<>();
        for (TopicPartition tp : partitions(admin)) {
            first.put(tp, OffsetSpec.earliest());
            last.put(tp, OffsetSpec.latest());
        }
        if (last.isEmpty()) {
            return ends;
        }
        earliest = offsets(admin.listOffsets(first));
        latest = offsets(admin.listOffsets(last));
        Properties props = new Properties();
        props.putAll(clientProperties);
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        props.setProperty(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(
                        props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            for (Map.Entry<TopicPartition, Long> partition : latest.entrySet()) {
                long begin = earliest.getOrDefault(partition.getKey(), 0L);
                if (partition.getValue() > begin) {
                    ends.put(
                            partition.getKey(),
                            lastReadable(
                                    consumer, partition.getKey(), begin, partition.getValue()));
                }
            }
        }
        ends.values().removeIf(end -> end < 0);
        return ends;
    }

    /** The topic's partitions; none while the topic does not exist. */
    private java.util.List<TopicPartition> partitions(Admin admin) throws Exception {
        Map<String, TopicDescription> topics =
                admin.describeTopics(java.util.List.of(topic))
                        .allTopicNames()
                        .toCompletionStage()
                        .toCompletableFuture()
                        .exceptionally(e -> Map.of()) // no topic yet: nothing to read
                        .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (!topics.containsKey(topic)) {
            return java.util.List.of();
        }
        return topics.get(topic).partitions().stream()
                .map(p -> new TopicPartition(topic, p.partition()))
                .toList();
    }

    private Map<TopicPartition, Long> offsets(ListOffsetsResult result) throws Exception {
        Map<TopicPartition, Long> out = new HashMap<>();
        result.all()
                .get(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .forEach((tp, info) -> out.put(tp, info.offset()));
        return out;
    }

    /**
     * The offset after the last record of {@code [begin, end)} that a reader sees, or -1 when it
     * sees none there (only aborted data and markers).
     */
    private long lastReadable(
            KafkaConsumer<byte[], byte[]> consumer,
            TopicPartition partition,
            long begin,
            long end) {
        consumer.assign(java.util.List.of(partition));
        long from = Math.max(begin, end - TAIL);
        long last = -1;
        while (true) {
            consumer.seek(partition, from);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (consumer.position(partition) < end && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    if (r.offset() < end) {
                        last = Math.max(last, r.offset() + 1);
                    }
                }
            }
            if (consumer.position(partition) < end) {
                // could not read to the end in time: the end itself is the safe target
                return end;
            }
            if (last >= 0 || from == begin) {
                return last;
            }
            long windowEnd = from;
            from = Math.max(begin, from - TAIL * 16L); // only markers in the tail: look further
            end = windowEnd;
        }
    }

    private Admin admin() {
        return admin.get();
    }

    /**
     * Closes the admin client (a later question opens a new one), waiting at most 5 s for calls in
     * flight: a task that closes it must not hang on a broker that does not answer.
     */
    @Override
    public void close() {
        admin.close();
    }

    @Override
    public String toString() {
        return "backlog of " + topic + " for group " + groupId;
    }
}
