package dev.platform.etl.operator.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.platform.etl.api.pod.RunnerProgress;
import dev.platform.etl.api.status.CurrentRun;
import dev.platform.etl.api.status.RangeRun;
import dev.platform.etl.api.status.RunResult;
import dev.platform.etl.operator.observe.RunnerSummary;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What status.currentRun shows of a run of several ranges while it runs. */
class RunProgressTest {

    @Test
    void eachRangeShowsItsRunningPodsReportOrItsEndedPodsSummaryAndTheRunTheirSums() {
        CurrentRun run = new CurrentRun(1, "p-1", "p-1", "r-1", "runRequest r-1", "2026-11-26T10:00:00Z");
        Map<Integer, RunnerSummary> ended = Map.of(
                0, new RunnerSummary("ns/p", "p-1", "0/3", RunResult.SUCCEEDED, 100, 100, 2, Map.of(), null),
                1, new RunnerSummary("ns/p", "p-1", "1/3", RunResult.PAUSED, 40, 40, 1, Map.of(), null));
        Map<Integer, RunnerProgress> running = Map.of(
                1, new RunnerProgress(10, 10, 1, Map.of(), 50, "2026-11-26T10:00:05Z"),
                2, new RunnerProgress(60, 60, 2, Map.of(), 70, "2026-11-26T10:00:07Z"));

        RunProgress.takeRanges(run, ended, running);

        assertThat(run.getRanges()).extracting(RangeRun::getIndex, RangeRun::getResult, RangeRun::getRowsRead)
                .as("range 1's replacement pod reports from its own start; its paused pod is history")
                .containsExactly(tuple(0, RunResult.SUCCEEDED, 100L),
                        tuple(1, null, 10L),
                        tuple(2, null, 60L));
        assertThat(run.getRowsRead()).isEqualTo(170);
        assertThat(run.getBatches()).isEqualTo(5);
        assertThat(run.getRowsPerSecond()).as("of the ranges running").isEqualTo(120);
        assertThat(run.getProgressAt()).isEqualTo("2026-11-26T10:00:07Z");
        assertThat(run.getCheckpoint()).as("each range has its own").isNull();
    }

    @Test
    void aRunWhoseRangesHaveReportedNothingYetShowsNothing() {
        CurrentRun run = new CurrentRun(1, "p-1", "p-1", "r-1", "runRequest r-1", "2026-11-26T10:00:00Z");

        RunProgress.takeRanges(run, Map.of(), Map.of());

        assertThat(run.getRanges()).isNull();
        assertThat(run.getRowsRead()).isNull();
    }
}
