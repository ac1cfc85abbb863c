package dev.batchtrace.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every current schema (src/main/avro) must read data written with every released version of itself
 * (src/main/released/vN): BACKWARD compatibility, as the registry is configured.
 */
class SchemaCompatibilityTest {

    private static final Path CURRENT = Path.of("src/main/avro");
    private static final Path RELEASED = Path.of("src/main/released");

    @Test
    void everyCurrentSchemaReadsEveryReleasedVersionOfItself() throws IOException {
        List<String> failures = check(CURRENT, RELEASED);
        if (!failures.isEmpty()) {
            fail(
                    "schema changes that break BACKWARD compatibility:\n"
                            + String.join("\n", failures));
        }
    }

    @Test
    void releasedSchemaWithoutCurrentCounterpartFails(@TempDir Path dir) throws IOException {
        Path current = Files.createDirectories(dir.resolve("avro"));
        Path v1 = Files.createDirectories(dir.resolve("released/v1"));
        Files.copy(CURRENT.resolve("LotFlag.avsc"), current.resolve("LotFlag.avsc"));
        Files.copy(CURRENT.resolve("LotFlag.avsc"), v1.resolve("LotFlag.avsc"));
        Files.copy(CURRENT.resolve("QcResult.avsc"), v1.resolve("QcResult.avsc"));

        assertEquals(
                List.of(
                        "v1/dev.batchtrace.events.QcResult: released but has no current schema in "
                                + current),
                check(current, dir.resolve("released")));
    }

    @Test
    void breakingChangeInACurrentFileFailsTheCheckNamingTheField(@TempDir Path dir)
            throws IOException {
        Path current = Files.createDirectories(dir.resolve("avro"));
        Path v1 = Files.createDirectories(dir.resolve("released/v1"));
        Files.copy(RELEASED.resolve("v1/LotFlag.avsc"), v1.resolve("LotFlag.avsc"));
        Files.writeString(
                current.resolve("LotFlag.avsc"),
                withExtraField(parseDirectory(v1).values().iterator().next(), "approvedBy", false)
                        .toString());

        List<String> failures = check(current, dir.resolve("released"));

        assertEquals(1, failures.size(), failures.toString());
        assertTrue(
                failures.get(0).startsWith("v1/dev.batchtrace.events.LotFlag: field 'approvedBy'"),
                failures.get(0));
    }

    /**
     * Checks every release directory under {@code released} against the schemas in {@code current};
     * returns one line per problem.
     */
    private static List<String> check(Path current, Path released) throws IOException {
        Map<String, Schema> now = parseDirectory(current);
        List<Path> releases = releaseDirectories(released);
        assertFalse(releases.isEmpty(), "no released versions under " + released);
        List<String> failures = new ArrayList<>();
        for (Path release : releases) {
            for (Map.Entry<String, Schema> old : parseDirectory(release).entrySet()) {
                String name = release.getFileName() + "/" + old.getKey();
                Schema reader = now.get(old.getKey());
                if (reader == null) {
                    failures.add(name + ": released but has no current schema in " + current);
                    continue;
                }
                for (String problem : BackwardCompatibility.problems(reader, old.getValue())) {
                    failures.add(name + ": " + problem);
                }
            }
        }
        return failures;
    }

    @Test
    void releaseV1CoversEveryCurrentSchema() throws IOException {
        assertEquals(
                parseDirectory(CURRENT).keySet(), parseDirectory(RELEASED.resolve("v1")).keySet());
    }

    @Test
    void newRequiredFieldWithoutDefaultIsCaughtAndNamed() throws IOException {
        Schema released =
                parseDirectory(RELEASED.resolve("v1")).get("dev.batchtrace.events.LotFlag");
        Schema broken = withExtraField(released, "approvedBy", false);

        List<String> problems = BackwardCompatibility.problems(broken, released);

        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("field 'approvedBy'"), problems.get(0));
        assertTrue(problems.get(0).contains("READER_FIELD_MISSING_DEFAULT_VALUE"), problems.get(0));
    }

    @Test
    void newOptionalFieldWithDefaultIsAccepted() throws IOException {
        Schema released =
                parseDirectory(RELEASED.resolve("v1")).get("dev.batchtrace.events.LotFlag");

        assertEquals(
                List.of(),
                BackwardCompatibility.problems(
                        withExtraField(released, "approvedBy", true), released));
    }

    @Test
    void typeChangeInsideNestedRecordIsNamedByPath() throws IOException {
        Schema released =
                parseDirectory(RELEASED.resolve("v1")).get("dev.batchtrace.events.DispatchNote");
        // quantity double -> int: an int reader cannot read a written double
        String json =
                released.toString()
                        .replace(
                                "\"quantity\",\"type\":\"double\"",
                                "\"quantity\",\"type\":\"int\"");
        Schema broken = new Schema.Parser().parse(json);

        List<String> problems = BackwardCompatibility.problems(broken, released);

        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("field 'lines[].quantity'"), problems.get(0));
    }

    @Test
    void removedEnumSymbolIsCaught() throws IOException {
        Schema released =
                parseDirectory(RELEASED.resolve("v1")).get("dev.batchtrace.events.QcResult");
        String json = released.toString().replace("[\"PASS\",\"FAIL\"]", "[\"PASS\"]");

        List<String> problems =
                BackwardCompatibility.problems(new Schema.Parser().parse(json), released);

        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("field 'result'"), problems.get(0));
    }

    /** A copy of a record schema with one more string field, with or without a default. */
    private static Schema withExtraField(Schema record, String name, boolean withDefault) {
        List<Schema.Field> fields = new ArrayList<>();
        for (Schema.Field f : record.getFields()) {
            fields.add(new Schema.Field(f, f.schema()));
        }
        fields.add(
                withDefault
                        ? new Schema.Field(
                                name,
                                SchemaBuilder.unionOf().nullType().and().stringType().endUnion(),
                                "test field",
                                Schema.Field.NULL_DEFAULT_VALUE)
                        : new Schema.Field(name, Schema.create(Schema.Type.STRING), "test field"));
        return Schema.createRecord(
                record.getName(), record.getDoc(), record.getNamespace(), false, fields);
    }

    private static List<Path> releaseDirectories(Path released) throws IOException {
        try (Stream<Path> dirs = Files.list(released)) {
            return dirs.filter(Files::isDirectory).sorted().toList();
        }
    }

    /** Full name -> schema of every .avsc in a directory, each parsed on its own. */
    private static Map<String, Schema> parseDirectory(Path dir) throws IOException {
        Map<String, Schema> schemas = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".avsc")).toList()) {
                Schema schema = new Schema.Parser().parse(file.toFile());
                schemas.put(schema.getFullName(), schema);
            }
        }
        return schemas;
    }
}
