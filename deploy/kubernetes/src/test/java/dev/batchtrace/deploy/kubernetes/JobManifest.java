package dev.batchtrace.deploy.kubernetes;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.flink.kubernetes.operator.api.FlinkDeployment;

/**
 * What a FlinkDeployment hands its job: the properties file of its ConfigMap, the keys its init
 * container appends from mounted Secrets (file name = key), and the {@code --key value} arguments.
 */
record JobManifest(
        FlinkDeployment deployment,
        Map<String, String> fileProperties,
        Map<String, String> secretKeys,
        Map<String, String> argOverrides) {

    static final String SECRETS_DIR = "/etc/batchtrace/secrets/";

    /** A stand-in for each secret value: the config parsers need a value, never the real one. */
    static final String SECRET_PLACEHOLDER = "from-a-secret";

    static JobManifest of(Kustomize.Rendered rendered, String name) {
        FlinkDeployment deployment =
                Models.parse(rendered.get("FlinkDeployment", name), FlinkDeployment.class);
        // one pod template for all pods: the operator merges the jobManager/taskManager templates
        // into it by array position, which would mix unrelated volumes
        if (deployment.getSpec().getJobManager().getPodTemplate() != null
                || deployment.getSpec().getTaskManager().getPodTemplate() != null) {
            throw new AssertionError(
                    name + ": use only spec.podTemplate (arrays are merged by position)");
        }
        PodSpec jobManagerPod = deployment.getSpec().getPodTemplate().getSpec();
        Volume configVolume = volume(jobManagerPod, "job-config");
        ConfigMap configMap =
                Models.parse(
                        rendered.get("ConfigMap", configVolume.getConfigMap().getName()),
                        ConfigMap.class);
        Properties properties = new Properties();
        try {
            properties.load(new StringReader(configMap.getData().get("job.properties")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> file = new TreeMap<>();
        properties.stringPropertyNames().forEach(k -> file.put(k, properties.getProperty(k)));

        Map<String, String> secrets = new TreeMap<>();
        for (Container init : jobManagerPod.getInitContainers()) {
            for (VolumeMount mount : init.getVolumeMounts()) {
                if (!mount.getMountPath().startsWith(SECRETS_DIR)) {
                    continue;
                }
                Volume volume = volume(jobManagerPod, mount.getName());
                if (volume.getSecret() == null) {
                    throw new AssertionError(
                            name + ": " + mount.getMountPath() + " must be a Secret volume");
                }
                for (KeyToPath item : volume.getSecret().getItems()) {
                    secrets.put(item.getPath(), volume.getSecret().getSecretName());
                }
            }
        }
        return new JobManifest(deployment, file, secrets, args(deployment));
    }

    private static Map<String, String> args(FlinkDeployment deployment) {
        Map<String, String> overrides = new LinkedHashMap<>();
        String[] args = deployment.getSpec().getJob().getArgs();
        for (int i = 0; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new AssertionError("expected --key value pairs: " + List.of(args));
            }
            overrides.put(args[i].substring(2), args[i + 1]);
        }
        return overrides;
    }

    static Volume volume(PodSpec pod, String name) {
        return pod.getVolumes().stream()
                .filter(v -> v.getName().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no volume " + name));
    }

    /** The settings the job's main() sees: file, then secrets, then arguments (not --config). */
    Map<String, String> settings() {
        Map<String, String> all = new TreeMap<>(fileProperties);
        secretKeys.keySet().forEach(k -> all.put(k, placeholder(k)));
        argOverrides.forEach(
                (k, v) -> {
                    if (!k.equals("config")) {
                        all.put(k, v);
                    }
                });
        return all;
    }

    /** Every key the manifests pass, with where it comes from. */
    List<String> keys() {
        List<String> keys = new ArrayList<>(fileProperties.keySet());
        keys.addAll(secretKeys.keySet());
        argOverrides.keySet().stream().filter(k -> !k.equals("config")).forEach(keys::add);
        return keys;
    }

    private static String placeholder(String key) {
        // webhook URLs must parse as URLs; user info as user:password
        if (key.equals("webhook.urls")) {
            return "https://hooks.example.invalid/" + SECRET_PLACEHOLDER;
        }
        if (key.endsWith("user.info")) {
            return "user:" + SECRET_PLACEHOLDER;
        }
        return SECRET_PLACEHOLDER;
    }

    static ObjectNode raw(Kustomize.Rendered rendered, String name) {
        return rendered.get("FlinkDeployment", name);
    }
}
