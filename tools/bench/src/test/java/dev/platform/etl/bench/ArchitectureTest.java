package dev.platform.etl.bench;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The bench's packages: the loads (this package), the operator bench ({@code operator}), and the
 * performance page ({@code report}), which knows only the result files, so that {@code make docs}
 * draws it without running anything.
 */
@AnalyzeClasses(packages = "dev.platform.etl.bench", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule noPackageCycles = slices().matching("dev.platform.etl.bench.(*)..").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule thePageKnowsOnlyTheResults = noClasses().that().resideInAPackage("..bench.report..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.platform.etl.bench", "..bench.operator..", "dev.platform.etl.runner..",
                    "dev.platform.etl.testkit..")
            .because("the page is drawn from tools/bench/results alone");
}
