package dev.batchtrace.deploy.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The main README's "Secured connections": the one {@code --config} format every part reads. Other
 * READMEs point to it by name (a merge once dropped it), and its example and key table must name
 * only keys the jobs and connectors read.
 */
class SecuredConnectionsReadmeTest {

    static final Path README = Kustomize.MODULE.resolve("../../README.md").normalize();

    @Test
    void theSectionsOtherReadmesPointToExist() throws IOException {
        String text = Files.readString(README);
        assertTrue(text.contains("\n## Secured connections\n"), "README: Secured connections");
        assertTrue(
                text.contains("\n## Alerts to chat and e-mail (webhooks)\n"),
                "README: Alerts to chat and e-mail (webhooks)");
    }

    @Test
    void everyKeyOfTheExampleIsOneTheLineageJobReads() throws IOException {
        String section = section();
        int start = section.indexOf("```properties\n");
        assertTrue(start >= 0, "an example config file");
        int end = section.indexOf("```", start + 3);
        List<String> unknown = new ArrayList<>();
        int keys = 0;
        for (String line : section.substring(start, end).split("\n")) {
            if (line.isBlank() || line.startsWith("#") || line.startsWith("```")) {
                continue;
            }
            String key = line.substring(0, line.indexOf('='));
            keys++;
            KnownKeys.unknownJobKey(key, KnownKeys.lineage()).ifPresent(unknown::add);
        }
        assertEquals(List.of(), unknown);
        assertTrue(keys >= 12, "keys in the example: " + keys);
    }

    @Test
    void everyKeyOfTheTableIsOneAJobOrConnectorReads() throws IOException {
        Set<String> keys = tableKeys(section());
        List<String> unknown = new ArrayList<>();
        for (String key : keys) {
            KnownKeys.unknownJobKey(key, KnownKeys.lineage()).ifPresent(unknown::add);
        }
        assertEquals(List.of(), unknown, "table keys: " + keys);
        assertTrue(keys.contains("elasticsearch.api-key"), "table keys: " + keys);
        assertTrue(keys.contains("schema.registry.ssl.truststore.password"), "table keys: " + keys);
    }

    @Test
    void aMisspelledKeyInTheTableIsFound() {
        Set<String> keys = tableKeys("| `elasticsearch.tls.ca-certificat` | same | PEM |\n");
        assertEquals(Set.of("elasticsearch.tls.ca-certificat"), keys);
        assertTrue(
                KnownKeys.unknownJobKey("elasticsearch.tls.ca-certificat", KnownKeys.lineage())
                        .isPresent());
    }

    private static String section() throws IOException {
        String text = Files.readString(README);
        int start = text.indexOf("\n## Secured connections\n");
        assertTrue(start >= 0, "README: Secured connections");
        int end = text.indexOf("\n## ", start + 1);
        return text.substring(start, end < 0 ? text.length() : end);
    }

    /**
     * The backticked keys of the table's first column; {@code `a.b.location`, `.password`} is
     * shorthand for {@code a.b.password}; {@code <placeholders>} are left out (patterns, checked by
     * {@link KnownKeys#unknownJobKey} where they are used).
     */
    static Set<String> tableKeys(String section) {
        Set<String> keys = new TreeSet<>();
        Matcher row = Pattern.compile("(?m)^\\| ([^|]+) \\|").matcher(section);
        Pattern key = Pattern.compile("`([^`]+)`");
        while (row.find()) {
            String previous = null;
            Matcher k = key.matcher(row.group(1));
            while (k.find()) {
                String name = k.group(1);
                if (name.startsWith(".") && previous != null) {
                    name = previous.substring(0, previous.lastIndexOf('.')) + name;
                }
                if (!name.contains("<") && name.contains(".")) {
                    keys.add(name);
                }
                previous = name;
            }
        }
        return keys;
    }
}
