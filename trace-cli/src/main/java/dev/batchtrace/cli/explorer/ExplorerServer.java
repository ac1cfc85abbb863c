package dev.batchtrace.cli.explorer;

import dev.batchtrace.cli.query.ExposureCsv;
import dev.batchtrace.cli.query.ExposureReport;
import dev.batchtrace.cli.query.LotTrace;
import dev.batchtrace.cli.query.RecallCsv;
import dev.batchtrace.cli.query.RecallReport;
import dev.batchtrace.cli.query.ReportTable;
import dev.batchtrace.cli.query.ReportXlsx;
import dev.batchtrace.cli.query.TraceQueries;
import dev.batchtrace.cli.query.TraceQueryException;
import dev.batchtrace.cli.query.UnitQueries;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.http.NotFoundResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.cfg.DateTimeFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The trace explorer: a read-only web page over the trace documents, answered by the CLI's own
 * {@link TraceQueries}. Every view has a URL ({@code /lot/CODE}, {@code /recall/CODE}, {@code
 * /search?q=TEXT}); the page's script reads the same JSON the routes under {@code /api} return.
 */
public final class ExplorerServer implements AutoCloseable {

    /** Search hits per index shown for one text. */
    static final int SEARCH_HITS = 50;

    /**
     * The recall view's workbook, {@code /recall/CODE/recall.xlsx}: its four CSV files as sheets.
     */
    public static final String RECALL_XLSX = "recall.xlsx";

    /** The exposure view's workbook, {@code /exposure/CODE/exposure.xlsx}. */
    public static final String EXPOSURE_XLSX = "exposure.xlsx";

    /**
     * How to serve.
     *
     * @param port 0 picks a free port
     * @param basicUser with {@code basicPassword}: basic auth instead of (or besides) the token
     */
    public record Settings(
            String bind,
            int port,
            String token,
            String basicUser,
            String basicPassword,
            int maxPerLevel,
            Duration alertPoll) {}

    private static final JsonMapper JSON =
            JsonMapper.builder()
                    .disable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
                    .disable(DateTimeFeature.WRITE_DATES_AS_TIMESTAMPS)
                    .build();

    private final Javalin app;
    private final AlertFeed alerts;
    private final String url;

    private ExplorerServer(Javalin app, AlertFeed alerts, String url) {
        this.app = app;
        this.alerts = alerts;
        this.url = url;
    }

    /**
     * Starts serving; the caller keeps and closes {@code queries}.
     *
     * @throws IllegalArgumentException a non-loopback bind without access control
     */
    public static ExplorerServer start(TraceQueries queries, Settings settings) {
        return start(queries, null, settings);
    }

