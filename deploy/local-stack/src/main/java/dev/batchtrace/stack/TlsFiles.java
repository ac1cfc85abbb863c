package dev.batchtrace.stack;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A server certificate for loopback TLS tests, made with the JDK's {@code keytool} (no extra
 * library): a self-signed RSA certificate for {@code CN=localhost} with the subject alternative
 * names {@code IP:127.0.0.1} and {@code DNS:localhost}, so clients that verify host names (Kafka's
 * default {@code ssl.endpoint.identification.algorithm=https}, the JDK HTTP client, httpclient5)
 * accept it. The certificate is its own trust anchor: the truststore and the PEM file hold it.
 *
 * @param keystore PKCS12 with the private key and certificate (alias {@value #ALIAS})
 * @param truststore PKCS12 with the certificate only
 * @param certificatePem the certificate as PEM (what {@code elasticsearch.tls.ca-certificate}
 *     takes)
 * @param password the password of both stores
 */
public record TlsFiles(Path keystore, Path truststore, Path certificatePem, String password) {

    public static final String ALIAS = "server";
    public static final String STORE_TYPE = "PKCS12";

    /** Generates the three files in {@code dir} (created if missing); ~2 s (three keytool runs). */
    public static TlsFiles generate(Path dir, String password) throws StackException {
        Path keystore = dir.resolve("server.p12").toAbsolutePath();
        Path truststore = dir.resolve("truststore.p12").toAbsolutePath();
        Path pem = dir.resolve("server.crt").toAbsolutePath();
        try {
            Files.createDirectories(dir);
            for (Path p : List.of(keystore, truststore, pem)) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new StackException("Cannot prepare " + dir + " for TLS files: " + e, e);
        }
        keytool(
                dir,
                password,
                "-genkeypair",
                "-alias",
                ALIAS,
                "-keyalg",
                "RSA",
                "-keysize",
                "2048",
                "-validity",
                "30",
                "-dname",
                "CN=localhost, O=batchtrace tests",
                "-ext",
                "SAN=ip:127.0.0.1,dns:localhost",
                "-keystore",
                keystore.toString(),
                "-storetype",
                STORE_TYPE,
                "-storepass:env",
                "TLS_STORE_PASSWORD",
                "-keypass:env",
                "TLS_STORE_PASSWORD");
        keytool(
                dir,
                password,
                "-exportcert",
                "-rfc",
                "-alias",
                ALIAS,
                "-keystore",
                keystore.toString(),
                "-storepass:env",
                "TLS_STORE_PASSWORD",
                "-file",
                pem.toString());
        keytool(
                dir,
                password,
                "-importcert",
                "-noprompt",
                "-alias",
                "batchtrace-test-server",
                "-file",
                pem.toString(),
                "-keystore",
                truststore.toString(),
                "-storetype",
                STORE_TYPE,
                "-storepass:env",
                "TLS_STORE_PASSWORD");
        return new TlsFiles(keystore, truststore, pem, password);
    }

    /** An SSL context that trusts exactly this certificate (for health checks and tests). */
    public SSLContext clientContext() {
        try (InputStream in = Files.newInputStream(truststore)) {
            KeyStore trust = KeyStore.getInstance(STORE_TYPE);
            trust.load(in, password.toCharArray());
            TrustManagerFactory factory =
                    TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot load " + truststore + ": " + e, e);
        }
    }

    /** Never prints the password. */
    @Override
    public String toString() {
        return "TlsFiles[keystore="
                + keystore
                + ", truststore="
                + truststore
                + ", certificatePem="
                + certificatePem
                + ", password=***]";
    }

    private static void keytool(Path dir, String password, String... args) throws StackException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Path log = dir.resolve("keytool.log");
        try {
            ProcessBuilder builder =
                    new ProcessBuilder(command)
                            .directory(dir.toFile())
                            .redirectErrorStream(true)
                            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            // the password goes through the environment, not the command line (ps shows that)
            builder.environment().put("TLS_STORE_PASSWORD", password);
            Process process = builder.start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new StackException("keytool " + args[0] + " did not finish in 60 s");
            }
            if (process.exitValue() != 0) {
                throw new StackException(
                        "keytool "
                                + args[0]
                                + " failed (exit code "
                                + process.exitValue()
                                + ")."
                                + LogTail.describe(log, 10));
            }
        } catch (IOException e) {
            throw new StackException("Cannot run keytool: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("Interrupted while running keytool", e);
        }
    }
}
