package dev.batchtrace.cli;

import dev.batchtrace.connectors.kafka.KafkaSettings;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/** Creates the pipeline's topics that do not exist yet; safe to call again. */
final class TopicSetup {
    private TopicSetup() {}

    /** Returns how many topics were created. */
    static int ensureTopics(String bootstrapServers, Collection<String> topics, int partitions)
            throws Exception {
        return ensureTopics(KafkaSettings.of(bootstrapServers), topics, partitions);
    }

    /** Same, connecting with the settings' client properties (TLS, SASL). */
    static int ensureTopics(KafkaSettings kafka, Collection<String> topics, int partitions)
            throws Exception {
        Properties properties = kafka.clientProperties(true);
        properties.putIfAbsent(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        try (Admin admin = Admin.create(properties)) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = new ArrayList<>();
            for (String topic : topics) {
                if (!existing.contains(topic)) {
                    missing.add(new NewTopic(topic, partitions, (short) 1));
                }
            }
            int created = 0;
            for (var result : admin.createTopics(missing).values().entrySet()) {
                try {
                    result.getValue().get(30, TimeUnit.SECONDS);
                    created++;
                } catch (ExecutionException e) {
                    // another client created it between list and create: fine
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException(
                                "cannot create topic " + result.getKey(), e.getCause());
                    }
                }
            }
            return created;
        }
    }
}
