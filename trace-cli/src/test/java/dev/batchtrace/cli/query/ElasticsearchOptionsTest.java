package dev.batchtrace.cli.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchtrace.connectors.elasticsearch.ElasticsearchSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ElasticsearchOptionsTest {

    @TempDir Path dir;

    private static ElasticsearchOptions parse(String... args) {
        ElasticsearchOptions options = new ElasticsearchOptions();
        new CommandLine(options).parseArgs(args);
        return options;
    }

    @Test
    void defaultsToTheLocalStackUnlessTheEnvironmentSaysOtherwise() {
        assertEquals(List.of("http://127.0.0.1:9200"), parse().settings(Map.of()).hosts());
        assertEquals(
                List.of("http://es:9200"),
                parse().settings(Map.of(ElasticsearchOptions.URL_ENV, "http://es:9200")).hosts());
    }

    @Test
    void theConfigFileBeatsTheEnvironmentAndTheUrlOptionBeatsBoth() throws Exception {
        Path file = dir.resolve("es.properties");
        Files.writeString(
                file,
                "elasticsearch.hosts=https://es-1:9200,https://es-2:9200\n"
                        + "elasticsearch.api-key=c2VjcmV0\n"
                        + "elasticsearch.tls.ca-fingerprint=AA:BB\n"
                        + "other.key=ignored\n");
        Map<String, String> env = Map.of(ElasticsearchOptions.URL_ENV, "http://env:9200");

        ElasticsearchSettings fromFile = parse("--es-config", file.toString()).settings(env);
        assertEquals(List.of("https://es-1:9200", "https://es-2:9200"), fromFile.hosts());
        assertEquals("c2VjcmV0", fromFile.apiKey());
        assertEquals("AA:BB", fromFile.caFingerprint());

        ElasticsearchSettings overridden =
                parse("--es-config", file.toString(), "--elasticsearch-url", "https://other:9243")
                        .settings(env);
        assertEquals(List.of("https://other:9243"), overridden.hosts());
        assertEquals("c2VjcmV0", overridden.apiKey(), "credentials still from the file");
    }

    @Test
    void aTypoInTheConfigFileNamesTheFileAndTheKey() throws Exception {
        Path file = dir.resolve("typo.properties");
        Files.writeString(file, "elasticsearch.apikey=x\n");

        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> parse("--es-config", file.toString()).settings(Map.of()));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(
                e.getMessage().contains("unknown setting 'elasticsearch.apikey'"), e.getMessage());
    }

    @Test
    void aMissingConfigFileIsNamed() {
        Path missing = dir.resolve("missing.properties");
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> parse("--es-config", missing.toString()).settings(Map.of()));
        assertTrue(e.getMessage().startsWith("cannot read --config " + missing), e.getMessage());
    }
}
