package dev.platform.etl.runner;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The runner's packages, as docs/development/architecture.md draws them: each floor uses only the floors below
 * it, and no package depends on itself through others.
 */
@AnalyzeClasses(packages = "dev.platform.etl.runner", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule noPackageCycles = slices().matching("dev.platform.etl.runner.(**)").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule eachFloorUsesOnlyTheFloorsBelow = layeredArchitecture().consideringOnlyDependenciesInLayers()
            .layer("command line").definedBy("..runner.cli..")
            .layer("run").definedBy("..runner.run..")
            .layer("batch commit").definedBy("..runner.commit..")
            .layer("lease").definedBy("..runner.lease..")
            .layer("reading and writing").definedBy("..runner.sink..", "..runner.transform..", "..runner.range..")
            .layer("source and connections").definedBy("..runner.source..", "..runner.connect..")
            .layer("control schema").definedBy("..runner.control..")
            .layer("foundations").definedBy("..runner.checkpoint..", "..runner.retry..", "..runner.redact..")
            .whereLayer("command line").mayOnlyAccessLayers("run", "lease", "reading and writing", "source and connections",
                    "control schema", "foundations")
            .whereLayer("run").mayOnlyAccessLayers("batch commit", "lease", "reading and writing", "source and connections",
                    "control schema", "foundations")
            .whereLayer("batch commit").mayOnlyAccessLayers("lease", "reading and writing", "source and connections",
                    "control schema", "foundations")
            .whereLayer("lease").mayOnlyAccessLayers("control schema", "foundations")
            .whereLayer("reading and writing").mayOnlyAccessLayers("source and connections", "control schema", "foundations")
            .whereLayer("source and connections").mayOnlyAccessLayers("control schema", "foundations")
            .whereLayer("control schema").mayOnlyAccessLayers("foundations")
            .whereLayer("foundations").mayNotAccessAnyLayer();

    @ArchTest
    static final ArchRule neverTheOperator = noClasses().should().dependOnClassesThat().resideInAPackage("dev.platform.etl.operator..")
            .because("the operator and the runner share only the api module");
}
