package dev.batchtrace.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JavaRuntimesTest {

    @Test
    void parsesFeatureVersionsOfAllSchemes() {
        assertEquals(OptionalInt.of(25), JavaRuntimes.featureVersion("25.0.3"));
        assertEquals(OptionalInt.of(21), JavaRuntimes.featureVersion("21"));
        assertEquals(OptionalInt.of(8), JavaRuntimes.featureVersion("1.8.0_292"));
        assertEquals(OptionalInt.of(22), JavaRuntimes.featureVersion("22-ea"));
        assertEquals(OptionalInt.empty(), JavaRuntimes.featureVersion("unknown"));
    }

    @Test
    void readsReleaseFileAndVersionOutput() {
        String release =
                "IMPLEMENTOR=\"Eclipse Adoptium\"\nJAVA_VERSION=\"25.0.3\"\nJAVA_VERSION_DATE=\"2026-04-21\"\n";
        assertEquals(OptionalInt.of(25), JavaRuntimes.fromReleaseFile(release));
        assertEquals(
                OptionalInt.of(17),
                JavaRuntimes.fromVersionOutput(
                        "openjdk version \"17.0.15\" 2025-04-15\nOpenJDK Runtime Environment (build 17.0.15+6)"));
        assertEquals(
                OptionalInt.of(8), JavaRuntimes.fromVersionOutput("java version \"1.8.0_292\""));
    }

    @Test
    void asksTheBinaryWhenThereIsNoReleaseFile() {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        assertEquals(OptionalInt.of(Runtime.version().feature()), JavaRuntimes.askBinary(java));
    }

    @Test
    void picksTheNewestJdkUnderTheSearchRoot(@TempDir Path jvms) throws Exception {
        fakeJdk(jvms.resolve("old"), "17.0.2");
        fakeJdk(jvms.resolve("newer"), "98.0.1");
        fakeJdk(jvms.resolve("newest"), "99.0.0");
        JavaRuntimes.Jdk jdk = JavaRuntimes.find(98, Map.of(), List.of(jvms), "Test");
        assertEquals(99, jdk.feature());
        assertEquals(jvms.resolve("newest").toRealPath(), jdk.home());
    }

    @Test
    void esJavaHomeWinsWhenNewEnough(@TempDir Path jvms) throws Exception {
        Path explicit = fakeJdk(jvms.resolve("explicit"), "98");
        fakeJdk(jvms.resolve("newest"), "99");
        JavaRuntimes.Jdk jdk =
                JavaRuntimes.find(
                        98, Map.of("ES_JAVA_HOME", explicit.toString()), List.of(jvms), "Test");
        assertEquals(explicit, jdk.home());
    }

    @Test
    void explainsWhereItLookedWhenNothingFits(@TempDir Path jvms) throws Exception {
        fakeJdk(jvms.resolve("jdk-17"), "17.0.2");
        StackException e =
                assertThrows(
                        StackException.class,
                        () ->
                                JavaRuntimes.find(
                                        99,
                                        Map.of("JAVA_HOME", jvms.resolve("jdk-17").toString()),
                                        List.of(jvms, jvms.resolve("missing")),
                                        "Elasticsearch 9.5.3"));
        String message = e.getMessage();
        assertTrue(message.startsWith("Elasticsearch 9.5.3 needs a JDK 99 or newer"), message);
        assertTrue(message.contains("ES_JAVA_HOME (not set)"), message);
        assertTrue(message.contains("JAVA_HOME=" + jvms.resolve("jdk-17") + " (Java 17)"), message);
        assertTrue(message.contains("missing/* (no such directory)"), message);
        assertTrue(message.contains("set ES_JAVA_HOME"), message);
    }

    private static Path fakeJdk(Path home, String version) throws Exception {
        Files.createDirectories(home.resolve("bin"));
        Path java = Files.writeString(home.resolve("bin/java"), "#!/bin/sh\nexit 1\n");
        assertTrue(java.toFile().setExecutable(true));
        Files.writeString(home.resolve("release"), "JAVA_VERSION=\"" + version + "\"\n");
        return home;
    }
}
