package dev.platform.etl.api;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The api's packages, as docs/development/architecture.md draws them: the resource's types at the bottom, what
 * reads and checks them above, no package cycle, and neither the operator nor the runner in reach.
 */
@AnalyzeClasses(packages = "dev.platform.etl.api", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule noPackageCycles = slices().matching("dev.platform.etl.(**)").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule eachFloorUsesOnlyTheFloorsBelow = layeredArchitecture().consideringOnlyDependenciesInLayers()
            .layer("validation").definedBy("..api.validation..")
            .layer("pod").definedBy("..api.pod..")
            .layer("manifest").definedBy("..api.manifest..")
            .layer("resource").definedBy("dev.platform.etl.api")
            .layer("spec and status").definedBy("..api.spec..", "..api.status..")
            .whereLayer("validation").mayOnlyAccessLayers("resource", "spec and status")
            .whereLayer("pod").mayOnlyAccessLayers("manifest", "resource", "spec and status")
            .whereLayer("manifest").mayOnlyAccessLayers("resource", "spec and status")
            .whereLayer("resource").mayOnlyAccessLayers("spec and status")
            .whereLayer("spec and status").mayNotAccessAnyLayer();

    @ArchTest
    static final ArchRule theApiStandsAlone = noClasses().should().dependOnClassesThat()
            .resideInAnyPackage("dev.platform.etl.operator..", "dev.platform.etl.runner..")
            .because("the operator and the runner both build on the api, never the other way");
}
