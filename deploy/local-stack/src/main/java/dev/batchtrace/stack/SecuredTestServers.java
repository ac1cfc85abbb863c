package dev.batchtrace.stack;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Real servers with TLS and authentication, for the tests of secured connections: a Kafka broker
 * whose client listener is SASL_SSL (SCRAM-SHA-512) and an Elasticsearch node with HTTPS and basic
 * auth. Like {@link TestServers}: each starts at most once per JVM on free loopback ports (under
 * {@code target/test-servers-<pid>/secured/}) and a shutdown hook stops it. They are separate from
 * the plain servers of {@link TestServers}, which stay as they are.
 *
 * <p>One self-signed certificate ({@link #tls()}, for {@code 127.0.0.1} and {@code localhost})
 * serves all of them; passwords are random per JVM, so a test that finds one in a log or a string
 * found a real leak.
 */
public final class SecuredTestServers {
    /** The folder under the test servers' folder. */
    static final String DIR = "secured";

    private static final String HOST = "127.0.0.1";

    /** The SCRAM user clients log in as. */
    public static final String KAFKA_USER = "batchtrace-client";

    /** The SCRAM user the broker's inter-broker connections log in as. */
    static final String KAFKA_BROKER_USER = "batchtrace-broker";

    /** The file-realm user of the secured Elasticsearch node (role superuser). */
    public static final String ELASTICSEARCH_USER = "batchtrace-writer";

    /** The registry's basic-auth user (an OAuth client of {@link OidcTokenStandIn}). */
    public static final String REGISTRY_USER = "batchtrace-registry-client";

    private static final Secrets SECRETS = new Secrets();
    private static OidcTokenStandIn oidc;

    private SecuredTestServers() {}

    /** Passwords drawn once per JVM. */
    private static final class Secrets {
        final String tls = password("tls");
        final String kafkaClient = password("kafka");
        final String kafkaBroker = password("broker");
        final String elasticsearch = password("es");
        final String registry = password("registry");

        private static String password(String prefix) {
            byte[] bytes = new byte[12];
            new SecureRandom().nextBytes(bytes);
            // letters and digits only: the SCRAM format argument and JAAS quoting stay simple
            return prefix + "Pw" + HexFormat.of().formatHex(bytes);
        }
    }

    /** The SASL_SSL broker as a client sees it. */
    public record Kafka(String bootstrapServers, TlsFiles tls, String user, String password) {

        /**
         * Kafka client properties for TLS + SCRAM-SHA-512 as {@code user} with {@code password}
         * (the keys a config file carries), without {@code bootstrap.servers}.
         */
        public Map<String, String> clientProperties(String user, String password) {
            Map<String, String> p = new LinkedHashMap<>();
            p.put("security.protocol", "SASL_SSL");
            p.put("sasl.mechanism", KafkaLauncher.SCRAM_MECHANISM);
            p.put("sasl.jaas.config", KafkaLauncher.jaas(user, password));
            p.put("ssl.truststore.location", tls.truststore().toString());
            p.put("ssl.truststore.type", TlsFiles.STORE_TYPE);
            p.put("ssl.truststore.password", tls.password());
            return p;
        }

        /** {@link #clientProperties(String, String)} of the valid client user. */
        public Map<String, String> clientProperties() {
            return clientProperties(user, password);
        }

        @Override
        public String toString() {
            return "Kafka[" + bootstrapServers + ", user=" + user + "]";
        }
    }

    /** The HTTPS + basic auth node as a client sees it. */
    public record Elasticsearch(String url, TlsFiles tls, String user, String password) {
        @Override
        public String toString() {
            return "Elasticsearch[" + url + ", user=" + user + "]";
        }
    }

    private static TlsFiles tlsFiles;

    /** The HTTPS + basic auth registry as a client sees it. */
    public record SchemaRegistry(String url, TlsFiles tls, String user, String password) {
        @Override
        public String toString() {
            return "SchemaRegistry[" + url + ", user=" + user + "]";
        }
    }

    /**
     * A real Apicurio registry (Confluent API base URL, {@code https://...}) with HTTPS only and
     * HTTP basic auth. Apicurio 2.4.2 checks basic auth by asking an OpenID Connect token endpoint
     * (Keycloak in production); here {@link OidcTokenStandIn} plays that part.
     */
    public static SchemaRegistry schemaRegistry() {
        String url = TestServers.get("secured-schema-registry", SecuredTestServers::startRegistry);
        return new SchemaRegistry(url, tls(), REGISTRY_USER, SECRETS.registry);
    }

    /** Tokens the stand-in refused so far (a wrong registry password is counted there). */
    public static synchronized long registryLoginsRefused() {
        return oidc == null ? 0 : oidc.tokensRefused();
    }

    private static synchronized OidcTokenStandIn oidc() throws StackException {
        if (oidc == null) {
            try {
                oidc = OidcTokenStandIn.start(REGISTRY_USER, SECRETS.registry);
            } catch (java.io.IOException e) {
                throw new StackException("Cannot start the OIDC stand-in: " + e, e);
            }
        }
        return oidc;
    }

    private static TestServers.Started startRegistry() throws StackException {
        Checkout checkout = Checkout.locate();
        OidcTokenStandIn provider = oidc();
        Map<String, String> environment =
                Map.of(
                        "REGISTRY_AUTH_ENABLED", "true",
                        "CLIENT_CREDENTIALS_BASIC_AUTH_ENABLED", "true",
                        "REGISTRY_AUTH_URL_CONFIGURED", provider.issuer(),
                        "TOKEN_ENDPOINT", provider.tokenEndpoint(),
                        "KEYCLOAK_API_CLIENT_ID", "registry-api");
        String basic =
                "Basic "
                        + java.util.Base64.getEncoder()
                                .encodeToString(
                                        (REGISTRY_USER + ":" + SECRETS.registry)
                                                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        SchemaRegistryLauncher.Security security =
                new SchemaRegistryLauncher.Security(tls(), environment, basic);
        SchemaRegistryLauncher[] last = new SchemaRegistryLauncher[1];
        ServerProcess p =
                TestServers.startWithRetries(
                        () ->
                                last[0] =
                                        new SchemaRegistryLauncher(
                                                checkout,
                                                TestServers.baseDir()
                                                        .resolve(DIR)
                                                        .resolve("schema-registry"),
                                                HOST,
                                                Ports.freePort(HOST),
                                                "(chosen automatically)",
                                                false,
                                                security));
        return new TestServers.Started(p, last[0].confluentApiUrl());
    }

    /** The certificate every secured server presents, with its truststore and PEM file. */
    public static synchronized TlsFiles tls() {
        if (tlsFiles == null) {
            try {
                tlsFiles =
                        TlsFiles.generate(
                                TestServers.baseDir().resolve(DIR).resolve("tls"), SECRETS.tls);
            } catch (StackException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        }
        return tlsFiles;
    }

    /** A real Kafka broker whose only client listener is SASL_SSL with SCRAM-SHA-512. */
    public static Kafka kafka() {
        String bootstrap = TestServers.get("secured-kafka", SecuredTestServers::startKafka);
        return new Kafka(bootstrap, tls(), KAFKA_USER, SECRETS.kafkaClient);
    }

    /** A real Elasticsearch node with HTTPS and basic auth (file realm). */
    public static Elasticsearch elasticsearch() {
        String url =
                TestServers.get("secured-elasticsearch", SecuredTestServers::startElasticsearch);
        return new Elasticsearch(url, tls(), ELASTICSEARCH_USER, SECRETS.elasticsearch);
    }

    private static TestServers.Started startKafka() throws StackException {
        Checkout checkout = Checkout.locate();
        KafkaLauncher.Security security =
                new KafkaLauncher.Security(
                        tls(),
                        Map.of(
                                KAFKA_USER,
                                SECRETS.kafkaClient,
                                KAFKA_BROKER_USER,
                                SECRETS.kafkaBroker),
                        KAFKA_BROKER_USER);
        ServerProcess p =
                TestServers.startWithRetries(
                        () ->
                                new KafkaLauncher(
                                        checkout,
                                        TestServers.baseDir().resolve(DIR).resolve("kafka"),
                                        HOST,
                                        Ports.freePort(HOST),
                                        Ports.freePort(HOST),
                                        "(chosen automatically)",
                                        "(chosen automatically)",
                                        security));
        return new TestServers.Started(p, p.endpoint());
    }

    private static TestServers.Started startElasticsearch() throws StackException {
        Checkout checkout = Checkout.locate();
        ElasticsearchLauncher.Security security =
                new ElasticsearchLauncher.Security(
                        tls(), Map.of(ELASTICSEARCH_USER, SECRETS.elasticsearch));
        ServerProcess p =
                TestServers.startWithRetries(
                        () ->
                                new ElasticsearchLauncher(
                                        checkout,
                                        TestServers.baseDir().resolve(DIR).resolve("elasticsearch"),
                                        HOST,
                                        Ports.freePort(HOST),
                                        Ports.freePort(HOST),
                                        "(chosen automatically)",
                                        "(chosen automatically)",
                                        security));
        return new TestServers.Started(p, p.endpoint());
    }
}
