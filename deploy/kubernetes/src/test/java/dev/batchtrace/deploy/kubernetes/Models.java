package dev.batchtrace.deploy.kubernetes;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.user.KafkaUser;
import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.kubernetes.operator.api.FlinkDeployment;
import org.apache.flink.runtime.util.EnvironmentInformation;

/**
 * Manifests into the operators' own Java models, strictly: Jackson fails on unknown properties, and
 * since the fabric8 and Strimzi models keep unknown fields in {@code additionalProperties} instead
 * of failing, every parsed object graph is also walked and any non-empty {@code
 * additionalProperties} is an error naming its path. Some models ignore unknown fields outright
 * (the operator's JobSpec is {@code @JsonIgnoreProperties(ignoreUnknown = true)}): every class
 * reachable from a model that says so gets a mix-in that takes it back.
 */
final class Models {

    /** Replaces a model class's {@code @JsonIgnoreProperties(ignoreUnknown = true)}. */
    @JsonIgnoreProperties(ignoreUnknown = false)
    private abstract static class FailOnUnknown {}

    /** The model class of every kind the manifests may contain. */
    static final Map<String, Class<?>> MODELS =
            Map.ofEntries(
                    Map.entry("flink.apache.org/FlinkDeployment", FlinkDeployment.class),
                    Map.entry("kafka.strimzi.io/Kafka", Kafka.class),
                    Map.entry("kafka.strimzi.io/KafkaNodePool", KafkaNodePool.class),
                    Map.entry("kafka.strimzi.io/KafkaTopic", KafkaTopic.class),
                    Map.entry("kafka.strimzi.io/KafkaUser", KafkaUser.class),
                    Map.entry("/ConfigMap", ConfigMap.class),
                    Map.entry("/Namespace", Namespace.class),
                    Map.entry("/Service", Service.class),
                    Map.entry("/ServiceAccount", ServiceAccount.class),
                    Map.entry("apps/Deployment", Deployment.class),
                    Map.entry("batch/Job", Job.class),
                    Map.entry("rbac.authorization.k8s.io/Role", Role.class),
                    Map.entry("rbac.authorization.k8s.io/RoleBinding", RoleBinding.class));

    /**
     * ECK publishes no Java model on Maven Central: its resources are checked field by field
     * against the fields of its v1 API that the manifests may use (ECK reference docs).
     */
    static final Map<String, Set<String>> ECK_SPEC_FIELDS =
            Map.of(
                    "elasticsearch.k8s.elastic.co/Elasticsearch",
                    Set.of(
                            "version",
                            "image",
                            "http",
                            "transport",
                            "auth",
                            "nodeSets",
                            "secureSettings",
                            "updateStrategy",
                            "podDisruptionBudget",
                            "volumeClaimDeletePolicy"),
                    "kibana.k8s.elastic.co/Kibana",
                    Set.of(
                            "version",
                            "image",
                            "count",
                            "elasticsearchRef",
                            "config",
                            "http",
                            "podTemplate",
                            "secureSettings"));

    /**
     * The served operator API (1.10.0) knows Flink versions up to v1_20; the manifests say what the
     * image runs. The version is checked against the Flink on the classpath, then mapped to the
     * newest version the model knows so the rest of the resource is still parsed strictly.
     */
    static final String NEWEST_MODEL_FLINK_VERSION = "v1_20";

    static final ObjectMapper STRICT = strictMapper();

    private Models() {}

