package dev.batchtrace.deploy.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.batchtrace.jobs.lineage.AlertNotifier;
import dev.batchtrace.jobs.lineage.LineageJobConfig;
import dev.batchtrace.jobs.machine.MachineJobConfig;
import dev.batchtrace.schemas.EventTopics;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.user.KafkaUser;
import io.strimzi.api.kafka.model.user.KafkaUserAuthorizationSimple;
import io.strimzi.api.kafka.model.user.KafkaUserScramSha512ClientAuthentication;
import io.strimzi.api.kafka.model.user.acl.AclOperation;
import io.strimzi.api.kafka.model.user.acl.AclResourcePatternType;
import io.strimzi.api.kafka.model.user.acl.AclRule;
import io.strimzi.api.kafka.model.user.acl.AclRuleGroupResource;
import io.strimzi.api.kafka.model.user.acl.AclRuleTopicResource;
import io.strimzi.api.kafka.model.user.acl.AclRuleTransactionalIdResource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every topic the code uses has a KafkaTopic (replication, min ISR, compaction where the code needs
 * it, message size), and each job's KafkaUser grants what the job does and no more.
 */
class KafkaTopicsAndUsersTest {

    static Stream<Kustomize.Rendered> variants() {
        return FlinkDeploymentsTest.variants();
    }

    /** What the deployed lineage job reads and writes, from its own config parser. */
    record Usage(
            Set<String> reads, Set<String> writes, String groupPrefix, Set<String> txPrefixes) {}

    static Usage lineage(Kustomize.Rendered rendered) {
        Map<String, String> settings = JobManifest.of(rendered, "batchtrace-lineage").settings();
        LineageJobConfig config = LineageJobConfig.fromMap(settings);
        LineageJobConfig.Topics t = config.topics();
        Set<String> reads =
                new TreeSet<>(
                        List.of(
                                t.goodsReceipts(),
                                t.workOrders(),
                                t.dispatchNotes(),
                                t.lotFlags(),
                                t.qcResults(),
                                t.machineSummaries(),
                                t.feedback(),
                                t.documents()));
        Set<String> writes =
                new TreeSet<>(List.of(t.feedback(), t.documents(), t.alerts(), t.deadLetters()));
        if (AlertNotifier.webhooks(settings).isPresent()) {
            String ledger =
                    settings.getOrDefault(
                            AlertNotifier.LEDGER_TOPIC_KEY, AlertNotifier.DEFAULT_LEDGER_TOPIC);
            reads.add(t.alerts());
            reads.add(ledger);
            writes.add(ledger);
        }
        return new Usage(
                reads,
                writes,
                config.kafka().groupIdPrefix(),
                // the two exactly-once sinks, and the alerts sink (<group.id.prefix>.<topic>)
                new TreeSet<>(
                        List.of(config.transactionalIdPrefix(), config.kafka().groupIdPrefix())));
    }

    static Usage machine(Kustomize.Rendered rendered) {
        MachineJobConfig config =
                MachineJobConfig.fromMap(JobManifest.of(rendered, "batchtrace-machine").settings());
        MachineJobConfig.Topics t = config.topics();
        return new Usage(
                Set.of(t.machineEvents(), t.workOrders()),
                Set.of(t.machineSummaries(), t.deadLetters()),
                config.kafka().groupIdPrefix(),
                Set.of(config.summariesTransactionalIdPrefix()));
    }

    static Map<String, KafkaTopic> topics(Kustomize.Rendered rendered) {
        Map<String, KafkaTopic> topics = new HashMap<>();
        for (ObjectNode node : rendered.ofKind("KafkaTopic")) {
            KafkaTopic topic = Models.parse(node, KafkaTopic.class);
            String name =
                    topic.getSpec().getTopicName() == null
                            ? topic.getMetadata().getName()
                            : topic.getSpec().getTopicName();
            assertTrue(topics.put(name, topic) == null, "two KafkaTopics for " + name);
        }
        return topics;
    }

