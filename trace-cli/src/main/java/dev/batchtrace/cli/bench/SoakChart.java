package dev.batchtrace.cli.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** The soak's samples as a PNG: one panel per metric, minutes on the shared x axis. */
public final class SoakChart {
    public static final int WIDTH = 1200;
    public static final int PANEL_HEIGHT = 260;

    private SoakChart() {}

    /** Writes the chart and returns its panels' count. */
    public static int write(Path png, String title, List<SoakSample> samples, List<String> sources)
            throws IOException {
        // rendering into an image needs no display; a desktop's AWT is not touched
        System.setProperty("java.awt.headless", "true");
        CombinedDomainXYPlot plot = new CombinedDomainXYPlot(new NumberAxis("minutes"));
        plot.setGap(12);
        plot.add(
                panel(
                        "heap (MiB)",
                        samples,
                        new Line("used", s -> mib(s.heapUsedBytes())),
                        new Line("live after full GC", s -> mib(s.heapLiveBytes()))));
        plot.add(
                panel(
                        "RocksDB state (MiB)",
                        samples,
                        new Line("checkpoint state size (REST)", s -> mib(s.stateBytes())),
                        new Line(
                                "checkpoint folder on disk", s -> mib(s.checkpointFolderBytes()))));
        Line[] lags = new Line[sources.size() + 1];
        lags[0] = new Line("all sources", s -> s.totalLag());
        for (int i = 0; i < sources.size(); i++) {
            String source = sources.get(i);
            lags[i + 1] = new Line(source, s -> s.lag().getOrDefault(source, -1L));
        }
        plot.add(panel("Kafka lag (events)", samples, lags));
        plot.add(
                panel(
                        "checkpoint duration (s)",
                        samples,
                        new Line(
                                "latest completed",
                                s -> s.checkpointMillis() < 0 ? -1 : s.checkpointMillis() / 1e3)));
        plot.add(
                panel(
                        "Elasticsearch trace-* (MiB)",
                        samples,
                        new Line("store size", s -> mib(s.indexBytes()))));
        // not judged: what else the machine was doing, to read the other panels by
        plot.add(
                panel(
                        "machine load (1 min)",
                        samples,
                        new Line("load average", SoakSample::loadAverage)));
        int panels = plot.getSubplots().size();
        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        Files.createDirectories(png.toAbsolutePath().getParent());
        ChartUtils.saveChartAsPNG(png.toFile(), chart, WIDTH, height(panels));
        return panels;
    }

    /** The PNG's height for a number of panels. */
    public static int height(int panels) {
        return 120 + panels * PANEL_HEIGHT;
    }

    /** Dark, distinct colours: JFreeChart's default palette has yellows that vanish on white. */
    private static final Color[] PALETTE = {
        new Color(0x1f77b4),
        new Color(0xd62728),
        new Color(0x2ca02c),
        new Color(0x9467bd),
        new Color(0xff7f0e),
        new Color(0x8c564b),
        new Color(0xe377c2),
        new Color(0x17becf),
        new Color(0x7f7f7f),
        new Color(0xbcbd22),
        Color.BLACK
    };

    private record Line(String name, ToDoubleFunction<SoakSample> value) {}

    private static XYPlot panel(String axis, List<SoakSample> samples, Line... lines) {
        XYSeriesCollection data = new XYSeriesCollection();
        for (Line line : lines) {
            XYSeries series = new XYSeries(axis.replaceAll(" \\(.*", "") + ": " + line.name());
            for (SoakSample s : samples) {
                double v = line.value().applyAsDouble(s);
                if (v >= 0) { // -1: not read at this sample
                    series.add(s.seconds() / 60, v);
                }
            }
            data.addSeries(series);
        }
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
        for (int i = 0; i < lines.length; i++) {
            renderer.setSeriesStroke(i, new BasicStroke(i == 0 ? 2f : 1.2f));
            renderer.setSeriesPaint(i, PALETTE[i % PALETTE.length]);
        }
        NumberAxis range = new NumberAxis(axis);
        range.setAutoRangeIncludesZero(true);
        XYPlot plot = new XYPlot(data, null, range, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        return plot;
    }

    private static double mib(long bytes) {
        return bytes < 0 ? -1 : bytes / 1048576.0;
    }
}
