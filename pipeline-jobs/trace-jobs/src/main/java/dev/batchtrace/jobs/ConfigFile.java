package dev.batchtrace.jobs;

import dev.batchtrace.connectors.elasticsearch.ElasticsearchSettings;
import dev.batchtrace.connectors.kafka.KafkaSettings;
import dev.batchtrace.connectors.registry.RegistrySettings;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one settings file of the jobs and the CLI ({@code --config FILE}): Java properties, UTF-8.
 * The same file serves {@code flink run ... --config}, {@code bin/trace run|publish --config} and
 * the query commands; each reads the keys it knows (Kafka's own client keys, {@code
 * schema.registry.*}, {@code elasticsearch.*}, the jobs' {@code topic.*}/{@code lineage.*}/...).
 *
 * <p>A value may name where its secret is instead of holding it: {@code ${env:NAME}} is replaced by
 * the environment variable NAME, {@code ${file:/path}} by the file's content (trailing newline
 * dropped), e.g. {@code elasticsearch.password=${file:/etc/batchtrace/es-password}} for a
 * Kubernetes Secret mounted as a file. A missing variable or file is an error naming the key.
 */
public final class ConfigFile {

    private static final Pattern REFERENCE = Pattern.compile("\\$\\{(env|file):([^}]+)}");

    private ConfigFile() {}

    /** The file's keys and values (stripped), references resolved. */
    public static Map<String, String> read(Path file) throws IOException {
        if (!Files.isReadable(file)) {
            throw new IllegalArgumentException(
                    "config file " + file.toAbsolutePath() + " does not exist or is not readable");
        }
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        }
        Map<String, String> values = new TreeMap<>();
        for (String name : properties.stringPropertyNames()) {
            values.put(name, properties.getProperty(name).strip());
        }
        return resolve(values, System.getenv());
    }

    /** {@code values} with every {@code ${env:..}} / {@code ${file:..}} replaced. */
    public static Map<String, String> resolve(
            Map<String, String> values, Map<String, String> environment) {
        Map<String, String> resolved = new TreeMap<>();
        values.forEach((key, value) -> resolved.put(key, resolveValue(key, value, environment)));
        return resolved;
    }

    private static String resolveValue(String key, String value, Map<String, String> environment) {
        Matcher m = REFERENCE.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String replacement;
            if (m.group(1).equals("env")) {
                replacement = environment.get(m.group(2));
                if (replacement == null) {
                    throw new IllegalArgumentException(
                            key + ": environment variable " + m.group(2) + " is not set");
                }
            } else {
                Path path = Path.of(m.group(2));
                try {
                    replacement = Files.readString(path, StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new IllegalArgumentException(
                            key + ": cannot read " + path + " (" + e.getMessage() + ")", e);
                }
                if (replacement.endsWith("\n")) {
                    replacement = replacement.substring(0, replacement.length() - 1);
                }
                if (replacement.endsWith("\r")) {
                    replacement = replacement.substring(0, replacement.length() - 1);
                }
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    /**
     * True for keys whose values are secrets: Kafka's (passwords, JAAS configs, secrets, inline
     * keys), the registry's basic-auth user info, Elasticsearch's password and API key, and webhook
     * headers (they carry tokens).
     */
    public static boolean isSecretKey(String key) {
        return KafkaSettings.isSecretKey(key)
                || key.equals(ElasticsearchSettings.API_KEY)
                || key.equals(RegistrySettings.BASIC_AUTH_USER_INFO)
                || key.equals(RegistrySettings.BASIC_AUTH_USER_INFO_SHORT)
                || key.startsWith("webhook.header.")
                || key.startsWith(KafkaSettings.CLIENT_PREFIX)
                        && KafkaSettings.isSecretKey(
                                key.substring(KafkaSettings.CLIENT_PREFIX.length()));
    }

    /** The settings with every secret value replaced by {@value KafkaSettings#MASK}, for logs. */
    public static Map<String, String> masked(Map<String, String> settings) {
        Map<String, String> shown = new TreeMap<>();
        settings.forEach((k, v) -> shown.put(k, isSecretKey(k) ? KafkaSettings.MASK : v));
        return shown;
    }
}
