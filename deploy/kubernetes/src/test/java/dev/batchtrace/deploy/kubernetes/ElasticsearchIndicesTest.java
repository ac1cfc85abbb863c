package dev.batchtrace.deploy.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.batchtrace.connectors.elasticsearch.IndexTemplates;
import dev.batchtrace.connectors.elasticsearch.TraceIndex;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every index the code writes (each {@link TraceIndex}, one index template file each) is complete
 * on the cluster the manifests describe: the setup Job installs its template, the saved objects it
 * imports have a data view for it, the roles ECK loads let the jobs write it and the CLI read it,
 * and it keeps a replica on the ECK cluster. A new index family (as trace-closures and trace-units
 * were) that misses one of these fails here, not in production.
 */
class ElasticsearchIndicesTest {

    static final Path TEMPLATES =
            Kustomize.MODULE
                    .resolve(
                            "../../connectors/elasticsearch/src/main/resources/elasticsearch/index-templates")
                    .normalize();
    static final JsonMapper JSON = JsonMapper.builder().build();

    /** What IndexTemplates.install does (create index, move alias) and the sink (write). */
    static final Set<String> WRITER_PRIVILEGES =
            Set.of("create_index", "manage", "write", "read", "view_index_metadata");

    /** What the CLI, the explorer and Kibana users need to search. */
    static final Set<String> READER_PRIVILEGES = Set.of("read", "view_index_metadata");

    static Stream<Kustomize.Rendered> variants() {
        return FlinkDeploymentsTest.variants();
    }

    @Test
    void everyTemplateFileIsAnIndexFamilyTheSetupJobInstalls() throws IOException {
        Set<String> files = new TreeSet<>();
        try (Stream<Path> list = Files.list(TEMPLATES)) {
            list.map(p -> p.getFileName().toString()).forEach(files::add);
        }
        Set<String> families = new TreeSet<>();
        for (TraceIndex index : TraceIndex.values()) {
            families.add(index.alias() + ".json");
            // what the setup Job's CLI reads from its class path, with the pattern of the index
            JsonNode template = template(index);
            List<String> patterns = new ArrayList<>();
            template.path("index_patterns").forEach(p -> patterns.add(p.asText()));
            assertTrue(
                    patterns.stream().anyMatch(p -> glob(p, index.concreteIndex())),
                    index + ": " + patterns + " do not match " + index.concreteIndex());
            for (TraceIndex other : TraceIndex.values()) {
                assertTrue(
                        other == index
                                || patterns.stream().noneMatch(p -> glob(p, other.concreteIndex())),
                        index + "'s template also matches " + other.concreteIndex());
            }
        }
        assertEquals(families, files, "template files and TraceIndex families");
        assertTrue(setupArguments().contains("--install-templates"));
    }

    @Test
    void everyIndexHasAKibanaDataViewWhoseTimeFieldItMaps() {
        Map<String, JsonNode> dataViews = dataViews(savedObjectsTheSetupJobImports());
        assertEquals(List.of(), dataViewProblems(dataViews));
    }

    @Test
    void aMissingOrStaleDataViewIsFound() {
        Map<String, JsonNode> dataViews =
                new LinkedHashMap<>(dataViews(savedObjectsTheSetupJobImports()));
        dataViews.remove(TraceIndex.UNITS.alias());
        dataViews.put("trace-batches", JSON.createObjectNode());
        ObjectNode closures = (ObjectNode) dataViews.get(TraceIndex.CLOSURES.alias()).deepCopy();
        closures.withObject("/attributes").put("timeFieldName", "closedAt");
        dataViews.put(TraceIndex.CLOSURES.alias(), closures);
        assertEquals(
                List.of(
                        "trace-closures: time field closedAt is not a date in its template",
                        "no data view for trace-units",
                        "data view trace-batches has no index template"),
                dataViewProblems(dataViews));
    }

