package dev.batchtrace.connectors.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.batchtrace.connectors.registry.SchemaRegistryException.Kind;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Base64;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.avro.Schema;

/**
 * Confluent Schema Registry REST client on {@link HttpClient}. Hand-written because Confluent's
 * client (io.confluent) is not available to this build; it speaks only the four calls the serdes
 * need. Ids and schemas are immutable in the registry, so both directions are cached for good.
 */
public final class ConfluentSchemaRegistryClient implements SchemaRegistryClient {

    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int REGISTER_ATTEMPTS = 5;

    private final RegistrySettings settings;
    private final HttpClient http;
    private final String authorization;
    private final LruCache<Integer, Schema> schemasById;
    private final LruCache<SubjectSchema, Integer> idsBySubjectSchema;
    private final AtomicLong httpCalls = new AtomicLong();

    private record SubjectSchema(String subject, Schema schema) {}

    /** What a request is about, so errors name it: a subject, or a schema id. */
    private record Target(String subject, int schemaId, boolean bySchemaId) {
        static Target subject(String subject) {
            return new Target(subject, 0, false);
        }

        static Target schemaId(int id) {
            return new Target(null, id, true);
        }
    }

    public ConfluentSchemaRegistryClient(RegistrySettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        HttpClient.Builder builder =
                HttpClient.newBuilder()
                        .connectTimeout(settings.connectTimeout())
                        .followRedirects(HttpClient.Redirect.NORMAL);
        if (settings.truststorePath() != null) {
            builder.sslContext(sslContext(settings));
        }
        this.http = builder.build();
        this.authorization =
                settings.basicAuthUser() == null
                        ? null
                        : "Basic "
                                + Base64.getEncoder()
                                        .encodeToString(
                                                (settings.basicAuthUser()
                                                                + ":"
                                                                + settings.basicAuthPassword())
                                                        .getBytes(StandardCharsets.UTF_8));
        this.schemasById = new LruCache<>(settings.cacheSize());
        this.idsBySubjectSchema = new LruCache<>(settings.cacheSize());
    }

    @Override
    public int register(String subject, Schema schema) {
        SubjectSchema key = new SubjectSchema(subject, schema);
        Integer cached = idsBySubjectSchema.get(key);
        if (cached != null) {
            return cached;
        }
        ObjectNode body = JSON.createObjectNode().put("schema", schema.toString());
        int id = registerOrFind(subject, body);
        idsBySubjectSchema.put(key, id);
        schemasById.put(id, schema);
        return id;
    }

    /**
     * Two writers registering the same new subject at once can get a 409 from Apicurio ("artifact
     * already exists") although the schema is then registered, and on a fresh Apicurio a 500 (its
     * id sequence is created by the first writer): a 409 or 5xx is only final when a lookup does
     * not find the schema either and retries fail too.
     */
    private int registerOrFind(String subject, ObjectNode body) {
        String path = "/subjects/" + encode(subject);
        SchemaRegistryException conflict = null;
        for (int attempt = 0; attempt < REGISTER_ATTEMPTS; attempt++) {
            try {
                return requiredInt(
                        send("POST", path + "/versions", body, Target.subject(subject)), "id");
            } catch (SchemaRegistryException e) {
                if (e.kind() != Kind.INCOMPATIBLE && !isServerError(e)) {
                    throw e;
                }
                conflict = e;
            }
            try {
                return requiredInt(send("POST", path, body, Target.subject(subject)), "id");
            } catch (SchemaRegistryException e) {
                boolean notThere =
                        e.kind() == Kind.SUBJECT_NOT_FOUND || e.kind() == Kind.SCHEMA_NOT_FOUND;
                if (!notThere && !isServerError(e)) {
                    throw e;
                }
            }
            if (attempt + 1 < REGISTER_ATTEMPTS && !pause(100L * (attempt + 1))) {
                break;
            }
        }
        throw conflict;
    }

    private static boolean isServerError(SchemaRegistryException e) {
        return e.kind() == Kind.REGISTRY_ERROR && e.httpStatus() >= 500;
    }

