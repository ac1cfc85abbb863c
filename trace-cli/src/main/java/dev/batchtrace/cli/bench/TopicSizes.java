package dev.batchtrace.cli.bench;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.common.Node;

/** Bytes on the brokers' disks per topic (all partitions, all log dirs), via describeLogDirs. */
public final class TopicSizes {
    private TopicSizes() {}

    public static Map<String, Long> of(String bootstrapServers, Collection<String> topics)
            throws Exception {
        try (Admin admin =
                Admin.create(
                        Map.of(
                                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                                bootstrapServers,
                                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                                30_000))) {
            List<Integer> brokers =
                    admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).stream()
                            .map(Node::id)
                            .toList();
            Map<String, Long> sizes = new HashMap<>();
            topics.forEach(topic -> sizes.put(topic, 0L));
            for (Map<String, LogDirDescription> dirs :
                    admin.describeLogDirs(brokers)
                            .allDescriptions()
                            .get(30, TimeUnit.SECONDS)
                            .values()) {
                for (LogDirDescription dir : dirs.values()) {
                    dir.replicaInfos()
                            .forEach(
                                    (partition, replica) -> {
                                        if (sizes.containsKey(partition.topic())) {
                                            sizes.merge(
                                                    partition.topic(), replica.size(), Long::sum);
                                        }
                                    });
                }
            }
            return sizes;
        }
    }
}
