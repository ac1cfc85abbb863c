package dev.batchtrace.cli.kibana;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The two Kibana APIs the import needs, on the JDK's HTTP client: saved objects import (multipart,
 * overwrite) and alerting rules (create with a fixed id, update when it exists, so a re-run does
 * not add a second rule). Every failure becomes a {@link KibanaException} that says what to check.
 */
public final class KibanaClient {

    static final String IMPORT_PATH = "/api/saved_objects/_import?overwrite=true";
    static final String RULE_PATH = "/api/alerting/rule/";

    /** Fields Kibana accepts when creating a rule but refuses when updating it. */
    private static final List<String> CREATE_ONLY_RULE_FIELDS =
            List.of("rule_type_id", "consumer", "enabled");

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final URI base;
    private final String authorization;
    private final HttpClient http;
    private final Duration timeout;

    /**
     * @param base Kibana's URL, e.g. {@code https://kibana:5601} (a base path is kept)
     * @param authorization the Authorization header value, or null for none
     * @param caCertificate PEM file of the CA to trust (ECK's self-signed CA), or null for the
     *     JDK's trust store
     */
    public KibanaClient(URI base, String authorization, Path caCertificate, Duration timeout) {
        String text = Objects.requireNonNull(base, "base").toString();
        this.base = URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
        this.authorization = authorization;
        this.timeout = timeout;
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(timeout);
        if (caCertificate != null) {
            builder.sslContext(trusting(caCertificate));
        }
        this.http = builder.build();
    }

