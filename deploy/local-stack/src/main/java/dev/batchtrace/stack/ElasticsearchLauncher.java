package dev.batchtrace.stack;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;

/**
 * A single-node Elasticsearch from deploy/elasticsearch-node, loopback only. Security off by
 * default; with {@link Security} on: HTTPS and users of the file realm (what this distribution can
 * authenticate: its API keys and native users need the {@code .security} index, whose mapping uses
 * the {@code pattern_capture} filter of a module the integ-test zip lacks, so creating one fails).
 */
final class ElasticsearchLauncher extends ServerLauncher {
    static final int MIN_JAVA = 21;
    private static final Path UNSHARE = Path.of("/usr/bin/unshare");
    private static final String HTTP_KEYSTORE = "http.p12";

    /**
     * HTTPS with the keystore of {@code tls}, and file-realm users (user name to password), each
     * with the {@code superuser} role.
     */
    record Security(TlsFiles tls, Map<String, String> users) {
        Security {
            users = Map.copyOf(new TreeMap<>(users));
        }

        @Override
        public String toString() {
            return "Security[tls=" + tls + ", users=" + users.keySet() + "]";
        }
    }

    private final Security security;
    private SSLContext healthTls;

    private final Checkout checkout;
    private final int port;
    private final int transportPort;
    private final String portSetting;
    private final String transportPortSetting;
    private JavaRuntimes.Jdk jdk;

    ElasticsearchLauncher(
            Checkout checkout,
            Path dir,
            String host,
            int port,
            int transportPort,
            String portSetting,
            String transportPortSetting) {
        this(checkout, dir, host, port, transportPort, portSetting, transportPortSetting, null);
    }

    /** With {@code security} null: the default node, security off. */
    ElasticsearchLauncher(
            Checkout checkout,
            Path dir,
            String host,
            int port,
            int transportPort,
            String portSetting,
            String transportPortSetting,
            Security security) {
        super(
                "elasticsearch",
                security == null ? "Elasticsearch" : "Elasticsearch (TLS + basic auth)",
                dir,
                host);
        this.security = security;
        this.checkout = checkout;
        this.port = port;
        this.transportPort = transportPort;
        this.portSetting = portSetting;
        this.transportPortSetting = transportPortSetting;
    }

    @Override
    String endpoint() {
        return (security == null ? "http://" : "https://") + host + ":" + port;
    }

    @Override
    List<PortUse> ports() {
        return List.of(
                new PortUse(port, "HTTP port", portSetting),
                new PortUse(transportPort, "transport port", transportPortSetting));
    }

    @Override
    protected String commandMarker() {
        return marker(dir);
    }

    /** The marker argument of the node whose directory is {@code dir} (absolute, normalized). */
    static String marker(Path dir) {
        return "-Epath.data=" + dir.resolve("data");
    }

    private String healthUrl() {
        // the minimal distribution has no `GET /`
        return endpoint() + "/_cluster/health?wait_for_status=yellow&timeout=1s";
    }

    @Override
    boolean isHealthy() {
        return health().ok();
    }

    private Http.Response health() {
        if (security == null) {
            return Http.get(healthUrl());
        }
        if (healthTls == null) {
            healthTls = security.tls().clientContext();
        }
        Map.Entry<String, String> user = security.users().entrySet().iterator().next();
        String basic =
                Base64.getEncoder()
                        .encodeToString(
                                (user.getKey() + ":" + user.getValue())
                                        .getBytes(StandardCharsets.UTF_8));
        return Http.get(healthUrl(), healthTls, "Basic " + basic);
    }

    @Override
    String unhealthyDetail() {
        Http.Response r = health();
        return "GET "
                + healthUrl()
                + " -> "
                + (r.status() < 0 ? r.body() : r.status() + " " + r.body());
    }