    @ParameterizedTest
    @MethodSource("variants")
    void theRolesLetTheJobsWriteAndTheCliReadEveryIndex(Kustomize.Rendered rendered) {
        ObjectNode elasticsearch = rendered.get("Elasticsearch", "trace");
        List<String> roleSecrets = new ArrayList<>();
        elasticsearch
                .path("spec")
                .path("auth")
                .path("roles")
                .forEach(r -> roleSecrets.add(r.path("secretName").asText()));
        JsonNode roles = roles(rendered, roleSecrets);
        assertEquals(List.of(), missingPrivileges(roles));
        // the writer may install templates (the jobs and the setup Job do at start)
        List<String> cluster = new ArrayList<>();
        roles.path("batchtrace_writer").path("cluster").forEach(c -> cluster.add(c.asText()));
        assertTrue(cluster.contains("manage_index_templates"), cluster.toString());
    }

    @Test
    void anIndexTheRolesDoNotCoverIsFound() throws IOException {
        JsonNode narrow =
                Kustomize.YAML.readTree(
                        """
                        batchtrace_writer:
                          indices:
                            - names: ["trace-lots*", "trace-shipments*", "trace-work-orders*", "trace-alerts*", "trace-dead-letters*"]
                              privileges: ["create_index", "manage", "write", "read", "view_index_metadata"]
                        batchtrace_reader:
                          indices:
                            - names: ["trace-*"]
                              privileges: ["read"]
                        """);
        List<String> missing = missingPrivileges(narrow);
        assertTrue(missing.contains("batchtrace_writer: write on trace-units"), missing.toString());
        assertTrue(
                missing.contains("batchtrace_writer: create_index on trace-closures-v1"),
                missing.toString());
        assertTrue(
                missing.contains("batchtrace_reader: view_index_metadata on trace-lots"),
                missing.toString());
        assertFalse(
                missing.stream().anyMatch(m -> m.contains("trace-lots-v1")), missing.toString());
    }

    @ParameterizedTest
    @MethodSource("variants")
    void everyIndexKeepsAReplicaOnTheEckCluster(Kustomize.Rendered rendered) throws IOException {
        int nodes = 0;
        for (JsonNode nodeSet :
                rendered.get("Elasticsearch", "trace").path("spec").path("nodeSets")) {
            nodes += nodeSet.path("count").asInt();
        }
        assertTrue(nodes >= 3, "nodes: " + nodes);
        for (TraceIndex index : TraceIndex.values()) {
            JsonNode settings = template(index).path("template").path("settings");
            assertTrue(
                    replicas(settings, nodes) >= 1,
                    index.alias() + " has no replica on " + nodes + " nodes: " + settings);
        }
        assertEquals(
                0, replicas(JSON.readTree("{\"index\":{\"auto_expand_replicas\":\"0-1\"}}"), 1));
        assertEquals(0, replicas(JSON.readTree("{\"index\":{\"number_of_replicas\":0}}"), 3));
    }

    /** Replicas an index with these settings gets on a cluster of {@code nodes} data nodes. */
    static int replicas(JsonNode settings, int nodes) {
        JsonNode index = settings.has("index") ? settings.path("index") : settings;
        String auto = index.path("auto_expand_replicas").asText("false");
        if (!auto.equals("false") && !auto.isEmpty()) {
            String[] range = auto.split("-");
            int low = Integer.parseInt(range[0]);
            int high = range[1].equals("all") ? Integer.MAX_VALUE : Integer.parseInt(range[1]);
            return Math.max(low, Math.min(high, nodes - 1));
        }
        // Elasticsearch's default is one replica
        return index.path("number_of_replicas").asInt(1);
    }

    static List<String> dataViewProblems(Map<String, JsonNode> dataViews) {
        List<String> problems = new ArrayList<>();
        for (TraceIndex index : TraceIndex.values()) {
            JsonNode view = dataViews.get(index.alias());
            if (view == null) {
                problems.add("no data view for " + index.alias());
                continue;
            }
            String timeField = view.path("attributes").path("timeFieldName").asText("");
            if (!timeField.isEmpty()) {
                JsonNode mapping =
                        field(template(index).path("template").path("mappings"), timeField);
                if (!mapping.path("type").asText().equals("date")) {
                    problems.add(
                            index.alias()
                                    + ": time field "
                                    + timeField
                                    + " is not a date in its template");
                }
            }
        }
        Set<String> aliases = new TreeSet<>();
        Arrays.stream(TraceIndex.values()).forEach(i -> aliases.add(i.alias()));
        for (String title : dataViews.keySet()) {
            if (!aliases.contains(title)) {
                problems.add("data view " + title + " has no index template");
            }
        }
        return problems;
    }

