package dev.platform.etl.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.platform.etl.bench.report.BenchResults.Result;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

/**
 * The generated parts of {@code docs/performance.md}: for each case, a table and a chart of the
 * newest result in {@code tools/bench/results/}, between the page's {@code <!-- bench:NAME -->}
 * and {@code <!-- /bench:NAME -->} lines, and the charts as {@code docs/performance/NAME.svg}.
 * The prose around them is written by hand. {@code make bench} and {@code make docs} regenerate
 * them, and a test fails while they differ.
 */
public final class PerformancePage {
    public static final Path PAGE = Path.of("docs", "performance.md");
    public static final Path CHARTS = Path.of("docs", "performance");
    private static final Path RESULTS = Path.of("tools", "bench", "results");
    private static final Pattern BLOCK = Pattern.compile("(<!-- bench:([a-z-]+) -->\n).*?(<!-- /bench:\\2 -->)", Pattern.DOTALL);
    private static final Predicate<JsonNode> MILLION_ROWS = json -> json.path("rows").asInt() == 1_000_000;

    private PerformancePage() {
    }

    /** Regenerates the page's blocks and charts under the repository root {@code root}. */
    public static void write(Path root) {
        try {
            Files.createDirectories(root.resolve(CHARTS));
            for (Map.Entry<Path, String> file : render(root).entrySet()) {
                Files.writeString(root.resolve(file.getKey()), file.getValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + PAGE, e);
        }
    }

    /** Every generated file, by its path under {@code root}: the page, then each chart. */
    public static Map<Path, String> render(Path root) {
        List<Section> sections = sections(BenchResults.load(root.resolve(RESULTS)));
        Map<Path, String> files = new LinkedHashMap<>();
        files.put(PAGE, fillBlocks(read(root.resolve(PAGE)), sections));
        sections.forEach(section -> files.put(CHARTS.resolve(section.chart().name() + ".svg"), section.chart().svg()));
        return files;
    }

    private static String fillBlocks(String page, List<Section> sections) {
        Map<String, Section> byName = sections.stream().collect(Collectors.toMap(section -> section.chart().name(), section -> section));
        Set<String> filled = new LinkedHashSet<>();
        Matcher block = BLOCK.matcher(page);
        StringBuilder out = new StringBuilder();
        while (block.find()) {
            Section section = byName.get(block.group(2));
            if (section == null) {
                throw new IllegalStateException(PAGE + " has a block bench:" + block.group(2) + " that no bench case fills");
            }
            filled.add(block.group(2));
            block.appendReplacement(out, Matcher.quoteReplacement(block.group(1) + section.markdown() + block.group(3)));
        }
        block.appendTail(out);
        Set<String> missing = new LinkedHashSet<>(byName.keySet());
        missing.removeAll(filled);
        if (!missing.isEmpty()) {
            throw new IllegalStateException(PAGE + " lacks the blocks " + missing.stream().map(name -> "<!-- bench:" + name + " -->").toList());
        }
        return out.toString();
    }

    private static List<Section> sections(BenchResults results) {
        return List.of(postgres(results), elasticsearch(results), peers(results), incremental(results), memory(results),
                deletes(results), reload(results), parallel(results), start(results), operator(results));
    }

    /** Against the physical limits: the direct pipe into an empty target, the staging pipeline into a full one. */
    private static Section postgres(BenchResults results) {
        Result result = results.newest("postgresToPostgres", json -> MILLION_ROWS.test(json)
                && json.get("postgresToPostgres").has("runnerCpuSecondsOverAnEmptySource"));
        JsonNode loads = result.json().get("postgresToPostgres");
        Table table = new Table("batch", "runner (rows/s)", "runner CPU", "rows per runner CPU-second, at the margin", "PostgreSQL CPU",
                "direct pipe (rows/s)", "direct pipe's client CPU", "runner / direct pipe, empty target", "runner / staging pipeline, full target");
        BarChart.Builder chart = BarChart.named("postgres", "PostgreSQL into PostgreSQL, 1,000,000 rows", "batch size", "rows per second");
        for (String batch : atValues(loads, "runnerRowsPerSecond")) {
            double runner = loads.get("runnerRowsPerSecond@" + batch).asDouble();
            double direct = loads.get("directPipeRowsPerSecond@" + batch).asDouble();
            table.row(Table.count(Double.parseDouble(batch)), Table.rate(runner), Table.seconds(loads.get("runnerCpuSeconds@" + batch).asDouble()),
                    "**" + Table.rate(loads.get("runnerRowsPerCpuSecondAtTheMargin@" + batch).asDouble()) + "**",
                    Table.seconds(loads.get("postgresCpuSecondsOfTheRunnerLoad@" + batch).asDouble()), Table.rate(direct),
                    Table.seconds(loads.get("directPipeClientCpuSeconds@" + batch).asDouble()),
                    "**" + Table.ratio(loads.get("runnerToDirectPipeRatio@" + batch).asDouble()) + "**",
                    "**" + Table.ratio(loads.get("intoFullTargetRunnerToCopyRatio@" + batch).asDouble()) + "**");
            String category = Table.count(Double.parseDouble(batch));
            chart.value("runner", category, runner).value("direct pipe", category, direct)
                    .value("staging pipeline", category, loads.get("copyPipelineRowsPerSecond@" + batch).asDouble());
        }
        table.row("a run over an empty source", "", Table.seconds(loads.get("runnerCpuSecondsOverAnEmptySource").asDouble()), "", "", "", "", "", "");
        return new Section(List.of(result), table, chart.grouped());
    }

    private static Section elasticsearch(BenchResults results) {
        Result result = results.newest("postgresToElasticsearch", json -> MILLION_ROWS.test(json)
                && json.get("postgresToElasticsearch").has("parallelBulkDocsPerSecond@500"));
        JsonNode loads = result.json().get("postgresToElasticsearch");
        Table table = new Table("batch", "sequential loader (docs/s)", "parallel loader (docs/s)", "runner (docs/s)", "runner / parallel",
                "node CPU per 1,000 docs, runner");
        BarChart.Builder chart = BarChart.named("elasticsearch", "PostgreSQL into Elasticsearch, 1,000,000 documents", "batch size", "documents per second");
        for (String batch : atValues(loads, "runnerDocsPerSecond")) {
            double sequential = loads.get("sequentialBulkDocsPerSecond@" + batch).asDouble();
            double parallel = loads.get("parallelBulkDocsPerSecond@" + batch).asDouble();
            double runner = loads.get("runnerDocsPerSecond@" + batch).asDouble();
            table.row(Table.count(Double.parseDouble(batch)), Table.rate(sequential), Table.rate(parallel), Table.rate(runner),
                    "**" + Table.ratio(loads.get("runnerToParallelRatio@" + batch).asDouble()) + "**",
                    Table.count(loads.path("runnerElasticsearch@" + batch).path("cpuMsPer1000Docs").asDouble()) + " ms");
            String category = Table.count(Double.parseDouble(batch));
            chart.value("sequential loader", category, sequential).value("parallel loader", category, parallel).value("runner", category, runner);
        }
        return new Section(List.of(result), table, chart.grouped());
    }

    private static Section peers(BenchResults results) {
        Result result = results.newest("peers", json -> true);
        JsonNode peers = result.json().get("peers");
        Table table = new Table("tool", "wall time, with process start", "target checked");
        BarChart.Builder chart = BarChart.named("peers", "1,000,000 rows into PostgreSQL, by tool", "tool", "seconds");
        Map<String, JsonNode> tools = new LinkedHashMap<>();
        tools.put("runner (batch " + Table.count(peers.path("runner").path("batch").asDouble()) + ", upsert by key)", peers.get("runner"));
        tools.put("sling (new table)", peers.get("sling"));
        tools.put("dlt with connectorx (merge)", peers.get("dltConnectorx"));
        tools.forEach((tool, measured) -> {
            if (measured != null) {
                table.row(tool, Table.seconds(measured.get("seconds").asDouble()), measured.path("exact").asBoolean() ? "exact" : "**differs**");
                chart.value("wall time", tool.replaceAll(" \\(.*", ""), measured.get("seconds").asDouble());
            }
        });
        table.row("the staging pipeline (ceiling, no process start)", Table.seconds(peers.get("copyPipelineSeconds").asDouble()), "");
        chart.value("wall time", "staging pipeline", peers.get("copyPipelineSeconds").asDouble());
        return new Section(List.of(result), table, chart.grouped());
    }

    private static Section incremental(BenchResults results) {
        Result result = results.newest("incrementalAfterOneTouch", MILLION_ROWS);
        JsonNode run = result.json().get("incrementalAfterOneTouch");
        return bars(result, BarChart.named("incremental", "An incremental run after one row changed", "", "seconds"),
                "incremental run after one row of 1,000,000 changed (" + Table.count(run.get("rowsRead").asDouble()) + " read)", "time",
                Table::seconds,
                new Bar("inside the runner, from its start line to its result", "inside the runner", run.get("insideRunnerSeconds").asDouble()),
                new Bar("with the JVM's start", "with JVM start", run.get("totalSeconds").asDouble()));
    }

    private static Section memory(BenchResults results) {
        Result result = results.newest("peakRssMiBWith64MiBHeap", json -> true);
        JsonNode memory = result.json().get("peakRssMiBWith64MiBHeap");
        return bars(result, BarChart.named("memory", "The runner's peak RSS does not grow with the table", "rows loaded", "MiB"),
                "rows loaded, 64 MiB heap", "runner's peak RSS", Table::mebibytes,
                new Bar("10,000", "10,000", memory.get("at10000Rows").asDouble()),
                new Bar("1,000,000", "1,000,000", memory.get("at1000000Rows").asDouble()));
    }

    private static Section deletes(BenchResults results) {
        Result result = results.newest("deleteMissing", MILLION_ROWS);
        JsonNode deletes = result.json().get("deleteMissing");
        return bars(result, BarChart.named("deletes", "Mirroring the source costs nothing visible", "", "rows per second"),
                "full load of 1,000,000 rows into a full target, batch 2,000", "rows/s", Table::rate,
                new Bar("plain", "plain", deletes.get("plainRowsPerSecond").asDouble()),
                new Bar("mirroring (`deleteMissing`), after " + Table.count(deletes.get("sourceRowsDeleted").asDouble())
                        + " source rows were deleted; " + Table.count(deletes.get("targetRowsAfter").asDouble()) + " rows left",
                        "deleteMissing", deletes.get("mirrorRowsPerSecond").asDouble()));
    }

    private static Section reload(BenchResults results) {
        Result result = results.newest("aliasReload", MILLION_ROWS);
        JsonNode reload = result.json().get("aliasReload");
        return bars(result, BarChart.named("reload", "An alias reload against a plain load", "", "documents per second"),
                "1,000,000 documents, batch 2,000", "docs/s", Table::rate,
                new Bar("into the index itself", "plain index", reload.get("plainDocsPerSecond").asDouble()),
                new Bar("into a fresh index behind the alias, moved at the end", "alias reload", reload.get("reloadDocsPerSecond").asDouble()));
    }

    /** A case of a few measures, each a row of the table and a bar of the chart. */
    private static Section bars(Result result, BarChart.Builder chart, String measureHeader, String valueHeader,
                                Function<Double, String> format, Bar... bars) {
        Table table = new Table(measureHeader, valueHeader);
        for (Bar bar : bars) {
            table.row(bar.row(), format.apply(bar.value()));
            chart.value(valueHeader, bar.label(), bar.value());
        }
        return new Section(List.of(result), table, chart.grouped());
    }

    /** One measure: its row in the table, its bar's label, its value. */
    private record Bar(String row, String label, double value) {
    }

    private static Section parallel(BenchResults results) {
        String key = results.newestFirst().stream().flatMap(result -> fieldNames(result.json()).stream())
                .filter(name -> name.startsWith("parallelFullLoad@")).findFirst()
                .orElseThrow(() -> new IllegalStateException("no result in " + RESULTS + " holds parallelFullLoad@"));
        Result result = results.newest(key, MILLION_ROWS);
        JsonNode loads = result.json().get(key);
        Table table = new Table("ranges", "wall time", "rows/s", "vs 1 range", "runner CPU", "PostgreSQL CPU", "idle CPU");
        BarChart.Builder chart = BarChart.named("parallel", "Where two cores' time goes, by number of ranges", "ranges (pods)", "CPU seconds");
        for (String ranges : atValues(loads, "seconds")) {
            table.row(ranges, Table.seconds(loads.get("seconds@" + ranges).asDouble()), Table.rate(loads.get("rowsPerSecond@" + ranges).asDouble()),
                    Table.ratio(loads.get("speedupOver1@" + ranges).asDouble()), Table.seconds(loads.get("runnerCpuSeconds@" + ranges).asDouble()),
                    Table.seconds(loads.get("postgresCpuSeconds@" + ranges).asDouble()), Table.seconds(loads.get("idleCpuSeconds@" + ranges).asDouble()));
            chart.value("runners", ranges, loads.get("runnerCpuSeconds@" + ranges).asDouble())
                    .value("PostgreSQL", ranges, loads.get("postgresCpuSeconds@" + ranges).asDouble())
                    .value("idle", ranges, loads.get("idleCpuSeconds@" + ranges).asDouble());
        }
        return new Section(List.of(result), table, chart.stacked());
    }

    private static Section start(BenchResults results) {
        Result result = results.newest("startToFirstBatch", json -> true);
        JsonNode start = result.json().get("startToFirstBatch");
        Table table = new Table("from launch to", "the image under runc", "the jar");
        BarChart.Builder chart = BarChart.named("start", "From launch to first batch: the image against the jar", "", "seconds");
        Map<String, String> steps = Map.of("runStartSeconds", "the run's start line", "firstBatchSeconds", "the first batch committed",
                "exitSeconds", "the process's exit");
        for (String step : List.of("runStartSeconds", "firstBatchSeconds", "exitSeconds")) {
            double container = start.get("container").get(step).asDouble();
            double jar = start.get("jar").get(step).asDouble();
            table.row(steps.get(step), Table.seconds(container), Table.seconds(jar));
            chart.value("image under runc", steps.get(step), container).value("jar", steps.get(step), jar);
        }
        return new Section(List.of(result), table, chart.grouped());
    }

    /** The newest run of each number of pipelines, with the chart's default values. */
    private static Section operator(BenchResults results) {
        Map<Integer, JsonNode> bySize = new java.util.TreeMap<>();
        Set<Result> sources = new LinkedHashSet<>();
        results.newestFirst().stream().filter(result -> result.json().has("sizes") && result.json().path("chartValues").isEmpty())
                .forEach(result -> result.json().get("sizes").forEach(size -> {
                    if (bySize.putIfAbsent(size.get("pipelines").asInt(), size) == null) {
                        sources.add(result);
                    }
                }));
        if (bySize.isEmpty()) {
            throw new IllegalStateException("no result in " + RESULTS + " holds a make bench-operator run with default values");
        }
        Table table = new Table("pipelines", "first Job", "p50 apply → Job", "p99", "all Jobs", "operator peak RSS", "operator CPU", "writes per run");
        BarChart.Builder chart = BarChart.named("operator", "One operator: from apply to Job, by number of pipelines", "pipelines applied at once", "seconds");
        bySize.forEach((pipelines, size) -> {
            JsonNode toJob = size.get("toJob");
            table.row(Table.count(pipelines), Table.seconds(toJob.get("firstSeconds").asDouble()), Table.seconds(toJob.get("p50Seconds").asDouble()),
                    Table.seconds(toJob.get("p99Seconds").asDouble()), Table.seconds(toJob.get("maxSeconds").asDouble()),
                    Table.mebibytes(size.get("operatorPeakRssMiB").asDouble()), Table.seconds(size.get("operatorCpuSeconds").asDouble()),
                    Table.ratio(size.get("writesPerRun").get("total").asDouble()).replaceAll("0$", ""));
            String category = Table.count(pipelines);
            chart.value("p50", category, toJob.get("p50Seconds").asDouble())
                    .value("p99", category, toJob.get("p99Seconds").asDouble())
                    .value("all Jobs", category, toJob.get("maxSeconds").asDouble());
        });
        return new Section(new ArrayList<>(sources), table, chart.grouped());
    }

    /** The {@code N} of a node's {@code prefix@N} fields, in numeric order. */
    private static List<String> atValues(JsonNode node, String prefix) {
        return fieldNames(node).stream().filter(name -> name.startsWith(prefix + "@")).map(name -> name.substring(prefix.length() + 1))
                .sorted(java.util.Comparator.comparingInt(Integer::parseInt)).toList();
    }

    private static List<String> fieldNames(JsonNode node) {
        return StreamSupport.stream(((Iterable<String>) node::fieldNames).spliterator(), false).toList();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** One case's block: its table, its chart, and what it was measured on. */
    private record Section(List<Result> sources, Table table, BarChart chart) {
        String markdown() {
            Result first = sources.get(0);
            String files = sources.stream().map(source -> "`tools/bench/results/" + source.file() + "`").collect(Collectors.joining(", "));
            return table.markdown() + "\n![" + chart.title() + "](performance/" + chart.name() + ".svg)\n\n"
                    + "Measured on " + first.day() + ", " + first.machine() + " (" + files + ").\n";
        }
    }

    public static void main(String[] args) {
        write(Path.of("").toAbsolutePath());
        System.out.println("written: " + PAGE + " and " + CHARTS + "/*.svg");
    }
}
