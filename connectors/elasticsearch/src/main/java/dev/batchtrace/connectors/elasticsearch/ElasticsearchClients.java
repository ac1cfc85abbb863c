package dev.batchtrace.connectors.elasticsearch;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.json.jackson.Jackson3JsonpMapper;
import co.elastic.clients.transport.TransportException;
import co.elastic.clients.transport.TransportUtils;
import co.elastic.clients.transport.rest5_client.Rest5ClientTransport;
import co.elastic.clients.transport.rest5_client.low_level.Rest5Client;
import co.elastic.clients.transport.rest5_client.low_level.Rest5ClientBuilder;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.message.BasicHeader;
import tools.jackson.databind.cfg.DateTimeFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Builds {@link ElasticsearchClient}s from {@link ElasticsearchSettings}: the rest5 (httpclient5)
 * transport, auth and TLS from the settings, and a Jackson 3 mapper (the Jackson 2 default cannot
 * write {@code java.time} values). Close the client when done: its I/O threads keep a JVM alive.
 */
public final class ElasticsearchClients {

    private ElasticsearchClients() {}

    public static ElasticsearchClient create(ElasticsearchSettings settings) {
        return create(restClient(settings));
    }

    /** The typed client over a low-level client of {@link #restClient}; closing it closes both. */
    public static ElasticsearchClient create(Rest5Client restClient) {
        return new ElasticsearchClient(new Rest5ClientTransport(restClient, jsonpMapper()));
    }

    /**
     * The low-level client alone (transport, auth, TLS and timeouts from the settings): for
     * requests written as JSON, without the typed client's set-up (a query waited for at a prompt).
     */
    public static Rest5Client restClient(ElasticsearchSettings settings) {
        Rest5ClientBuilder builder = Rest5Client.builder(settings.hostUris());
        List<Header> headers = new ArrayList<>();
        if (settings.apiKey() != null) {
            headers.add(new BasicHeader("Authorization", "ApiKey " + settings.apiKey()));
        } else if (settings.username() != null) {
            String credentials = settings.username() + ":" + settings.password();
            headers.add(
                    new BasicHeader(
                            "Authorization",
                            "Basic "
                                    + Base64.getEncoder()
                                            .encodeToString(
                                                    credentials.getBytes(StandardCharsets.UTF_8))));
        }
        if (!headers.isEmpty()) {
            builder.setDefaultHeaders(headers.toArray(new Header[0]));
        }
        SSLContext sslContext = clientSslContext(settings);
        if (sslContext != null) {
            builder.setSSLContext(sslContext);
        }
        long connectMillis = settings.connectTimeout().toMillis();
        long socketMillis = settings.socketTimeout().toMillis();
        builder.setConnectionConfigCallback(
                c ->
                        c.setConnectTimeout(connectMillis, TimeUnit.MILLISECONDS)
                                .setSocketTimeout((int) socketMillis, TimeUnit.MILLISECONDS));
        builder.setRequestConfigCallback(
                r -> r.setResponseTimeout(socketMillis, TimeUnit.MILLISECONDS));
        // httpclient5 by default re-sends a request once after 1 s on 429/503, outside any
        // policy we configure and unseen by the sink's counters: retries belong to the sink
        builder.setHttpClientConfigCallback(h -> h.disableAutomaticRetries());
        return builder.build();
    }

    /** How the settings authenticate, for messages: never the secret itself. */
    public static String describeAuth(ElasticsearchSettings settings) {
        if (settings.apiKey() != null) {
            return "an API key (elasticsearch.api-key)";
        }
        if (settings.username() != null) {
            return "basic auth as user '" + settings.username() + "'";
        }
        return "no credentials";
    }

    /**
     * The message for an HTTP 401/403 from {@code settings.hosts()}: who was refused and which keys
     * to check. {@code reason} is Elasticsearch's own (it names the user, never the password).
     */
    public static String authFailureMessage(
            ElasticsearchSettings settings, int status, String reason) {
        String keys =
                settings.apiKey() != null
                        ? "elasticsearch.api-key"
                        : settings.username() != null
                                ? "elasticsearch.username / elasticsearch.password"
                                : "elasticsearch.api-key or elasticsearch.username / .password"
                                        + " (none is set)";
        return "Elasticsearch at "
                + String.join(",", settings.hosts())
                + (status == 401
                        ? " refused the credentials (HTTP 401 Unauthorized, "
                        : " refused the request (HTTP 403 Forbidden, ")
                + describeAuth(settings)
                + ")"
                + (reason == null || reason.isBlank() ? "" : ": " + reason)
                + ". Check "
                + keys
                + (status == 403 ? " and the privileges of that user or key" : "")
                + "; not retried.";
    }

    /**
     * One request with the settings' credentials and TLS (cluster health), so jobs and tools fail
     * at start with a clear message instead of deep inside a bulk request.
     *
     * @throws ElasticsearchAuthException on 401/403
     * @throws IOException when the node cannot be reached or the TLS handshake fails (the message
     *     names the hosts and the TLS keys)
     */
    public static void verify(ElasticsearchSettings settings) throws IOException {
        try (ElasticsearchClient client = create(settings)) {
            client.cluster().health();
        } catch (ElasticsearchException | TransportException e) {
            throw explain(settings, e);
        } catch (IOException e) {
            throw explain(settings, e);
        }
    }

