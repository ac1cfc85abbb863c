package dev.batchtrace.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaLauncherTest {

    @Test
    void clusterIdIs22CharBase64UrlOf16Bytes() {
        SecureRandom random = new SecureRandom();
        for (int i = 0; i < 1000; i++) {
            String id = KafkaLauncher.newClusterId(random);
            assertEquals(22, id.length(), id);
            assertTrue(id.matches("[A-Za-z0-9_-]+"), id);
            assertFalse(id.startsWith("-"), id);
            assertEquals(16, Base64.getUrlDecoder().decode(id).length);
        }
    }

    @Test
    void clusterIdIsKeptPerDataDir(@TempDir Path dir) throws Exception {
        String first = launcher(dir).clusterId();
        assertEquals(first, launcher(dir).clusterId());
        assertEquals(first, Files.readString(dir.resolve("cluster.id")).trim());
    }

    @Test
    void serverPropertiesDescribeASingleKraftNode(@TempDir Path dir) {
        String text = launcher(dir).serverPropertiesText();
        assertTrue(text.contains("process.roles=broker,controller\n"), text);
        assertTrue(text.contains("controller.quorum.voters=1@127.0.0.1:19093\n"), text);
        assertTrue(
                text.contains(
                        "listeners=PLAINTEXT://127.0.0.1:19092,CONTROLLER://127.0.0.1:19093\n"),
                text);
        assertTrue(text.contains("advertised.listeners=PLAINTEXT://127.0.0.1:19092\n"), text);
        assertTrue(text.contains("offsets.topic.replication.factor=1\n"), text);
        assertTrue(text.contains("transaction.state.log.min.isr=1\n"), text);
        assertTrue(text.contains("group.initial.rebalance.delay.ms=0\n"), text);
        assertTrue(text.contains("log.dirs=" + dir.resolve("data") + "\n"), text);
    }

    @Test
    void securedBrokerServesOnlySaslSslToClientsAndLogsInToItselfWithScram(@TempDir Path dir) {
        TlsFiles tls =
                new TlsFiles(
                        dir.resolve("k.p12"), dir.resolve("t.p12"), dir.resolve("c.pem"), "tlsPw1");
        KafkaLauncher.Security security =
                new KafkaLauncher.Security(
                        tls,
                        java.util.Map.of("client", "clientPw", "broker", "brokerPw"),
                        "broker");
        String text =
                new KafkaLauncher(
                                new Checkout(dir),
                                dir,
                                "127.0.0.1",
                                19092,
                                19093,
                                "p",
                                "c",
                                security)
                        .serverPropertiesText();
        assertTrue(
                text.contains(
                        "listeners=SASL_SSL://127.0.0.1:19092,CONTROLLER://127.0.0.1:19093\n"),
                text);
        assertTrue(text.contains("advertised.listeners=SASL_SSL://127.0.0.1:19092\n"), text);
        assertTrue(text.contains("inter.broker.listener.name=SASL_SSL\n"), text);
        assertTrue(text.contains("sasl.enabled.mechanisms=SCRAM-SHA-512\n"), text);
        assertTrue(
                text.contains(
                        "listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config="
                                + "org.apache.kafka.common.security.scram.ScramLoginModule required"
                                + " username=\"broker\" password=\"brokerPw\";\n"),
                text);
        assertTrue(text.contains("ssl.keystore.location=" + tls.keystore() + "\n"), text);
        assertFalse(text.contains("PLAINTEXT://127.0.0.1:19092"), text);
        // the client's password is not the broker's business
        assertFalse(text.contains("clientPw"), text);
        assertFalse(security.toString().contains("Pw"), security.toString());
    }

    private static KafkaLauncher launcher(Path dir) {
        return new KafkaLauncher(new Checkout(dir), dir, "127.0.0.1", 19092, 19093, "p", "c");
    }
}
