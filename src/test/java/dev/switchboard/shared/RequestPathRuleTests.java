package dev.switchboard.shared;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import jakarta.servlet.http.HttpServletRequest;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * Decisions are made on {@link RequestPaths#of}, never on the raw request URI: only {@code RequestPaths} and
 * the code that quotes the path back in a problem ({@code instance}, "There is no endpoint …") read it.
 */
@AnalyzeClasses(packages = "dev.switchboard", importOptions = ImportOption.DoNotIncludeTests.class)
class RequestPathRuleTests {

    @ArchTest
    static final ArchRule pathsAreReadThroughRequestPaths = noClasses()
            .that().doNotHaveFullyQualifiedName(RequestPaths.class.getName())
            .and().doNotHaveFullyQualifiedName(ProblemResponder.class.getName())
            .and().doNotHaveFullyQualifiedName("dev.switchboard.shared.internal.web.ProblemDetailsAdvice")
            .and().doNotHaveFullyQualifiedName("dev.switchboard.ops.internal.MetricsAccessFilter")
            .should().callMethod(HttpServletRequest.class, "getRequestURI")
            .orShould().callMethod(HttpServletRequest.class, "getServletPath")
            .orShould().callMethod(HttpServletRequest.class, "getPathInfo")
            .orShould().callMethod(HttpServletRequest.class, "getRequestURL")
            .because("a filter that decides on the raw path can be walked around with /%6detrics or /%61pi/…; "
                    + "decide on RequestPaths.of(request), the path routing uses");
}
