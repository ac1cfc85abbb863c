package dev.batchtrace.stack;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

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

    SchemaRegistryLauncher(
            Checkout checkout,
            Path dir,
            String host,
            int port,
            String portSetting,
            boolean persistent) {
        super("schema-registry", "Schema registry", dir, host);
        this.checkout = checkout;
        this.port = port;
        this.portSetting = portSetting;
        this.persistent = persistent;
    }

    /** The server root, e.g. http://127.0.0.1:8081. */
    @Override
    String endpoint() {
        return "http://" + host + ":" + port;
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
        return Http.get(confluentApiUrl() + "/subjects").ok();
    }

    @Override
    String unhealthyDetail() {
        Http.Response r = Http.get(confluentApiUrl() + "/subjects");
        return "GET "
                + confluentApiUrl()
                + "/subjects -> "
                + (r.status() < 0 ? r.body() : r.status());
    }

    @Override
    protected List<String> prepareCommand() throws StackException {
        Path jar = checkout.registryRunnerJar();
        return List.of(
                currentJava(),
                "-Xmx256m",
                commandMarker(),
                "-Dquarkus.http.host=" + host,
                "-Dquarkus.http.port=" + port,
                "-jar",
                jar.toString());
    }

    @Override
    protected void environment(Map<String, String> env) {
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
                        "{\"compatibility\":\"BACKWARD\"}");
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
