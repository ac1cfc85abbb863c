package dev.batchtrace.connectors.kafka;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeProducersResult.PartitionProducerState;
import org.apache.kafka.clients.admin.DescribeTransactionsResult;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListTransactionsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TransactionalIdNotFoundException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Finds hanging transactions on a set of topics: records a partition holds in an open transaction
 * that its transaction coordinator no longer counts that partition in, so no commit or abort marker
 * will ever be written there. A {@code read_committed} reader stops at the first such record for
 * good (the partition's last stable offset does not move again), without any error.
 *
 * <p>The same test as Kafka's {@code kafka-transactions.sh find-hanging}: a partition's open
 * transaction (DescribeProducers) whose producer's transaction (ListTransactions,
 * DescribeTransactions) does not list the partition. Where that tool waits out the longest
 * transaction timeout to rule out a race with a commit, this asks the partition again after the
 * coordinator answered: the coordinator drops a partition from its answer only after that
 * partition's marker is written, so a transaction still open at the same offset afterwards is
 * hanging. Seen once under a broker restart (Kafka 4.3.1, transaction version 2; README, "Faults").
 *
 * <p>Flink-free and blocking: callers run it off the task thread.
 */
public final class HangingTransactions implements AutoCloseable {

    /**
     * One hanging transaction.
     *
     * @param partition where its records are
     * @param producerId the producer that wrote them
     * @param producerEpoch that producer's epoch on the partition
     * @param coordinatorEpoch the coordinator epoch the partition knows (-1: none)
     * @param startOffset its first record: a read_committed reader stops here
     * @param lastAppend the time of its last record (the batch's timestamp)
     * @param transactionalId the producer's transactional id, null when the coordinator has none
     *     (or this client may not see it)
     * @param coordinatorView what the coordinator says of that id (state and partitions)
     * @param confirmed whether the coordinator described the producer's transaction and it does not
     *     list the partition; false when it showed nothing for the producer, which a client without
     *     Describe rights on the transactional id also sees: then only a transaction open longer
     *     than any transaction timeout is surely hanging
     */
    public record Hanging(
            TopicPartition partition,
            long producerId,
            int producerEpoch,
            int coordinatorEpoch,
            long startOffset,
            Instant lastAppend,
            String transactionalId,
            String coordinatorView,
            boolean confirmed) {

        /** The Kafka command that ends it (as an abort: its records are dropped). */
        public String abortCommand(String bootstrapServers) {
            return "kafka-transactions.sh --bootstrap-server "
                    + bootstrapServers
                    + " abort --topic "
                    + partition.topic()
                    + " --partition "
                    + partition.partition()
                    + " --start-offset "
                    + startOffset;
        }

        @Override
        public String toString() {
            return partition
                    + ": producer "
                    + producerId
                    + " (epoch "
                    + producerEpoch
                    + (transactionalId == null ? "" : ", transactional id " + transactionalId)
                    + ") holds a transaction open from offset "
                    + startOffset
                    + ", last record at "
                    + lastAppend
                    + "; its coordinator: "
                    + coordinatorView;
        }
    }

    private final Duration timeout;
    private final LazyAdmin admin;

    /**
     * @param clientProperties connection properties, {@code bootstrap.servers} included
     * @param timeout the longest one admin request may take
     */
    public HangingTransactions(Properties clientProperties, Duration timeout) {
        this.timeout = timeout;
        this.admin = new LazyAdmin(clientProperties);
    }

    /**
     * The hanging transactions on {@code topics} whose last record is at least {@code minIdle} old.
     * Topics that do not exist have none. Costs two offset lookups per partition; the producer and
     * coordinator questions only for partitions whose last stable offset is behind their end.
     */
    public List<Hanging> find(Collection<String> topics, Duration minIdle) throws Exception {
        Admin admin = admin();
        List<TopicPartition> partitions = partitions(admin, topics);
        if (partitions.isEmpty()) {
            return List.of();
        }
        List<TopicPartition> behind = stableBehindEnd(admin, partitions);
        if (behind.isEmpty()) {
            return List.of();
        }
        long now = System.currentTimeMillis();
        Map<TopicPartition, List<ProducerState>> open = openTransactions(admin, behind);
        Map<TopicPartition, List<ProducerState>> idle = new HashMap<>();
        Set<Long> producerIds = new HashSet<>();
        open.forEach(
                (tp, producers) -> {
                    for (ProducerState producer : producers) {
                        if (now - producer.lastTimestamp() >= minIdle.toMillis()) {
                            idle.computeIfAbsent(tp, k -> new ArrayList<>()).add(producer);
                            producerIds.add(producer.producerId());
                        }
                    }
                });
        if (idle.isEmpty()) {
            return List.of();
        }
        Map<Long, String> ids = transactionalIds(admin, producerIds);
        Map<String, TransactionDescription> descriptions =
                describe(admin, new HashSet<>(ids.values()));
        List<Hanging> suspects = new ArrayList<>();
        idle.forEach(
                (tp, producers) -> {
                    for (ProducerState producer : producers) {
                        String id = ids.get(producer.producerId());
                        TransactionDescription description =
                                id == null ? null : descriptions.get(id);
                        if (description == null || !description.topicPartitions().contains(tp)) {
                            suspects.add(hanging(tp, producer, id, description));
                        }
                    }
                });
        if (suspects.isEmpty()) {
            return List.of();
        }
        // asked again after the coordinator answered: a commit that was under way has its marker
        return stillOpen(admin, suspects);
    }

