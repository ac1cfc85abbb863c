package dev.batchtrace.connectors.kafka;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.SimpleRecord;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.ProduceRequest;
import org.apache.kafka.common.requests.ProduceResponse;
import org.apache.kafka.common.requests.RequestHeader;

/**
 * Makes a hanging transaction on a real broker, for the tests of {@link HangingTransactions} and of
 * the job's watch: two records written in the transaction of a registered transactional id whose
 * coordinator does not count the partition in it. A plain produce request (transaction version 1)
 * writes them while the broker's partition verification is off; only use it on a broker of the
 * test's own, since the setting is cluster-wide.
 */
public final class HangingTransactionFixture {
    private HangingTransactionFixture() {}

    /** What was written: where, by which producer, from which offset. */
    public record Written(TopicPartition partition, long producerId, short epoch, long start) {}

    /**
     * Writes the records with {@code transactionalId}'s producer id and epoch (the id must have
     * been initialised, e.g. by a producer's {@code initTransactions}).
     */
    public static Written write(
            Admin admin, String bootstrap, TopicPartition partition, String transactionalId)
            throws Exception {
        TransactionDescription state =
                admin.describeTransactions(List.of(transactionalId))
                        .description(transactionalId)
                        .get(10, TimeUnit.SECONDS);
        setVerification(admin, false);
        try {
            long start =
                    produce(
                            bootstrap,
                            partition,
                            transactionalId,
                            state.producerId(),
                            (short) state.producerEpoch());
            return new Written(partition, state.producerId(), (short) state.producerEpoch(), start);
        } finally {
            setVerification(admin, true);
        }
    }

    private static long produce(
            String bootstrap,
            TopicPartition tp,
            String transactionalId,
            long producerId,
            short epoch)
            throws Exception {
        long now = System.currentTimeMillis();
        MemoryRecords records =
                MemoryRecords.withTransactionalRecords(
                        Compression.NONE,
                        producerId,
                        epoch,
                        0,
                        new SimpleRecord(now, bytes("k"), bytes("hanging-1")),
                        new SimpleRecord(now, bytes("k"), bytes("hanging-2")));
        ProduceRequestData.TopicProduceDataCollection topics =
                new ProduceRequestData.TopicProduceDataCollection();
        topics.add(
                new ProduceRequestData.TopicProduceData()
                        .setName(tp.topic())
                        .setPartitionData(
                                List.of(
                                        new ProduceRequestData.PartitionProduceData()
                                                .setIndex(tp.partition())
                                                .setRecords(records))));
        short version = ProduceRequest.LAST_STABLE_VERSION_BEFORE_TRANSACTION_V2;
        ProduceRequest request =
                new ProduceRequest.Builder(
                                version,
                                version,
                                new ProduceRequestData()
                                        .setAcks((short) -1)
                                        .setTimeoutMs(10_000)
                                        .setTransactionalId(transactionalId)
                                        .setTopicData(topics))
                        .build(version);
        RequestHeader header = new RequestHeader(ApiKeys.PRODUCE, version, "hanging-fixture", 1);
        String[] hostPort = bootstrap.split(",")[0].split(":");
        try (Socket socket = new Socket(hostPort[0], Integer.parseInt(hostPort[1]))) {
            socket.setSoTimeout(15_000);
            ByteBuffer out = request.serializeWithHeader(header);
            DataOutputStream to = new DataOutputStream(socket.getOutputStream());
            to.writeInt(out.remaining());
            to.write(out.array(), out.arrayOffset() + out.position(), out.remaining());
            to.flush();
            DataInputStream from = new DataInputStream(socket.getInputStream());
            byte[] answer = new byte[from.readInt()];
            from.readFully(answer);
            ProduceResponse response =
                    (ProduceResponse)
                            AbstractResponse.parseResponse(ByteBuffer.wrap(answer), header);
            ProduceResponseData.PartitionProduceResponse partition =
                    response.data().responses().iterator().next().partitionResponses().get(0);
            if (partition.errorCode() != 0) {
                throw new IllegalStateException("produce refused: " + partition);
            }
            return partition.baseOffset();
        }
    }

    private static void setVerification(Admin admin, boolean enabled) throws Exception {
        admin.incrementalAlterConfigs(
                        Map.of(
                                new ConfigResource(ConfigResource.Type.BROKER, ""),
                                List.of(
                                        new AlterConfigOp(
                                                new ConfigEntry(
                                                        "transaction.partition.verification.enable",
                                                        Boolean.toString(enabled)),
                                                AlterConfigOp.OpType.SET))))
                .all()
                .get(10, TimeUnit.SECONDS);
        // the broker applies a dynamic default through its metadata log, a moment later
        Thread.sleep(1_000);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
