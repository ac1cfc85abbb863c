package dev.batchtrace.deploy.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import java.util.List;
import java.util.stream.Stream;
import org.apache.flink.kubernetes.operator.api.FlinkDeployment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every manifest of the base and of each overlay parses into its operator's model, strictly. */
class ManifestModelsTest {

    static Stream<String> variants() {
        return Stream.concat(Stream.of("base"), Kustomize.OVERLAYS.stream());
    }

    static Kustomize.Rendered render(String variant) {
        return variant.equals("base") ? Kustomize.base() : Kustomize.overlay(variant);
    }

    @ParameterizedTest
    @MethodSource("variants")
    void everyResourceParsesIntoItsModel(String variant) {
        Kustomize.Rendered rendered = render(variant);
        assertTrue(rendered.resources().size() > 20, variant + ": " + rendered.resources().size());
        for (ObjectNode resource : rendered.resources()) {
            Models.parse(resource);
        }
        for (String job : List.of("batchtrace-lineage", "batchtrace-machine")) {
            FlinkDeployment deployment =
                    Models.parse(rendered.get("FlinkDeployment", job), FlinkDeployment.class);
            assertEquals("batchtrace", deployment.getMetadata().getNamespace());
        }
    }

    @Test
    void theOverlaysSizeTheJobsDifferently() {
        int small = parallelism(Kustomize.overlay("small-plant"), "batchtrace-machine");
        int large = parallelism(Kustomize.overlay("large-plant"), "batchtrace-machine");
        assertTrue(large > small, small + " vs " + large);
        assertEquals(
                8,
                parallelism(Kustomize.overlay("large-plant"), "batchtrace-lineage"),
                "the large overlay's patch is applied");
    }

    @Test
    void kafkaIsKraftWithThreeBrokers() {
        Kustomize.Rendered base = Kustomize.base();
        Kafka kafka = Models.parse(base.get("Kafka", "trace"), Kafka.class);
        assertEquals("simple", kafka.getSpec().getKafka().getAuthorization().getType());
        int brokers = 0;
        for (ObjectNode pool : base.ofKind("KafkaNodePool")) {
            KafkaNodePool parsed = Models.parse(pool, KafkaNodePool.class);
            assertEquals("trace", parsed.getMetadata().getLabels().get("strimzi.io/cluster"));
            if (parsed.getSpec().getRoles().toString().contains("BROKER")) {
                brokers += parsed.getSpec().getReplicas();
            }
        }
        assertEquals(3, brokers);
        assertEquals(
                3,
                base.get("Elasticsearch", "trace")
                        .path("spec")
                        .path("nodeSets")
                        .get(0)
                        .path("count")
                        .asInt());
    }

    @Test
    void anUnknownFieldFailsInTheModelAndInNestedKubernetesObjects() {
        ObjectNode deployment = Kustomize.base().get("FlinkDeployment", "batchtrace-lineage");
        ObjectNode typo = deployment.deepCopy();
        ((ObjectNode) typo.path("spec").path("job")).put("upgradMode", "savepoint");
        assertThrows(AssertionError.class, () -> Models.parse(typo));

        ObjectNode nested = deployment.deepCopy();
        ((ObjectNode) nested.path("spec").path("podTemplate").path("spec")).put("containerz", 1);
        AssertionError error = assertThrows(AssertionError.class, () -> Models.parse(nested));
        assertTrue(error.getMessage().contains("containerz"), error.getMessage());

        ObjectNode topic = Kustomize.base().ofKind("KafkaTopic").get(0).deepCopy();
        ((ObjectNode) topic.path("spec")).put("replica", 3);
        assertThrows(AssertionError.class, () -> Models.parse(topic));

        ObjectNode elasticsearch = Kustomize.base().get("Elasticsearch", "trace").deepCopy();
        ((ObjectNode) elasticsearch.path("spec")).put("nodeSet", 3);
        assertThrows(AssertionError.class, () -> Models.parse(elasticsearch));
    }

    @Test
    void aFlinkVersionOtherThanTheProjectsFails() {
        ObjectNode deployment =
                Kustomize.base().get("FlinkDeployment", "batchtrace-machine").deepCopy();
        ((ObjectNode) deployment.path("spec")).put("flinkVersion", "v1_20");
        assertThrows(AssertionError.class, () -> Models.parse(deployment));
    }

    @Test
    void aPatchThatTargetsNothingFails() {
        ObjectNode target = Kustomize.base().ofKind("KafkaTopic").get(0);
        assertThrows(
                IllegalStateException.class,
                () ->
                        Kustomize.render(
                                Kustomize.MODULE.resolve("src/test/resources/broken-overlay")));
        assertTrue(target.has("spec"));
    }

    private static int parallelism(Kustomize.Rendered rendered, String name) {
        return Models.parse(rendered.get("FlinkDeployment", name), FlinkDeployment.class)
                .getSpec()
                .getJob()
                .getParallelism();
    }
}
