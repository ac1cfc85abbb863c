package dev.batchtrace.deploy.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The part of kustomize the manifests use, so that tests see what {@code kubectl apply -k} would
 * apply: resources (files and directories with a kustomization.yaml), namespace, patches by file
 * (target = kind and name of the patch; JSON merge patch, which is what kustomize does for custom
 * resources: lists are replaced) and secret generators from files. Anything else in a
 * kustomization.yaml fails, so a feature this renderer does not understand cannot slip by.
 */
final class Kustomize {

    static final ObjectMapper YAML = new YAMLMapper();

    /** Module directory (the tests run in deploy/kubernetes). */
    static final Path MODULE = Path.of("").toAbsolutePath();

    static final Path BASE = MODULE.resolve("base");
    static final List<String> OVERLAYS = List.of("small-plant", "large-plant");

    private static final Set<String> KNOWN_FIELDS =
            Set.of(
                    "apiVersion",
                    "kind",
                    "namespace",
                    "resources",
                    "patches",
                    "secretGenerator",
                    "generatorOptions");

    /** Cluster-scoped kinds: no namespace is set on them. */
    private static final Set<String> CLUSTER_SCOPED =
            Set.of("Namespace", "ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition");

    /** A secret generator: its name and the files it reads (key -> path). */
    record SecretGenerator(String name, Map<String, Path> files, List<String> literals) {}

    record Rendered(List<ObjectNode> resources, List<SecretGenerator> secretGenerators) {

        /** The one resource of this kind and name. */
        ObjectNode get(String kind, String name) {
            return resources.stream()
                    .filter(r -> r.path("kind").asText().equals(kind))
                    .filter(r -> r.path("metadata").path("name").asText().equals(name))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no " + kind + " " + name));
        }

        List<ObjectNode> ofKind(String kind) {
            return resources.stream().filter(r -> r.path("kind").asText().equals(kind)).toList();
        }
    }

    private Kustomize() {}

    static Rendered base() {
        return render(BASE);
    }

    static Rendered overlay(String name) {
        return render(MODULE.resolve("overlays").resolve(name));
    }

    static Rendered render(Path directory) {
        JsonNode kustomization = readOne(directory.resolve("kustomization.yaml"));
        kustomization
                .fieldNames()
                .forEachRemaining(
                        field -> {
                            if (!KNOWN_FIELDS.contains(field)) {
                                throw new IllegalStateException(
                                        directory
                                                + "/kustomization.yaml: '"
                                                + field
                                                + "' is not understood by the test renderer");
                            }
                        });
        List<ObjectNode> resources = new ArrayList<>();
        List<SecretGenerator> generators = new ArrayList<>();
        for (JsonNode entry : kustomization.path("resources")) {
            Path path = directory.resolve(entry.asText()).normalize();
            if (Files.isDirectory(path)) {
                Rendered inner = render(path);
                resources.addAll(inner.resources());
                generators.addAll(inner.secretGenerators());
            } else {
                resources.addAll(readAll(path));
            }
        }
        for (JsonNode generator : kustomization.path("secretGenerator")) {
            Map<String, Path> files = new java.util.LinkedHashMap<>();
            for (JsonNode file : generator.path("files")) {
                String[] keyAndPath = file.asText().split("=", 2);
                Path path = directory.resolve(keyAndPath[keyAndPath.length - 1]).normalize();
                if (!Files.isRegularFile(path)) {
                    throw new IllegalStateException("secretGenerator file missing: " + path);
                }
                files.put(
                        keyAndPath.length == 2 ? keyAndPath[0] : path.getFileName().toString(),
                        path);
            }
            List<String> literals = new ArrayList<>();
            generator.path("literals").forEach(l -> literals.add(l.asText()));
            generators.add(new SecretGenerator(generator.path("name").asText(), files, literals));
        }
        for (JsonNode patch : kustomization.path("patches")) {
            if (!patch.has("path") || patch.size() != 1) {
                throw new IllegalStateException(
                        directory + ": only 'patches: - path: FILE' is supported, got " + patch);
            }
            for (ObjectNode patchDocument :
                    readAll(directory.resolve(patch.get("path").asText()))) {
                ObjectNode target = findTarget(resources, patchDocument, directory);
                mergePatch(target, patchDocument);
            }
        }
        String namespace = kustomization.path("namespace").asText(null);
        if (namespace != null) {
            for (ObjectNode resource : resources) {
                if (!CLUSTER_SCOPED.contains(resource.path("kind").asText())) {
                    ((ObjectNode) resource.get("metadata")).put("namespace", namespace);
                }
            }
        }
        return new Rendered(resources, generators);
    }

    private static ObjectNode findTarget(
            List<ObjectNode> resources, ObjectNode patch, Path directory) {
        String kind = patch.path("kind").asText();
        String name = patch.path("metadata").path("name").asText();
        String group = group(patch.path("apiVersion").asText());
        List<ObjectNode> matches =
                resources.stream()
                        .filter(r -> r.path("kind").asText().equals(kind))
                        .filter(r -> r.path("metadata").path("name").asText().equals(name))
                        .filter(r -> group(r.path("apiVersion").asText()).equals(group))
                        .toList();
        if (matches.size() != 1) {
            throw new IllegalStateException(
                    directory
                            + ": patch for "
                            + kind
                            + " "
                            + name
                            + " matches "
                            + matches.size()
                            + " resources (kustomize fails on this too)");
        }
        return matches.get(0);
    }

    private static String group(String apiVersion) {
        int slash = apiVersion.indexOf('/');
        return slash < 0 ? "" : apiVersion.substring(0, slash);
    }

    /** RFC 7386: objects merge, null deletes, everything else (lists too) replaces. */
    static void mergePatch(ObjectNode target, JsonNode patch) {
        Iterator<Map.Entry<String, JsonNode>> fields = patch.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode value = field.getValue();
            if (value.isNull()) {
                target.remove(field.getKey());
            } else if (value.isObject() && target.path(field.getKey()).isObject()) {
                mergePatch((ObjectNode) target.get(field.getKey()), value);
            } else {
                target.set(field.getKey(), value.deepCopy());
            }
        }
    }

    static JsonNode readOne(Path file) {
        List<ObjectNode> documents = readAll(file);
        if (documents.size() != 1) {
            throw new IllegalStateException(file + ": expected one YAML document");
        }
        return documents.get(0);
    }

    /** Every non-empty YAML document of a file. */
    static List<ObjectNode> readAll(Path file) {
        try {
            List<ObjectNode> documents = new ArrayList<>();
            try (var parser = new YAMLFactory().createParser(file.toFile())) {
                var values = YAML.readValues(parser, JsonNode.class);
                while (values.hasNext()) {
                    JsonNode document = values.next();
                    if (document != null && document.isObject()) {
                        documents.add((ObjectNode) document);
                    } else if (document != null
                            && !document.isNull()
                            && !document.isMissingNode()) {
                        throw new IllegalStateException(file + ": a document is not an object");
                    }
                }
            }
            return documents;
        } catch (IOException e) {
            throw new UncheckedIOException(file.toString(), e);
        }
    }
}
