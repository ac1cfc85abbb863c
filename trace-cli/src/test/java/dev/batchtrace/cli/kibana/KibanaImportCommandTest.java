package dev.batchtrace.cli.kibana;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchtrace.cli.CliRun;
import dev.batchtrace.cli.TraceCli;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code trace kibana import} against a local stand-in that checks what Kibana would get. */
class KibanaImportCommandTest {

    static final Path SAVED_OBJECTS = Path.of("../deploy/kibana/trace-saved-objects.ndjson");
    static final Path RULE = Path.of("../deploy/kibana/trace-alerts-rule.json");
    static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void importsEverySavedObjectAsMultipartThenCreatesTheRule() throws Exception {
        int objects =
                Files.readAllLines(SAVED_OBJECTS).stream()
                        .filter(l -> !l.isBlank())
                        .toList()
                        .size();
        try (KibanaStandIn kibana =
                new KibanaStandIn(
                        request ->
                                request.path().startsWith("/api/saved_objects/_import")
                                        ? new KibanaStandIn.Response(
                                                200,
                                                "{\"success\":true,\"successCount\":"
                                                        + objects
                                                        + "}")
                                        : new KibanaStandIn.Response(200, "{\"id\":\"x\"}"))) {
            CliRun run =
                    run(
                            Map.of(KibanaImportCommand.PASSWORD_ENV, "s3cret"),
                            "kibana",
                            "import",
                            "--url",
                            kibana.url() + "/",
                            "--user",
                            "elastic",
                            "--saved-objects",
                            SAVED_OBJECTS.toString(),
                            "--rule",
                            RULE.toString());
            assertEquals(0, run.exitCode(), run.err());
            assertTrue(run.out().contains("imported " + objects + " saved objects"), run.out());
            assertTrue(
                    run.out().contains("alerting rule batchtrace-affected-shipments created"),
                    run.out());

            assertEquals(2, kibana.requests.size());
            KibanaStandIn.Request upload = kibana.requests.get(0);
            assertEquals("POST", upload.method());
            assertEquals("/api/saved_objects/_import?overwrite=true", upload.path());
            assertEquals("true", upload.header("kbn-xsrf"));
            assertEquals(
                    "Basic "
                            + Base64.getEncoder()
                                    .encodeToString(
                                            "elastic:s3cret".getBytes(StandardCharsets.UTF_8)),
                    upload.header("Authorization"));
            List<String> parts = multipartFiles(upload);
            assertEquals(1, parts.size(), "one file part");
            assertEquals(Files.readString(SAVED_OBJECTS), parts.get(0), "the file, byte for byte");

            KibanaStandIn.Request rule = kibana.requests.get(1);
            assertEquals("POST", rule.method());
            assertEquals("/api/alerting/rule/batchtrace-affected-shipments", rule.path());
            assertEquals("true", rule.header("kbn-xsrf"));
            assertTrue(rule.header("Content-Type").startsWith("application/json"));
            JsonNode body = JSON.readTree(rule.body());
            assertFalse(body.has("id"), "the id is in the path, Kibana refuses it in the body");
            assertEquals(".es-query", body.path("rule_type_id").asString());
            assertEquals("trace-alerts", body.path("params").path("index").get(0).asString());
        }
    }

    @Test
    void anExistingRuleIsUpdatedWithoutTheFieldsKibanaRefusesOnUpdate() {
        try (KibanaStandIn kibana =
                new KibanaStandIn(
                        request -> {
                            if (request.path().startsWith("/api/saved_objects")) {
                                return new KibanaStandIn.Response(
                                        200, "{\"success\":true,\"successCount\":1}");
                            }
                            return request.method().equals("POST")
                                    ? new KibanaStandIn.Response(409, "{\"statusCode\":409}")
                                    : new KibanaStandIn.Response(200, "{}");
                        })) {
            CliRun run =
                    run(
                            Map.of(),
                            "kibana",
                            "import",
                            "--url",
                            kibana.url().toString(),
                            "--api-key",
                            "a2V5",
                            "--saved-objects",
                            SAVED_OBJECTS.toString(),
                            "--rule",
                            RULE.toString());
            assertEquals(0, run.exitCode(), run.err());
            assertTrue(run.out().contains("updated"), run.out());
            KibanaStandIn.Request put = kibana.requests.get(2);
            assertEquals("PUT", put.method());
            assertEquals("ApiKey a2V5", put.header("Authorization"));
            JsonNode body = JSON.readTree(put.body());
            assertFalse(body.has("rule_type_id") || body.has("consumer") || body.has("enabled"));
            assertTrue(body.has("params") && body.has("schedule") && body.has("name"));
        }
    }

