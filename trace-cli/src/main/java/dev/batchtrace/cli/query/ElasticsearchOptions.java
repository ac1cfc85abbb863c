package dev.batchtrace.cli.query;

import dev.batchtrace.connectors.elasticsearch.ElasticsearchSettings;
import dev.batchtrace.jobs.ConfigFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * Where the trace documents are. The URL comes from {@code --elasticsearch-url}, else the {@code
 * elasticsearch.hosts} of the {@code --config} (alias {@code --es-config}) file, else {@value
 * #URL_ENV}, else {@value #DEFAULT_URL} (the local stack). Credentials and TLS only come from the
 * file, so secrets stay off the command line and out of shell history.
 */
public final class ElasticsearchOptions {

    public static final String URL_ENV = "BATCHTRACE_ELASTICSEARCH_URL";
    public static final String DEFAULT_URL = "http://127.0.0.1:9200";

    @Option(
            names = "--elasticsearch-url",
            paramLabel = "URL",
            description =
                    "Elasticsearch URL(s), comma-separated (default: elasticsearch.hosts of"
                            + " --config, else env "
                            + URL_ENV
                            + ", else "
                            + DEFAULT_URL
                            + ").")
    String url;

    @Option(
            names = {"--config", "--es-config"},
            paramLabel = "FILE",
            description =
                    "Properties file with elasticsearch.* settings for production (the same file"
                            + " the jobs read; other keys are ignored here):"
                            + " elasticsearch.hosts, elasticsearch.api-key or"
                            + " elasticsearch.username/password, elasticsearch.tls.ca-certificate"
                            + " (or .tls.truststore / .tls.ca-fingerprint),"
                            + " elasticsearch.connect-timeout, elasticsearch.socket-timeout.")
    Path config;

    /** The settings from the options and the process environment. */
    public ElasticsearchSettings settings() {
        return settings(System.getenv());
    }

    ElasticsearchSettings settings(Map<String, String> environment) {
        Map<String, String> values = new HashMap<>();
        if (config != null) {
            try {
                values.putAll(ConfigFile.read(config));
            } catch (IOException | IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "cannot read --config " + config + ": " + e.getMessage(), e);
            }
        }
        if (url != null) {
            values.put(ElasticsearchSettings.HOSTS, url);
        } else if (!values.containsKey(ElasticsearchSettings.HOSTS)) {
            String fromEnvironment = environment.get(URL_ENV);
            values.put(
                    ElasticsearchSettings.HOSTS,
                    fromEnvironment == null || fromEnvironment.isBlank()
                            ? DEFAULT_URL
                            : fromEnvironment);
        }
        try {
            return ElasticsearchSettings.fromMap(values);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "invalid Elasticsearch settings"
                            + (config == null ? "" : " (--config " + config + ")")
                            + ": "
                            + e.getMessage(),
                    e);
        }
    }
}
