package dev.batchtrace.cli.bench;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Kafka lag of the jobs' sources: per source (a consumer group reading one topic, as {@code
 * EventSources} names them), the partitions' end offsets minus the group's committed offsets. The
 * sources commit on completed checkpoints, so a lag includes up to a checkpoint's worth of records
 * already read; on transactional topics (feedback, documents, summaries) the end counts the
 * transaction markers and the open transaction too.
 */
public final class ConsumerLag implements AutoCloseable {

    /** A source: its name in the samples, its consumer group and topic. */
    public record Source(String name, String group, String topic) {}

    private final Admin admin;
    private final List<Source> sources;

    public ConsumerLag(String bootstrapServers, List<Source> sources) {
        this.admin =
                Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
        this.sources = List.copyOf(sources);
    }

    public List<Source> sources() {
        return sources;
    }

    /** Lag per source name, in the sources' order. */
    public Map<String, Long> lag() throws Exception {
        Map<String, ListConsumerGroupOffsetsSpec> specs = new HashMap<>();
        Map<String, TopicDescription> topics =
                admin.describeTopics(sources.stream().map(Source::topic).distinct().toList())
                        .allTopicNames()
                        .get(30, TimeUnit.SECONDS);
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        topics.values()
                .forEach(
                        t ->
                                t.partitions()
                                        .forEach(
                                                p ->
                                                        latest.put(
                                                                new TopicPartition(
                                                                        t.name(), p.partition()),
                                                                OffsetSpec.latest())));
        for (Source source : sources) {
            specs.put(source.group(), new ListConsumerGroupOffsetsSpec());
        }
        Map<TopicPartition, Long> ends = new HashMap<>();
        admin.listOffsets(latest)
                .all()
                .get(30, TimeUnit.SECONDS)
                .forEach((tp, info) -> ends.put(tp, info.offset()));
        Map<String, Map<TopicPartition, OffsetAndMetadata>> committed =
                admin.listConsumerGroupOffsets(specs).all().get(30, TimeUnit.SECONDS);
        Map<String, Long> lag = new LinkedHashMap<>();
        for (Source source : sources) {
            lag.put(
                    source.name(),
                    lagOf(source.topic(), ends, committed.getOrDefault(source.group(), Map.of())));
        }
        return lag;
    }

    /**
     * Records of {@code topic} past the committed offsets: per partition its end minus the
     * committed offset (the whole partition when nothing is committed yet).
     */
    static long lagOf(
            String topic,
            Map<TopicPartition, Long> ends,
            Map<TopicPartition, OffsetAndMetadata> committed) {
        long lag = 0;
        for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
            if (!end.getKey().topic().equals(topic)) {
                continue;
            }
            OffsetAndMetadata at = committed.get(end.getKey());
            long offset = at == null ? 0 : at.offset();
            lag += Math.max(0, end.getValue() - offset);
        }
        return lag;
    }

    /** Committed offsets summed over the given sources' partitions (events consumed). */
    public long committed(List<Source> of) throws Exception {
        Map<String, ListConsumerGroupOffsetsSpec> specs = new HashMap<>();
        of.forEach(s -> specs.put(s.group(), new ListConsumerGroupOffsetsSpec()));
        Map<String, Map<TopicPartition, OffsetAndMetadata>> committed =
                admin.listConsumerGroupOffsets(specs).all().get(30, TimeUnit.SECONDS);
        long sum = 0;
        for (Source source : of) {
            for (Map.Entry<TopicPartition, OffsetAndMetadata> e :
                    committed.getOrDefault(source.group(), Map.of()).entrySet()) {
                if (e.getKey().topic().equals(source.topic()) && e.getValue() != null) {
                    sum += e.getValue().offset();
                }
            }
        }
        return sum;
    }

    @Override
    public void close() {
        admin.close();
    }
}
