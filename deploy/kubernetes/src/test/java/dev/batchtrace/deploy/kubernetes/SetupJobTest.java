package dev.batchtrace.deploy.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.batchtrace.cli.TraceCli;
import dev.batchtrace.cli.kibana.KibanaImportCommand;
import dev.batchtrace.connectors.elasticsearch.ElasticsearchSettings;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The setup Job's command is one the real CLI accepts, its class path and files are where the
 * Dockerfile puts them, and its Elasticsearch settings are ones the connector reads.
 */
class SetupJobTest {

    @Test
    void theSetupCommandIsOneTheCliAccepts() throws IOException {
        Container setup = setupPod().getContainers().get(0);
        List<String> command = setup.getCommand();
        assertEquals("java", command.get(0));
        int main = command.indexOf(TraceCli.class.getName());
        assertTrue(main > 0, "runs " + TraceCli.class.getName() + ": " + command);
        List<String> args = command.subList(main + 1, command.size());

        CommandLine.ParseResult parsed =
                TraceCli.newCommandLine().parseArgs(args.toArray(String[]::new));
        CommandLine.ParseResult kibana = parsed.subcommand();
        assertEquals("kibana", kibana.commandSpec().name());
        CommandLine.ParseResult importing = kibana.subcommand();
        assertEquals("import", importing.commandSpec().name());
        assertTrue(importing.hasMatchedOption("--install-templates"));

        // the password comes from the environment the command reads, from a Secret
        EnvVar password =
                setup.getEnv().stream()
                        .filter(e -> e.getName().equals(KibanaImportCommand.PASSWORD_ENV))
                        .findFirst()
                        .orElseThrow(
                                () -> new AssertionError("no " + KibanaImportCommand.PASSWORD_ENV));
        assertTrue(password.getValueFrom().getSecretKeyRef() != null);

        // the class path and the files are where the image has them
        Map<String, String> copies = dockerfileCopies();
        String classPath = command.get(command.indexOf("-cp") + 1);
        for (String entry : classPath.split(":")) {
            assertTrue(
                    imageSource(copies, entry.replace("*", "")).isPresent(),
                    entry + " is not copied into the image");
        }
        for (String option : List.of("--saved-objects", "--rule")) {
            String inImage = importing.matchedOptionValue(option, (Object) null).toString();
            Path source =
                    imageSource(copies, inImage)
                            .orElseThrow(
                                    () -> new AssertionError(inImage + " is not in the image"));
            assertTrue(Files.isRegularFile(source), source + " exists in the checkout");
        }
        String caCertificate =
                importing.matchedOptionValue("--ca-certificate", (Object) null).toString();
        assertTrue(mounted(setup, caCertificate), caCertificate + " is mounted");
    }

    @Test
    void theElasticsearchSettingsAreOnesTheConnectorReads() throws IOException {
        Kustomize.Rendered base = Kustomize.base();
        ConfigMap config =
                Models.parse(base.get("ConfigMap", "batchtrace-setup-config"), ConfigMap.class);
        Properties properties = new Properties();
        properties.load(new StringReader(config.getData().get("es.properties")));
        Map<String, String> settings = new HashMap<>();
        properties.stringPropertyNames().forEach(k -> settings.put(k, properties.getProperty(k)));
        // the password the init container appends from the Secret (file name = key)
        PodSpec pod = setupPod();
        for (Container init : pod.getInitContainers()) {
            for (VolumeMount mount : init.getVolumeMounts()) {
                if (mount.getMountPath().startsWith("/etc/batchtrace/secrets/")) {
                    JobManifest.volume(pod, mount.getName())
                            .getSecret()
                            .getItems()
                            .forEach(item -> settings.put(item.getPath(), "from-a-secret"));
                }
            }
        }
        assertTrue(settings.containsKey(ElasticsearchSettings.PASSWORD));
        for (String key : settings.keySet()) {
            assertTrue(
                    KnownKeys.constants(ElasticsearchSettings.class).contains(key),
                    key + " is not an Elasticsearch setting");
        }
        ElasticsearchSettings.fromMap(settings);
    }

    @Test
    void aCommandTheCliDoesNotKnowIsRefused() {
        assertThrows(
                CommandLine.ParameterException.class,
                () ->
                        TraceCli.newCommandLine()
                                .parseArgs(
                                        "kibana",
                                        "import",
                                        "--url",
                                        "http://k",
                                        "--saved-object",
                                        "x"));
        assertFalse(imageSource(dockerfileCopies(), "/opt/batchtrace/nowhere/x.json").isPresent());
    }

    private static PodSpec setupPod() {
        return Models.parse(Kustomize.base().get("Job", "batchtrace-setup"), Job.class)
                .getSpec()
                .getTemplate()
                .getSpec();
    }

    private static boolean mounted(Container container, String file) {
        return container.getVolumeMounts().stream()
                .anyMatch(m -> file.startsWith(m.getMountPath() + "/"));
    }

    /** COPY destination -> source of the Dockerfile. */
    static Map<String, String> dockerfileCopies() {
        Map<String, String> copies = new LinkedHashMap<>();
        try {
            Matcher copy =
                    Pattern.compile("(?m)^COPY\\s+(?:--\\S+\\s+)*(\\S+)\\s+(\\S+)$")
                            .matcher(Files.readString(FlinkDeploymentsTest.DOCKERFILE));
            while (copy.find()) {
                copies.put(copy.group(2), copy.group(1));
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return copies;
    }

    /** Where a path of the image comes from in the checkout, if the Dockerfile copies it. */
    static Optional<Path> imageSource(Map<String, String> copies, String inImage) {
        List<Path> found = new ArrayList<>();
        copies.forEach(
                (destination, source) -> {
                    if (destination.endsWith("/") && inImage.startsWith(destination)) {
                        found.add(
                                Kustomize.MODULE
                                        .resolve("../..")
                                        .resolve(source)
                                        .resolve(inImage.substring(destination.length()))
                                        .normalize());
                    } else if (destination.equals(inImage)) {
                        found.add(Kustomize.MODULE.resolve("../..").resolve(source).normalize());
                    }
                });
        return found.stream().findFirst();
    }
}