    @ParameterizedTest
    @MethodSource("variants")
    void everyTopicTheCodeUsesHasAKafkaTopic(Kustomize.Rendered rendered) {
        Map<String, KafkaTopic> topics = topics(rendered);
        Set<String> used = new TreeSet<>(EventTopics.allTopicNames());
        Usage lineage = lineage(rendered);
        Usage machine = machine(rendered);
        used.addAll(lineage.reads());
        used.addAll(lineage.writes());
        used.addAll(machine.reads());
        used.addAll(machine.writes());
        assertEquals(List.of(), missing(used, topics.keySet()));
        for (var entry : topics.entrySet()) {
            var spec = entry.getValue().getSpec();
            assertEquals(3, spec.getReplicas(), entry.getKey());
            assertEquals(
                    2,
                    Integer.parseInt(
                            String.valueOf(
                                    spec.getConfig().get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG))),
                    entry.getKey());
        }
    }

    @ParameterizedTest
    @MethodSource("variants")
    void compactionWhereTheCodeNeedsItAndNowhereItWouldLoseMessages(Kustomize.Rendered rendered) {
        Map<String, KafkaTopic> topics = topics(rendered);
        Map<String, String> settings = JobManifest.of(rendered, "batchtrace-lineage").settings();
        LineageJobConfig.Topics t = LineageJobConfig.fromMap(settings).topics();
        // KafkaDeliveryLedger reads the ledger whole at start: only compaction keeps it bounded
        String ledger =
                settings.getOrDefault(
                        AlertNotifier.LEDGER_TOPIC_KEY, AlertNotifier.DEFAULT_LEDGER_TOPIC);
        assertTrue(compacted(topics.get(ledger)), ledger);
        // closures from different senders share their target's key: compaction would drop some
        assertFalse(compacted(topics.get(t.feedback())), t.feedback());
        // the inputs are the history a reprocessing reads again: compaction would drop events
        for (String input : EventTopics.inputTopicNames()) {
            assertFalse(compacted(topics.get(input)), input);
        }
    }

    @ParameterizedTest
    @MethodSource("variants")
    void topicsAcceptTheLargestRecordsTheJobsProduce(Kustomize.Rendered rendered) {
        Map<String, KafkaTopic> topics = topics(rendered);
        for (String job : List.of("batchtrace-lineage", "batchtrace-machine")) {
            Map<String, String> settings = JobManifest.of(rendered, job).settings();
            Usage usage = job.equals("batchtrace-lineage") ? lineage(rendered) : machine(rendered);
            int maxRequest = maxRequestSize(settings);
            for (String topic : usage.writes()) {
                Object max =
                        topics.get(topic)
                                .getSpec()
                                .getConfig()
                                .get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
                assertTrue(
                        max != null && Integer.parseInt(max.toString()) >= maxRequest,
                        topic
                                + ": max.message.bytes "
                                + max
                                + " < producer max.request.size "
                                + maxRequest);
            }
        }
    }

    @Test
    void aLargerProducerLimitWouldNotFit() {
        Map<String, String> settings = new HashMap<>();
        settings.put("kafka.client.max.request.size", "4194304");
        assertEquals(4194304, maxRequestSize(settings));
        assertEquals(1048576, maxRequestSize(Map.of()));
    }

    @ParameterizedTest
    @MethodSource("variants")
    void eachJobsUserGrantsWhatTheJobDoes(Kustomize.Rendered rendered) {
        Map<String, KafkaUser> users = users(rendered);
        for (var job :
                Map.of(
                                "batchtrace-lineage",
                                lineage(rendered),
                                "batchtrace-machine",
                                machine(rendered))
                        .entrySet()) {
            JobManifest manifest = JobManifest.of(rendered, job.getKey());
            // the Secret the job mounts is the one the User Operator writes for this user
            assertEquals(job.getKey(), manifest.secretKeys().get("sasl.jaas.config"));
            KafkaUser user = users.get(job.getKey());
            assertTrue(
                    user.getSpec().getAuthentication()
                            instanceof KafkaUserScramSha512ClientAuthentication);
            List<String> missing = missingGrants(user, job.getValue());
            assertEquals(List.of(), missing, job.getKey());
        }
    }

    @ParameterizedTest
    @MethodSource("variants")
    void noUserHasWildcardsOrAllOperations(Kustomize.Rendered rendered) {
        for (KafkaUser user : users(rendered).values()) {
            for (AclRule rule : acls(user)) {
                assertFalse(
                        rule.getOperations().contains(AclOperation.ALL),
                        user.getMetadata().getName());
                String name = resourceName(rule);
                assertFalse(
                        name == null || name.equals("*") || name.isEmpty(),
                        user.getMetadata().getName());
                assertFalse(
                        rule.getResource().getType().equals("cluster"),
                        user.getMetadata().getName() + " has a cluster ACL");
            }
        }
        assertTrue(
                users(rendered)
                        .keySet()
                        .containsAll(
                                List.of(
                                        "gateway-mes",
                                        "gateway-plc",
                                        "gateway-quality",
                                        "batchtrace-cli")));
    }

    @ParameterizedTest
    @MethodSource("variants")
    void everyInputTopicHasOneGatewayThatPublishesItAndGatewaysWriteNothingElse(
            Kustomize.Rendered rendered) {
        Map<String, KafkaUser> users = users(rendered);
        assertEquals(List.of(), publisherProblems(users));
    }

    @Test
    void anInputWithoutPublisherOrAGatewayWritingOutputsIsFound() {
        Map<String, KafkaUser> users = new HashMap<>(users(Kustomize.base()));
        // the quality system's user dropped, the MES gateway's user given the PLC one's grants
        users.remove("gateway-quality");
        KafkaUser plc = users.get("gateway-plc");
        users.put("gateway-mes", plc);
        KafkaUser lineage = users.get("batchtrace-lineage");
        users.put("gateway-plc", lineage);
        List<String> problems = publisherProblems(users);
        assertTrue(problems.contains("quality.lot-flags: published by []"), problems.toString());
        assertTrue(
                problems.contains("gateway-plc may write trace.documents, not an input topic"),
                problems.toString());
    }

    /**
     * Each input topic of the contract is written by exactly one gateway user; no gateway may write
     * a topic that is not an input (the jobs' outputs, their feedback and documents).
     */
    static List<String> publisherProblems(Map<String, KafkaUser> users) {
        List<String> problems = new ArrayList<>();
        List<String> gateways =
                users.keySet().stream().filter(n -> n.startsWith("gateway-")).sorted().toList();
        for (String input : EventTopics.inputTopicNames()) {
            Usage publishing = new Usage(Set.of(), Set.of(input), "none", Set.of());
            List<String> publishers =
                    gateways.stream()
                            .filter(g -> missingGrants(users.get(g), publishing).isEmpty())
                            .toList();
            if (publishers.size() != 1) {
                problems.add(input + ": published by " + publishers);
            }
        }
        for (String gateway : gateways) {
            for (AclRule rule : acls(users.get(gateway))) {
                if (rule.getResource() instanceof AclRuleTopicResource topic
                        && rule.getOperations().contains(AclOperation.WRITE)
                        && !(topic.getPatternType() != AclResourcePatternType.PREFIX
                                && EventTopics.inputTopicNames().contains(topic.getName()))) {
                    problems.add(
                            gateway + " may write " + topic.getName() + ", not an input topic");
                }
            }
        }
        return problems;
    }

    @Test
    void aMissingGrantIsFound() {
        Kustomize.Rendered rendered = Kustomize.base();
        KafkaUser machineUser = users(rendered).get("batchtrace-machine");
        Usage lineage = lineage(rendered);
        List<String> missing = missingGrants(machineUser, lineage);
        assertTrue(
                missing.stream().anyMatch(m -> m.contains("trace.documents")), missing.toString());
        assertTrue(
                missing.stream().anyMatch(m -> m.contains("transactionalId")), missing.toString());
    }

    static List<String> missingGrants(KafkaUser user, Usage usage) {
        List<String> missing = new ArrayList<>();
        List<AclRule> rules = acls(user);
        for (String topic : usage.reads()) {
            requireGrant(rules, "topic", topic, AclOperation.READ, missing);
            requireGrant(rules, "topic", topic, AclOperation.DESCRIBE, missing);
        }
        for (String topic : usage.writes()) {
            requireGrant(rules, "topic", topic, AclOperation.WRITE, missing);
            requireGrant(rules, "topic", topic, AclOperation.DESCRIBE, missing);
        }
        // source groups are <group.id.prefix>.<topic>
        for (String topic : usage.reads()) {
            requireGrant(
                    rules, "group", usage.groupPrefix() + "." + topic, AclOperation.READ, missing);
        }
        for (String prefix : usage.txPrefixes()) {
            String transactionalId = prefix + ".x-0-1";
            requireGrant(rules, "transactionalId", transactionalId, AclOperation.WRITE, missing);
            requireGrant(rules, "transactionalId", transactionalId, AclOperation.DESCRIBE, missing);
        }
        return missing;
    }

    private static void requireGrant(
            List<AclRule> rules,
            String type,
            String name,
            AclOperation operation,
            List<String> missing) {
        boolean granted =
                rules.stream()
                        .anyMatch(
                                rule ->
                                        rule.getResource().getType().equals(type)
                                                && rule.getOperations().contains(operation)
                                                && matches(rule, name));
        if (!granted) {
            missing.add(operation + " on " + type + " " + name);
        }
    }

    private static boolean matches(AclRule rule, String name) {
        String resource = resourceName(rule);
        return patternType(rule) == AclResourcePatternType.PREFIX
                ? name.startsWith(resource)
                : name.equals(resource);
    }

    private static String resourceName(AclRule rule) {
        if (rule.getResource() instanceof AclRuleTopicResource topic) {
            return topic.getName();
        }
        if (rule.getResource() instanceof AclRuleGroupResource group) {
            return group.getName();
        }
        if (rule.getResource() instanceof AclRuleTransactionalIdResource tx) {
            return tx.getName();
        }
        return null;
    }

    private static AclResourcePatternType patternType(AclRule rule) {
        if (rule.getResource() instanceof AclRuleTopicResource topic) {
            return topic.getPatternType();
        }
        if (rule.getResource() instanceof AclRuleGroupResource group) {
            return group.getPatternType();
        }
        if (rule.getResource() instanceof AclRuleTransactionalIdResource tx) {
            return tx.getPatternType();
        }
        return AclResourcePatternType.LITERAL;
    }

    static Map<String, KafkaUser> users(Kustomize.Rendered rendered) {
        Map<String, KafkaUser> users = new HashMap<>();
        for (ObjectNode node : rendered.ofKind("KafkaUser")) {
            KafkaUser user = Models.parse(node, KafkaUser.class);
            users.put(user.getMetadata().getName(), user);
        }
        return users;
    }

    private static List<AclRule> acls(KafkaUser user) {
        return ((KafkaUserAuthorizationSimple) user.getSpec().getAuthorization()).getAcls();
    }

    private static boolean compacted(KafkaTopic topic) {
        Object policy = topic.getSpec().getConfig().get(TopicConfig.CLEANUP_POLICY_CONFIG);
        return policy != null && policy.toString().contains(TopicConfig.CLEANUP_POLICY_COMPACT);
    }

    /**
     * The producer's max.request.size as the jobs' clients resolve it (kafka.client.* or default).
     */
    static int maxRequestSize(Map<String, String> settings) {
        Properties producer = new Properties();
        producer.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:9092");
        producer.put(
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                "org.apache.kafka.common.serialization.ByteArraySerializer");
        producer.put(
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                "org.apache.kafka.common.serialization.ByteArraySerializer");
        String configured = settings.get("kafka.client." + ProducerConfig.MAX_REQUEST_SIZE_CONFIG);
        if (configured != null) {
            producer.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, configured);
        }
        return new ProducerConfig(producer).getInt(ProducerConfig.MAX_REQUEST_SIZE_CONFIG);
    }

    private static List<String> missing(Set<String> wanted, Set<String> present) {
        return wanted.stream().filter(w -> !present.contains(w)).toList();
    }
}