    @Override
    protected List<String> prepareCommand() throws StackException {
        Path home = checkout.elasticsearchHome();
        jdk =
                JavaRuntimes.find(
                        MIN_JAVA,
                        System.getenv(),
                        List.of(Path.of("/usr/lib/jvm")),
                        "Elasticsearch " + Checkout.ELASTICSEARCH_VERSION);
        try {
            Path config = dir.resolve("config");
            if (!Files.isDirectory(config)) {
                // private copy: Elasticsearch writes its keystore into the config dir
                copyTree(home.resolve("config"), config);
            }
            Files.createDirectories(dir.resolve("data"));
            Files.createDirectories(dir.resolve("logs"));
            Files.createDirectories(dir.resolve("tmp"));
            if (security != null) {
                // Elasticsearch reads TLS files from its config dir only
                Files.copy(
                        security.tls().keystore(),
                        config.resolve(HTTP_KEYSTORE),
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new StackException(
                    "Cannot prepare the Elasticsearch directory " + dir + ": " + e, e);
        }
        if (security != null) {
            prepareSecurity(home);
        }
        List<String> command = new ArrayList<>(userWrapper());
        command.add(home.resolve("bin").resolve("elasticsearch").toString());
        command.addAll(
                List.of(
                        "-Ediscovery.type=single-node",
                        "-Expack.security.enabled=" + (security != null),
                        "-Ecluster.name=batchtrace-local",
                        "-Enode.name=batchtrace-node",
                        "-Ehttp.host=" + host,
                        "-Ehttp.port=" + port,
                        "-Etransport.host=" + host,
                        "-Etransport.port=" + transportPort,
                        "-Ecluster.routing.allocation.disk.threshold_enabled=false",
                        commandMarker(),
                        "-Epath.logs=" + dir.resolve("logs")));
        if (security != null) {
            command.addAll(
                    List.of(
                            "-Expack.security.http.ssl.enabled=true",
                            "-Expack.security.http.ssl.keystore.path=" + HTTP_KEYSTORE));
        }
        return command;
    }

    /**
     * The secure settings keystore (the HTTP keystore's password) and the file-realm users, written
     * with the distribution's own tools as the user the node runs as.
     */
    private void prepareSecurity(Path home) throws StackException {
        Path bin = home.resolve("bin");
        Path keystore = dir.resolve("config").resolve("elasticsearch.keystore");
        try {
            Files.deleteIfExists(keystore);
        } catch (IOException e) {
            throw new StackException("Cannot replace " + keystore + ": " + e, e);
        }
        runTool(List.of(bin.resolve("elasticsearch-keystore").toString(), "create"), null);
        runTool(
                List.of(
                        bin.resolve("elasticsearch-keystore").toString(),
                        "add",
                        "-x",
                        "xpack.security.http.ssl.keystore.secure_password"),
                security.tls().password());
        for (Map.Entry<String, String> user : security.users().entrySet()) {
            if (hasUser(user.getKey())) {
                // a retried start (port taken) reuses the config dir
                runTool(
                        List.of(
                                bin.resolve("elasticsearch-users").toString(),
                                "userdel",
                                user.getKey()),
                        null);
            }
            // -p shows the password in ps for the ~3 s the tool runs: test users only
            runTool(
                    List.of(
                            bin.resolve("elasticsearch-users").toString(),
                            "useradd",
                            user.getKey(),
                            "-p",
                            user.getValue(),
                            "-r",
                            "superuser"),
                    null);
        }
    }

    private boolean hasUser(String user) throws StackException {
        Path users = dir.resolve("config").resolve("users");
        try {
            return Files.isRegularFile(users)
                    && Files.readAllLines(users).stream().anyMatch(l -> l.startsWith(user + ":"));
        } catch (IOException e) {
            throw new StackException("Cannot read " + users + ": " + e, e);
        }
    }

    private void runTool(List<String> tool, String stdin) throws StackException {
        List<String> command = new ArrayList<>(userWrapper());
        command.addAll(tool);
        Path log = dir.resolve("security-setup.log");
        ProcessBuilder builder =
                new ProcessBuilder(command)
                        .directory(dir.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        if (stdin == null) {
            builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        }
        environment(builder.environment());
        builder.environment().put("ES_JAVA_OPTS", "-Xms64m -Xmx256m");
        try {
            Process process = builder.start();
            if (stdin != null) {
                try (OutputStream in = process.getOutputStream()) {
                    in.write((stdin + "\n").getBytes(StandardCharsets.UTF_8));
                }
            }
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new StackException(
                        String.join(" ", tool.subList(0, 2)) + " did not finish in 120 s");
            }
            if (process.exitValue() != 0) {
                throw new StackException(
                        "Elasticsearch security setup failed: "
                                + Path.of(tool.get(0)).getFileName()
                                + " "
                                + tool.get(1)
                                + " (exit code "
                                + process.exitValue()
                                + ")."
                                + LogTail.describe(log, LOG_TAIL_LINES));
            }
        } catch (IOException e) {
            throw new StackException("Cannot run " + tool.get(0) + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("Interrupted while running " + tool.get(0), e);
        }
    }

    /** As root: a user namespace (uid 1000) in front of the command; empty otherwise. */
    private List<String> userWrapper() throws StackException {
        List<String> command = new ArrayList<>();
        if (runningAsRoot()) {
            // Elasticsearch refuses to run as root; a user namespace makes it uid 1000 without
            // chown
            if (!Files.isExecutable(UNSHARE)) {
                throw new StackException(
                        "Elasticsearch refuses to run as root and "
                                + UNSHARE
                                + " (util-linux) is missing. Run as a normal user or install util-linux.");
            }
            command.addAll(
                    List.of(UNSHARE.toString(), "--user", "--map-user=1000", "--map-group=1000"));
        }
        return command;
    }

    @Override
    protected void environment(Map<String, String> env) {
        env.put("ES_JAVA_HOME", jdk.home().toString());
        env.put("ES_PATH_CONF", dir.resolve("config").toString());
        env.put("ES_TMPDIR", dir.resolve("tmp").toString());
        env.put("ES_JAVA_OPTS", "-Xms512m -Xmx512m");
        // the start script warns about these or would let them into the server JVM
        env.remove("JAVA_HOME");
        env.remove("JAVA_TOOL_OPTIONS");
        env.remove("_JAVA_OPTIONS");
        env.remove("JAVA_OPTS");
    }

    JavaRuntimes.Jdk jdk() {
        return jdk;
    }

    static boolean runningAsRoot() {
        try {
            // /proc/self belongs to this process's uid
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        } catch (IOException | RuntimeException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        Files.walkFileTree(
                from,
                new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes a)
                            throws IOException {
                        Files.createDirectories(to.resolve(from.relativize(d).toString()));
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFile(Path f, BasicFileAttributes a)
                            throws IOException {
                        Files.copy(f, to.resolve(from.relativize(f).toString()));
                        return FileVisitResult.CONTINUE;
                    }
                });
    }
}
