package dev.batchtrace.deploy.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Credentials only come from Secrets the manifests reference: no Secret object with data, no
 * literal value under a secret-looking name (env, properties, config maps, args), no generator
 * literals.
 */
class NoSecretsInManifestsTest {

    /** Names whose values are credentials (properties keys, env names, args, config fields). */
    static final Pattern SECRET_NAME =
            Pattern.compile(
                    "(?i).*(password|passwd|secret|token|api[-_.]?key|jaas|user\\.info|"
                            + "encryptionkey|webhook\\.urls|webhook\\.header\\.|credential).*");

    static Stream<Kustomize.Rendered> variants() {
        return FlinkDeploymentsTest.variants();
    }

    @ParameterizedTest
    @MethodSource("variants")
    void noCredentialIsWrittenInAManifest(Kustomize.Rendered rendered) {
        List<String> found = new ArrayList<>();
        for (ObjectNode resource : rendered.resources()) {
            found.addAll(secretsIn(resource));
        }
        assertEquals(List.of(), found);
        for (Kustomize.SecretGenerator generator : rendered.secretGenerators()) {
            assertEquals(List.of(), generator.literals(), generator.name());
            for (var file : generator.files().entrySet()) {
                try {
                    String text = Files.readString(file.getValue());
                    assertFalse(
                            Pattern.compile("(?i)password\\s*[:=]").matcher(text).find(),
                            file.getValue() + " holds a password");
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }

    @Test
    void aPasswordInAConfigMapOrAnEnvValueIsFound() {
        ObjectNode configMap = Kustomize.base().get("ConfigMap", "lineage-job-config").deepCopy();
        ObjectNode data = (ObjectNode) configMap.get("data");
        data.put(
                "job.properties",
                data.get("job.properties").asText() + "elasticsearch.password=x\n");
        assertFalse(secretsIn(configMap).isEmpty());

        ObjectNode job = Kustomize.base().get("Job", "batchtrace-setup").deepCopy();
        ObjectNode env = (ObjectNode) job.at("/spec/template/spec/containers/0/env/0");
        env.remove("valueFrom");
        env.put("value", "hunter2");
        assertFalse(secretsIn(job).isEmpty());

        ObjectNode secret = Kustomize.YAML.createObjectNode();
        secret.put("kind", "Secret");
        assertFalse(secretsIn(secret).isEmpty());

        assertTrue(secretsIn(Kustomize.base().get("ConfigMap", "machine-job-config")).isEmpty());
    }

    /** Credentials written in one resource (empty when it only references Secrets). */
    static List<String> secretsIn(ObjectNode resource) {
        List<String> found = new ArrayList<>();
        String where = resource.path("kind").asText() + " " + Models.name(resource);
        if (resource.path("kind").asText().equals("Secret")) {
            found.add(where + ": a Secret in the manifests (create it outside, reference it)");
        }
        walk(resource, "", where, found);
        if (resource.path("kind").asText().equals("ConfigMap")) {
            resource.path("data")
                    .fields()
                    .forEachRemaining(
                            entry ->
                                    checkProperties(
                                            entry.getKey(),
                                            entry.getValue().asText(),
                                            where,
                                            found));
        }
        return found;
    }

    private static void checkProperties(
            String file, String text, String where, List<String> found) {
        if (!file.endsWith(".properties")) {
            return;
        }
        Properties properties = new Properties();
        try {
            properties.load(new StringReader(text));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (String key : properties.stringPropertyNames()) {
            if (SECRET_NAME.matcher(key).matches()) {
                found.add(where + " " + file + ": " + key + " has a value");
            }
        }
    }

    private static void walk(JsonNode node, String path, String where, List<String> found) {
        if (node.isObject()) {
            // env: {name: X_PASSWORD, value: ...} must use valueFrom
            if (node.has("name")
                    && node.has("value")
                    && SECRET_NAME.matcher(node.get("name").asText()).matches()) {
                found.add(
                        where
                                + " "
                                + path
                                + ": "
                                + node.get("name").asText()
                                + " has a literal value");
            }
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                String key = field.getKey();
                JsonNode value = field.getValue();
                // secretName: a reference to a Secret, which is the point
                if (value.isValueNode()
                        && !key.equals("secretName")
                        && SECRET_NAME.matcher(key).matches()
                        && !value.asText().matches("\\$\\{[A-Z_]+}")) {
                    found.add(where + " " + path + "." + key + ": literal value");
                }
                if (key.equals("stringData")) {
                    found.add(where + ": stringData");
                }
                walk(value, path + "." + key, where, found);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                JsonNode item = node.get(i);
                // --password VALUE on a command line lands in the process list and in Flink's UI
                if (item.isTextual()
                        && item.asText().startsWith("--")
                        && SECRET_NAME.matcher(item.asText()).matches()) {
                    found.add(where + " " + path + ": argument " + item.asText());
                }
                walk(item, path + "[" + i + "]", where, found);
            }
        }
    }
}
