package dev.batchtrace.cli.explorer;

import dev.batchtrace.cli.query.ElasticsearchOptions;
import dev.batchtrace.cli.query.TraceQueries;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code trace serve}: the trace explorer web page, until Ctrl-C. */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description = {
            "The trace explorer: a read-only web page over the trace documents in Elasticsearch."
                    + " One search box (lot code, supplier lot SUPPLIER/LOT, dispatch id,"
                    + " customer), the genealogy of a lot drawn by level (click a node to re-centre),"
                    + " the recall view with CSV downloads, and alerts as they arrive. Every view"
                    + " has a URL: /lot/CODE, /recall/CODE, /search?q=TEXT.",
            "Binds to 127.0.0.1 by default; any other address needs --token (or env "
                    + ServeCommand.TOKEN_ENV
                    + ") or --basic-auth USER (password in env "
                    + ServeCommand.PASSWORD_ENV
                    + ").",
            "Exit codes: 0 stopped, 1 cannot serve (port taken), 2 usage error or unsafe bind."
        })
public final class ServeCommand implements Callable<Integer> {

    public static final String TOKEN_ENV = "BATCHTRACE_EXPLORER_TOKEN";
    public static final String PASSWORD_ENV = "BATCHTRACE_EXPLORER_PASSWORD";

    @Option(
            names = "--port",
            defaultValue = "8088",
            description = "Port (default ${DEFAULT-VALUE}; 0 picks a free one).")
    int port;

    @Option(
            names = "--bind",
            paramLabel = "ADDRESS",
            defaultValue = "127.0.0.1",
            description = "Address to listen on (default ${DEFAULT-VALUE}: this machine only).")
    String bind;

    @Option(
            names = "--token",
            paramLabel = "TOKEN",
            description =
                    "Require this token (Authorization: Bearer TOKEN, or ?token=TOKEN once per"
                            + " browser). Default: env "
                            + TOKEN_ENV
                            + ".")
    String token;

    @Option(
            names = "--basic-auth",
            paramLabel = "USER",
            description =
                    "Require basic auth as USER; the password comes from env " + PASSWORD_ENV + ".")
    String basicUser;

    @Option(
            names = "--max-per-level",
            paramLabel = "N",
            defaultValue = "" + GraphLayout.DEFAULT_MAX_PER_LEVEL,
            description =
                    "Nodes drawn per genealogy level before the rest is collapsed into a counted"
                            + " node (default ${DEFAULT-VALUE}; the page can ask for more).")
    int maxPerLevel;

    @Option(
            names = "--alert-poll",
            paramLabel = "SECONDS",
            defaultValue = "2",
            description =
                    "How often trace-alerts is read for new alerts (default ${DEFAULT-VALUE} s).")
    double alertPollSeconds;

    @Mixin ElasticsearchOptions elasticsearch;

    @Spec CommandSpec spec;

    /** The environment; tests replace it. */
    Map<String, String> environment = System.getenv();

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        String effectiveToken = token != null ? token : environment.get(TOKEN_ENV);
        ExplorerServer.Settings settings =
                new ExplorerServer.Settings(
                        bind,
                        port,
                        effectiveToken,
                        basicUser,
                        environment.get(PASSWORD_ENV),
                        maxPerLevel,
                        Duration.ofMillis(Math.round(alertPollSeconds * 1000)));
        try {
            // refuse an unsafe bind before anything else happens
            AccessGuard.of(bind, effectiveToken, basicUser, settings.basicPassword());
            if (maxPerLevel < 2) {
                throw new IllegalArgumentException("--max-per-level must be at least 2");
            }
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("error: " + e.getMessage());
            spec.commandLine().getErr().flush();
            return 2;
        }
        try (TraceQueries queries = TraceQueries.open(elasticsearch.settings());
                dev.batchtrace.cli.query.UnitQueries units =
                        dev.batchtrace.cli.query.UnitQueries.open(elasticsearch.settings())) {
            ExplorerServer server;
            try {
                server = ExplorerServer.start(queries, units, settings);
            } catch (IllegalStateException e) {
                spec.commandLine().getErr().println("error: " + e.getMessage());
                spec.commandLine().getErr().flush();
                return 1;
            }
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime()
                    .addShutdownHook(
                            new Thread(
                                    () -> {
                                        server.close();
                                        stopped.countDown();
                                    },
                                    "explorer-stop"));
            out.println("Trace explorer on " + server.url() + " (Ctrl-C stops it)");
            out.flush();
            stopped.await();
        }
        return 0;
    }
}