    /** False when interrupted (the caller gives up). */
    private static boolean pause(long millis) {
        try {
            Thread.sleep(millis);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public Schema getSchemaById(int id) {
        Schema cached = schemasById.get(id);
        if (cached != null) {
            return cached;
        }
        if (id < 0) {
            // Registries hand out ids >= 0; a negative one comes from a corrupt header.
            throw new SchemaRegistryException(
                    Kind.SCHEMA_NOT_FOUND,
                    "schema id " + id + " is negative: no registry has such an id",
                    -1,
                    -1);
        }
        JsonNode response = send("GET", "/schemas/ids/" + id, null, Target.schemaId(id));
        Schema schema = parse(response, "schema id " + id);
        schemasById.put(id, schema);
        return schema;
    }

    @Override
    public SchemaMetadata getLatestSchemaMetadata(String subject) {
        // Not cached: "latest" changes when a new version is registered.
        JsonNode response =
                send(
                        "GET",
                        "/subjects/" + encode(subject) + "/versions/latest",
                        null,
                        Target.subject(subject));
        int id = requiredInt(response, "id");
        Schema schema = parse(response, "subject " + subject);
        schemasById.put(id, schema);
        return new SchemaMetadata(subject, id, requiredInt(response, "version"), schema);
    }

    /**
     * Sets the compatibility level of one subject (BACKWARD, FORWARD, FULL, NONE, ..._TRANSITIVE).
     * Apicurio's Confluent API defaults to NONE where Confluent defaults to BACKWARD.
     */
    public void setCompatibility(String subject, String level) {
        ObjectNode body = JSON.createObjectNode().put("compatibility", level);
        send("PUT", "/config/" + encode(subject), body, Target.subject(subject));
    }

    /**
     * Lists the subjects once, so a tool or job fails at start (wrong URL, TLS trust, credentials)
     * rather than on its first record.
     *
     * @throws SchemaRegistryException {@code UNAUTHORIZED} naming the user, {@code UNREACHABLE}
     *     naming the URL or the truststore key
     */
    public void verifyAccess() {
        send("GET", "/subjects", null, Target.subject(null));
    }

    /** HTTP requests sent so far (tests use it to prove the caches work). */
    public long httpCalls() {
        return httpCalls.get();
    }

    public RegistrySettings settings() {
        return settings;
    }

    private JsonNode send(String method, String path, JsonNode body, Target target) {
        URI uri = URI.create(settings.url() + path);
        HttpRequest.Builder request =
                HttpRequest.newBuilder(uri)
                        .timeout(settings.requestTimeout())
                        .header("Accept", CONTENT_TYPE + ", application/json");
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", CONTENT_TYPE)
                    .method(method, HttpRequest.BodyPublishers.ofString(body.toString()));
        }
        HttpResponse<String> response;
        httpCalls.incrementAndGet();
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            if (isTls(e)) {
                throw new SchemaRegistryException(
                        Kind.UNREACHABLE,
                        "TLS handshake with the schema registry at "
                                + settings.url()
                                + " failed: "
                                + describe(e)
                                + "; check "
                                + RegistrySettings.TRUSTSTORE_LOCATION
                                + " (it must hold the CA of the registry's certificate"
                                + (settings.truststorePath() == null
                                        ? "; none is set, so the JVM's default trust was used"
                                        : "")
                                + ") and that the certificate names the host in "
                                + RegistrySettings.URL,
                        -1,
                        -1,
                        e);
            }
            throw new SchemaRegistryException(
                    Kind.UNREACHABLE,
                    "schema registry unreachable at "
                            + settings.url()
                            + " ("
                            + method
                            + " "
                            + path
                            + "): "
                            + describe(e)
                            + "; check "
                            + RegistrySettings.URL
                            + " and that the registry is running",
                    -1,
                    -1,
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SchemaRegistryException(
                    Kind.UNREACHABLE,
                    "interrupted while calling the schema registry at " + settings.url(),
                    -1,
                    -1,
                    e);
        }
        return handle(method, uri, response, target);
    }

    private JsonNode handle(String method, URI uri, HttpResponse<String> response, Target target) {
        String subject = target.subject();
        int status = response.statusCode();
        JsonNode json = readJson(response.body());
        if (status >= 200 && status < 300) {
            if (json == null) {
                throw new SchemaRegistryException(
                        Kind.REGISTRY_ERROR,
                        "schema registry at "
                                + uri
                                + " answered "
                                + status
                                + " with a body that is not JSON: "
                                + abbreviate(response.body()),
                        status,
                        -1);
            }
            return json;
        }
        int errorCode =
                json != null && json.hasNonNull("error_code") ? json.get("error_code").asInt() : -1;
        String registryMessage =
                json != null && json.hasNonNull("message")
                        ? json.get("message").asText()
                        : abbreviate(response.body());
        String where = method + " " + uri;
        if (status == 401 || status == 403) {
            throw new SchemaRegistryException(
                    Kind.UNAUTHORIZED,
                    "schema registry refused the request ("
                            + status
                            + (status == 401 ? " unauthorized" : " forbidden")
                            + ") for "
                            + where
                            + ": check "
                            + RegistrySettings.BASIC_AUTH_USER_INFO
                            + (settings.basicAuthUser() == null
                                    ? " (no credentials are configured)"
                                    : " (user '" + settings.basicAuthUser() + "')")
                            + " and the registry's permissions; registry said: "
                            + registryMessage,
                    status,
                    errorCode);
        }
        if (target.bySchemaId() && (status == 400 || status == 404 || status == 422)) {
            // The id is the only variable of GET /schemas/ids/{id}: a 400/422 rejects the id.
            throw new SchemaRegistryException(
                    Kind.SCHEMA_NOT_FOUND,
                    "schema id "
                            + target.schemaId()
                            + " is not known to the registry at "
                            + settings.url()
                            + " ("
                            + status
                            + "; were the bytes written against another registry?): "
                            + registryMessage,
                    status,
                    errorCode);
        }
        if (status == 404) {
            // Confluent: 40401 subject, 40402 version, 40403 schema; Apicurio uses 40402 for a
            // missing subject. The request (by id or by subject) is the reliable signal.
            throw new SchemaRegistryException(
                    Kind.SUBJECT_NOT_FOUND,
                    "subject '"
                            + subject
                            + "' not found at "
                            + settings.url()
                            + ": "
                            + registryMessage,
                    status,
                    errorCode);
        }
        if (status == 409) {
            throw new SchemaRegistryException(
                    Kind.INCOMPATIBLE,
                    "schema registry rejected the schema for subject '"
                            + subject
                            + "' as incompatible with the registered versions (409): "
                            + registryMessage,
                    status,
                    errorCode);
        }
        if (status == 422) {
            throw new SchemaRegistryException(
                    Kind.INVALID_SCHEMA,
                    "schema registry rejected the schema for subject '"
                            + subject
                            + "' as invalid (422): "
                            + registryMessage,
                    status,
                    errorCode);
        }
        throw new SchemaRegistryException(
                Kind.REGISTRY_ERROR,
                "schema registry error " + status + " for " + where + ": " + registryMessage,
                status,
                errorCode);
    }

    private static Schema parse(JsonNode response, String what) {
        JsonNode schemaType = response.get("schemaType");
        if (schemaType != null && !schemaType.isNull() && !"AVRO".equals(schemaType.asText())) {
            throw new SchemaRegistryException(
                    Kind.NOT_AVRO,
                    what
                            + " is a "
                            + schemaType.asText()
                            + " schema, not Avro (written by another serializer?)",
                    200,
                    -1);
        }
        JsonNode text = response.get("schema");
        if (text == null || !text.isTextual()) {
            throw new SchemaRegistryException(
                    Kind.REGISTRY_ERROR,
                    "registry response for " + what + " has no 'schema': " + response,
                    200,
                    -1);
        }
        try {
            return new Schema.Parser().parse(text.asText());
        } catch (RuntimeException e) {
            throw new SchemaRegistryException(
                    Kind.INVALID_SCHEMA,
                    "registry returned an unparseable Avro schema for "
                            + what
                            + ": "
                            + e.getMessage(),
                    200,
                    -1,
                    e);
        }
    }

    private static int requiredInt(JsonNode response, String field) {
        JsonNode value = response.get(field);
        if (value == null || !value.canConvertToInt()) {
            throw new SchemaRegistryException(
                    Kind.REGISTRY_ERROR,
                    "registry response lacks an integer '" + field + "': " + response,
                    200,
                    -1);
        }
        return value.asInt();
    }

    private static JsonNode readJson(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    private static String encode(String subject) {
        return URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static boolean isTls(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof javax.net.ssl.SSLException) {
                return true;
            }
        }
        return false;
    }

    private static String describe(Throwable e) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (text.length() > 0) {
                text.append(" <- ");
            }
            text.append(t.getClass().getSimpleName());
            if (t.getMessage() != null) {
                text.append(": ").append(t.getMessage());
            }
        }
        return text.toString();
    }

    private static String abbreviate(String body) {
        if (body == null) {
            return "";
        }
        return body.length() <= 300 ? body : body.substring(0, 300) + "...";
    }

    private static SSLContext sslContext(RegistrySettings settings) {
        String type =
                settings.truststoreType() == null
                        ? KeyStore.getDefaultType()
                        : settings.truststoreType();
        char[] password =
                settings.truststorePassword() == null
                        ? null
                        : settings.truststorePassword().toCharArray();
        try (InputStream in = Files.newInputStream(Path.of(settings.truststorePath()))) {
            KeyStore trust = KeyStore.getInstance(type);
            trust.load(in, password);
            TrustManagerFactory factory =
                    TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException(
                    "cannot load the registry truststore "
                            + settings.truststorePath()
                            + " (type "
                            + type
                            + "): "
                            + e.getMessage()
                            + "; check "
                            + RegistrySettings.TRUSTSTORE_LOCATION
                            + ", "
                            + RegistrySettings.TRUSTSTORE_PASSWORD
                            + " and "
                            + RegistrySettings.TRUSTSTORE_TYPE,
                    e);
        }
    }
}
