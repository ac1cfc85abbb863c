package dev.batchtrace.connectors.elasticsearch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.mapping.Property;
import co.elastic.clients.elasticsearch.indices.GetAliasResponse;
import co.elastic.clients.elasticsearch.indices.GetMappingResponse;
import dev.batchtrace.stack.TestServers;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Installs the templates twice against a real Elasticsearch node. */
class IndexTemplatesITCase {

    private static ElasticsearchClient client;

    @BeforeAll
    static void connect() {
        client =
                ElasticsearchClients.create(
                        ElasticsearchSettings.forHosts(TestServers.elasticsearchUrl()));
    }

    @AfterAll
    static void disconnect() throws Exception {
        client.close();
    }

    @Test
    void anIndexMadeByAnOlderTemplateGetsTheNewFields() throws Exception {
        TraceIndex workOrders = TraceIndex.WORK_ORDERS;
        client.indices().delete(d -> d.index(workOrders.concreteIndex()).ignoreUnavailable(true));
        if (client.indices().existsIndexTemplate(e -> e.name(workOrders.templateName())).value()) {
            client.indices().deleteIndexTemplate(d -> d.name(workOrders.templateName()));
        }
        // what an installation of template version 1 left behind: no machineIds field
        client.indices()
                .create(
                        c ->
                                c.index(workOrders.concreteIndex())
                                        .aliases(workOrders.alias(), a -> a.isWriteIndex(true))
                                        .mappings(
                                                m ->
                                                        m.dynamic(
                                                                        co.elastic.clients
                                                                                .elasticsearch
                                                                                ._types.mapping
                                                                                .DynamicMapping
                                                                                .False)
                                                                .properties(
                                                                        "workOrderId",
                                                                        p -> p.keyword(k -> k))));

        List<String> changes = IndexTemplates.install(client, line -> {});

        assertTrue(
                changes.contains(
                        "updated mappings of "
                                + workOrders.concreteIndex()
                                + " to template version "
                                + IndexTemplates.templateVersion(workOrders)),
                changes.toString());
        Map<String, Property> fields =
                client.indices()
                        .getMapping(m -> m.index(workOrders.concreteIndex()))
                        .get(workOrders.concreteIndex())
                        .mappings()
                        .properties();
        assertTrue(fields.get("machineIds").isKeyword(), fields.keySet().toString());
        assertTrue(fields.get("releasedAt").isDate(), fields.keySet().toString());
    }

    @Test
    void installCreatesTemplatesIndicesAndAliasesAndASecondCallChangesNothing() throws Exception {
        for (TraceIndex index : TraceIndex.values()) {
            client.indices().delete(d -> d.index(index.concreteIndex()).ignoreUnavailable(true));
            if (client.indices().existsIndexTemplate(e -> e.name(index.templateName())).value()) {
                client.indices().deleteIndexTemplate(d -> d.name(index.templateName()));
            }
        }

        List<String> progress = new ArrayList<>();
        List<String> first = IndexTemplates.install(client, progress::add);

        assertEquals(2 * TraceIndex.values().length, first.size(), first.toString());
        for (TraceIndex index : TraceIndex.values()) {
            GetAliasResponse alias = client.indices().getAlias(a -> a.name(index.alias()));
            assertEquals(List.of(index.concreteIndex()), List.copyOf(alias.aliases().keySet()));
            assertTrue(
                    alias.aliases()
                            .get(index.concreteIndex())
                            .aliases()
                            .get(index.alias())
                            .isWriteIndex());
            assertEquals(
                    IndexTemplates.templateVersion(index),
                    client.indices()
                            .getIndexTemplate(g -> g.name(index.templateName()))
                            .indexTemplates()
                            .get(0)
                            .indexTemplate()
                            .version());
        }
        GetMappingResponse mapping =
                client.indices().getMapping(m -> m.index(TraceIndex.LOTS.alias()));
        Map<String, Property> lotFields =
                mapping.get(TraceIndex.LOTS.concreteIndex()).mappings().properties();
        assertTrue(lotFields.get("ancestorSupplierLots").isKeyword(), "template was applied");
        assertTrue(lotFields.get("ancestors").isNested());
        assertTrue(lotFields.get("receivedAt").isDate());

        progress.clear();
        List<String> second = IndexTemplates.install(client, progress::add);

        assertEquals(List.of(), second);
        assertEquals(2 * TraceIndex.values().length, progress.size(), progress.toString());
        assertTrue(
                progress.stream().allMatch(line -> line.contains("already")), progress.toString());

        client.indices()
                .deleteAlias(
                        d ->
                                d.index(TraceIndex.ALERTS.concreteIndex())
                                        .name(TraceIndex.ALERTS.alias()));
        assertEquals(
                List.of("added alias trace-alerts to existing index trace-alerts-v1"),
                IndexTemplates.install(client, line -> {}));
    }