    /**
     * Starts serving with the unit and exposure views (issue 10: {@code /api/units?serial=S},
     * {@code /exposure/LOT} with its CSV files); the caller keeps and closes both query objects.
     *
     * @param units null: no unit or exposure views (their routes answer 404)
     */
    public static ExplorerServer start(TraceQueries queries, UnitQueries units, Settings settings) {
        AccessGuard guard =
                AccessGuard.of(
                        settings.bind(),
                        settings.token(),
                        settings.basicUser(),
                        settings.basicPassword());
        AlertFeed alerts = new AlertFeed(queries, settings.alertPoll(), JSON::writeValueAsString);
        String page = pageHtml();
        Javalin app =
                Javalin.create(
                        config -> {
                            config.startup.showJavalinBanner = false;
                            config.jetty.host = settings.bind();
                            config.jetty.port = settings.port();
                            config.routes.before(
                                    ctx -> {
                                        guard.check(ctx);
                                        ctx.header("X-Content-Type-Options", "nosniff");
                                        ctx.header("Referrer-Policy", "no-referrer");
                                        ctx.header(
                                                "Content-Security-Policy",
                                                "default-src 'self'; img-src 'self' data:;"
                                                        + " style-src 'self'; frame-ancestors"
                                                        + " 'none'");
                                    });
                            for (String path :
                                    new String[] {
                                        "/",
                                        "/lot/{code}",
                                        "/recall/{code}",
                                        "/search",
                                        "/exposure/{code}"
                                    }) {
                                config.routes.get(path, ctx -> ctx.html(page));
                            }
                            config.routes.get(
                                    "/assets/{file}", ctx -> asset(ctx, ctx.pathParam("file")));
                            config.routes.get(
                                    "/api/search",
                                    ctx ->
                                            json(
                                                    ctx,
                                                    queries.search(
                                                            ctx.queryParam("q"), SEARCH_HITS)));
                            config.routes.get(
                                    "/api/lot/{code}",
                                    ctx -> {
                                        LotTrace trace = queries.lot(ctx.pathParam("code"));
                                        int max =
                                                ctx.queryParamAsClass("max", Integer.class)
                                                        .getOrDefault(settings.maxPerLevel());
                                        Map<String, Object> answer = new LinkedHashMap<>();
                                        answer.put("trace", trace);
                                        answer.put(
                                                "graph",
                                                GraphLayout.layout(
                                                        GenealogyGraph.of(trace),
                                                        Math.max(2, max)));
                                        json(ctx, answer);
                                    });
                            config.routes.get(
                                    "/api/recall/{code}",
                                    ctx -> json(ctx, queries.recall(ctx.pathParam("code"))));
                            config.routes.get(
                                    "/recall/{code}/{file}", ctx -> recallCsv(ctx, queries));
                            config.routes.get(
                                    "/graph/{file}",
                                    ctx -> graphFile(ctx, queries, settings.maxPerLevel()));
                            // the search box asks for every query text: no unit is an empty
                            // answer, not a 404 (the browser logs every 404 as an error)
                            config.routes.get(
                                    "/api/units", ctx -> json(ctx, unitsOrNone(units, ctx)));
                            config.routes.get(
                                    "/api/exposure/{code}",
                                    ctx ->
                                            json(
                                                    ctx,
                                                    units(units)
                                                            .exposure(
                                                                    ctx.pathParam("code"),
                                                                    limits(ctx))));
                            config.routes.get(
                                    "/exposure/{code}/{file}",
                                    ctx -> exposureCsv(ctx, units(units)));
                            config.routes.get("/api/alerts", ctx -> json(ctx, alerts.newest()));
                            config.routes.sse("/api/alerts/stream", alerts::connect);
                            config.routes.exception(
                                    TraceQueryException.class,
                                    (e, ctx) ->
                                            error(
                                                    ctx,
                                                    e.reason()
                                                                    == TraceQueryException.Reason
                                                                            .NOT_FOUND
                                                            ? HttpStatus.NOT_FOUND
                                                            : HttpStatus.SERVICE_UNAVAILABLE,
                                                    e.getMessage()));
                            config.routes.exception(
                                    IllegalArgumentException.class,
                                    (e, ctx) -> error(ctx, HttpStatus.BAD_REQUEST, e.getMessage()));
                        });
        try {
            app.start();
        } catch (RuntimeException e) {
            alerts.close();
            throw new IllegalStateException(
                    "cannot serve on "
                            + settings.bind()
                            + ":"
                            + settings.port()
                            + " ("
                            + e.getMessage()
                            + "): is the port taken? choose another with --port",
                    e);
        }
        String host = settings.bind().contains(":") ? "[" + settings.bind() + "]" : settings.bind();
        return new ExplorerServer(app, alerts, "http://" + host + ":" + app.port() + "/");
    }

    /** Where the explorer answers, e.g. {@code http://127.0.0.1:8088/}. */
    public String url() {
        return url;
    }

    public int port() {
        return app.port();
    }

    @Override
    public void close() {
        alerts.close();
        app.stop();
    }

    private static void json(Context ctx, Object answer) {
        ctx.contentType("application/json; charset=utf-8").result(JSON.writeValueAsString(answer));
    }

    private static void error(Context ctx, HttpStatus status, String message) {
        ctx.status(status);
        json(ctx, Map.of("error", String.valueOf(message)));
    }

    private static void recallCsv(Context ctx, TraceQueries queries) throws IOException {
        String code = ctx.pathParam("code");
        String file = ctx.pathParam("file");
        if (file.equals(RECALL_XLSX)) {
            xlsx(ctx, "recall-" + code + ".xlsx", RecallCsv.tables(queries.recall(code)));
            return;
        }
        if (!RecallCsv.FILES.contains(file)) {
            throw new NotFoundResponse(
                    "no recall file "
                            + file
                            + "; one of "
                            + String.join(", ", RecallCsv.FILES)
                            + ", "
                            + RECALL_XLSX);
        }
        RecallReport report = queries.recall(code);
        StringWriter csv = new StringWriter();
        RecallCsv.write(report, file, csv);
        ctx.contentType("text/csv; charset=utf-8")
                .header(
                        "Content-Disposition",
                        "attachment; filename=\"" + safeName("recall-" + code + "-" + file) + "\"")
                .result(csv.toString());
    }

