package dev.platform.etl.bench.report;

import java.awt.Color;
import java.awt.Font;
import java.awt.Rectangle;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.StandardChartTheme;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.svg.SVGGraphics2D;

/**
 * A bar chart of one bench case, drawn by JFreeChart into JFreeSVG: series of values by category
 * (a batch size, a number of pipelines), grouped, or stacked when the series add up to a whole.
 */
record BarChart(String name, String title, String categoryAxis, String valueAxis, Map<String, Map<String, Double>> series, boolean stacked) {
    private static final int WIDTH = 720;
    private static final int HEIGHT = 360;
    private static final Color[] COLORS = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0x9467bd)};

    BarChart {
        series = copy(series);
    }

    static Builder named(String name, String title, String categoryAxis, String valueAxis) {
        return new Builder(name, title, categoryAxis, valueAxis);
    }

    /** The chart as an SVG document, the same bytes for the same values on the same fonts. */
    String svg() {
        SVGGraphics2D svg = new SVGGraphics2D(WIDTH, HEIGHT);
        svg.setDefsKeyPrefix(name);
        svg.setGeomDoubleConverter(value -> String.format(Locale.ROOT, "%.1f", value));
        svg.setTransformDoubleConverter(value -> String.format(Locale.ROOT, "%.3f", value));
        chart().draw(svg, new Rectangle(WIDTH, HEIGHT));
        return svg.getSVGDocument() + "\n";
    }

    JFreeChart chart() {
        DefaultCategoryDataset dataset = new DefaultCategoryDataset();
        series.forEach((label, values) -> values.forEach((category, value) -> dataset.addValue(value, label, category)));
        JFreeChart chart = stacked
                ? ChartFactory.createStackedBarChart(title, categoryAxis, valueAxis, dataset, PlotOrientation.VERTICAL, true, false, false)
                : ChartFactory.createBarChart(title, categoryAxis, valueAxis, dataset, PlotOrientation.VERTICAL, true, false, false);
        theme().apply(chart);
        CategoryPlot plot = chart.getCategoryPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        BarRenderer renderer = (BarRenderer) plot.getRenderer();
        renderer.setBarPainter(new StandardBarPainter());
        renderer.setShadowVisible(false);
        renderer.setItemMargin(0.05);
        for (int i = 0; i < series.size(); i++) {
            renderer.setSeriesPaint(i, COLORS[i % COLORS.length]);
        }
        return chart;
    }

    private static StandardChartTheme theme() {
        StandardChartTheme theme = new StandardChartTheme("bench");
        theme.setExtraLargeFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        theme.setLargeFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        theme.setRegularFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        theme.setSmallFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
        theme.setChartBackgroundPaint(Color.WHITE);
        return theme;
    }

    private static Map<String, Map<String, Double>> copy(Map<String, Map<String, Double>> series) {
        Map<String, Map<String, Double>> copy = new LinkedHashMap<>();
        series.forEach((label, values) -> copy.put(label, Collections.unmodifiableMap(new LinkedHashMap<>(values))));
        return Collections.unmodifiableMap(copy);
    }

    static final class Builder {
        private final String name;
        private final String title;
        private final String categoryAxis;
        private final String valueAxis;
        private final Map<String, Map<String, Double>> series = new LinkedHashMap<>();

        private Builder(String name, String title, String categoryAxis, String valueAxis) {
            this.name = name;
            this.title = title;
            this.categoryAxis = categoryAxis;
            this.valueAxis = valueAxis;
        }

        Builder value(String seriesLabel, String category, double value) {
            series.computeIfAbsent(seriesLabel, label -> new LinkedHashMap<>()).put(category, value);
            return this;
        }

        BarChart grouped() {
            return new BarChart(name, title, categoryAxis, valueAxis, series, false);
        }

        BarChart stacked() {
            return new BarChart(name, title, categoryAxis, valueAxis, series, true);
        }
    }
}
