package dev.batchtrace.stack;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The smallest OpenID Connect provider Apicurio Registry 2.4.2 needs to check HTTP basic auth, for
 * tests only.
 *
 * <p>Why it exists: that registry has no user store of its own. With {@code
 * CLIENT_CREDENTIALS_BASIC_AUTH_ENABLED} it takes the basic-auth user and password as OAuth client
 * id and secret, asks the token endpoint of its OIDC provider (Keycloak in production) for a token
 * ({@code grant_type=client_credentials}) and verifies that token with the provider's keys. This
 * stand-in serves exactly that: the discovery document, the JWKS and a token endpoint that knows
 * one client; the registry itself still enforces the authentication.
 */
public final class OidcTokenStandIn implements AutoCloseable {
    private static final String KEY_ID = "batchtrace-test-key";

    /**
     * Longer than Apicurio 2.4 caches a basic-auth client's token (a fixed time, not bound to the
     * token's expiry: Apicurio issue 4233): with 5-minute tokens, requests after the fifth minute
     * were refused as anonymous until the cache entry went.
     */
    static final long TOKEN_LIFETIME_SECONDS = 3_600;

    private final HttpServer server;
    private final KeyPair keys;
    private final String clientId;
    private final String clientSecret;
    private final AtomicLong tokensIssued = new AtomicLong();
    private final AtomicLong tokensRefused = new AtomicLong();

    private OidcTokenStandIn(HttpServer server, KeyPair keys, String clientId, String secret) {
        this.server = server;
        this.keys = keys;
        this.clientId = clientId;
        this.clientSecret = secret;
    }

    /** Starts on a free loopback port; accepts exactly {@code clientId} / {@code clientSecret}. */
    public static OidcTokenStandIn start(String clientId, String clientSecret) throws IOException {
        KeyPair keys;
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            keys = generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no RSA on this JVM", e);
        }
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        OidcTokenStandIn standIn = new OidcTokenStandIn(server, keys, clientId, clientSecret);
        server.createContext("/.well-known/openid-configuration", standIn::discovery);
        server.createContext("/jwks", standIn::jwks);
        server.createContext("/token", standIn::token);
        server.setExecutor(
                Executors.newFixedThreadPool(
                        2,
                        r -> {
                            Thread t = new Thread(r, "oidc-stand-in");
                            t.setDaemon(true);
                            return t;
                        }));
        server.start();
        return standIn;
    }

    /** The issuer, which is also where {@code /.well-known/openid-configuration} is served. */
    public String issuer() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public String tokenEndpoint() {
        return issuer() + "/token";
    }

    public long tokensIssued() {
        return tokensIssued.get();
    }

    public long tokensRefused() {
        return tokensRefused.get();
    }

    private void discovery(HttpExchange exchange) throws IOException {
        String issuer = issuer();
        respond(
                exchange,
                200,
                "{\"issuer\":\""
                        + issuer
                        + "\",\"token_endpoint\":\""
                        + tokenEndpoint()
                        + "\",\"jwks_uri\":\""
                        + issuer
                        + "/jwks\",\"authorization_endpoint\":\""
                        + issuer
                        + "/auth\",\"response_types_supported\":[\"code\"],"
                        + "\"subject_types_supported\":[\"public\"],"
                        + "\"id_token_signing_alg_values_supported\":[\"RS256\"],"
                        + "\"grant_types_supported\":[\"client_credentials\"]}");
    }

    private void jwks(HttpExchange exchange) throws IOException {
        RSAPublicKey key = (RSAPublicKey) keys.getPublic();
        respond(
                exchange,
                200,
                "{\"keys\":[{\"kty\":\"RSA\",\"use\":\"sig\",\"alg\":\"RS256\",\"kid\":\""
                        + KEY_ID
                        + "\",\"n\":\""
                        + base64Url(unsigned(key.getModulus()))
                        + "\",\"e\":\""
                        + base64Url(unsigned(key.getPublicExponent()))
                        + "\"}]}");
    }

    private void token(HttpExchange exchange) throws IOException {
        Map<String, String> form =
                form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        boolean known =
                "client_credentials".equals(form.get("grant_type"))
                        && clientId.equals(form.get("client_id"))
                        && constantTimeEquals(clientSecret, form.get("client_secret"));
        if (!known) {
            tokensRefused.incrementAndGet();
            respond(
                    exchange,
                    401,
                    "{\"error\":\"unauthorized_client\",\"error_description\":\"Invalid client"
                            + " or Invalid client credentials\"}");
            return;
        }
        tokensIssued.incrementAndGet();
        long now = Instant.now().getEpochSecond();
        String header = "{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"" + KEY_ID + "\"}";
        String claims =
                "{\"iss\":\""
                        + issuer()
                        + "\",\"sub\":\""
                        + clientId
                        + "\",\"azp\":\""
                        + clientId
                        + "\",\"preferred_username\":\""
                        + clientId
                        + "\",\"typ\":\"Bearer\",\"iat\":"
                        + now
                        + ",\"exp\":"
                        + (now + TOKEN_LIFETIME_SECONDS)
                        + "}";
        String unsigned =
                base64Url(header.getBytes(StandardCharsets.UTF_8))
                        + "."
                        + base64Url(claims.getBytes(StandardCharsets.UTF_8));
        String jwt = unsigned + "." + base64Url(sign(unsigned));
        respond(
                exchange,
                200,
                "{\"access_token\":\""
                        + jwt
                        + "\",\"token_type\":\"Bearer\",\"expires_in\":"
                        + TOKEN_LIFETIME_SECONDS
                        + "}");
    }

    private byte[] sign(String content) {
        try {
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initSign(keys.getPrivate());
            signature.update(content.getBytes(StandardCharsets.US_ASCII));
            return signature.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> form(String body) {
        Map<String, String> values = new HashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                values.put(
                        URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return values;
    }

    private static boolean constantTimeEquals(String expected, String given) {
        return given != null
                && MessageDigest.isEqual(
                        expected.getBytes(StandardCharsets.UTF_8),
                        given.getBytes(StandardCharsets.UTF_8));
    }

    private static void respond(HttpExchange exchange, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /** A JWK integer: big-endian without the sign byte BigInteger adds. */
    private static byte[] unsigned(BigInteger value) {
        byte[] bytes = value.toByteArray();
        if (bytes.length > 1 && bytes[0] == 0) {
            byte[] trimmed = new byte[bytes.length - 1];
            System.arraycopy(bytes, 1, trimmed, 0, trimmed.length);
            return trimmed;
        }
        return bytes;
    }

    private static String base64Url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
