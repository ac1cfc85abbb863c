package dev.batchtrace.connectors.elasticsearch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch.core.bulk.BulkOperation;
import co.elastic.clients.json.jackson.Jackson3JsonpMapper;
import jakarta.json.stream.JsonGenerator;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;

class ElasticsearchClientsTest {

    @Test
    void mapperWritesJavaTimeAsIsoStrings() {
        Map<String, Object> source = new LinkedHashMap<>();
        source.put("lotCode", "LOT-1");
        source.put("receivedAt", Instant.parse("2026-03-01T10:15:30Z"));
        source.put("quantity", 12.5);

        String json = toJson(ElasticsearchClients.jsonpMapper(), source);

        assertEquals(
                "{\"lotCode\":\"LOT-1\",\"receivedAt\":\"2026-03-01T10:15:30Z\",\"quantity\":12.5}",
                json);
    }

    @Test
    void bulkOperationsCarryTheExternalVersion() {
        Jackson3JsonpMapper mapper = ElasticsearchClients.jsonpMapper();
        BulkOperation index =
                ElasticsearchSinkWriter.toBulkOperation(
                        TraceDocument.upsert(
                                "trace-lots", "LOT-1", 42, Map.of("lotCode", "LOT-1")));
        BulkOperation delete =
                ElasticsearchSinkWriter.toBulkOperation(
                        TraceDocument.delete("trace-lots", "LOT-1", 43));

        String indexJson = toJson(mapper, index);
        assertTrue(indexJson.contains("\"version\":42"), indexJson);
        assertTrue(indexJson.contains("\"version_type\":\"external\""), indexJson);
        assertTrue(indexJson.contains("\"_id\":\"LOT-1\""), indexJson);
        String deleteJson = toJson(mapper, delete);
        assertTrue(deleteJson.startsWith("{\"delete\""), deleteJson);
        assertTrue(deleteJson.contains("\"version_type\":\"external\""), deleteJson);
    }

    @Test
    void traceDocumentsRejectNegativeVersionsAndBlankIds() {
        assertThrows(
                IllegalArgumentException.class,
                () -> TraceDocument.upsert("trace-lots", "LOT-1", -1, Map.of()));
        assertThrows(
                IllegalArgumentException.class,
                () -> TraceDocument.upsert("trace-lots", " ", 1, Map.of()));
    }

    @Test
    void clientsBuildWithoutContactingTheServerAndClose() throws Exception {
        try (ElasticsearchClient client =
                ElasticsearchClients.create(
                        ElasticsearchSettings.fromMap(
                                Map.of(
                                        "elasticsearch.hosts", "http://127.0.0.1:1",
                                        "elasticsearch.api-key", "aWQ6a2V5")))) {
            assertNotNull(client);
        }
    }

    @Test
    void tlsTrustComesFromTheConfiguredSourceOnly() {
        assertNull(
                ElasticsearchClients.sslContext(ElasticsearchSettings.forHosts("http://h:9200")));
        assertNotNull(
                ElasticsearchClients.sslContext(
                        ElasticsearchSettings.fromMap(
                                Map.of(
                                        "elasticsearch.hosts",
                                        "https://h:9200",
                                        "elasticsearch.tls.ca-fingerprint",
                                        "64:F2:59:3A:2E:8B:9F:41:4A:6C:3C:8E:2C:54:4A:43:"
                                                + "B5:89:28:5C:7B:3A:8E:0D:4A:6B:EE:52:1C:76:B3:AD"))));
        UncheckedIOException missing =
                assertThrows(
                        UncheckedIOException.class,
                        () ->
                                ElasticsearchClients.sslContext(
                                        ElasticsearchSettings.fromMap(
                                                Map.of(
                                                        "elasticsearch.hosts",
                                                        "https://h:9200",
                                                        "elasticsearch.tls.ca-certificate",
                                                        "/nonexistent/http_ca.crt"))));
        assertTrue(missing.getMessage().contains("TLS"), missing.getMessage());
    }

    @Test
    void plainHttpHostsDeferTheDefaultTlsContextAndHttpsHostsKeepTheirs() throws Exception {
        SSLContext http =
                ElasticsearchClients.clientSslContext(
                        ElasticsearchSettings.forHosts("http://a:9200", "http://b:9200"));
        assertTrue(http instanceof ElasticsearchClients.DeferredDefaultSslContext, "" + http);
        ElasticsearchClients.DeferredDefaultSslContext deferred =
                (ElasticsearchClients.DeferredDefaultSslContext) http;
        try (ElasticsearchClient client =
                ElasticsearchClients.create(ElasticsearchSettings.forHosts("http://127.0.0.1:1"))) {
            assertNotNull(client);
        }
        assertFalse(deferred.madeDefault(), "an http client never sets up TLS");
        // used anyway: it is the JVM default
        assertNotNull(deferred.createSSLEngine("h", 443));
        assertTrue(deferred.madeDefault());
        assertEquals(
                SSLContext.getDefault().getDefaultSSLParameters().getProtocols().length,
                deferred.getDefaultSSLParameters().getProtocols().length);

        // one https host: the builder takes the JVM default as before
        assertNull(
                ElasticsearchClients.clientSslContext(
                        ElasticsearchSettings.forHosts("http://a:9200", "https://b:9200")));
        // https with a CA: the context of that trust, made when the client is
        SSLContext pinned =
                ElasticsearchClients.clientSslContext(
                        ElasticsearchSettings.fromMap(
                                Map.of(
                                        "elasticsearch.hosts",
                                        "https://h:9200",
                                        "elasticsearch.tls.ca-fingerprint",
                                        "64:F2:59:3A:2E:8B:9F:41:4A:6C:3C:8E:2C:54:4A:43:"
                                                + "B5:89:28:5C:7B:3A:8E:0D:4A:6B:EE:52:1C:76:B3:AD")));
        assertNotNull(pinned);
        assertFalse(pinned instanceof ElasticsearchClients.DeferredDefaultSslContext);
    }

    private static String toJson(Jackson3JsonpMapper mapper, Object value) {
        StringWriter out = new StringWriter();
        try (JsonGenerator generator = mapper.jsonProvider().createGenerator(out)) {
            mapper.serialize(value, generator);
        }
        return out.toString();
    }
}
