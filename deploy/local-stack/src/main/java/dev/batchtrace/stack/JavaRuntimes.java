package dev.batchtrace.stack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Finds an installed JDK of at least a given feature version (Elasticsearch needs 21+). */
public final class JavaRuntimes {
    private static final Pattern RELEASE_VERSION =
            Pattern.compile("^JAVA_VERSION=\"?([^\"\\s]+)\"?", Pattern.MULTILINE);
    private static final Pattern VERSION_OUTPUT = Pattern.compile("version \"([^\"]+)\"");

    private JavaRuntimes() {}

    /** A JDK home and its feature version. */
    public record Jdk(Path home, int feature) {
        public Path java() {
            return home.resolve("bin").resolve("java");
        }
    }

    /**
     * Feature version of a Java version string: "25.0.3" -> 25, "21" -> 21, "1.8.0_292" -> 8,
     * "22-ea" -> 22.
     */
    public static OptionalInt featureVersion(String version) {
        Matcher m = Pattern.compile("^(\\d+)(?:\\.(\\d+))?").matcher(version.trim());
        if (!m.find()) {
            return OptionalInt.empty();
        }
        int first = Integer.parseInt(m.group(1));
        if (first == 1 && m.group(2) != null) {
            return OptionalInt.of(Integer.parseInt(m.group(2)));
        }
        return OptionalInt.of(first);
    }

    /** Version from a JDK's {@code release} file text (JAVA_VERSION="25.0.3"). */
    public static OptionalInt fromReleaseFile(String releaseText) {
        Matcher m = RELEASE_VERSION.matcher(releaseText);
        return m.find() ? featureVersion(m.group(1)) : OptionalInt.empty();
    }

    /** Version from {@code java -version} output (openjdk version "17.0.15" 2025-04-15). */
    public static OptionalInt fromVersionOutput(String output) {
        Matcher m = VERSION_OUTPUT.matcher(output);
        return m.find() ? featureVersion(m.group(1)) : OptionalInt.empty();
    }

    /** The feature version of the JDK at {@code home}, if it has an executable bin/java. */
    public static OptionalInt versionOf(Path home) {
        Path java = home.resolve("bin").resolve("java");
        if (!Files.isExecutable(java)) {
            return OptionalInt.empty();
        }
        Path release = home.resolve("release");
        if (Files.isRegularFile(release)) {
            try {
                OptionalInt v = fromReleaseFile(Files.readString(release, StandardCharsets.UTF_8));
                if (v.isPresent()) {
                    return v;
                }
            } catch (IOException e) {
                // fall through to asking the binary
            }
        }
        return askBinary(java);
    }

    /** Runs {@code java -version}: for JDKs without a release file. */
    static OptionalInt askBinary(Path java) {
        try {
            Process p =
                    new ProcessBuilder(java.toString(), "-version")
                            .redirectErrorStream(true)
                            .start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return OptionalInt.empty();
            }
            return fromVersionOutput(out);
        } catch (IOException e) {
            return OptionalInt.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return OptionalInt.empty();
        }
    }

    /**
     * Looks in ES_JAVA_HOME, then JAVA_HOME, then the running JVM, then every directory under
     * {@code searchRoots} (the newest wins there).
     *
     * @param purpose for the error message, e.g. "Elasticsearch 9.5.3"
     */
    public static Jdk find(
            int minFeature, Map<String, String> env, List<Path> searchRoots, String purpose)
            throws StackException {
        List<String> looked = new ArrayList<>();
        for (String var : List.of("ES_JAVA_HOME", "JAVA_HOME")) {
            String value = env.get(var);
            if (value == null || value.isBlank()) {
                looked.add(var + " (not set)");
                continue;
            }
            Optional<Jdk> jdk = check(Path.of(value), minFeature, var + "=" + value, looked);
            if (jdk.isPresent()) {
                return jdk.get();
            }
        }
        Path running = Path.of(System.getProperty("java.home"));
        Optional<Jdk> current = check(running, minFeature, "this JVM " + running, looked);
        if (current.isPresent()) {
            return current.get();
        }
        List<Jdk> found = new ArrayList<>();
        for (Path root : searchRoots) {
            if (!Files.isDirectory(root)) {
                looked.add(root + "/* (no such directory)");
                continue;
            }
            try (Stream<Path> dirs = Files.list(root)) {
                for (Path dir : dirs.sorted().toList()) {
                    OptionalInt v = versionOf(dir);
                    if (v.isPresent() && v.getAsInt() >= minFeature) {
                        found.add(new Jdk(dir.toRealPath(), v.getAsInt()));
                    } else {
                        looked.add(
                                dir
                                        + (v.isPresent()
                                                ? " (Java " + v.getAsInt() + ")"
                                                : " (no JDK)"));
                    }
                }
            } catch (IOException e) {
                looked.add(root + " (" + e.getMessage() + ")");
            }
        }
        Optional<Jdk> newest = found.stream().max(Comparator.comparingInt(Jdk::feature));
        if (newest.isPresent()) {
            return newest.get();
        }
        throw new StackException(
                purpose
                        + " needs a JDK "
                        + minFeature
                        + " or newer, and none was found. Looked at: "
                        + String.join(", ", looked)
                        + ". Install one (e.g. Temurin 21+) or set ES_JAVA_HOME to its directory.");
    }

    private static Optional<Jdk> check(
            Path home, int minFeature, String label, List<String> looked) {
        OptionalInt v = versionOf(home);
        if (v.isPresent() && v.getAsInt() >= minFeature) {
            return Optional.of(new Jdk(home, v.getAsInt()));
        }
        looked.add(label + (v.isPresent() ? " (Java " + v.getAsInt() + ")" : " (no JDK there)"));
        return Optional.empty();
    }
}
