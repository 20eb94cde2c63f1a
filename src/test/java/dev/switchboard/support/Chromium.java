package dev.switchboard.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.slf4j.LoggerFactory;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Headless Chromium for browser tests, driven by Selenium through the machine's {@code chromedriver}: Debian's
 * {@code chromium} and {@code chromium-driver} packages ({@code .ci/run} installs them). Nothing is downloaded. Without
 * them the tests are skipped with a message, except under {@code CI=true}, where they must run. Register it as a static
 * {@code @RegisterExtension} field: one browser per test class; a failed test leaves a screenshot in
 * {@code target/screenshots/}.
 */
public final class Chromium implements BeforeAllCallback, AfterAllCallback, AfterTestExecutionCallback {

    /** Where screenshots go, for a reviewer to look at. */
    public static final Path SCREENSHOTS = Path.of("target", "screenshots");

    private static final Path BROWSER = Path.of(System.getProperty("switchboard.test.chromium", "/usr/bin/chromium"));
    private static final Path DRIVER = Path.of(System.getProperty("switchboard.test.chromedriver", "/usr/bin/chromedriver"));
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private ChromeDriver driver;

    @Override
    public void beforeAll(ExtensionContext context) {
        boolean installed = Files.isExecutable(BROWSER) && Files.isExecutable(DRIVER);
        if (!installed && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("CI=true requires the browser tests: install Chromium and its driver "
                    + "(apt-get install -y chromium chromium-driver; .ci/run does) or point -Dswitchboard.test.chromium and "
                    + "-Dswitchboard.test.chromedriver at them");
        }
        if (!installed) {
            // Said plainly in the build's output: a skipped class is easy to miss in the test counts.
            LoggerFactory.getLogger(Chromium.class).warn("Browser tests of {} skipped: no Chromium at {} with chromedriver at {} "
                    + "(apt-get install -y chromium chromium-driver)", context.getDisplayName(), BROWSER, DRIVER);
        }
        assumeThat(installed).as("Browser tests skipped: no Chromium at %s with chromedriver at %s "
                + "(apt-get install -y chromium chromium-driver)", BROWSER, DRIVER).isTrue();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BROWSER.toFile());
        // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1280,900", "--lang=en-GB", "--no-first-run", "--disable-extensions");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(60));
    }

    @Override
    public void afterTestExecution(ExtensionContext context) {
        if (driver != null && context.getExecutionException().isPresent()) {
            screenshot(context.getRequiredTestClass().getSimpleName() + "-" + context.getRequiredTestMethod().getName() + "-failed");
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (driver != null) {
            driver.quit();
            driver = null;
        }
    }

    public ChromeDriver driver() {
        return driver;
    }

    /**
     * Opens a page of the application on {@code port}. Through {@code localhost}, not 127.0.0.1: the browser treats it as
     * a secure context, so the {@code Secure} session cookies work.
     */
    public void open(int port, String path) {
        driver.get("http://localhost:" + port + path);
    }

    /**
     * A fresh browser session signed in as the user: every cookie cleared (the refresh cookie on {@code /api/auth}
     * too), local storage and emulation reset, the sign-in page submitted, and the app shown. Console messages so far
     * are discarded.
     */
    public void signIn(int port, String email, String password) {
        driver.executeCdpCommand("Network.clearBrowserCookies", Map.of());
        open(port, "/sign-in");
        driver.executeScript("localStorage.clear()");
        clearEmulation();
        waiting().until(ExpectedConditions.elementToBeClickable(By.id("email"))).sendKeys(email);
        driver.findElement(By.id("password")).sendKeys(password);
        driver.findElement(By.cssSelector("button[type=submit]")).click();
        waiting().until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".account-email")));
        severeConsoleMessages();
    }

    /**
     * Waits (up to 15 s: a guard against a hung page, not a timing check) for a condition of the page. A condition that
     * meets an element the page has just re-rendered is asked again rather than failing on the stale reference.
     */
    public WebDriverWait waiting() {
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(15));
        wait.ignoring(StaleElementReferenceException.class);
        return wait;
    }

    /** Saves a screenshot of the viewport as {@code target/screenshots/<name>.png}. */
    public Path screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Path target = SCREENSHOTS.resolve(name + ".png");
            Files.move(driver.getScreenshotAs(OutputType.FILE).toPath(), target, StandardCopyOption.REPLACE_EXISTING);
            return target;
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** The browser's console messages at SEVERE level (script errors, CSP refusals, failed loads) since the last call. */
    public List<String> severeConsoleMessages() {
        List<String> severe = new ArrayList<>();
        for (LogEntry entry : driver.manage().logs().get(LogType.BROWSER)) {
            if (entry.getLevel().intValue() >= Level.SEVERE.intValue()) {
                severe.add(entry.getMessage());
            }
        }
        return severe;
    }

    /** Emulates a device's viewport (CSS pixels), as the browser's device toolbar does. */
    public void emulateViewport(int width, int height, boolean mobile) {
        driver.executeCdpCommand("Emulation.setDeviceMetricsOverride",
                Map.of("width", width, "height", height, "deviceScaleFactor", 1, "mobile", mobile));
    }

    public void clearEmulation() {
        driver.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
        emulateColorScheme("");
    }

    /** Emulates the system's colour scheme ({@code dark}, {@code light}; empty for the real one). */
    public void emulateColorScheme(String scheme) {
        driver.executeCdpCommand("Emulation.setEmulatedMedia",
                Map.of("features", List.of(Map.of("name", "prefers-color-scheme", "value", scheme))));
    }

    /**
     * Runs axe-core (the rules of WCAG 2.x A and AA, and best practices) on the current page and returns its violations
     * of serious or critical impact, each as "rule (impact): help — elements".
     */
    public List<String> seriousAccessibilityViolations() {
        driver.executeScript(axeSource());
        String result = (String) driver.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                axe.run(document, { resultTypes: ['violations'] })
                  .then(results => done(JSON.stringify(results.violations)))
                  .catch(error => done(JSON.stringify({ error: String(error) })));
                """);
        JsonNode violations = JSON.readTree(result);
        assertThat(violations.isArray()).as("axe-core ran: %s", result).isTrue();
        List<String> serious = new ArrayList<>();
        for (JsonNode violation : violations) {
            String impact = violation.path("impact").asString();
            if ("serious".equals(impact) || "critical".equals(impact)) {
                List<String> targets = new ArrayList<>();
                violation.path("nodes").forEach(node -> targets.add(node.path("target").toString()));
                serious.add(violation.path("id").asString() + " (" + impact + "): " + violation.path("help").asString()
                        + " — " + targets);
            }
        }
        return serious;
    }

    private static String axeSource() {
        // axe.min.js from Deque's axe-core Java package (test scope; see pom.xml).
        try (InputStream in = Chromium.class.getResourceAsStream("/axe.min.js")) {
            assertThat(in).as("axe.min.js on the test class path (com.deque.html.axe-core:selenium)").isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