    private static List<?> unitsOrNone(UnitQueries units, Context ctx) {
        try {
            return units(units).units(ctx.queryParam("serial"), ctx.queryParam("product"));
        } catch (TraceQueryException e) {
            if (e.reason() == TraceQueryException.Reason.NOT_FOUND) {
                return List.of();
            }
            throw e;
        }
    }

    private static UnitQueries units(UnitQueries units) {
        if (units == null) {
            throw new NotFoundResponse("this explorer was started without the unit views");
        }
        return units;
    }

    private static UnitQueries.Limits limits(Context ctx) {
        return new UnitQueries.Limits(
                blankToNull(ctx.queryParam("material")),
                blankToNull(ctx.queryParam("supplier")),
                null,
                null);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static void exposureCsv(Context ctx, UnitQueries units) throws IOException {
        String code = ctx.pathParam("code");
        String file = ctx.pathParam("file");
        if (file.equals(EXPOSURE_XLSX)) {
            xlsx(
                    ctx,
                    code + "-exposure.xlsx",
                    ExposureCsv.tables(units.exposure(code, limits(ctx))));
            return;
        }
        if (!ExposureCsv.FILES.contains(file)) {
            throw new NotFoundResponse(
                    "no exposure file "
                            + file
                            + "; one of "
                            + String.join(", ", ExposureCsv.FILES)
                            + ", "
                            + EXPOSURE_XLSX);
        }
        ExposureReport report = units.exposure(code, limits(ctx));
        StringWriter csv = new StringWriter();
        ExposureCsv.write(report, file, csv);
        ctx.contentType("text/csv; charset=utf-8")
                .header(
                        "Content-Disposition",
                        "attachment; filename=\"" + safeName(code + "-" + file) + "\"")
                .result(csv.toString());
    }

    /** The workbook of a report: its CSV files as sheets. */
    private static void xlsx(Context ctx, String name, List<ReportTable> tables)
            throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ReportXlsx.write(tables, bytes);
        ctx.contentType(ReportXlsx.CONTENT_TYPE)
                .header("Content-Disposition", "attachment; filename=\"" + safeName(name) + "\"")
                .result(bytes.toByteArray());
    }

    private static void graphFile(Context ctx, TraceQueries queries, int maxPerLevel) {
        String file = ctx.pathParam("file");
        int dot = file.lastIndexOf('.');
        if (dot <= 0) {
            throw new NotFoundResponse("name the format: /graph/LOT.svg, .dot or .mmd");
        }
        String code = file.substring(0, dot);
        GraphFormats.Format format = GraphFormats.Format.of(file.substring(dot + 1));
        int max = ctx.queryParamAsClass("max", Integer.class).getOrDefault(maxPerLevel);
        String body =
                GraphFormats.render(
                        GraphLayout.layout(GenealogyGraph.of(queries.lot(code)), Math.max(2, max)),
                        format);
        ctx.contentType(format.contentType + "; charset=utf-8").result(body);
        if (ctx.queryParam("download") != null) {
            ctx.header(
                    "Content-Disposition",
                    "attachment; filename=\"" + safeName("genealogy-" + file) + "\"");
        }
    }

    private static String safeName(String name) {
        return name.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    private static final Map<String, String> ASSETS =
            Map.of(
                    "explorer.js", "text/javascript",
                    "explorer.css", "text/css",
                    "d3.min.js", "text/javascript");

    private static void asset(Context ctx, String file) {
        String type = ASSETS.get(file);
        if (type == null) {
            throw new NotFoundResponse("no asset " + file);
        }
        String resource =
                file.equals("d3.min.js")
                        ? "META-INF/resources/webjars/d3/" + d3Version() + "/dist/d3.min.js"
                        : "explorer/" + file;
        ctx.contentType(type + "; charset=utf-8")
                .header("Cache-Control", "no-cache")
                .result(read(resource));
    }

    private static String pageHtml() {
        return new String(read("explorer/index.html"), StandardCharsets.UTF_8);
    }

    /** The d3 WebJar's version, from its Maven metadata (the pom pins it once). */
    static String d3Version() {
        Properties pom = new Properties();
        try (InputStream in =
                ExplorerServer.class
                        .getClassLoader()
                        .getResourceAsStream("META-INF/maven/org.webjars.npm/d3/pom.properties")) {
            if (in == null) {
                throw new IllegalStateException("the d3 WebJar is not on the classpath");
            }
            pom.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return pom.getProperty("version");
    }

    private static byte[] read(String resource) {
        try (InputStream in = ExplorerServer.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
