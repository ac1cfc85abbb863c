package dev.batchtrace.stack;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A single-node Elasticsearch from deploy/elasticsearch-node, security off, loopback only. */
final class ElasticsearchLauncher extends ServerLauncher {
    static final int MIN_JAVA = 21;
    private static final Path UNSHARE = Path.of("/usr/bin/unshare");

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
        super("elasticsearch", "Elasticsearch", dir, host);
        this.checkout = checkout;
        this.port = port;
        this.transportPort = transportPort;
        this.portSetting = portSetting;
        this.transportPortSetting = transportPortSetting;
    }

    @Override
    String endpoint() {
        return "http://" + host + ":" + port;
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
        return Http.get(healthUrl()).ok();
    }

    @Override
    String unhealthyDetail() {
        Http.Response r = Http.get(healthUrl());
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
        } catch (IOException e) {
            throw new StackException(
                    "Cannot prepare the Elasticsearch directory " + dir + ": " + e, e);
        }
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
        command.add(home.resolve("bin").resolve("elasticsearch").toString());
        command.addAll(
                List.of(
                        "-Ediscovery.type=single-node",
                        "-Expack.security.enabled=false",
                        "-Ecluster.name=batchtrace-local",
                        "-Enode.name=batchtrace-node",
                        "-Ehttp.host=" + host,
                        "-Ehttp.port=" + port,
                        "-Etransport.host=" + host,
                        "-Etransport.port=" + transportPort,
                        "-Ecluster.routing.allocation.disk.threshold_enabled=false",
                        commandMarker(),
                        "-Epath.logs=" + dir.resolve("logs")));
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