    @Test
    void aRefreshIntervalSettingIsPutOnEveryTraceIndexOnceAndNoneLeavesThemAlone()
            throws Exception {
        IndexTemplates.install(client, line -> {});

        List<String> first =
                IndexTemplates.install(client, line -> {}, java.time.Duration.ofMillis(500));
        assertEquals(TraceIndex.values().length, first.size(), first.toString());
        for (TraceIndex index : TraceIndex.values()) {
            assertEquals("500ms", refreshInterval(index), index.toString());
            String prefix = "refresh_interval of " + index.concreteIndex() + ": ";
            assertTrue(
                    first.stream().anyMatch(c -> c.startsWith(prefix) && c.endsWith(" -> 500ms")),
                    first.toString());
        }
        assertEquals(
                List.of(),
                IndexTemplates.install(client, line -> {}, java.time.Duration.ofMillis(500)));
        assertEquals(List.of(), IndexTemplates.install(client, line -> {}, null));
        assertEquals("500ms", refreshInterval(TraceIndex.LOTS), "no setting: left as it is");

        IndexTemplates.install(client, line -> {}, java.time.Duration.ofSeconds(1));
        assertEquals("1000ms", refreshInterval(TraceIndex.LOTS));
    }

    private static String refreshInterval(TraceIndex index) throws Exception {
        return client.indices()
                .getSettings(g -> g.index(index.concreteIndex()))
                .get(index.concreteIndex())
                .settings()
                .index()
                .refreshInterval()
                .time();
    }

    @Test
    void combinedSupplierLotKeysCannotBeFooledByTwoSuppliers() throws Exception {
        IndexTemplates.install(client, line -> {});
        // shipment containing supplier S1's lot L9 and supplier S2's lot L1
        client.index(
                i ->
                        i.index(TraceIndex.SHIPMENTS.alias())
                                .id("D-1")
                                .document(
                                        Map.of(
                                                "dispatchId", "D-1",
                                                "ancestorSupplierIds", List.of("S1", "S2"),
                                                "ancestorSupplierLotCodes", List.of("L9", "L1"),
                                                "ancestorSupplierLots", List.of("S1/L9", "S2/L1"),
                                                "notInTheTemplate", "kept in _source only")));
        client.indices().refresh(r -> r.index(TraceIndex.SHIPMENTS.alias()));

        assertEquals(0, count("ancestorSupplierLots", "S1/L1"), "S1's lot L1 is not in D-1");
        assertEquals(1, count("ancestorSupplierLots", "S1/L9"));
        assertEquals(0, count("notInTheTemplate", "kept in _source only"), "dynamic: false");
        client.delete(d -> d.index(TraceIndex.SHIPMENTS.alias()).id("D-1"));
    }

    private static long count(String field, String value) throws Exception {
        return client.count(
                        c ->
                                c.index(TraceIndex.SHIPMENTS.alias())
                                        .query(q -> q.term(t -> t.field(field).value(value))))
                .count();
    }
}
