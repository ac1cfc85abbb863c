package dev.batchtrace.stack;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Apicurio registry (deploy/schema-registry) with its Confluent-compatible API. In-memory
 * storage for tests; an H2 file in its directory when schemas must survive a restart.
 */
final class SchemaRegistryLauncher extends ServerLauncher {
    static final String CONFLUENT_API = "/apis/ccompat/v7";

    private final Checkout checkout;
    private final int port;
    private final String portSetting;
    private final boolean persistent;
    private final Security security;

    /**
     * HTTPS only (Quarkus {@code quarkus.http.ssl.*}; the plain HTTP port is not served) and extra
     * registry settings as environment variables, e.g. Apicurio's auth ({@code
     * REGISTRY_AUTH_ENABLED}, {@code TOKEN_ENDPOINT}, ...): the environment, not {@code -D}, so
     * that no secret shows in the process list.
     *
     * @param environment variables for the registry process
     * @param healthAuthorization the {@code Authorization} header of health checks, or null
     */
    record Security(TlsFiles tls, Map<String, String> environment, String healthAuthorization) {
        Security {
            environment = Map.copyOf(new TreeMap<>(environment));
        }

        @Override
        public String toString() {
            return "Security[tls=" + tls + ", environment=" + environment.keySet() + "]";
        }
    }

    SchemaRegistryLauncher(
            Checkout checkout,
            Path dir,
            String host,
            int port,
            String portSetting,
            boolean persistent) {
        this(checkout, dir, host, port, portSetting, persistent, null);
    }

    /** With {@code security} null: plain HTTP, no auth (the default). */
    SchemaRegistryLauncher(
            Checkout checkout,
            Path dir,
            String host,
            int port,
            String portSetting,
            boolean persistent,
            Security security) {
        super(
                "schema-registry",
                security == null ? "Schema registry" : "Schema registry (TLS)",
                dir,
                host);
        this.security = security;
        this.checkout = checkout;
        this.port = port;
        this.portSetting = portSetting;
        this.persistent = persistent;
    }

    /** The server root, e.g. http://127.0.0.1:8081. */
    @Override
    String endpoint() {
        return (security == null ? "http://" : "https://") + host + ":" + port;
    }

    /** The Confluent API base clients use, e.g. http://127.0.0.1:8081/apis/ccompat/v7. */
    String confluentApiUrl() {
        return endpoint() + CONFLUENT_API;
    }

    @Override
    List<PortUse> ports() {
        return List.of(new PortUse(port, "HTTP port", portSetting));
    }

    @Override
    protected String commandMarker() {
        return marker(dir);
    }

    /**
     * The marker argument of the registry whose directory is {@code dir} (absolute, normalized).
     */
    static String marker(Path dir) {
        return "-Dbatchtrace.stack.server=" + dir;
    }

    @Override
    boolean isHealthy() {
        return get(confluentApiUrl() + "/subjects").ok();
    }

    private Http.Response get(String url) {
        return security == null
                ? Http.get(url)
                : Http.get(url, security.tls().clientContext(), security.healthAuthorization());
    }

    @Override
    String unhealthyDetail() {
        Http.Response r = get(confluentApiUrl() + "/subjects");
        return "GET "
                + confluentApiUrl()
                + "/subjects -> "
                + (r.status() < 0 ? r.body() : r.status());
    }

    @Override
    protected List<String> prepareCommand() throws StackException {
        Path jar = checkout.registryRunnerJar();
        List<String> command =
                new ArrayList<>(
                        List.of(
                                currentJava(),
                                "-Xmx256m",
                                commandMarker(),
                                "-Dquarkus.http.host=" + host));
        if (security == null) {
            command.add("-Dquarkus.http.port=" + port);
        } else {
            command.addAll(
                    List.of(
                            "-Dquarkus.http.ssl-port=" + port,
                            "-Dquarkus.http.insecure-requests=disabled",
                            "-Dquarkus.http.ssl.certificate.key-store-file="
                                    + security.tls().keystore(),
                            "-Dquarkus.http.ssl.certificate.key-store-file-type="
                                    + TlsFiles.STORE_TYPE));
        }
        command.addAll(List.of("-jar", jar.toString()));
        return command;
    }

    /** {@code quarkus.oidc.client-id} -> {@code QUARKUS_OIDC_CLIENT_ID}, as Quarkus reads env. */
    static String environmentName(String property) {
        return property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(java.util.Locale.ROOT);
    }

    @Override
    protected void environment(Map<String, String> env) {
        if (security != null) {
            env.put(
                    environmentName("quarkus.http.ssl.certificate.key-store-password"),
                    security.tls().password());
            env.putAll(security.environment());
        }
        if (persistent) {
            // the registry's default is an in-memory H2 database; a file keeps schemas (and their
            // ids)
            env.put(
                    "REGISTRY_DATASOURCE_URL",
                    "jdbc:h2:file:"
                            + dir.resolve("h2").resolve("registry")
                            + ";DB_CLOSE_ON_EXIT=FALSE");
        }
    }

    /** Confluent's server defaults to BACKWARD compatibility, Apicurio to NONE: align them. */
    @Override
    protected void afterHealthy() throws StackException {
        Http.Response r =
                Http.put(
                        confluentApiUrl() + "/config",
                        "application/vnd.schemaregistry.v1+json",
                        "{\"compatibility\":\"BACKWARD\"}",
                        security == null ? null : security.tls().clientContext(),
                        security == null ? null : security.healthAuthorization());
        if (!r.ok()) {
            throw new StackException(
                    "Schema registry is up but setting global compatibility to BACKWARD failed: PUT "
                            + confluentApiUrl()
                            + "/config -> "
                            + r.status()
                            + " "
                            + r.body());
        }
    }
}