    public static String basic(String user, String password) {
        return "Basic "
                + Base64.getEncoder()
                        .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    public static String apiKey(String key) {
        return "ApiKey " + key;
    }

    /** Result of a saved objects import. */
    public record ImportResult(int successCount) {}

    /**
     * Imports an NDJSON file of saved objects, overwriting objects with the same ids.
     *
     * @throws KibanaException if Kibana refuses the request or any object
     */
    public ImportResult importSavedObjects(byte[] ndjson, String fileName) {
        String boundary = "batchtrace-" + UUID.randomUUID();
        byte[] body = multipart(boundary, fileName, ndjson);
        HttpRequest request =
                request(IMPORT_PATH)
                        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                        .build();
        JsonNode response = send(request, "import the saved objects", 200);
        if (!response.path("success").asBoolean(false)) {
            List<String> problems = new ArrayList<>();
            for (JsonNode error : response.path("errors")) {
                problems.add(
                        error.path("type").asString()
                                + " "
                                + error.path("id").asString()
                                + ": "
                                + error.path("error").path("type").asString()
                                + (error.path("error").has("message")
                                        ? " ("
                                                + error.path("error").path("message").asString()
                                                + ")"
                                        : ""));
            }
            throw new KibanaException(
                    "Kibana imported "
                            + response.path("successCount").asInt()
                            + " saved objects and refused "
                            + problems.size()
                            + ": "
                            + String.join("; ", problems));
        }
        return new ImportResult(response.path("successCount").asInt());
    }

    /** Whether a rule was created or an existing one updated. */
    public enum RuleOutcome {
        CREATED,
        UPDATED
    }

    /**
     * Creates the rule under {@code id}, or updates it when a rule with that id exists.
     *
     * @param rule the create-rule body (rule_type_id, consumer, name, schedule, params, ...)
     */
    public RuleOutcome putRule(String id, ObjectNode rule) {
        String path = RULE_PATH + id;
        HttpRequest create =
                request(path)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(rule)))
                        .build();
        HttpResponse<String> created = exchange(create, "create the alerting rule " + id);
        if (created.statusCode() == 200) {
            return RuleOutcome.CREATED;
        }
        if (created.statusCode() != 409) {
            throw failure("create the alerting rule " + id, created);
        }
        ObjectNode update = rule.deepCopy();
        CREATE_ONLY_RULE_FIELDS.forEach(update::remove);
        HttpRequest put =
                request(path)
                        .header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(update)))
                        .build();
        send(put, "update the alerting rule " + id, 200);
        return RuleOutcome.UPDATED;
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder =
                HttpRequest.newBuilder(URI.create(base + path))
                        .timeout(timeout)
                        // Kibana refuses state-changing API calls without it (CSRF protection)
                        .header("kbn-xsrf", "true");
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        return builder;
    }

    private JsonNode send(HttpRequest request, String what, int expected) {
        HttpResponse<String> response = exchange(request, what);
        if (response.statusCode() != expected) {
            throw failure(what, response);
        }
        try {
            return JSON.readTree(response.body());
        } catch (RuntimeException e) {
            throw new KibanaException(
                    "cannot "
                            + what
                            + ": "
                            + request.uri()
                            + " did not answer JSON (is it Kibana?)",
                    e);
        }
    }

    private HttpResponse<String> exchange(HttpRequest request, String what) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (HttpConnectTimeoutException | ConnectException e) {
            throw new KibanaException(
                    "cannot " + what + ": Kibana at " + base + " does not answer (" + e + ")", e);
        } catch (HttpTimeoutException e) {
            throw new KibanaException(
                    "cannot " + what + ": Kibana at " + base + " did not answer within " + timeout,
                    e);
        } catch (SSLHandshakeException e) {
            throw new KibanaException(
                    "cannot "
                            + what
                            + ": TLS handshake with "
                            + base
                            + " failed (pass Kibana's CA with --ca-certificate): "
                            + e.getMessage(),
                    e);
        } catch (IOException e) {
            throw new KibanaException("cannot " + what + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KibanaException("interrupted while trying to " + what, e);
        }
    }

    private KibanaException failure(String what, HttpResponse<String> response) {
        String hint =
                switch (response.statusCode()) {
                    case 401 ->
                            ": Kibana refused the credentials (check --user/--password or"
                                    + " --api-key)";
                    case 403 ->
                            ": the user lacks the Kibana privileges for this (saved objects"
                                    + " management, stack rules)";
                    case 404 ->
                            ": no such API at "
                                    + response.uri()
                                    + " (is --url Kibana, with its base path?)";
                    default -> "";
                };
        String body = response.body() == null ? "" : response.body().strip();
        return new KibanaException(
                "cannot "
                        + what
                        + ": HTTP "
                        + response.statusCode()
                        + hint
                        + (body.isEmpty()
                                ? ""
                                : " - "
                                        + (body.length() > 500
                                                ? body.substring(0, 500) + "..."
                                                : body)));
    }

    /** One file part named {@code file}, as Kibana's import API expects. */
    static byte[] multipart(String boundary, String fileName, byte[] content) {
        String head =
                "--"
                        + boundary
                        + "\r\n"
                        + "Content-Disposition: form-data; name=\"file\"; filename=\""
                        + fileName
                        + "\"\r\n"
                        + "Content-Type: application/ndjson\r\n\r\n";
        String tail = "\r\n--" + boundary + "--\r\n";
        byte[] headBytes = head.getBytes(StandardCharsets.UTF_8);
        byte[] tailBytes = tail.getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[headBytes.length + content.length + tailBytes.length];
        System.arraycopy(headBytes, 0, body, 0, headBytes.length);
        System.arraycopy(content, 0, body, headBytes.length, content.length);
        System.arraycopy(tailBytes, 0, body, headBytes.length + content.length, tailBytes.length);
        return body;
    }

    private static SSLContext trusting(Path pem) {
        try (InputStream in = new ByteArrayInputStream(Files.readAllBytes(pem))) {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (Certificate certificate :
                    CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                store.setCertificateEntry("ca-" + i++, certificate);
            }
            if (i == 0) {
                throw new KibanaException("no certificate in " + pem);
            }
            TrustManagerFactory trust =
                    TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new KibanaException("cannot read the CA certificate " + pem + ": " + e, e);
        }
    }
}
