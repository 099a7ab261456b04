package dev.platform.etl.operator;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The operator's packages, as docs/development/architecture.md draws them: each floor uses only the floors
 * below it, no package depends on itself through others, and the runner is out of reach.
 */
@AnalyzeClasses(packages = "dev.platform.etl.operator", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule noPackageCycles = slices().matching("dev.platform.etl.(**)").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule eachFloorUsesOnlyTheFloorsBelow = layeredArchitecture().consideringOnlyDependenciesInLayers()
            .layer("wiring").definedBy("dev.platform.etl.operator")
            .layer("reconcile").definedBy("..operator.reconcile..")
            .layer("status").definedBy("..operator.status..")
            .layer("services").definedBy("..operator.events..", "..operator.health..", "..operator.metrics..", "..operator.run..", "..operator.informer..")
            .layer("observe").definedBy("..operator.observe..")
            .layer("job").definedBy("..operator.job..")
            .layer("config").definedBy("..operator.config..")
            .whereLayer("wiring").mayNotBeAccessedByAnyLayer()
            .whereLayer("reconcile").mayOnlyBeAccessedByLayers("wiring")
            .whereLayer("status").mayOnlyBeAccessedByLayers("wiring", "reconcile")
            .whereLayer("services").mayOnlyBeAccessedByLayers("wiring", "reconcile", "status")
            .whereLayer("observe").mayOnlyBeAccessedByLayers("wiring", "reconcile", "status", "services")
            .whereLayer("job").mayOnlyBeAccessedByLayers("wiring", "reconcile", "status", "services", "observe")
            .whereLayer("config").mayOnlyBeAccessedByLayers("wiring", "reconcile", "status", "services", "observe", "job");

    @ArchTest
    static final ArchRule neverTheRunner = noClasses().should().dependOnClassesThat().resideInAPackage("dev.platform.etl.runner..")
            .because("the operator and the runner share only the api module; the runner's contract is its pod");
}
