package dev.batchtrace.connectors.elasticsearch;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch.indices.GetIndexTemplateResponse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Installs the index templates of {@link TraceIndex} and creates each versioned concrete index with
 * its alias. Idempotent: a template is put only when missing or older than the file (its {@code
 * version} field), an index only when missing, an alias only when it does not point at the index
 * yet. Safe to call at every job start, also from several processes at once.
 */
public final class IndexTemplates {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private IndexTemplates() {}

    /**
     * @param progress receives one human-readable line per step (e.g. a logger)
     * @return the changes made; empty when everything was already in place
     */
    public static List<String> install(ElasticsearchClient client, Consumer<String> progress)
            throws IOException {
        return install(client, progress, null);
    }

    /**
     * @param refreshInterval when not null, every trace index gets this {@code refresh_interval}
     *     (setting {@link ElasticsearchSettings#INDEX_REFRESH_INTERVAL}); null leaves them as they
     *     are
     */
    public static List<String> install(
            ElasticsearchClient client, Consumer<String> progress, Duration refreshInterval)
            throws IOException {
        List<String> changes = new ArrayList<>();
        for (TraceIndex index : TraceIndex.values()) {
            installTemplate(client, index, progress, changes);
            installIndexAndAlias(client, index, progress, changes);
            if (refreshInterval != null) {
                applyRefreshInterval(client, index, refreshInterval, progress, changes);
            }
        }
        return changes;
    }

    /** Puts the refresh interval on the index when it has another (a dynamic setting). */
    private static void applyRefreshInterval(
            ElasticsearchClient client,
            TraceIndex index,
            Duration refreshInterval,
            Consumer<String> progress,
            List<String> changes)
            throws IOException {
        String concrete = index.concreteIndex();
        String wanted = refreshInterval.toMillis() + "ms";
        var settings = client.indices().getSettings(g -> g.index(concrete)).get(concrete);
        var current =
                settings == null
                                || settings.settings() == null
                                || settings.settings().index() == null
                        ? null
                        : settings.settings().index().refreshInterval();
        String before = current == null ? "1s (default)" : current.time();
        if (wanted.equals(before)) {
            return;
        }
        client.indices()
                .putSettings(
                        p ->
                                p.index(concrete)
                                        .settings(x -> x.refreshInterval(t -> t.time(wanted))));
        String change = "refresh_interval of " + concrete + ": " + before + " -> " + wanted;
        changes.add(change);
        progress.accept(change);
    }

    /** Same, with a client built from {@code settings} and closed afterwards. */
    public static List<String> install(ElasticsearchSettings settings, Consumer<String> progress)
            throws IOException {
        try (ElasticsearchClient client = ElasticsearchClients.create(settings)) {
            return install(client, progress, settings.indexRefreshInterval());
        } catch (ElasticsearchException | co.elastic.clients.transport.TransportException e) {
            throw ElasticsearchClients.explain(settings, e);
        } catch (IOException e) {
            if (e instanceof ElasticsearchAuthException) {
                throw e;
            }
            java.util.OptionalInt status = BulkFailures.httpStatus(e);
            boolean auth =
                    status.isPresent() && (status.getAsInt() == 401 || status.getAsInt() == 403);
            boolean tls = false;
            for (Throwable t = e; t != null; t = t.getCause()) {
                tls |= t instanceof javax.net.ssl.SSLException;
            }
            throw auth || tls ? ElasticsearchClients.explain(settings, e) : e;
        }
    }

