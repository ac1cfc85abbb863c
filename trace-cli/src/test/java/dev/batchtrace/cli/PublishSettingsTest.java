package dev.batchtrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where {@code publish} and {@code import epcis} take their Kafka and registry settings from: the
 * config file, flags over it, the local stack where neither says.
 */
class PublishSettingsTest {

    private static final Endpoints LOCAL =
            new Endpoints("127.0.0.1:9092", "http://127.0.0.1:8081/apis/ccompat/v7", "-");

    @Test
    void theConfigFileWinsOverTheLocalStackAndFlagsOverTheFile(@TempDir Path dir) throws Exception {
        Path secret = dir.resolve("registry-password");
        Files.writeString(secret, "s3cret\n");
        Path config = dir.resolve("plant.properties");
        Files.write(
                config,
                List.of(
                        "bootstrap.servers=kafka-1:9093",
                        "security.protocol=SASL_SSL",
                        "schema.registry.url=https://registry:8443/apis/ccompat/v7",
                        "schema.registry.basic.auth.user.info=mes:${file:" + secret + "}"));

        Map<String, String> fromFile = PublishCommand.connectionSettings(config, null, null, LOCAL);
        assertEquals("kafka-1:9093", fromFile.get("bootstrap.servers"));
        assertEquals("SASL_SSL", fromFile.get("security.protocol"));
        assertEquals("https://registry:8443/apis/ccompat/v7", fromFile.get("schema.registry.url"));
        assertEquals("mes:s3cret", fromFile.get("schema.registry.basic.auth.user.info"));

        Map<String, String> flags =
                PublishCommand.connectionSettings(config, "kafka-2:9093", "https://r2", LOCAL);
        assertEquals("kafka-2:9093", flags.get("bootstrap.servers"));
        assertEquals("https://r2", flags.get("schema.registry.url"));
        assertEquals("SASL_SSL", flags.get("security.protocol"), "the file's other keys stay");

        Map<String, String> local = PublishCommand.connectionSettings(null, null, null, LOCAL);
        assertEquals(
                Map.of(
                        "bootstrap.servers", "127.0.0.1:9092",
                        "schema.registry.url", "http://127.0.0.1:8081/apis/ccompat/v7"),
                local);
    }
}