    /** The template body the setup Job's CLI installs, from its class path. */
    static JsonNode template(TraceIndex index) {
        try {
            return JSON.readTree(IndexTemplates.templateJson(index));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A field of a mapping by its dotted path ("balance.remaining"); missing if absent. */
    static JsonNode field(JsonNode mappings, String dotted) {
        JsonNode node = mappings;
        for (String part : dotted.split("\\.")) {
            node = node.path("properties").path(part);
        }
        return node;
    }

    /** index-pattern saved objects by title. */
    static Map<String, JsonNode> dataViews(Path ndjson) {
        Map<String, JsonNode> views = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(ndjson)) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode object = JSON.readTree(line);
                if (object.path("type").asText().equals("index-pattern")) {
                    views.put(object.path("attributes").path("title").asText(), object);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return views;
    }

    /** The NDJSON file the setup Job imports, where the Dockerfile copies it from. */
    static Path savedObjectsTheSetupJobImports() {
        List<String> args = setupArguments();
        String inImage = args.get(args.indexOf("--saved-objects") + 1);
        return SetupJobTest.imageSource(SetupJobTest.dockerfileCopies(), inImage)
                .orElseThrow(() -> new AssertionError(inImage + " is not in the image"));
    }

    private static List<String> setupArguments() {
        Container setup =
                Models.parse(Kustomize.base().get("Job", "batchtrace-setup"), Job.class)
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .get(0);
        return setup.getCommand();
    }

    /** The roles file of the Secret the Elasticsearch resource names (a secretGenerator). */
    static JsonNode roles(Kustomize.Rendered rendered, List<String> secretNames) {
        assertFalse(secretNames.isEmpty(), "the Elasticsearch resource names no roles Secret");
        for (Kustomize.SecretGenerator generator : rendered.secretGenerators()) {
            if (secretNames.contains(generator.name())) {
                Path file = generator.files().get("roles.yml");
                assertTrue(file != null, generator.name() + " has no roles.yml");
                try {
                    return Kustomize.YAML.readTree(file.toFile());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        throw new AssertionError("no secretGenerator for " + secretNames);
    }

    /** Per role, the privileges it lacks on the aliases (and for the writer the indices). */
    static List<String> missingPrivileges(JsonNode roles) {
        List<String> missing = new ArrayList<>();
        for (TraceIndex index : TraceIndex.values()) {
            for (String name : List.of(index.alias(), index.concreteIndex())) {
                require(roles, "batchtrace_writer", name, WRITER_PRIVILEGES, missing);
            }
            require(roles, "batchtrace_reader", index.alias(), READER_PRIVILEGES, missing);
        }
        return missing;
    }

    private static void require(
            JsonNode roles, String role, String index, Set<String> wanted, List<String> missing) {
        Set<String> granted = new TreeSet<>();
        for (JsonNode entry : roles.path(role).path("indices")) {
            boolean matches = false;
            for (JsonNode pattern : entry.path("names")) {
                matches |= glob(pattern.asText(), index);
            }
            if (matches) {
                entry.path("privileges").forEach(p -> granted.add(p.asText()));
            }
        }
        for (String privilege : new TreeSet<>(wanted)) {
            if (!granted.contains(privilege) && !granted.contains("all")) {
                missing.add(role + ": " + privilege + " on " + index);
            }
        }
    }

    /** Elasticsearch index name patterns: {@code *} and {@code ?} wildcards. */
    static boolean glob(String pattern, String name) {
        StringBuilder regex = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            regex.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
        }
        return name.matches(regex.toString());
    }
}
