package dev.batchtrace.jobs.lineage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.batchtrace.connectors.kafka.AvroRecordSerializer;
import dev.batchtrace.connectors.registry.ConfluentSchemaRegistryClient;
import dev.batchtrace.connectors.registry.RegistrySettings;
import dev.batchtrace.connectors.registry.SchemaRegistryClient;
import dev.batchtrace.events.GoodsReceipt;
import dev.batchtrace.events.MachineEvent;
import dev.batchtrace.events.WorkOrderEvent;
import dev.batchtrace.lineage.reference.LineageReference;
import dev.batchtrace.stack.TestServers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.JsonProperties;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 13, upgrades: the lineage job converges on a plant history without its last third of
 * receipts, dispatch notes, flags and QC results, is stopped with a savepoint, and the next version
 * starts from that savepoint while the gateways already publish goods receipts with a schema that
 * gained an optional field ({@code countryOfOrigin}, registered under BACKWARD compatibility, so
 * the registry checks that the new schema reads old data). The job reads the new receipts with its
 * own reader schema (the field is resolved away, nothing is a dead letter) and converges to the
 * reference of the whole history; nothing is recomputed: every document the last third does not
 * change keeps the version (offset) it had before the upgrade; nothing is duplicated.
 */
class UpgradeITCase {

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setConfiguration(clusterConfiguration())
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(FaultRun.PARALLELISM)
                            .build());

    private static Configuration clusterConfiguration() {
        Configuration config = new Configuration();
        config.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
        return config;
    }

    @Test
    void theNextVersionRestoresTheSavepointReadsTheNewFieldAndRecomputesNothing() throws Exception {
        FaultRun run =
                new FaultRun(
                        "upgrade",
                        TestServers.kafkaBootstrapServers(),
                        TestServers.schemaRegistryUrl(),
                        TestServers.elasticsearchUrl());
        List<SpecificRecordBase> events = FaultRun.history(13);
        // work-order and machine events all before the upgrade (the machine job's summaries of
        // them are there from the start); receipts, dispatch notes, flags and QC results split at
        // two thirds
        List<SpecificRecordBase> before = new ArrayList<>();
        List<SpecificRecordBase> after = new ArrayList<>();
        List<SpecificRecordBase> plant =
                events.stream()
                        .filter(e -> !(e instanceof MachineEvent || e instanceof WorkOrderEvent))
                        .toList();
        events.stream()
                .filter(e -> e instanceof MachineEvent || e instanceof WorkOrderEvent)
                .forEach(before::add);
        int cut = plant.size() * 2 / 3;
        before.addAll(plant.subList(0, cut));
        after.addAll(plant.subList(cut, plant.size()));
        LineageReference.Result referenceBefore = LineageReference.withHolds(before);
        LineageReference.Result referenceAll = LineageReference.withHolds(events);

        // this version
        run.publishMachineSummaries(events);
        JobClient first = run.start();
        run.publish(run.serialize(before), Duration.ZERO);
        run.awaitConvergence(first, referenceBefore, Duration.ofMinutes(4));
        run.awaitQuiet();
        String savepoint = run.stopWithSavepoint(first);
        Map<String, TestStack.Stored> stored = TestStack.documents(run.esUrl);

        // the next version's gateways: GoodsReceipt with an optional field more
        ConfluentSchemaRegistryClient registry =
                new ConfluentSchemaRegistryClient(RegistrySettings.of(run.registryUrl));
        registry.setCompatibility(
                SchemaRegistryClient.valueSubject(run.topics.goodsReceipts()), "BACKWARD");
        Schema next = withOptionalField(GoodsReceipt.getClassSchema(), "countryOfOrigin");
        AvroRecordSerializer<IndexedRecord> nextSerializer = new AvroRecordSerializer<>(registry);
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        int withField = 0;
        for (SpecificRecordBase event : after) {
            if (event instanceof GoodsReceipt receipt) {
                GenericRecord upgraded = new GenericData.Record(next);
                for (Schema.Field field : GoodsReceipt.getClassSchema().getFields()) {
                    Object value = receipt.get(field.name());
                    // the generic writer has no logical-type conversions: timestamps as millis
                    upgraded.put(
                            field.name(),
                            value instanceof java.time.Instant instant
                                    ? instant.toEpochMilli()
                                    : value);
                }
                upgraded.put("countryOfOrigin", "DE");
                records.add(
                        new ProducerRecord<>(
                                run.topics.goodsReceipts(),
                                receipt.getLotCode().getBytes(StandardCharsets.UTF_8),
                                nextSerializer.serialize(run.topics.goodsReceipts(), upgraded)));
                withField++;
            } else {
                records.addAll(run.serialize(List.of(event)));
            }
        }
        assertTrue(withField > 0, "the last third has goods receipts");

        // the next version, from the savepoint
        JobClient second = run.startFrom(savepoint);
        run.publish(records, Duration.ZERO);
        Map<String, TestStack.Stored> converged =
                run.awaitConvergence(second, referenceAll, Duration.ofMinutes(4));
        assertEquals(List.of(), run.deadLetters(), "the new field makes no dead letter");

        // nothing recomputed: what the last third does not change was not written again
        Map<String, JsonNode> expectedBefore = TestStack.expectedDocuments(referenceBefore);
        Map<String, JsonNode> expectedAll = TestStack.expectedDocuments(referenceAll);
        int unchanged = 0;
        for (Map.Entry<String, TestStack.Stored> doc : stored.entrySet()) {
            String id = doc.getKey();
            if (expectedAll.containsKey(id) && expectedAll.get(id).equals(expectedBefore.get(id))) {
                assertEquals(
                        doc.getValue().version(),
                        converged.get(id).version(),
                        id + " was written again although the upgrade did not change it");
                unchanged++;
            }
        }
        assertTrue(unchanged > 0, "some documents are untouched by the last third");
        run.stopAndCheckNothingDuplicated(second, referenceAll);
        System.out.printf(
                "upgrade: %d events before the savepoint, %d after (%d receipts with the new"
                        + " field); %d of %d documents unchanged and not rewritten%n",
                before.size(), after.size(), withField, unchanged, converged.size());
    }

    /** {@code schema} with an optional string field more (default null): a BACKWARD change. */
    static Schema withOptionalField(Schema schema, String name) {
        List<Schema.Field> fields = new ArrayList<>();
        for (Schema.Field f : schema.getFields()) {
            fields.add(new Schema.Field(f, f.schema()));
        }
        fields.add(
                new Schema.Field(
                        name,
                        Schema.createUnion(
                                Schema.create(Schema.Type.NULL), Schema.create(Schema.Type.STRING)),
                        "added by the next version",
                        JsonProperties.NULL_VALUE));
        return Schema.createRecord(
                schema.getName(), schema.getDoc(), schema.getNamespace(), false, fields);
    }
}
