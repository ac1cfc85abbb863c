package dev.batchtrace.connectors.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Properties;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;

class KafkaSettingsTest {

    @Test
    void jobClientsBatchFetchesAndSendsUnlessTheClientPropertiesSayOtherwise() throws Exception {
        Properties p = new Properties();
        p.setProperty("bootstrap.servers", "k1:9093");
        p.setProperty("kafka.client.fetch.max.wait.ms", "100");
        p.setProperty("security.protocol", "SASL_SSL");
        KafkaSettings s = KafkaSettings.fromProperties(p);

        Properties consumer = s.consumerProperties();
        assertEquals("262144", consumer.getProperty("fetch.min.bytes"));
        assertEquals("100", consumer.getProperty("fetch.max.wait.ms"), "the user's value wins");
        assertEquals("SASL_SSL", consumer.getProperty("security.protocol"));
        assertFalse(consumer.containsKey("linger.ms"), "a producer setting only");
        Properties producer = s.producerProperties();
        assertEquals("20", producer.getProperty("linger.ms"));
        assertFalse(producer.containsKey("fetch.min.bytes"), "a consumer setting only");
        assertFalse(s.clientProperties(false).containsKey("linger.ms"), "plain clients: as given");
        org.apache.flink.connector.kafka.source.KafkaSource<?> source =
                EventSources.builder(
                                s,
                                () -> {
                                    throw new AssertionError("not built");
                                },
                                "mes.goods-receipts",
                                dev.batchtrace.events.GoodsReceipt.class)
                        .build();
        // getConfiguration() is the connector's package-private view of the consumer properties
        java.lang.reflect.Method configuration =
                org.apache.flink.connector.kafka.source.KafkaSource.class.getDeclaredMethod(
                        "getConfiguration");
        configuration.setAccessible(true);
        org.apache.flink.configuration.Configuration config =
                (org.apache.flink.configuration.Configuration) configuration.invoke(source);
        assertEquals(
                "262144",
                config.toMap().get("fetch.min.bytes"),
                "the input sources take the defaults");
    }

    @Test
    void passesSecurityAndPrefixedClientPropertiesThrough() throws Exception {
        Properties p = new Properties();
        p.setProperty("bootstrap.servers", "k1:9093,k2:9093");
        p.setProperty("group.id.prefix", "lineage-job");
        p.setProperty("security.protocol", "SASL_SSL");
        p.setProperty("sasl.mechanism", "SCRAM-SHA-512");
        p.setProperty("sasl.jaas.config", "org.apache...ScramLoginModule required password=\"x\";");
        p.setProperty("ssl.truststore.location", "/etc/kafka/trust.p12");
        p.setProperty("kafka.client.max.poll.records", "1000");
        p.setProperty("schema.registry.url", "http://r:8081");

        KafkaSettings s = KafkaSettings.fromProperties(p);

        assertEquals("k1:9093,k2:9093", s.bootstrapServers());
        assertEquals("lineage-job.mes.goods-receipts", s.groupId("mes.goods-receipts"));
        Properties client = s.clientProperties(true);
        assertEquals("SASL_SSL", client.getProperty("security.protocol"));
        assertEquals("SCRAM-SHA-512", client.getProperty("sasl.mechanism"));
        assertEquals("/etc/kafka/trust.p12", client.getProperty("ssl.truststore.location"));
        assertEquals("1000", client.getProperty("max.poll.records"));
        assertEquals("k1:9093,k2:9093", client.getProperty("bootstrap.servers"));
        assertFalse(client.containsKey("schema.registry.url"));
        assertFalse(s.toString().contains("password"), s.toString());
        assertEquals(s, InstantiationUtil.clone(s));
    }

    @Test
    void requiresBootstrapServersAndDefaultsThePrefix() {
        assertThrows(IllegalArgumentException.class, () -> KafkaSettings.fromMap(Map.of()));
        assertEquals("batchtrace.t", KafkaSettings.of("k:9092").groupId("t"));
    }

    @Test
    void toStringShowsTheUserButNoSecret() {
        Properties p = new Properties();
        p.setProperty("bootstrap.servers", "k1:9093");
        p.setProperty("security.protocol", "SASL_SSL");
        p.setProperty("sasl.mechanism", "SCRAM-SHA-512");
        p.setProperty(
                "sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required"
                        + " username=\"lineage-job\" password=\"s3cret-jaas\";");
        p.setProperty("ssl.truststore.password", "s3cret-trust");
        p.setProperty("ssl.keystore.password", "s3cret-keystore");
        p.setProperty("ssl.key.password", "s3cret-key");
        p.setProperty("ssl.keystore.key", "-----BEGIN PRIVATE KEY----- s3cret-pem");
        p.setProperty("kafka.client.sasl.oauthbearer.client.credentials.client.secret", "s3cret-o");
        KafkaSettings s = KafkaSettings.fromProperties(p);

        String shown = s.toString();
        assertFalse(shown.contains("s3cret"), shown);
        assertTrue(shown.contains("saslUser=lineage-job"), shown);
        assertTrue(shown.contains("ssl.truststore.password=***"), shown);
        assertEquals("lineage-job", s.saslUser().orElseThrow());
        assertEquals("SASL_SSL", s.securityProtocol());
        assertEquals("PLAINTEXT", KafkaSettings.of("k:9092").securityProtocol());
    }
}