    /** The template body as stored in the resources. */
    public static byte[] templateJson(TraceIndex index) {
        try (InputStream in =
                IndexTemplates.class
                        .getClassLoader()
                        .getResourceAsStream(index.templateResource())) {
            if (in == null) {
                throw new IllegalStateException(
                        "index template " + index.templateResource() + " is not on the classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The {@code version} field of the template file. */
    public static long templateVersion(TraceIndex index) {
        JsonNode version = JSON.readTree(templateJson(index)).get("version");
        if (version == null || !version.canConvertToLong()) {
            throw new IllegalStateException(
                    index.templateResource() + " needs a numeric top-level \"version\"");
        }
        return version.asLong();
    }

    private static void installTemplate(
            ElasticsearchClient client,
            TraceIndex index,
            Consumer<String> progress,
            List<String> changes)
            throws IOException {
        String name = index.templateName();
        long fileVersion = templateVersion(index);
        if (client.indices().existsIndexTemplate(e -> e.name(name)).value()) {
            GetIndexTemplateResponse existing =
                    client.indices().getIndexTemplate(g -> g.name(name));
            Long installed =
                    existing.indexTemplates().isEmpty()
                            ? null
                            : existing.indexTemplates().get(0).indexTemplate().version();
            if (installed != null && installed >= fileVersion) {
                progress.accept(
                        "index template "
                                + name
                                + " version "
                                + installed
                                + " already installed"
                                + (installed > fileVersion
                                        ? " (newer than this build's version " + fileVersion + ")"
                                        : ""));
                return;
            }
        }
        byte[] body = templateJson(index);
        client.indices()
                .putIndexTemplate(p -> p.name(name).withJson(new ByteArrayInputStream(body)));
        String change = "put index template " + name + " version " + fileVersion;
        changes.add(change);
        progress.accept(change);
        updateExistingMapping(client, index, body, progress, changes);
    }

    /**
     * A template only shapes indices created after it: an index made by an older template gets the
     * new version's mappings put on it. Only additions are possible; Elasticsearch refuses a
     * changed field type, and then a new versioned index (with reindexing) is needed.
     */
    private static void updateExistingMapping(
            ElasticsearchClient client,
            TraceIndex index,
            byte[] templateBody,
            Consumer<String> progress,
            List<String> changes)
            throws IOException {
        String concrete = index.concreteIndex();
        if (!client.indices().exists(e -> e.index(concrete)).value()) {
            return;
        }
        byte[] mappings =
                JSON.writeValueAsBytes(
                        JSON.readTree(templateBody).path("template").path("mappings"));
        try {
            client.indices()
                    .putMapping(
                            p -> p.index(concrete).withJson(new ByteArrayInputStream(mappings)));
        } catch (ElasticsearchException e) {
            throw new IOException(
                    "cannot update the mappings of "
                            + concrete
                            + " to template version "
                            + templateVersion(index)
                            + " (only new fields can be added to an existing index): "
                            + e.getMessage(),
                    e);
        }
        String change =
                "updated mappings of "
                        + concrete
                        + " to template version "
                        + templateVersion(index);
        changes.add(change);
        progress.accept(change);
    }

    private static void installIndexAndAlias(
            ElasticsearchClient client,
            TraceIndex index,
            Consumer<String> progress,
            List<String> changes)
            throws IOException {
        String concrete = index.concreteIndex();
        String alias = index.alias();
        if (!client.indices().exists(e -> e.index(concrete)).value()) {
            try {
                client.indices()
                        .create(c -> c.index(concrete).aliases(alias, a -> a.isWriteIndex(true)));
                String change = "created index " + concrete + " with alias " + alias;
                changes.add(change);
                progress.accept(change);
                return;
            } catch (ElasticsearchException e) {
                if (e.error() == null
                        || !"resource_already_exists_exception".equals(e.error().type())) {
                    throw new IOException(
                            "cannot create index "
                                    + concrete
                                    + " with alias "
                                    + alias
                                    + ": "
                                    + e.getMessage()
                                    + (client.indices().exists(x -> x.index(alias)).value()
                                            ? " (a concrete index named "
                                                    + alias
                                                    + " exists, probably created by a write"
                                                    + " before the templates were installed:"
                                                    + " delete or reindex it)"
                                            : ""),
                            e);
                }
                // another process created it meanwhile: fall through to the alias check
            }
        }
        if (client.indices().existsAlias(a -> a.name(alias).index(concrete)).value()) {
            progress.accept("index " + concrete + " with alias " + alias + " already exists");
            return;
        }
        client.indices().putAlias(p -> p.index(concrete).name(alias).isWriteIndex(true));
        String change = "added alias " + alias + " to existing index " + concrete;
        changes.add(change);
        progress.accept(change);
    }
}