    private static Hanging hanging(
            TopicPartition tp,
            ProducerState producer,
            String transactionalId,
            TransactionDescription description) {
        String view;
        if (transactionalId == null) {
            view = "no transactional id has this producer id";
        } else if (description == null) {
            view = "transactional id " + transactionalId + " not found";
        } else {
            view =
                    description.state()
                            + " at epoch "
                            + description.producerEpoch()
                            + ", partitions "
                            + description.topicPartitions()
                            + " (not this one)";
        }
        return new Hanging(
                tp,
                producer.producerId(),
                producer.producerEpoch(),
                producer.coordinatorEpoch().orElse(-1),
                producer.currentTransactionStartOffset().orElse(-1),
                Instant.ofEpochMilli(producer.lastTimestamp()),
                transactionalId,
                view,
                description != null);
    }

    private List<Hanging> stillOpen(Admin admin, List<Hanging> suspects) throws Exception {
        Set<TopicPartition> partitions = new HashSet<>();
        suspects.forEach(s -> partitions.add(s.partition()));
        Map<TopicPartition, List<ProducerState>> open = openTransactions(admin, partitions);
        List<Hanging> hanging = new ArrayList<>();
        for (Hanging suspect : suspects) {
            for (ProducerState producer : open.getOrDefault(suspect.partition(), List.of())) {
                OptionalLong start = producer.currentTransactionStartOffset();
                if (producer.producerId() == suspect.producerId()
                        && start.isPresent()
                        && start.getAsLong() == suspect.startOffset()) {
                    hanging.add(suspect);
                }
            }
        }
        return hanging;
    }

    /** The partitions of {@code topics}; none for a topic that does not exist. */
    private List<TopicPartition> partitions(Admin admin, Collection<String> topics)
            throws Exception {
        List<TopicPartition> partitions = new ArrayList<>();
        Map<String, KafkaFuture<TopicDescription>> described =
                admin.describeTopics(topics).topicNameValues();
        for (Map.Entry<String, KafkaFuture<TopicDescription>> topic : described.entrySet()) {
            try {
                topic.getValue()
                        .get(timeout.toMillis(), TimeUnit.MILLISECONDS)
                        .partitions()
                        .forEach(
                                p ->
                                        partitions.add(
                                                new TopicPartition(topic.getKey(), p.partition())));
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw e;
                }
            }
        }
        return partitions;
    }

    /** Partitions whose last stable offset is behind their end: an open transaction is there. */
    private List<TopicPartition> stableBehindEnd(Admin admin, List<TopicPartition> partitions)
            throws Exception {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        partitions.forEach(tp -> latest.put(tp, OffsetSpec.latest()));
        Map<TopicPartition, Long> stable =
                offsets(admin, latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED));
        Map<TopicPartition, Long> end =
                offsets(admin, latest, new ListOffsetsOptions(IsolationLevel.READ_UNCOMMITTED));
        List<TopicPartition> behind = new ArrayList<>();
        for (TopicPartition tp : partitions) {
            if (stable.getOrDefault(tp, 0L) < end.getOrDefault(tp, 0L)) {
                behind.add(tp);
            }
        }
        return behind;
    }

    private Map<TopicPartition, Long> offsets(
            Admin admin, Map<TopicPartition, OffsetSpec> specs, ListOffsetsOptions options)
            throws Exception {
        Map<TopicPartition, Long> out = new HashMap<>();
        admin.listOffsets(specs, options)
                .all()
                .get(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .forEach((tp, info) -> out.put(tp, info.offset()));
        return out;
    }

    /** Per partition, the producers with a transaction open there. */
    private Map<TopicPartition, List<ProducerState>> openTransactions(
            Admin admin, Collection<TopicPartition> partitions) throws Exception {
        Map<TopicPartition, PartitionProducerState> states =
                admin.describeProducers(partitions)
                        .all()
                        .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        Map<TopicPartition, List<ProducerState>> open = new HashMap<>();
        states.forEach(
                (tp, state) -> {
                    for (ProducerState producer : state.activeProducers()) {
                        if (producer.currentTransactionStartOffset().isPresent()) {
                            open.computeIfAbsent(tp, k -> new ArrayList<>()).add(producer);
                        }
                    }
                });
        return open;
    }

    private Map<Long, String> transactionalIds(Admin admin, Set<Long> producerIds)
            throws Exception {
        Collection<TransactionListing> listings =
                admin.listTransactions(new ListTransactionsOptions().filterProducerIds(producerIds))
                        .all()
                        .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        Map<Long, String> ids = new HashMap<>();
        for (TransactionListing listing : listings) {
            if (producerIds.contains(listing.producerId())) {
                ids.put(listing.producerId(), listing.transactionalId());
            }
        }
        return ids;
    }

    /** The coordinators' view of each id; an id they do not know is left out. */
    private Map<String, TransactionDescription> describe(Admin admin, Set<String> ids)
            throws Exception {
        Map<String, TransactionDescription> descriptions = new HashMap<>();
        if (ids.isEmpty()) {
            return descriptions;
        }
        DescribeTransactionsResult result = admin.describeTransactions(ids);
        for (String id : ids) {
            try {
                descriptions.put(
                        id, result.description(id).get(timeout.toMillis(), TimeUnit.MILLISECONDS));
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TransactionalIdNotFoundException)) {
                    throw e;
                }
            }
        }
        return descriptions;
    }

    private Admin admin() {
        return admin.get();
    }

    /** Closes the admin client, waiting at most 5 s for calls in flight. */
    @Override
    public void close() {
        admin.close();
    }
}
