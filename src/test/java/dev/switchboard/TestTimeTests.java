package dev.switchboard;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * Tests never wait for time to pass: they move a {@code MutableClock}, record a {@code Sleeper}'s waits, or
 * poll with Awaitility for what they expect. Only fake servers sleep, to be slow the way a provider is.
 */
@AnalyzeClasses(packages = "dev.switchboard", importOptions = ImportOption.OnlyIncludeTests.class)
class TestTimeTests {

    /** Fake servers whose answers are slow on purpose; nothing asserts on how long they take. */
    static final DescribedPredicate<JavaClass> SLOW_FAKE_SERVERS = DescribedPredicate.describe("a slow fake server",
            type -> type.getName().startsWith("dev.switchboard.fakellm.FakeLlmServer")
                    || type.getName().startsWith("dev.switchboard.support.ProbeController"));

    @ArchTest
    static final ArchRule testsDoNotSleep = noClasses().that(DescribedPredicate.not(SLOW_FAKE_SERVERS))
            .should().callMethod(Thread.class, "sleep", long.class)
            .orShould().callMethod(Thread.class, "sleep", long.class, int.class)
            .orShould().callMethod(Thread.class, "sleep", Duration.class)
            .orShould().callMethod(TimeUnit.class, "sleep", long.class)
            .because("a test that waits for time to pass is slow and flaky: move a MutableClock, record a Sleeper, "
                    + "or await the expected state with Awaitility");
}