    private static ObjectMapper strictMapper() {
        JsonMapper.Builder builder =
                JsonMapper.builder()
                        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                        .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);
        Set<Class<?>> lenient = new java.util.HashSet<>();
        MODELS.values().forEach(model -> findLenient(model, lenient, new java.util.HashSet<>()));
        lenient.forEach(type -> builder.addMixIn(type, FailOnUnknown.class));
        return builder.build();
    }

    /** Model classes (reachable through fields) that ignore unknown properties. */
    private static void findLenient(Class<?> type, Set<Class<?>> lenient, Set<Class<?>> seen) {
        if (type == null
                || type.isPrimitive()
                || !seen.add(type)
                || !(type.getPackageName().startsWith("io.fabric8")
                        || type.getPackageName().startsWith("io.strimzi")
                        || type.getPackageName().startsWith("org.apache.flink.kubernetes"))) {
            return;
        }
        JsonIgnoreProperties ignore = type.getAnnotation(JsonIgnoreProperties.class);
        if (ignore != null && ignore.ignoreUnknown()) {
            lenient.add(type);
        }
        JsonSubTypes subTypes = type.getAnnotation(JsonSubTypes.class);
        if (subTypes != null) {
            for (JsonSubTypes.Type sub : subTypes.value()) {
                findLenient(sub.value(), lenient, seen);
            }
        }
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            findLenient(c.getSuperclass(), lenient, seen);
            // CustomResource<Spec, Status>: the spec's class is a type argument
            if (c.getGenericSuperclass() instanceof ParameterizedType superType) {
                for (Type argument : superType.getActualTypeArguments()) {
                    if (argument instanceof Class<?> argumentClass) {
                        findLenient(argumentClass, lenient, seen);
                    }
                }
            }
            for (Field field : c.getDeclaredFields()) {
                findLenient(field.getType(), lenient, seen);
                if (field.getGenericType() instanceof ParameterizedType generic) {
                    for (Type argument : generic.getActualTypeArguments()) {
                        if (argument instanceof Class<?> argumentClass) {
                            findLenient(argumentClass, lenient, seen);
                        }
                    }
                }
                if (field.getType().isArray()) {
                    findLenient(field.getType().getComponentType(), lenient, seen);
                }
            }
        }
    }

    static String key(JsonNode resource) {
        String apiVersion = resource.path("apiVersion").asText();
        int slash = apiVersion.indexOf('/');
        return (slash < 0 ? "" : apiVersion.substring(0, slash))
                + "/"
                + resource.path("kind").asText();
    }

    /** The Flink version the project builds against, as the operator spells it: v2_2. */
    static String projectFlinkVersion() {
        String[] parts = EnvironmentInformation.getVersion().split("\\.");
        return "v" + parts[0] + "_" + parts[1];
    }

    /** Parses a resource into its model, failing on any field the model does not have. */
    static Object parse(ObjectNode resource) {
        String key = key(resource);
        Class<?> model = MODELS.get(key);
        if (model == null) {
            Set<String> eckFields = ECK_SPEC_FIELDS.get(key);
            if (eckFields == null) {
                throw new AssertionError("no model for " + key + ": add one to Models.MODELS");
            }
            resource.path("spec")
                    .fieldNames()
                    .forEachRemaining(
                            field -> {
                                if (!eckFields.contains(field)) {
                                    throw new AssertionError(
                                            key + " " + name(resource) + ": unknown spec." + field);
                                }
                            });
            return resource;
        }
        ObjectNode copy = resource.deepCopy();
        if (model == FlinkDeployment.class) {
            String version = copy.path("spec").path("flinkVersion").asText();
            if (!version.equals(projectFlinkVersion())) {
                throw new AssertionError(
                        name(resource)
                                + ": flinkVersion "
                                + version
                                + " but the jobs are built for Flink "
                                + EnvironmentInformation.getVersion());
            }
            ((ObjectNode) copy.get("spec")).put("flinkVersion", NEWEST_MODEL_FLINK_VERSION);
        }
        Object parsed;
        try {
            parsed = STRICT.treeToValue(copy, model);
        } catch (Exception e) {
            throw new AssertionError(key + " " + name(resource) + ": " + e.getMessage(), e);
        }
        List<String> unknown = new ArrayList<>();
        collectUnknown(parsed, key + " " + name(resource), unknown, new IdentityHashMap<>());
        if (!unknown.isEmpty()) {
            throw new AssertionError("unknown fields: " + unknown);
        }
        return parsed;
    }

    static <T> T parse(ObjectNode resource, Class<T> model) {
        return model.cast(parse(resource));
    }

    static String name(JsonNode resource) {
        return resource.path("metadata").path("name").asText();
    }

    /** Walks the model objects and reports every non-empty additionalProperties with its path. */
    private static void collectUnknown(
            Object value, String path, List<String> unknown, Map<Object, Boolean> seen) {
        if (value == null || seen.containsKey(value)) {
            return;
        }
        if (value instanceof Map<?, ?> map) {
            seen.put(value, true);
            map.forEach((k, v) -> collectUnknown(v, path + "." + k, unknown, seen));
            return;
        }
        if (value instanceof Collection<?> collection) {
            seen.put(value, true);
            int i = 0;
            for (Object item : collection) {
                collectUnknown(item, path + "[" + i++ + "]", unknown, seen);
            }
            return;
        }
        if (value.getClass().isArray() && !value.getClass().getComponentType().isPrimitive()) {
            for (int i = 0; i < Array.getLength(value); i++) {
                collectUnknown(Array.get(value, i), path + "[" + i + "]", unknown, seen);
            }
            return;
        }
        String pkg = value.getClass().getPackageName();
        if (!(pkg.startsWith("io.fabric8")
                || pkg.startsWith("io.strimzi")
                || pkg.startsWith("org.apache.flink.kubernetes"))) {
            return;
        }
        seen.put(value, true);
        try {
            Method getter = value.getClass().getMethod("getAdditionalProperties");
            Object extra = getter.invoke(value);
            if (extra instanceof Map<?, ?> map && !map.isEmpty()) {
                unknown.add(path + ": " + map.keySet());
            }
        } catch (NoSuchMethodException e) {
            // a strict POJO: Jackson already failed on unknown fields
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
        for (Class<?> c = value.getClass(); c != Object.class; c = c.getSuperclass()) {
            for (Field field : c.getDeclaredFields()) {
                if (Modifier.isStatic(field.getModifiers())
                        || field.getName().equals("additionalProperties")
                        || field.getType().isPrimitive()
                        || field.getType().isEnum()) {
                    continue;
                }
                try {
                    field.setAccessible(true);
                    collectUnknown(field.get(value), path + "." + field.getName(), unknown, seen);
                } catch (RuntimeException | IllegalAccessException e) {
                    // a field of a JDK type we cannot open: nothing of ours inside
                }
            }
        }
    }
}
