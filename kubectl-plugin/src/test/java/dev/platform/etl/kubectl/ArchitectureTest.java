package dev.platform.etl.kubectl;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The plugin is a client of the API server only: it shares the api module's types, and nothing of the operator or the runner. */
@AnalyzeClasses(packages = "dev.platform.etl.kubectl", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule neitherTheOperatorNorTheRunner = noClasses().should().dependOnClassesThat()
            .resideInAnyPackage("dev.platform.etl.operator..", "dev.platform.etl.runner..");
}
