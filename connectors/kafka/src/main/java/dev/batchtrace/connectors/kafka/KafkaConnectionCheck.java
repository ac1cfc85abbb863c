package dev.batchtrace.connectors.kafka;

import dev.batchtrace.connectors.kafka.KafkaConnectionException.Kind;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;

/**
 * Logs in to Kafka once with the given settings before a job or tool starts its real clients.
 *
 * <p>Why: a wrong password otherwise surfaces deep inside Flink's source enumerator (a restart loop
 * with Kafka's bare "Authentication failed ... invalid credentials") or as one rejected line per
 * event in the publisher. Here it fails once, fast, with the brokers, the user and the key to fix.
 */
public final class KafkaConnectionCheck {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private KafkaConnectionCheck() {}

    /** {@link #verify(KafkaSettings, Duration)} with {@link #DEFAULT_TIMEOUT}. */
    public static void verify(KafkaSettings settings) {
        verify(settings, DEFAULT_TIMEOUT);
    }

    /**
     * Describes the cluster with the settings' client properties.
     *
     * @throws KafkaConnectionException naming the brokers, the SASL user and what to check
     */
    public static void verify(KafkaSettings settings, Duration timeout) {
        Properties properties = settings.clientProperties(true);
        int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        properties.putIfAbsent(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, millis);
        properties.putIfAbsent(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, millis);
        properties.putIfAbsent(AdminClientConfig.CLIENT_ID_CONFIG, "batchtrace-connection-check");
        try (Admin admin = Admin.create(properties)) {
            admin.describeCluster(new DescribeClusterOptions().timeoutMs(millis))
                    .nodes()
                    .get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw explain(settings, e.getCause(), timeout);
        } catch (TimeoutException e) {
            throw explain(settings, e, timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaConnectionException(
                    Kind.UNREACHABLE, "interrupted while connecting to Kafka", e);
        } catch (RuntimeException e) {
            // Admin.create itself fails on unusable settings (truststore file missing, bad JAAS)
            throw explain(settings, e, timeout);
        }
    }

    /** The operator's message for {@code failure}; public for callers that see it elsewhere. */
    public static KafkaConnectionException explain(
            KafkaSettings settings, Throwable failure, Duration timeout) {
        String where = "Kafka at " + settings.bootstrapServers();
        String user = settings.saslUser().map(u -> "'" + u + "'").orElse("(none)");
        String mechanism = settings.clientProperties().getOrDefault("sasl.mechanism", "GSSAPI");
        String cause = failure.getMessage() == null ? failure.toString() : failure.getMessage();
        if (failure instanceof SaslAuthenticationException) {
            return new KafkaConnectionException(
                    Kind.AUTHENTICATION,
                    where
                            + " refused the login of SASL user "
                            + user
                            + " ("
                            + mechanism
                            + " over "
                            + settings.securityProtocol()
                            + "): "
                            + cause
                            + ". Check the user and password in sasl.jaas.config, and that the"
                            + " user exists on the cluster with "
                            + mechanism
                            + " credentials.",
                    failure);
        }
        if (failure instanceof SslAuthenticationException) {
            return new KafkaConnectionException(
                    Kind.TLS,
                    "TLS handshake with "
                            + where
                            + " failed: "
                            + rootMessage(failure)
                            + ". Check ssl.truststore.location (it must hold the CA of the"
                            + " brokers' certificates) and that the certificates name the hosts in"
                            + " bootstrap.servers.",
                    failure);
        }
        if (failure instanceof AuthenticationException) {
            return new KafkaConnectionException(
                    Kind.AUTHENTICATION,
                    where + " refused the connection of user " + user + ": " + cause,
                    failure);
        }
        if (failure instanceof AuthorizationException) {
            return new KafkaConnectionException(
                    Kind.AUTHORIZATION,
                    where
                            + " authenticated user "
                            + user
                            + " but does not allow it to describe the cluster: "
                            + cause,
                    failure);
        }
        if (failure instanceof TimeoutException
                || failure instanceof org.apache.kafka.common.errors.TimeoutException) {
            return new KafkaConnectionException(
                    Kind.UNREACHABLE,
                    where
                            + " did not answer within "
                            + timeout.toSeconds()
                            + " s (security.protocol="
                            + settings.securityProtocol()
                            + "). Check bootstrap.servers, that the brokers run, and that"
                            + " security.protocol matches their listener (a PLAINTEXT client gets"
                            + " no answer from a SASL_SSL listener).",
                    failure);
        }
        return new KafkaConnectionException(
                Kind.UNREACHABLE,
                "cannot connect to " + where + " as user " + user + ": " + rootMessage(failure),
                failure);
    }

    private static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String top = failure.getMessage() == null ? failure.toString() : failure.getMessage();
        return root == failure || root.getMessage() == null
                ? top
                : top + " (" + root.getMessage() + ")";
    }
}