    /** {@code failure} of a request with {@code settings}, explained for an operator. */
    public static IOException explain(ElasticsearchSettings settings, Exception failure) {
        java.util.OptionalInt status = BulkFailures.httpStatus(failure);
        if (status.isPresent() && (status.getAsInt() == 401 || status.getAsInt() == 403)) {
            return new ElasticsearchAuthException(
                    status.getAsInt(),
                    authFailureMessage(settings, status.getAsInt(), reason(failure)),
                    failure);
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof javax.net.ssl.SSLException) {
                return new IOException(
                        "TLS handshake with Elasticsearch at "
                                + String.join(",", settings.hosts())
                                + " failed: "
                                + t.getMessage()
                                + ". Check elasticsearch.tls.ca-certificate (or .tls.truststore /"
                                + " .tls.ca-fingerprint): it must hold the CA of the node's HTTP"
                                + " certificate, which must name the host in elasticsearch.hosts.",
                        failure);
            }
        }
        if (failure instanceof IOException io) {
            return new IOException(
                    "cannot reach Elasticsearch at "
                            + String.join(",", settings.hosts())
                            + ": "
                            + failure.getMessage(),
                    io);
        }
        return new IOException(
                "Elasticsearch at "
                        + String.join(",", settings.hosts())
                        + " failed: "
                        + failure.getMessage(),
                failure);
    }

    private static String reason(Exception failure) {
        if (failure instanceof ElasticsearchException e && e.error() != null) {
            return e.error().type() + ": " + e.error().reason();
        }
        return failure.getMessage();
    }

    /**
     * Jackson 3 with ISO-8601 strings for {@code java.time} values (what a {@code date} field
     * parses).
     */
    public static Jackson3JsonpMapper jsonpMapper() {
        return new Jackson3JsonpMapper(
                JsonMapper.builder().disable(DateTimeFeature.WRITE_DATES_AS_TIMESTAMPS).build());
    }

    /**
     * What the client is handed for TLS: the trust the settings ask for; for plain http hosts only,
     * a default context set up on first use (never, as long as no connection needs TLS); else
     * {@code null}, and the builder takes the JVM default.
     */
    static SSLContext clientSslContext(ElasticsearchSettings settings) {
        SSLContext configured = sslContext(settings);
        if (configured == null && plainHttpOnly(settings)) {
            // the builder would load the JVM's default TLS context (its trust store: a tenth of
            // a query command's start-up) for connections an http URL never makes
            return new DeferredDefaultSslContext();
        }
        return configured;
    }

    /** Every host is plain {@code http://}: no connection needs TLS. */
    static boolean plainHttpOnly(ElasticsearchSettings settings) {
        return settings.hostUris().stream().allMatch(u -> "http".equalsIgnoreCase(u.getScheme()));
    }

    /** The JVM's default TLS context ({@link SSLContext#getDefault()}), made on first use. */
    static final class DeferredDefaultSslContext extends SSLContext {

        private final DeferredSpi spi;

        DeferredDefaultSslContext() {
            this(new DeferredSpi());
        }

        private DeferredDefaultSslContext(DeferredSpi spi) {
            super(spi, null, "Default");
            this.spi = spi;
        }

        /** Whether the default context was made (tests). */
        boolean madeDefault() {
            return spi.delegate != null;
        }
    }

    private static final class DeferredSpi extends SSLContextSpi {
        private volatile SSLContext delegate;

        private SSLContext delegate() {
            SSLContext context = delegate;
            if (context == null) {
                try {
                    context = SSLContext.getDefault();
                } catch (NoSuchAlgorithmException e) {
                    throw new IllegalStateException("no default TLS context in this JVM", e);
                }
                delegate = context;
            }
            return context;
        }

        @Override
        protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom random) {
            throw new UnsupportedOperationException("the default TLS context is initialized");
        }

        @Override
        protected SSLSocketFactory engineGetSocketFactory() {
            return delegate().getSocketFactory();
        }

        @Override
        protected SSLServerSocketFactory engineGetServerSocketFactory() {
            return delegate().getServerSocketFactory();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine() {
            return delegate().createSSLEngine();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine(String host, int port) {
            return delegate().createSSLEngine(host, port);
        }

        @Override
        protected SSLSessionContext engineGetServerSessionContext() {
            return delegate().getServerSessionContext();
        }

        @Override
        protected SSLSessionContext engineGetClientSessionContext() {
            return delegate().getClientSessionContext();
        }

        @Override
        protected SSLParameters engineGetDefaultSSLParameters() {
            return delegate().getDefaultSSLParameters();
        }

        @Override
        protected SSLParameters engineGetSupportedSSLParameters() {
            return delegate().getSupportedSSLParameters();
        }
    }

    /** The TLS trust the settings ask for, or {@code null} for the JVM default. */
    static SSLContext sslContext(ElasticsearchSettings settings) {
        try {
            if (settings.caCertificatePath() != null) {
                return TransportUtils.sslContextFromHttpCaCrt(
                        new File(settings.caCertificatePath()));
            }
            if (settings.caFingerprint() != null) {
                return TransportUtils.sslContextFromCaFingerprint(
                        settings.caFingerprint().replace(":", ""));
            }
            if (settings.truststorePath() != null) {
                KeyStore trustStore = KeyStore.getInstance(settings.truststoreType());
                char[] password =
                        settings.truststorePassword() == null
                                ? null
                                : settings.truststorePassword().toCharArray();
                try (InputStream in = Files.newInputStream(Path.of(settings.truststorePath()))) {
                    trustStore.load(in, password);
                }
                TrustManagerFactory tmf =
                        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(trustStore);
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(null, tmf.getTrustManagers(), null);
                return context;
            }
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot read the TLS trust material named in " + settings, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(
                    "cannot build a TLS context from the trust material named in " + settings, e);
        }
    }
}
