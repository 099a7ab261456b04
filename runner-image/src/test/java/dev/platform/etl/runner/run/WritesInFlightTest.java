package dev.platform.etl.runner.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.platform.etl.api.manifest.ManifestLoader;
import dev.platform.etl.api.spec.EtlPipelineSpec;
import dev.platform.etl.api.spec.Mode;
import dev.platform.etl.api.status.RunResult;
import dev.platform.etl.runner.checkpoint.Checkpoint;
import dev.platform.etl.runner.control.ControlDatabase;
import dev.platform.etl.runner.control.ControlSchema;
import dev.platform.etl.runner.lease.Lease;
import dev.platform.etl.runner.lease.LeaseHeartbeat;
import dev.platform.etl.runner.lease.LeaseStore;
import dev.platform.etl.runner.retry.Retries;
import dev.platform.etl.runner.sink.Sink;
import dev.platform.etl.runner.sink.SinkBatch;
import dev.platform.etl.runner.source.Column;
import dev.platform.etl.runner.source.SourceBatch;
import dev.platform.etl.testkit.postgres.SharedPostgres;
import dev.platform.etl.testkit.postgres.TestDatabase;
import java.time.Duration;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A sink that takes two writes in flight, against a real control schema: the write of batch 3 is
 * sent while batch 2's is still unanswered, and batch 2 then fails.
 */
class WritesInFlightTest {
    private static final String PIPELINE = "etl-test/in-flight";

    @Test
    void aBatchWhosePredecessorFailedIsNeverCheckpointedEvenIfItsOwnWriteSucceeded() throws Exception {
        TestDatabase database = SharedPostgres.get().freshDatabase();
        CountDownLatch thirdSent = new CountDownLatch(1);
        List<String> written = new CopyOnWriteArrayList<>();
        Sink sink = new TwoInFlight(number -> {
            if (number == 2) {
                // answered only once the third batch is on its way: two writes are in flight
                assertThat(thirdSent.await(30, TimeUnit.SECONDS)).as("the third batch was sent while the second was in flight").isTrue();
                throw new IllegalStateException("batch 2 rejected");
            }
            if (number == 3) {
                thirdSent.countDown();
            }
            written.add("batch " + number);
        });

        RunOutcome outcome = run(database, sink);

        assertThat(written).as("batch 3 was written, batch 2 was not").containsExactly("batch 1", "batch 3");
        assertFailedAtBatch2WithTheCheckpointOfBatch1(database, outcome);
    }

    /**
     * The write of batch 3 is still unanswered when batch 2 fails: the target may yet apply it, so
     * the run must not end (and release its lease to a run that would then be overwritten) until
     * the target has answered it.
     */
    @Test
    void aRunDoesNotEndWhileAWriteItWillNotCommitIsStillUnanswered() throws Exception {
        TestDatabase database = SharedPostgres.get().freshDatabase();
        CountDownLatch thirdSent = new CountDownLatch(1);
        CountDownLatch answerThird = new CountDownLatch(1);
        List<String> written = new CopyOnWriteArrayList<>();
        Sink sink = new TwoInFlight(number -> {
            if (number == 2) {
                assertThat(thirdSent.await(30, TimeUnit.SECONDS)).isTrue();
                throw new IllegalStateException("batch 2 rejected");
            }
            if (number == 3) {
                thirdSent.countDown();
                try {
                    answerThird.await();
                } catch (InterruptedException e) {
                    written.add("batch 3 interrupted");
                    throw e;
                }
            }
            written.add("batch " + number);
        });

        CompletableFuture<Thread> loopThread = new CompletableFuture<>();
        CompletableFuture<RunOutcome> running = CompletableFuture.supplyAsync(() -> {
            loopThread.complete(Thread.currentThread());
            return run(database, sink);
        });
        Thread loop = loopThread.get(1, TimeUnit.MINUTES);
        await("batch 2 failed and the run either ended or waits for batch 3's answer").atMost(Duration.ofMinutes(1))
                .until(() -> running.isDone() || Arrays.stream(loop.getStackTrace())
                        .anyMatch(frame -> frame.getMethodName().equals("awaitUnansweredWrites")));
        assertThat(running).as("the run ended while the write of batch 3 was unanswered").isNotDone();
        answerThird.countDown();
        RunOutcome outcome = running.get(1, TimeUnit.MINUTES);

        assertThat(written).containsExactly("batch 1", "batch 3");
        assertFailedAtBatch2WithTheCheckpointOfBatch1(database, outcome);
    }

