package dev.platform.etl.operator.status;

import dev.platform.etl.api.pod.RunnerProgress;
import dev.platform.etl.api.status.CurrentRun;
import dev.platform.etl.api.status.RangeRun;
import dev.platform.etl.operator.observe.RunnerSummary;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/** What status.currentRun shows of a run in progress, from what its pods report. */
final class RunProgress {
    private RunProgress() {
    }

    /** Takes the runner's latest report of how far the run has come. */
    public static void take(CurrentRun run, RunnerProgress reported) {
        run.setProgress(reported.describe());
        run.setRowsRead(reported.rowsRead());
        run.setRowsWritten(reported.rowsWritten());
        run.setBatches(reported.batches());
        run.setCheckpoint(reported.checkpoint() == null || reported.checkpoint().isEmpty() ? null : reported.checkpoint());
        run.setRowsPerSecond(reported.rowsPerSecond());
        run.setProgressAt(reported.at());
    }

    /** A run of several ranges: each range as its running pod last reported, or as its ended pod left it, and their sums. */
    public static void takeRanges(CurrentRun run, Map<Integer, RunnerSummary> ended, Map<Integer, RunnerProgress> running) {
        TreeSet<Integer> indexes = new TreeSet<>(ended.keySet());
        indexes.addAll(running.keySet());
        if (indexes.isEmpty()) {
            return;
        }
        List<RangeRun> ranges = new ArrayList<>();
        long rowsPerSecond = 0;
        for (int index : indexes) {
            RunnerProgress progress = running.get(index);
            if (progress != null) {
                ranges.add(new RangeRun(index, null, progress.rowsRead(), progress.rowsWritten(), progress.batches(), null));
                rowsPerSecond += progress.rowsPerSecond();
            } else {
                ranges.add(ended.get(index).asRange(index));
            }
        }
        String at = running.values().stream().map(RunnerProgress::at).filter(Objects::nonNull).max(Comparator.naturalOrder()).orElse(null);
        take(run, new RunnerProgress(ranges.stream().mapToLong(RangeRun::getRowsRead).sum(),
                ranges.stream().mapToLong(RangeRun::getRowsWritten).sum(), ranges.stream().mapToLong(RangeRun::getBatches).sum(),
                Map.of(), rowsPerSecond, at));
        run.setRanges(ranges);
    }
}
