package dev.platform.etl.operator.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.platform.etl.api.EtlPipeline;
import dev.platform.etl.api.manifest.ManifestLoader;
import dev.platform.etl.api.pod.PodEnvironment;
import dev.platform.etl.api.validation.Allowlist;
import dev.platform.etl.operator.config.RunnerDefaults;
import dev.platform.etl.testkit.pipeline.DemoPipelines;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunnerJobFactoryTest {
    private static final RunnerDefaults DEFAULTS = RunnerDefaults.fromEnvironment(Map.of());

    private final RunnerJobFactory factory = new RunnerJobFactory(DEFAULTS,
            Allowlist.fromEnvironment(Map.of(Allowlist.POSTGRES_TABLES_ENV, "analytics.film_dim")));
    private final Job job = factory.build(pipeline(1), 7, "film-dim-7");

    @Test
    void thePodRunsOneRestrictedNonRootContainer() {
        PodSpec pod = job.getSpec().getTemplate().getSpec();
        Container runner = pod.getContainers().get(0);

        assertThat(job.getSpec().getParallelism()).isEqualTo(1);
        assertThat(job.getSpec().getBackoffLimit()).isEqualTo(6);
        assertThat(pod.getRestartPolicy()).isEqualTo("Never");
        assertThat(pod.getAutomountServiceAccountToken()).isFalse();
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        assertThat(runner.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(runner.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(runner.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(runner.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(runner.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        assertThat(runner.getArgs()).containsExactly("run", "--run-id", "film-dim-7-0b0e3f0c");
        assertThat(pod.getTerminationGracePeriodSeconds()).isEqualTo(120);
        assertThat(pod.getServiceAccountName()).as("the namespace's default ServiceAccount, which every namespace has").isNull();
    }

    @Test
    void aParallelLoadIsAnIndexedJobWhosePodsEachReadTheRangeOfTheirIndex() {
        Job indexed = factory.build(pipeline(4), 7, "film-dim-7");
        Container runner = indexed.getSpec().getTemplate().getSpec().getContainers().get(0);

        assertThat(job.getSpec().getCompletionMode()).isNull();
        assertThat(indexed.getSpec().getCompletionMode()).isEqualTo("Indexed");
        assertThat(indexed.getSpec().getCompletions()).isEqualTo(4);
        assertThat(indexed.getSpec().getParallelism()).isEqualTo(4);
        assertThat(runner.getArgs()).containsExactly("run", "--run-id", "film-dim-7-0b0e3f0c", "--range", "$(JOB_COMPLETION_INDEX)/4");
        assertThat(runner.getEnv()).filteredOn(e -> e.getName().equals("JOB_COMPLETION_INDEX")).singleElement()
                .satisfies(e -> assertThat(e.getValueFrom().getFieldRef().getFieldPath())
                        .isEqualTo("metadata.annotations['batch.kubernetes.io/job-completion-index']"));
    }

    @Test
    void theRunnerAbandonsItsBatchBeforeTheKubeletsSigkill() {
        Container runner = job.getSpec().getTemplate().getSpec().getContainers().get(0);

        assertThat(runner.getEnv()).filteredOn(e -> e.getName().equals(PodEnvironment.STOP_GRACE_PERIOD)).singleElement()
                .satisfies(e -> assertThat(e.getValue()).isEqualTo("108s"));
    }

    @Test
    void aRunnerStoppedBySigtermNeitherFailsTheJobNorCountsAgainstItsBackoffLimit() {
        assertThat(job.getSpec().getPodFailurePolicy().getRules())
                .anySatisfy(rule -> {
                    assertThat(rule.getAction()).isEqualTo("Ignore");
                    assertThat(rule.getOnExitCodes().getValues()).containsExactly(PodEnvironment.STOPPED_BY_SIGNAL_EXIT_CODE);
                })
                .anySatisfy(rule -> {
                    assertThat(rule.getAction()).isEqualTo("FailJob");
                    assertThat(rule.getOnExitCodes().getValues()).containsExactly(1, 2);
                });
    }

    @Test
    void credentialsComeOnlyFromSecretKeyRefs() {
        Container runner = job.getSpec().getTemplate().getSpec().getContainers().get(0);

        assertThat(runner.getEnv()).filteredOn(e -> e.getName().startsWith("ETL_SECRET_"))
                .extracting(EnvVar::getName)
                .contains(PodEnvironment.secretVariable("source-db", "jdbcUrl"), PodEnvironment.secretVariable("target-db", "password"));
        assertThat(runner.getEnv()).filteredOn(e -> e.getName().startsWith("ETL_SECRET_"))
                .allSatisfy(e -> {
                    assertThat(e.getValue()).isNull();
                    assertThat(e.getValueFrom().getSecretKeyRef()).isNotNull();
                });
        assertThat(Serialization.asYaml(job)).doesNotContain("password: ").doesNotContain("jdbc:postgresql");
    }

    @Test
    void theJobBelongsToItsPipelineAndCarriesItsLabels() {
        assertThat(job.getMetadata().getOwnerReferences()).singleElement().satisfies(owner -> {
            assertThat(owner.getKind()).isEqualTo("EtlPipeline");
            assertThat(owner.getController()).isTrue();
            assertThat(owner.getBlockOwnerDeletion()).isTrue();
        });
        assertThat(job.getMetadata().getLabels()).containsEntry(Labels.MANAGED_BY, Labels.OPERATOR)
                .containsEntry(Labels.PIPELINE, "film-dim").containsEntry(Labels.RUN, "7");
        assertThat(job.getSpec().getTemplate().getMetadata().getLabels()).isEqualTo(job.getMetadata().getLabels());
    }

    @Test
    void jobNamesAreDeterministicAndFitALabel() {
        assertThat(JobNames.forRun("film-dim", 12)).isEqualTo("film-dim-12");
        String longName = "a-pipeline-with-a-name-that-is-far-too-long-for-a-job-label-value-x";
        assertThat(JobNames.forRun(longName, 123456)).hasSizeLessThanOrEqualTo(63).endsWith("-123456")
                .isEqualTo(JobNames.forRun(longName, 123456));
    }

    private static EtlPipeline pipeline(int parallelism) {
        try {
            EtlPipeline pipeline = new ManifestLoader().parsePipeline(DemoPipelines.filmDim("film-dim").tieBreaker("id").batchSize(500)
                    .runRequest("r-1").parallelism(parallelism).yaml());
            pipeline.getMetadata().setNamespace("etl-test");
            pipeline.getMetadata().setUid("0b0e3f0c-1111-2222-3333-444455556666");
            return pipeline;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
