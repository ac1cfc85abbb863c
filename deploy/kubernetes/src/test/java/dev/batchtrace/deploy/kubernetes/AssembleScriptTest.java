package dev.batchtrace.deploy.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The init containers' assemble.sh, run for real with /bin/sh on temporary folders: the secret
 * files become properties that java.util.Properties reads back unchanged (backslashes, quotes, '=',
 * '#'), after the ConfigMap's own settings. A mistake in the escaping would hand the jobs a
 * different password than the Secret's.
 */
class AssembleScriptTest {

    /** Values a Secret may hold that a properties file would otherwise mangle. */
    static final Map<String, String> SECRETS =
            Map.of(
                    "sasl.jaas.config",
                    "org.apache.kafka.common.security.scram.ScramLoginModule required"
                            + " username=\"batchtrace-lineage\" password=\"a\\b=c#d!e:f\";",
                    "elasticsearch.password",
                    "p\\\\w d%s$HOME`x`");

    /** Paths in the scripts and where the test puts them. */
    static final List<String> PATHS =
            List.of(
                    "/etc/batchtrace/config",
                    "/etc/batchtrace/secrets",
                    "/opt/flink/batchtrace",
                    "/etc/registry/config",
                    "/etc/registry/secrets",
                    "/deployments/config",
                    "/work");

    @Test
    void everyAssembleScriptKeepsSecretValuesIntact(@TempDir Path temp) throws Exception {
        int scripts = 0;
        for (ObjectNode configMap : Kustomize.base().ofKind("ConfigMap")) {
            if (!configMap.path("data").has("assemble.sh")) {
                continue;
            }
            scripts++;
            Path root = Files.createDirectories(temp.resolve(Models.name(configMap)));
            String script = configMap.path("data").path("assemble.sh").asText();
            for (String path : PATHS) {
                Path local = root.resolve(path.substring(1));
                Files.createDirectories(local);
                script = script.replace(path, local.toString());
            }
            // the ConfigMap's files where the pod mounts them
            String baseFile = null;
            for (var entry :
                    (Iterable<Map.Entry<String, com.fasterxml.jackson.databind.JsonNode>>)
                            () -> configMap.path("data").fields()) {
                for (String dir : List.of("etc/batchtrace/config", "etc/registry/config")) {
                    Files.writeString(
                            root.resolve(dir).resolve(entry.getKey()), entry.getValue().asText());
                }
                if (entry.getKey().endsWith(".properties")) {
                    baseFile = entry.getValue().asText();
                }
            }
            for (var secret : SECRETS.entrySet()) {
                for (String dir : List.of("etc/batchtrace/secrets", "etc/registry/secrets")) {
                    Path volume =
                            Files.createDirectories(
                                    root.resolve(dir).resolve("volume-" + secret.getKey()));
                    // a Secret volume's file ends with whatever the Secret holds; a trailing
                    // newline is common
                    Files.writeString(volume.resolve(secret.getKey()), secret.getValue() + "\n");
                }
            }
            Process sh =
                    new ProcessBuilder("/bin/sh", "-c", script).redirectErrorStream(true).start();
            String output = new String(sh.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(sh.waitFor(30, TimeUnit.SECONDS));
            assertEquals(0, sh.exitValue(), Models.name(configMap) + ": " + output);

            Path assembled =
                    Files.walk(root)
                            .filter(p -> p.getFileName().toString().endsWith(".properties"))
                            .filter(p -> !p.startsWith(root.resolve("etc")))
                            .findFirst()
                            .orElseThrow(
                                    () ->
                                            new AssertionError(
                                                    "no output of " + Models.name(configMap)));
            Map<String, String> expected = load(new StringReader(baseFile));
            expected.putAll(SECRETS);
            try (Reader in = Files.newBufferedReader(assembled, StandardCharsets.UTF_8)) {
                assertEquals(expected, load(in), Models.name(configMap));
            }
        }
        assertEquals(4, scripts, "lineage, machine, registry, setup");
    }

    private static Map<String, String> load(Reader reader) throws IOException {
        Properties properties = new Properties();
        properties.load(reader);
        Map<String, String> map = new TreeMap<>();
        properties.stringPropertyNames().forEach(k -> map.put(k, properties.getProperty(k)));
        return map;
    }
}