    private static RunOutcome run(TestDatabase database, Sink sink) {
        try {
            PGSimpleDataSource dataSource = new PGSimpleDataSource();
            dataSource.setUrl(database.jdbcUrl());
            dataSource.setUser(database.username());
            dataSource.setPassword(database.password());
            ControlSchema.migrate(dataSource);
            ControlDatabase control = new ControlDatabase(dataSource);
            LeaseStore leases = new LeaseStore(control);
            Lease lease = leases.claim(PIPELINE, PIPELINE, "test", "run-1", Duration.ofSeconds(30), Mode.Full).orElseThrow();
            try (LeaseHeartbeat heartbeat = new LeaseHeartbeat(leases, lease, Duration.ofSeconds(30), Duration.ofSeconds(10))) {
                // the loop reads through the callable it is given: it needs no source
                RunContext run = new RunContext(plan(), null, sink, control, new Retries(1, Duration.ofMillis(1), Duration.ofMillis(1)));
                return new BatchLoop(run, lease, heartbeat, false, new StopSignal()).run(null, batches(5));
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void assertFailedAtBatch2WithTheCheckpointOfBatch1(TestDatabase database, RunOutcome outcome) throws Exception {
        assertThat(outcome.result()).isEqualTo(RunResult.FAILED);
        assertThat(outcome.message()).contains("batch 2 rejected");
        assertThat(outcome.counters().batches()).isEqualTo(1);
        assertThat(database.text("SELECT full_load_checkpoint ->> 'tieBreaker' FROM etl.pipeline_state WHERE pipeline = '" + PIPELINE + "'"))
                .as("the checkpoint of batch 1, not of batch 3").isEqualTo("1");
        assertThat(database.count("SELECT batches FROM etl.pipeline_run WHERE run_id = 'run-1'")).isEqualTo(1);
    }

    /** Batches of one row each, the row's id as its checkpoint. */
    private static Callable<Optional<SourceBatch>> batches(int count) {
        Iterator<Integer> ids = IntStream.rangeClosed(1, count).iterator();
        return () -> ids.hasNext() ? Optional.of(batch(ids.next())) : Optional.empty();
    }

    private static SourceBatch batch(int id) {
        return new SourceBatch(List.<Object[]>of(new Object[] {id}), new Checkpoint(Mode.Full, null, String.valueOf(id)));
    }

    private static RunPlan plan() throws Exception {
        EtlPipelineSpec spec = new ManifestLoader().parsePipeline("""
                apiVersion: etl.platform.dev/v1alpha1
                kind: EtlPipeline
                metadata: {name: in-flight, namespace: etl-test}
                spec:
                  mode: Full
                  incremental: {tieBreakerColumn: id}
                  source: {postgres: {secretRef: db}}
                  tasks: [{sqlReader: {query: SELECT id FROM t}}]
                  target: {elasticsearch: {secretRef: search, index: things, idColumn: id}}
                """).getSpec();
        return RunPlan.of(spec, List.of(new Column("id", "int4")));
    }

    @FunctionalInterface
    private interface WriteOf {
        void write(long batchNumber) throws Exception;
    }

    /** A target outside the control database that takes two writes in flight; batch numbers follow the rows' ids. */
    private record TwoInFlight(WriteOf writes) implements Sink {
        @Override
        public boolean takesTwoWritesInFlight() {
            return true;
        }

        @Override
        public Write prepare(SinkBatch batch) {
            long number = ((Number) batch.rows().get(0)[0]).longValue();
            return controlTransaction -> {
                writes.write(number);
                return Written.rows(1);
            };
        }

        @Override
        public void close() {
        }
    }
}
