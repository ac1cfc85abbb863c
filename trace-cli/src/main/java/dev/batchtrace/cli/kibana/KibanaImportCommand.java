package dev.batchtrace.cli.kibana;

import dev.batchtrace.cli.query.ElasticsearchOptions;
import dev.batchtrace.connectors.elasticsearch.IndexTemplates;
import dev.batchtrace.stack.Checkout;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code trace kibana import --url URL}: the saved objects of deploy/kibana through Kibana's import
 * API, then the alerting rule. Secrets come from the environment when not given as options, so a
 * Kubernetes Job can take them from a Secret without putting them on its command line.
 */
@Command(
        name = "import",
        mixinStandardHelpOptions = true,
        description =
                "Imports the data views, saved searches and dashboard into Kibana"
                        + " (/api/saved_objects/_import?overwrite=true) and creates or updates the"
                        + " alerting rule on trace-alerts (/api/alerting/rule/{id}).")
public final class KibanaImportCommand implements Callable<Integer> {

    public static final String PASSWORD_ENV = "BATCHTRACE_KIBANA_PASSWORD";
    public static final String API_KEY_ENV = "BATCHTRACE_KIBANA_API_KEY";
    static final String SAVED_OBJECTS = "deploy/kibana/trace-saved-objects.ndjson";
    static final String RULE = "deploy/kibana/trace-alerts-rule.json";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Option(names = "--url", required = true, paramLabel = "URL", description = "Kibana's URL.")
    URI url;

    @Option(
            names = "--api-key",
            paramLabel = "KEY",
            description = "Kibana API key (encoded form; default: env " + API_KEY_ENV + ").")
    String apiKey;

    @Option(names = "--user", paramLabel = "USER", description = "User for basic auth.")
    String user;

    @Option(
            names = "--password",
            paramLabel = "PASSWORD",
            description = "Password for --user (default: env " + PASSWORD_ENV + ").")
    String password;

    @Option(
            names = "--ca-certificate",
            paramLabel = "FILE",
            description = "PEM CA certificate Kibana's TLS certificate is signed with.")
    Path caCertificate;

    @Option(
            names = "--saved-objects",
            paramLabel = "FILE",
            description = "NDJSON saved objects (default: " + SAVED_OBJECTS + " of the checkout).")
    Path savedObjects;

    @Option(
            names = "--rule",
            paramLabel = "FILE",
            description =
                    "Alerting rule JSON: the create-rule body plus its \"id\" (default: "
                            + RULE
                            + " of the checkout).")
    Path rule;

    @Option(names = "--no-rule", description = "Import the saved objects only.")
    boolean noRule;

    @Option(
            names = "--install-templates",
            description =
                    "First install the trace index templates, versioned indices and aliases in"
                            + " Elasticsearch (idempotent), so the data views find their aliases.")
    boolean installTemplates;

    @Option(
            names = "--timeout",
            paramLabel = "SECONDS",
            defaultValue = "30",
            description = "Connect and request timeout (default: ${DEFAULT-VALUE} s).")
    int timeoutSeconds;

    @Mixin ElasticsearchOptions elasticsearch;

    @Spec CommandSpec spec;

    private Map<String, String> environment = System.getenv();

    /** For tests: the environment the secrets are read from. */
    KibanaImportCommand withEnvironment(Map<String, String> environment) {
        this.environment = environment;
        return this;
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        if (installTemplates) {
            out.println("Elasticsearch: index templates, indices and aliases");
            IndexTemplates.install(elasticsearch.settings(), line -> out.println("  " + line));
        }
        KibanaClient kibana =
                new KibanaClient(
                        url, authorization(), caCertificate, Duration.ofSeconds(timeoutSeconds));
        Path objects = savedObjects != null ? savedObjects : inCheckout(SAVED_OBJECTS);
        KibanaClient.ImportResult imported =
                kibana.importSavedObjects(read(objects), objects.getFileName().toString());
        out.println(
                "Kibana "
                        + url
                        + ": imported "
                        + imported.successCount()
                        + " saved objects from "
                        + objects);
        if (!noRule) {
            Path rulePath = rule != null ? rule : inCheckout(RULE);
            JsonNode file = JSON.readTree(read(rulePath));
            if (!file.isObject() || !file.path("id").isString()) {
                throw new IllegalArgumentException(
                        rulePath + ": expected a JSON object with the rule's \"id\"");
            }
            ObjectNode body = ((ObjectNode) file).deepCopy();
            String id = body.remove("id").asString();
            KibanaClient.RuleOutcome outcome = kibana.putRule(id, body);
            out.println(
                    "Kibana "
                            + url
                            + ": alerting rule "
                            + id
                            + (outcome == KibanaClient.RuleOutcome.CREATED
                                    ? " created"
                                    : " updated"));
        }
        return 0;
    }

    private String authorization() {
        String key = apiKey != null ? apiKey : blankToNull(environment.get(API_KEY_ENV));
        if (key != null && user != null) {
            throw new IllegalArgumentException("give either --api-key or --user, not both");
        }
        if (key != null) {
            return KibanaClient.apiKey(key);
        }
        if (user != null) {
            String secret =
                    password != null ? password : blankToNull(environment.get(PASSWORD_ENV));
            if (secret == null) {
                throw new IllegalArgumentException(
                        "--user " + user + " needs --password or env " + PASSWORD_ENV);
            }
            return KibanaClient.basic(user, secret);
        }
        return null;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    private static byte[] read(Path file) throws IOException {
        if (!Files.isReadable(file)) {
            throw new IllegalArgumentException(
                    file.toAbsolutePath() + " does not exist or is not readable");
        }
        return Files.readAllBytes(file);
    }

    private static Path inCheckout(String relative) {
        try {
            return Checkout.locate().root().resolve(relative);
        } catch (RuntimeException | dev.batchtrace.stack.StackException e) {
            throw new IllegalArgumentException(
                    "no checkout found to read " + relative + " from: pass the file explicitly", e);
        }
    }
}
