package dev.switchboard;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noFields;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** House rules that Modulith does not check. */
@AnalyzeClasses(packages = "dev.switchboard", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTests {

    @ArchTest
    static final ArchRule noFieldInjection = noFields().should()
            .beAnnotatedWith("org.springframework.beans.factory.annotation.Autowired")
            .because("dependencies are constructor-injected");

    @ArchTest
    static final ArchRule providerSpecificAiOnlyInLlm = noClasses().that().resideOutsideOfPackage("dev.switchboard.llm..")
            .should().dependOnClassesThat().resideInAnyPackage("org.springframework.ai.openai..",
                    "org.springframework.ai.anthropic..", "org.springframework.ai.google..", "org.springframework.ai.ollama..")
            .allowEmptyShould(true)
            .because("only the llm module knows provider-specific clients");

    @ArchTest
    static final ArchRule noStandardStreams = noClasses().that().resideOutsideOfPackage("..internal.cli..")
            .should().accessField(System.class, "out").orShould().accessField(System.class, "err")
            .because("everything goes through the logger, where redaction applies; only command-line commands "
                    + "(internal.cli) print their results");
}
