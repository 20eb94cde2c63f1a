package dev.switchboard.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import dev.switchboard.fakellm.Behaviour;
import dev.switchboard.fakellm.FakeLlmServer;
import dev.switchboard.support.Chromium;
import dev.switchboard.support.IntegrationTest;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The web app in headless Chromium, as a user meets it on a new server: the first-run page creates the admin, who
 * signs in, mistypes the password, changes it, signs out, switches to dark mode and uses a 375 px phone. Every page is
 * checked for console errors (script errors, Content-Security-Policy refusals, failed loads) and, with axe-core, for
 * serious accessibility violations; screenshots go to {@code target/screenshots/}.
 */
@IntegrationTest
@ExtendWith(OutputCaptureExtension.class)
@TestPropertySource(properties = {"switchboard.bootstrap.admin-email=", "switchboard.bootstrap.admin-password=",
        "switchboard.security.jwt-secret=browser-tests-jwt-secret-0123456789-abcdef"})
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebAppBrowserIntegrationTests {

    static final String EMAIL = "admin@browser.test";
    static final String PASSWORD = "first-admin-password-1";
    static final String NEW_PASSWORD = "second-admin-password-2";
    static final JsonMapper JSON = JsonMapper.builder().build();

    @RegisterExtension
    static final Chromium chromium = new Chromium();

    /** The model behind every persona: a real HTTP server speaking OpenAI's wire format, streaming included. */
    static final FakeLlmServer MODEL = FakeLlmServer.start();

    /** A provider that fails, in front of {@code fake} in a chain (failover) or alone (an outage). */
    static final FakeLlmServer DOWN = FakeLlmServer.start();

    @DynamicPropertySource
    static void model(DynamicPropertyRegistry registry) {
        registry.add("switchboard.llm.providers.fake.kind", () -> "openai");
        registry.add("switchboard.llm.providers.fake.base-url", () -> MODEL.baseUrl() + "/v1");
        registry.add("switchboard.llm.providers.fake.api-key", () -> "test-key");
        registry.add("switchboard.llm.default-chain", () -> "fake:gpt-browser");
        registry.add("switchboard.llm.providers.down.kind", () -> "openai");
        registry.add("switchboard.llm.providers.down.base-url", () -> DOWN.baseUrl() + "/v1");
        registry.add("switchboard.llm.providers.down.api-key", () -> "test-key");
        registry.add("switchboard.llm.providers.down.max-retries", () -> "0");
        registry.add("switchboard.llm.breaker.minimum-calls", () -> "100000");
    }

    @AfterAll
    static void stopModel() {
        MODEL.close();
        DOWN.close();
    }

    /** The admin's password as it is now (the password-change test changes it). */
    static String password = PASSWORD;

    @LocalServerPort
    int port;

    ChromeDriver browser;

    @BeforeEach
    void freshBrowser() {
        browser = chromium.driver();
        // Every cookie, the refresh cookie on /api/auth included (deleteAllCookies only sees the current page's), before
        // a page opens: a signed-in page would otherwise see its own requests refused mid-load.
        browser.executeCdpCommand("Network.clearBrowserCookies", Map.of());
        open("/sign-in");
        browser.executeScript("localStorage.clear()");
        chromium.clearEmulation();
        chromium.severeConsoleMessages();
    }

    @AfterEach
    void noConsoleErrors() {
        assertThat(chromium.severeConsoleMessages()).as("console errors").isEmpty();
    }

    @Test
    @Order(1)
    void theFirstRunPageCreatesTheFirstAdmin(CapturedOutput output) {
        open("/");
        assertThat(browser.getCurrentUrl()).endsWith("/setup");
        assertAccessible("first-run");

        browser.findElement(By.id("code")).sendKeys("WRONG-CODE-0000-0000-0000");
        fillSetup(PASSWORD);
        assertThat(alert().getText()).contains("not this server's set-up code");
        // The refused form comes back as 403, which the browser reports; nothing else may fail.
        assertThat(chromium.severeConsoleMessages()).allSatisfy(message -> assertThat(message).contains("/setup", "403"));

        browser.findElement(By.id("code")).sendKeys(SetupCodes.fromLog(output).toLowerCase(java.util.Locale.ROOT));
        fillSetup(PASSWORD);
        chromium.waiting().until(ExpectedConditions.urlContains("/sign-in"));
        assertThat(browser.findElement(By.cssSelector(".notice")).getText()).contains("administrator account is ready");

        open("/setup");
        assertThat(browser.getCurrentUrl()).as("first run closes once a user exists").endsWith("/sign-in");
    }

    @Test
    @Order(2)
    void aWrongPasswordIsRefusedWithAMessage() {
        open("/");
        assertThat(browser.getCurrentUrl()).endsWith("/sign-in");
        assertAccessible("sign-in");
        submitSignIn(EMAIL, "not-the-password-at-all", false);
        assertThat(chromium.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-error]"))).getText())
                .containsIgnoringCase("password");
        assertThat(browser.getCurrentUrl()).endsWith("/sign-in");
        chromium.screenshot("sign-in-wrong-password");
        // The refused sign-in's 401 is the one failed request the browser reports; it is expected here.
        assertThat(chromium.severeConsoleMessages()).allSatisfy(message -> assertThat(message).contains("/api/auth/login", "401"));
    }

    @Test
    @Order(3)
    void signInShowsTheAppAndSignOutEndsTheSession() {
        signIn();
        assertThat(browser.findElement(By.cssSelector(".account-email")).getText()).isEqualTo(EMAIL);
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Chat");

        // A persona whose description is Markdown with hostile HTML, created through the API by the page's session.
        Object created = browser.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                const csrf = decodeURIComponent(document.cookie.match(/(?:^|; )SB_CSRF=([^;]+)/)[1]);
                fetch('/api/personas', { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf },
                  body: JSON.stringify({ slug: 'helpdesk', name: 'Helpdesk', instructions: 'Answer from the handbooks.',
                    description: 'Answers from the **handbooks**. <script>window.pwned = 1</script>'
                      + ' [a link](javascript:window.pwned=2)' }) })
                  .then(response => done(response.status), error => done(String(error)));
                """);
        assertThat(created).isEqualTo(201L);
        browser.navigate().refresh();
        WebElement bold = chromium.waiting().until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(
                ".persona-description strong")));
        assertThat(bold.getText()).as("Markdown rendered by marked").isEqualTo("handbooks");
        assertThat(browser.findElements(By.cssSelector(".persona-description script"))).as("sanitised by DOMPurify").isEmpty();
        assertThat(browser.findElements(By.cssSelector(".persona-description a[href^='javascript']"))).isEmpty();
        assertThat(browser.executeScript("return window.pwned === undefined")).isEqualTo(true);
        assertAccessible("chat");
        chromium.screenshot("chat");

        WebElement menu = browser.findElement(By.cssSelector(".account-menu summary"));
        menu.click();
        menu.sendKeys(Keys.ESCAPE);
        assertThat(browser.findElement(By.cssSelector("[data-sign-out]")).isDisplayed()).as("Escape closes the menu").isFalse();
        menu.click();
        browser.findElement(By.cssSelector("[data-sign-out]")).click();
        chromium.waiting().until(ExpectedConditions.urlContains("/sign-in"));
        assertThat(browser.findElement(By.cssSelector(".notice")).getText()).isEqualTo("You are signed out.");
        open("/");
        assertThat(browser.getCurrentUrl()).as("the session is over").endsWith("/sign-in");
    }

    @Test
    @Order(4)
    void rememberMeKeepsTheSessionForTheRefreshTokensLifetime() {
        open("/sign-in");
        submitSignIn(EMAIL, password, true);
        chromium.waiting().until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".account-email")));
        assertThat(browser.manage().getCookieNamed("SB_REFRESH")).isNull(); // its path is /api/auth: not visible here
        assertThat(browser.manage().getCookieNamed("SB_CSRF").getExpiry()).as("a persistent cookie").isNotNull();

        // The access cookie is gone (expired, or the browser restarted): the sign-in page renews the session.
        browser.manage().deleteCookieNamed("SB_SESSION");
        open("/");
        chromium.waiting().until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".account-email")));
        assertThat(browser.getCurrentUrl()).doesNotContain("/sign-in");
    }

    @Test
    @Order(5)
    void thePasswordChangeEndsTheSessionAndTheNewPasswordSignsIn() {
        signIn();
        open("/account/password");
        assertAccessible("password");
        browser.findElement(By.id("current-password")).sendKeys("wrong-current-password");
        browser.findElement(By.id("new-password")).sendKeys(NEW_PASSWORD);
        browser.findElement(By.id("confirmation")).sendKeys(NEW_PASSWORD);
        browser.findElement(By.cssSelector("button[type=submit]")).click();
        assertThat(chromium.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-error]"))).getText())
                .contains("not your current password");
        assertThat(chromium.severeConsoleMessages()).allSatisfy(message -> assertThat(message).contains("/api/auth/password", "400"));

        browser.findElement(By.id("current-password")).clear();
        browser.findElement(By.id("current-password")).sendKeys(password);
        browser.findElement(By.cssSelector("button[type=submit]")).click();
        chromium.waiting().until(ExpectedConditions.urlContains("/sign-in"));
        password = NEW_PASSWORD;
        assertThat(browser.findElement(By.cssSelector(".notice")).getText()).contains("password is changed");

        signIn();
        assertThat(browser.findElement(By.cssSelector(".account-email")).getText()).isEqualTo(EMAIL);
    }

    @Test
    @Order(6)
    void theAuthorizationServersSignInPageWorksInABrowser() {
        open("/oauth2/sign-in");
        chromium.waiting().until(ExpectedConditions.elementToBeClickable(By.id("email"))).sendKeys(EMAIL);
        browser.findElement(By.id("password")).sendKeys(password);
        browser.findElement(By.cssSelector("button[type=submit]")).click();
        assertThat(chromium.waiting().until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".lead"))).getText())
                .contains("You are signed in");
        open("/");
        assertThat(browser.findElement(By.cssSelector(".account-email")).getText()).as("the same browser session").isEqualTo(EMAIL);
    }

    @Test
    @Order(7)
    void theDarkModeToggleFollowsTheSystemAndSticks() {
        signIn();
        WebElement toggle = browser.findElement(By.cssSelector("[data-theme-toggle]"));
        assertThat(toggle.getAttribute("aria-pressed")).as("the system's light theme").isEqualTo("false");
        String light = background();
        chromium.emulateColorScheme("dark");
        assertThat(background()).as("follows a dark system").isNotEqualTo(light);
        chromium.waiting().until(ExpectedConditions.attributeToBe(toggle, "aria-pressed", "true"));
        String systemDark = background();
        chromium.emulateColorScheme("light");
        assertThat(background()).isEqualTo(light);
        chromium.waiting().until(ExpectedConditions.attributeToBe(toggle, "aria-pressed", "false"));

        toggle.click();
        assertThat(browser.findElement(By.tagName("html")).getAttribute("data-theme")).isEqualTo("dark");
        assertThat(background()).isEqualTo(systemDark);
        assertAccessible("chat-dark");
        chromium.screenshot("chat-dark");

        open("/account/password");
        assertThat(browser.findElement(By.tagName("html")).getAttribute("data-theme")).as("on another page").isEqualTo("dark");
        assertThat(browser.findElement(By.cssSelector("[data-theme-toggle]")).getAttribute("aria-pressed")).isEqualTo("true");
        browser.navigate().refresh();
        assertThat(background()).as("after a reload").isNotEqualTo(light);

        browser.findElement(By.cssSelector("[data-theme-toggle]")).click();
        assertThat(background()).isEqualTo(light);
    }

    @Test
    @Order(8)
    void aPhoneOf375PixelsNeedsNoHorizontalScrolling() {
        signIn();
        chromium.emulateViewport(375, 812, true);
        for (String page : List.of("/", "/account/password")) {
            open(page);
            assertThat(browser.executeScript("return window.innerWidth")).isEqualTo(375L);
            Long scrollWidth = (Long) browser.executeScript("return document.documentElement.scrollWidth");
            assertThat(scrollWidth).as("page width at 375 px on %s", page).isLessThanOrEqualTo(375L);
        }
        open("/");
        // The page has loaded the session list: removing the cookies now does not fail that request.
        chromium.waiting().until(ExpectedConditions.attributeToBe(By.cssSelector("[data-sessions]"), "aria-busy", "false"));
        chromium.screenshot("chat-375px");
        browser.manage().deleteAllCookies();
        open("/sign-in");
        Long scrollWidth = (Long) browser.executeScript("return document.documentElement.scrollWidth");
        assertThat(scrollWidth).as("sign-in page width at 375 px").isLessThanOrEqualTo(375L);
        chromium.screenshot("sign-in-375px");
    }

    @Test
    @Order(9)
    void aStreamedAnswerIsRenderedAsMarkdownAndTheSessionCanBeContinued() {
        MODEL.reset().always(Behaviour.reply("Use **two** steps:\n\n1. Open the handbook.\n2. Run it:\n\n"
                + "```sh\nswitchboard --help\n```\n"));
        signIn();
        new Select(browser.findElement(By.id("persona"))).selectByVisibleText("Helpdesk");
        WebElement message = browser.findElement(By.id("message"));
        message.sendKeys("How do I start?", Keys.chord(Keys.SHIFT, Keys.ENTER), "Briefly.");
        assertThat(message.getAttribute("value")).as("Shift+Enter adds a line").isEqualTo("How do I start?\nBriefly.");
        message.sendKeys(Keys.ENTER);

        WebElement answer = chromium.waiting().until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(
                ".message.assistant[data-status='complete']")));
        assertThat(browser.findElement(By.cssSelector(".message.user .content")).getText()).isEqualTo("How do I start?\nBriefly.");
        assertThat(answer.findElement(By.cssSelector(".content strong")).getText()).isEqualTo("two");
        assertThat(answer.findElements(By.cssSelector(".content ol li"))).hasSize(2);
        assertThat(answer.findElement(By.cssSelector(".code-block pre code")).getText()).isEqualTo("switchboard --help");
        assertThat(answer.findElement(By.cssSelector(".code-block .copy-code")).getText()).isEqualTo("Copy");
        assertThat(answer.findElement(By.cssSelector(".answer-target")).getText()).isEqualTo("Answered by fake:gpt-browser");
        assertThat(answer.findElements(By.cssSelector(".answer-target .badge"))).as("no failover").isEmpty();
        assertThat(MODEL.received().getLast().body().path("stream").asBoolean()).as("streamed from the provider").isTrue();
        assertThat(browser.findElement(By.id("message")).getAttribute("value")).isEmpty();
        assertThat(answer.getAttribute("aria-busy")).isNull();
        assertThat(browser.findElement(By.cssSelector("[data-chat-status]")).getAttribute("textContent")).as("told to screen readers")
                .isEqualTo("Answer complete.");
        assertThat(browser.findElement(By.cssSelector("[data-stop]")).isDisplayed()).as("no stop button when idle").isFalse();
        WebElement session = chromium.waiting().until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(
                "button.session[aria-current='true']")));
        assertThat(session.findElement(By.cssSelector(".session-title")).getText()).startsWith("How do I start?");
        assertAccessible("chat-answer");
        chromium.screenshot("chat-answer");

        // A new chat, then the session continued from the list: its messages come back from the server.
        browser.findElement(By.cssSelector("[data-new-chat]")).click();
        assertThat(browser.findElements(By.cssSelector(".message"))).isEmpty();
        browser.findElement(By.cssSelector("button.session")).click();
        chromium.waiting().until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".message.assistant .content strong")));
        assertThat(browser.findElements(By.cssSelector(".message"))).hasSize(2);
        MODEL.reset().always(Behaviour.reply("Nothing more."));
        browser.findElement(By.id("message")).sendKeys("Anything else?", Keys.ENTER);
        chromium.waiting().until(ExpectedConditions.numberOfElementsToBe(By.cssSelector(".message.assistant[data-status='complete']"), 2));
        assertThat(MODEL.received().getLast().body().path("messages").toString()).as("the history went to the model")
                .contains("How do I start?");
        assertThat(browser.findElements(By.cssSelector("button.session"))).as("the same session").hasSize(1);

        chromium.emulateViewport(375, 812, true);
        Long scrollWidth = (Long) browser.executeScript("return document.documentElement.scrollWidth");
        assertThat(scrollWidth).as("chat with an answer at 375 px").isLessThanOrEqualTo(375L);
        chromium.screenshot("chat-answer-375px");
    }

    @Test
    @Order(10)
    void toolCallsCitationsAndAFailoverAreShownWithTheAnswer() {
        signIn();
        String knowledgeBase = api("POST", "/api/knowledge-bases", "{\"name\":\"Handbook\"}").path("id").asString();
        Object uploaded = browser.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                const csrf = decodeURIComponent(document.cookie.match(/(?:^|; )SB_CSRF=([^;]+)/)[1]);
                const form = new FormData();
                form.append('file', new Blob([arguments[1]], { type: 'text/plain' }), 'holiday.txt');
                fetch('/api/documents?knowledgeBaseId=' + arguments[0], { method: 'POST', headers: { 'X-CSRF-Token': csrf }, body: form })
                  .then(response => response.text()).then(done, error => done(String(error)));
                """, knowledgeBase, "Paid holiday. Every employee gets 27 days of paid holiday per calendar year, plus public holidays.");
        String documentId = JSON.readTree(String.valueOf(uploaded)).path("id").asString();
        await().atMost(Duration.ofSeconds(90)).until(() -> api("GET", "/api/documents/" + documentId, null).path("status").asString(),
                status -> status.equals("indexed") || status.equals("failed"));
        api("POST", "/api/personas", "{\"slug\":\"librarian\",\"name\":\"Librarian\",\"instructions\":\"Answer from the handbook.\","
                + "\"chain\":\"down:gpt-down,fake:gpt-tools\",\"allowedTools\":[\"search_knowledge\"],\"knowledgeBaseIds\":[\""
                + knowledgeBase + "\"]}");
        DOWN.reset().always(Behaviour.serverError());
        MODEL.reset().then(Behaviour.callTool("call_search", "search_knowledge", "{\"query\":\"paid holiday days\",\"topK\":3}"),
                Behaviour.reply("You get **27 days** of paid holiday [1]."));
        browser.navigate().refresh();

        new Select(chromium.waiting().until(ExpectedConditions.elementToBeClickable(By.id("persona")))).selectByVisibleText("Librarian");
        browser.findElement(By.id("message")).sendKeys("How many days of paid holiday do I get?", Keys.ENTER);
        WebElement answer = chromium.waiting().until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(
                ".message.assistant[data-status='complete']")));

        WebElement tool = answer.findElement(By.cssSelector("details.tool-call"));
        assertThat(tool.getAttribute("open")).as("collapsed").isNull();
        assertThat(tool.findElement(By.cssSelector(".tool-name")).getText()).isEqualTo("search_knowledge");
        assertThat(tool.findElement(By.cssSelector(".tool-state")).getText()).isEqualTo("done");
        tool.findElement(By.tagName("summary")).click();
        assertThat(tool.findElement(By.cssSelector(".tool-arguments")).getText()).contains("\"query\": \"paid holiday days\"");
        assertThat(tool.findElement(By.cssSelector(".tool-result")).getText()).contains("27 days");

        assertThat(answer.findElement(By.cssSelector(".content strong")).getText()).isEqualTo("27 days");
        WebElement citation = answer.findElement(By.cssSelector(".citations .citation"));
        assertThat(citation.findElement(By.cssSelector(".citation-marker")).getText()).isEqualTo("[1]");
        assertThat(citation.findElement(By.cssSelector(".citation-document")).getText()).isEqualTo("holiday.txt");
        // A model's [n] quotes nothing itself: the citation shows the opening of the passage it was given.
        assertThat(citation.findElement(By.cssSelector(".citation-quote")).getText()).startsWith("Paid holiday. Every employee");
        assertThat(answer.findElement(By.cssSelector(".answer-target")).getText()).isEqualTo("Answered by fake:gpt-tools failover");
        assertAccessible("chat-tools");
        chromium.screenshot("chat-tools-citations");

        // The same, continued from the session list: tool calls, citations and target as stored.
        browser.navigate().refresh();
        chromium.waiting().until(ExpectedConditions.elementToBeClickable(By.cssSelector("button.session"))).click();
        WebElement stored = chromium.waiting().until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(
                ".message.assistant[data-status='complete']")));
        assertThat(stored.findElement(By.cssSelector(".tool-name")).getText()).isEqualTo("search_knowledge");
        assertThat(stored.findElement(By.cssSelector(".citation-document")).getText()).isEqualTo("holiday.txt");
        assertThat(stored.findElement(By.cssSelector(".answer-target .badge")).getText()).isEqualTo("failover");
        assertThat(new Select(browser.findElement(By.id("persona"))).getFirstSelectedOption().getText()).isEqualTo("Librarian");
    }

    @Test
    @Order(11)
    void aProviderOutageIsExplainedToTheUser() {
        signIn();
        api("POST", "/api/personas", "{\"slug\":\"outage\",\"name\":\"Outage\",\"instructions\":\"Answer.\","
                + "\"chain\":\"down:gpt-down\"}");
        DOWN.reset().always(Behaviour.serverError());
        browser.navigate().refresh();
        new Select(chromium.waiting().until(ExpectedConditions.elementToBeClickable(By.id("persona")))).selectByVisibleText("Outage");
        browser.findElement(By.id("message")).sendKeys("Are you there?", Keys.ENTER);
        WebElement error = chromium.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-chat-error]")));
        assertThat(error.getText()).isEqualTo("No model provider is answering right now. Try again in a moment.");
        assertThat(browser.findElement(By.cssSelector(".message.assistant[data-status='failed'] .answer-error")).getText())
                .isEqualTo(error.getText());
        assertThat(browser.findElement(By.cssSelector("[data-send]")).isEnabled()).as("ready to try again").isTrue();
        // The refused turn is the one failed request the browser reports.
        assertThat(chromium.severeConsoleMessages()).allSatisfy(message -> assertThat(message).contains("/api/chat", "502"));
    }

    @Test
    @Order(12)
    void theStopButtonAbandonsAnAnswerAndTheNextMessageWorks() {
        MODEL.reset().then(Behaviour.slowFirstToken("Too late.", Duration.ofSeconds(30)), Behaviour.reply("Here **now**."));
        signIn();
        new Select(browser.findElement(By.id("persona"))).selectByVisibleText("Helpdesk");
        browser.findElement(By.id("message")).sendKeys("Take your time.", Keys.ENTER);
        WebElement stop = chromium.waiting().until(ExpectedConditions.elementToBeClickable(By.cssSelector("[data-stop]")));
        assertThat(browser.findElement(By.cssSelector("[data-send]")).isEnabled()).as("one answer at a time").isFalse();
        stop.click();
        WebElement stopped = chromium.waiting().until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(
                ".message.assistant[data-status='stopped']")));
        assertThat(stopped.findElement(By.cssSelector(".answer-note")).getText()).isEqualTo("Stopped.");
        assertThat(stop.isDisplayed()).isFalse();

        browser.findElement(By.id("message")).sendKeys("Now, please.", Keys.ENTER);
        WebElement answer = chromium.waiting().until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(
                ".message.assistant[data-status='complete'] .content strong")));
        assertThat(answer.getText()).isEqualTo("now");
    }

    @Test
    @Order(13)
    void aStreamThatBreaksKeepsThePartialAnswerAndSaysSo() {
        MODEL.reset().always(new Behaviour.CutAfterFirstToken("Partial answer that breaks."));
        signIn();
        new Select(browser.findElement(By.id("persona"))).selectByVisibleText("Helpdesk");
        browser.findElement(By.id("message")).sendKeys("Tell me everything.", Keys.ENTER);
        WebElement failed = chromium.waiting().until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(
                ".message.assistant[data-status='failed']")));
        assertThat(failed.findElement(By.cssSelector(".content")).getText()).isEqualTo("Partial");
        String error = browser.findElement(By.cssSelector("[data-chat-error]")).getText();
        assertThat(error).isNotBlank();
        assertThat(failed.findElement(By.cssSelector(".answer-error")).getText()).isEqualTo(error);
    }

    @Test
    @Order(14)
    void refusalsAreExplainedFromTheirProblemAndRetryAfter() {
        signIn();
        assertThat(explain(429, "too-many-requests", "12")).isEqualTo("Too many requests. Try again in 12 seconds.");
        assertThat(explain(429, "token-quota-exceeded", "7200")).isEqualTo("Your token quota is used up. Try again in 2 hours.");
        assertThat(explain(503, "llm-unavailable", null)).isEqualTo("No model provider is answering right now. Try again in a moment.");
        assertThat(explain(503, "history-unavailable", "3")).isEqualTo("The answer could not be saved. Try again in 3 seconds.");
        assertThat(explain(410, "session-expired", null)).isEqualTo(
                "This session has expired. Send your message again to start a new chat. (expired)");
        assertThat(explain(400, "validation-failed", null)).isEqualTo("What the server said.");
    }

    @Test
    @Order(15)
    void aSessionIsExportedRenamedAndDeleted() {
        MODEL.reset().always(Behaviour.reply("Kept for the export."));
        signIn();
        new Select(browser.findElement(By.id("persona"))).selectByVisibleText("Helpdesk");
        browser.findElement(By.id("message")).sendKeys("Export me.", Keys.ENTER);
        chromium.waiting().until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".message.assistant[data-status='complete']")));
        WebElement export = chromium.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(
                "[data-export='markdown']")));
        String sessionId = chromium.waiting().until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(
                "button.session[aria-current='true']"))).getAttribute("data-session-id");
        assertThat(export.getAttribute("href")).endsWith("/api/sessions/" + sessionId + "/export?format=markdown");
        Object markdown = browser.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                fetch(arguments[0]).then(response => response.text()).then(done, error => done(String(error)));
                """, export.getAttribute("href"));
        assertThat(String.valueOf(markdown)).contains("Export me.", "Kept for the export.");

        browser.findElement(By.cssSelector("[data-rename-session]")).click();
        browser.switchTo().alert().sendKeys("Exported session");
        browser.switchTo().alert().accept();
        chromium.waiting().until(ExpectedConditions.textToBe(By.cssSelector("button.session[aria-current='true'] .session-title"),
                "Exported session"));

        int before = browser.findElements(By.cssSelector("button.session")).size();
        browser.findElement(By.cssSelector("[data-delete-session]")).click();
        browser.switchTo().alert().accept();
        assertThat(chromium.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-chat-notice]"))).getText())
                .isEqualTo("The session is deleted.");
        assertThat(browser.findElements(By.cssSelector("button.session"))).hasSize(before - 1);
        assertThat(browser.findElements(By.cssSelector("button.session[data-session-id='" + sessionId + "']"))).isEmpty();
        assertThat(browser.findElement(By.cssSelector("[data-session-actions]")).isDisplayed()).isFalse();
    }

    /** What problems.js, in the page, tells the user about a response with this problem type and Retry-After. */
    private String explain(int status, String slug, String retryAfter) {
        return String.valueOf(browser.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                const headers = { 'Content-Type': 'application/problem+json' };
                if (arguments[2] !== null) { headers['Retry-After'] = arguments[2]; }
                const response = new Response(JSON.stringify({ type: 'urn:switchboard:problem:' + arguments[1], status: arguments[0],
                  title: 'Title', detail: 'What the server said.' }), { status: arguments[0], headers });
                import('/app/problems.js').then(module => module.explain(response))
                  .then(result => done(result.message + (result.sessionExpired ? ' (expired)' : '')), error => done(String(error)));
                """, status, slug, retryAfter));
    }

    /** A call of the API from the page's browser session (cookie and CSRF header); the answer's JSON. */
    private JsonNode api(String method, String path, String body) {
        Object answer = browser.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                const csrf = decodeURIComponent(document.cookie.match(/(?:^|; )SB_CSRF=([^;]+)/)[1]);
                const init = { method: arguments[0], headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf } };
                if (arguments[2] !== null) { init.body = arguments[2]; }
                fetch(arguments[1], init).then(response => response.text().then(text => done(response.status + ' ' + text)),
                  error => done(String(error)));
                """, method, path, body);
        String[] statusAndBody = String.valueOf(answer).split(" ", 2);
        assertThat(Integer.parseInt(statusAndBody[0])).as("%s %s: %s", method, path, answer).isBetween(200, 299);
        return JSON.readTree(statusAndBody[1]);
    }

    private void signIn() {
        open("/sign-in");
        submitSignIn(EMAIL, password, false);
        chromium.waiting().until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".account-email")));
    }

    private void submitSignIn(String email, String secret, boolean remember) {
        chromium.waiting().until(ExpectedConditions.elementToBeClickable(By.id("email"))).sendKeys(email);
        browser.findElement(By.id("password")).sendKeys(secret);
        if (remember) {
            browser.findElement(By.id("remember")).click();
        }
        browser.findElement(By.cssSelector("button[type=submit]")).click();
    }

    private void fillSetup(String secret) {
        browser.findElement(By.id("email")).clear();
        browser.findElement(By.id("email")).sendKeys(EMAIL);
        browser.findElement(By.id("password")).sendKeys(secret);
        browser.findElement(By.id("confirmation")).sendKeys(secret);
        browser.findElement(By.cssSelector("button[type=submit]")).click();
    }

    private WebElement alert() {
        return chromium.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[role=alert]")));
    }

    private String background() {
        return (String) browser.executeScript("return getComputedStyle(document.body).backgroundColor");
    }

    private void assertAccessible(String page) {
        assertThat(chromium.seriousAccessibilityViolations()).as("serious accessibility violations on the %s page", page).isEmpty();
    }

    private void open(String path) {
        // localhost, not 127.0.0.1: the browser treats it as a secure context, so the Secure session cookies work.
        browser.get("http://localhost:" + port + path);
    }
}