    @Test
    void refusedCredentialsAndRefusedObjectsAreClearErrors() {
        try (KibanaStandIn kibana =
                new KibanaStandIn(
                        request ->
                                new KibanaStandIn.Response(
                                        401, "{\"message\":\"unauthorized\"}"))) {
            CliRun run =
                    run(
                            Map.of(KibanaImportCommand.PASSWORD_ENV, "wrong"),
                            "kibana",
                            "import",
                            "--url",
                            kibana.url().toString(),
                            "--user",
                            "elastic",
                            "--saved-objects",
                            SAVED_OBJECTS.toString());
            assertEquals(1, run.exitCode());
            assertTrue(run.err().contains("HTTP 401"), run.err());
            assertTrue(run.err().contains("refused the credentials"), run.err());
            assertEquals(1, kibana.requests.size(), "no rule after a failed import");
        }
        try (KibanaStandIn kibana =
                new KibanaStandIn(
                        request ->
                                new KibanaStandIn.Response(
                                        200,
                                        "{\"success\":false,\"successCount\":3,\"errors\":[{\"id\":\"trace-overview\","
                                                + "\"type\":\"dashboard\",\"error\":{\"type\":\"missing_references\"}}]}"))) {
            CliRun run =
                    run(
                            Map.of(),
                            "kibana",
                            "import",
                            "--url",
                            kibana.url().toString(),
                            "--no-rule",
                            "--saved-objects",
                            SAVED_OBJECTS.toString());
            assertEquals(1, run.exitCode());
            assertTrue(
                    run.err().contains("dashboard trace-overview: missing_references"), run.err());
        }
    }

    @Test
    void noKibanaListeningAndAUserWithoutPasswordAreClearErrors() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        CliRun down =
                run(
                        Map.of(),
                        "kibana",
                        "import",
                        "--url",
                        "http://127.0.0.1:" + port,
                        "--no-rule",
                        "--saved-objects",
                        SAVED_OBJECTS.toString(),
                        "--timeout",
                        "5");
        assertEquals(1, down.exitCode());
        assertTrue(down.err().contains("does not answer"), down.err());

        CliRun noPassword =
                run(
                        Map.of(),
                        "kibana",
                        "import",
                        "--url",
                        "http://127.0.0.1:" + port,
                        "--user",
                        "elastic",
                        "--saved-objects",
                        SAVED_OBJECTS.toString());
        assertEquals(1, noPassword.exitCode());
        assertTrue(noPassword.err().contains(KibanaImportCommand.PASSWORD_ENV), noPassword.err());
    }

    /** bin/trace with the command's environment replaced (secrets come from it). */
    private static CliRun run(Map<String, String> environment, String... args) {
        CommandLine cli = TraceCli.newCommandLine();
        KibanaImportCommand command =
                (KibanaImportCommand)
                        cli.getSubcommands()
                                .get("kibana")
                                .getSubcommands()
                                .get("import")
                                .getCommand();
        command.withEnvironment(environment);
        return CliRun.of(cli, args);
    }

    /** The contents of the file parts named "file" of a multipart/form-data body. */
    static List<String> multipartFiles(KibanaStandIn.Request request) {
        Matcher boundary =
                Pattern.compile("multipart/form-data; boundary=(\\S+)")
                        .matcher(request.header("Content-Type"));
        assertTrue(boundary.find(), request.header("Content-Type"));
        String body = request.text();
        List<String> files = new ArrayList<>();
        for (String part : body.split("--" + Pattern.quote(boundary.group(1)))) {
            int headerEnd = part.indexOf("\r\n\r\n");
            if (headerEnd < 0) {
                continue;
            }
            String headers = part.substring(0, headerEnd);
            if (headers.contains("name=\"file\"")
                    && headers.contains("filename=\"trace-saved-objects.ndjson\"")) {
                String content = part.substring(headerEnd + 4);
                files.add(
                        content.substring(0, content.length() - 2)); // the CRLF before the boundary
            }
        }
        return files;
    }
}
