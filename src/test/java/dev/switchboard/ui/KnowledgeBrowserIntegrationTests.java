package dev.switchboard.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.switchboard.fakellm.Behaviour;
import dev.switchboard.fakellm.FakeLlmServer;
import dev.switchboard.support.Accounts;
import dev.switchboard.support.Chromium;
import dev.switchboard.support.HttpTestClient;
import dev.switchboard.support.IntegrationTest;
import dev.switchboard.support.Uploads;
import tools.jackson.databind.JsonNode;

/**
 * The knowledge pages and the chat's knowledge features in headless Chromium: a knowledge base created, a document
 * dropped onto the page and another chosen with the file picker, both followed to "indexed" without a reload, their
 * chunks opened, one re-indexed and deleted, then the knowledge base; sessions searched from the chat; a model's citation opened on its passage
 * and original file by a member. No console errors, axe-core clean, 375 px; screenshots in {@code target/screenshots/}.
 */
@IntegrationTest
class KnowledgeBrowserIntegrationTests {

    static final String HOLIDAY = "Paid holiday. Every employee gets 27 days of paid holiday per calendar year, plus public holidays.";

    @RegisterExtension
    static final Chromium chromium = new Chromium();

    /** The model behind the citation test, registered as the tenant's provider at run time (no properties). */
    static final FakeLlmServer MODEL = FakeLlmServer.start();

    @AfterAll
    static void stopModel() {
        MODEL.close();
    }

    @LocalServerPort
    int port;

    ChromeDriver browser;
    HttpTestClient http;
    Accounts accounts;
    Accounts.Session admin;

    @BeforeEach
    void signIn() {
        browser = chromium.driver();
        http = new HttpTestClient(port);
        accounts = new Accounts(http);
        admin = accounts.newTenantAdmin();
    }

    @AfterEach
    void noConsoleErrors() {
        assertThat(chromium.severeConsoleMessages()).as("console errors").isEmpty();
    }

    @Test
    void documentsAreUploadedIndexedLiveOpenedReindexedAndDeleted() throws Exception {
        chromium.signIn(port, admin.email(), Accounts.PASSWORD);
        chromium.open(port, "/admin/knowledge");
        chromium.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-empty]")));
        assertAccessible("knowledge bases");
        browser.findElement(By.id("base-name")).sendKeys("Handbook");
        browser.findElement(By.id("base-description")).sendKeys("Policies for everyone");
        browser.findElement(By.cssSelector("[data-create-base] button[type=submit]")).click();
        chromium.waiting().until(ExpectedConditions.elementToBeClickable(By.linkText("Handbook"))).click();
        chromium.waiting().until(ExpectedConditions.textToBe(By.tagName("h1"), "Handbook"));
        assertAccessible("knowledge base");

        // Dropped onto the page: a synthetic drop event carrying a file, as the browser makes for a real drag.
        browser.executeScript("""
                const data = new DataTransfer();
                data.items.add(new File([arguments[0]], 'holiday.txt', { type: 'text/plain' }));
                const zone = document.querySelector('[data-dropzone]');
                for (const type of ['dragenter', 'dragover', 'drop']) {
                  zone.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: data }));
                }
                """, HOLIDAY);
        WebElement upload = chromium.waiting().until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".upload")));
        chromium.waiting().until(ExpectedConditions.textToBePresentInElement(upload.findElement(By.cssSelector(".upload-state")),
                "uploaded"));
        WebElement progress = upload.findElement(By.tagName("progress"));
        assertThat(progress.getDomProperty("value")).as("the progress bar is full").isEqualTo(progress.getDomProperty("max"));
        WebElement holiday = documentRow("holiday.txt");
        assertThat(holiday.findElement(By.cssSelector(".doc-status-cell")).getText()).isNotBlank();
        indexing().until(ExpectedConditions.attributeToBe(holiday, "data-status", "indexed"));
        assertThat(holiday.findElement(By.cssSelector(".doc-status-cell")).getText()).as("shown without a reload").isEqualTo("indexed");
        assertThat(upload.findElement(By.cssSelector(".upload-state")).getText()).isEqualTo("uploaded and indexed");

        // Chosen with the file picker.
        Path markdown = Files.createTempFile("expenses", ".md");
        Files.writeString(markdown, "# Expenses\n\nReceipts go to finance within 30 days of the purchase.\n");
        browser.findElement(By.id("upload-files")).sendKeys(markdown.toAbsolutePath().toString());
        WebElement expenses = documentRow(markdown.getFileName().toString());
        indexing().until(ExpectedConditions.attributeToBe(expenses, "data-status", "indexed"));
        Files.delete(markdown);
        assertThat(browser.findElements(By.cssSelector("tr[data-document-id]"))).as("newest first").first()
                .isEqualTo(expenses);
        chromium.screenshot("knowledge-base");

        holiday.findElement(By.cssSelector("button[aria-label='Chunks of holiday.txt']")).click();
        WebElement dialog = chromium.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-chunks-dialog]")));
        assertThat(dialog.findElement(By.cssSelector("[data-chunks-title]")).getText()).isEqualTo("Chunks of holiday.txt");
        assertThat(dialog.findElement(By.cssSelector(".passage-text")).getText()).isEqualTo(HOLIDAY);
        assertAccessible("chunks dialog");
        chromium.screenshot("knowledge-chunks");
        dialog.findElement(By.cssSelector("[data-close]")).click();
        chromium.waiting().until(ExpectedConditions.invisibilityOf(dialog));

        holiday.findElement(By.cssSelector("button[aria-label='Re-index holiday.txt']")).click();
        chromium.waiting().until(driver -> List.of("queued", "parsing", "embedding").contains(holiday.getDomAttribute("data-status")));
        indexing().until(ExpectedConditions.attributeToBe(holiday, "data-status", "indexed"));

        expenses.findElement(By.cssSelector("button[aria-label^='Delete expenses']")).click();
        chromium.waiting().until(ExpectedConditions.alertIsPresent()).accept();
        chromium.waiting().until(ExpectedConditions.stalenessOf(expenses));
        assertThat(browser.findElements(By.cssSelector("tr[data-document-id]"))).hasSize(1);

        chromium.emulateViewport(375, 812, true);
        Long scrollWidth = (Long) browser.executeScript("return document.documentElement.scrollWidth");
        assertThat(scrollWidth).as("the knowledge base at 375 px").isLessThanOrEqualTo(375L);
        chromium.screenshot("knowledge-base-375px");
        chromium.clearEmulation();

        browser.findElement(By.linkText("Knowledge")).click();
        WebElement base = chromium.waiting().until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("tr[data-base-id]")));
        assertThat(base.getText()).contains("Handbook", "Policies for everyone");
        chromium.screenshot("knowledge-bases");
        base.findElement(By.cssSelector("button[aria-label='Delete Handbook']")).click();
        chromium.waiting().until(ExpectedConditions.alertIsPresent()).accept();
        chromium.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-empty]")));
        assertThat(send(admin, "GET", "/api/knowledge-bases", null, 200).path("knowledgeBases")).isEmpty();
    }

    @Test
    void sessionsAreSearchedFromTheChat() {
        send(admin, "POST", "/api/personas", "{\"slug\":\"quoter\",\"name\":\"Quoter\",\"instructions\":\"Answer.\","
                + "\"chain\":\"local:extractive\"}", 201);
        String kubernetes = chat(admin, "How do I restart the Kubernetes deployment?");
        String invoices = chat(admin, "Where are the invoices of March kept?");
        chromium.signIn(port, admin.email(), Accounts.PASSWORD);
        chromium.waiting().until(driver -> driver.findElements(By.cssSelector("button.session")).size() == 2);

        WebElement search = browser.findElement(By.id("session-search"));
        search.sendKeys("kubern");
        chromium.waiting().until(driver -> sessionIds().equals(List.of(kubernetes)));
        search.sendKeys(Keys.chord(Keys.CONTROL, "a"), "invoices march");
        chromium.waiting().until(driver -> sessionIds().equals(List.of(invoices)));
        search.sendKeys(Keys.chord(Keys.CONTROL, "a"), "nothing-like-this");
        chromium.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-sessions-empty]")));
        assertThat(browser.findElement(By.cssSelector("[data-sessions-empty]")).getText()).isEqualTo("No session matches.");
        assertAccessible("chat with a search");
        search.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.BACK_SPACE);
        chromium.waiting().until(driver -> sessionIds().equals(List.of(invoices, kubernetes)));
    }

    @Test
    void aMemberOpensACitedPassageAndItsFile() {
        String base = send(admin, "POST", "/api/knowledge-bases", "{\"name\":\"Handbook\"}", 201).path("id").asString();
        HttpResponse<String> uploaded = Uploads.document(http, admin.bearer(), base, "holiday.txt", HOLIDAY.getBytes(
                StandardCharsets.UTF_8));
        String document = HttpTestClient.json(uploaded).path("id").asString();
        await().atMost(Duration.ofSeconds(90)).until(() -> send(admin, "GET", "/api/documents/" + document, null, 200)
                .path("status").asString(), "indexed"::equals);
        String provider = "fake" + UUID.randomUUID().toString().substring(0, 8);
        send(admin, "POST", "/api/providers", "{\"id\":\"" + provider + "\",\"kind\":\"openai\",\"baseUrl\":\"" + MODEL.baseUrl()
                + "/v1\",\"apiKey\":\"test-key\"}", 201);
        send(admin, "POST", "/api/personas", "{\"slug\":\"librarian\",\"name\":\"Librarian\",\"instructions\":\"Answer from the "
                + "handbook.\",\"membersAllowed\":true,\"chain\":\"" + provider + ":gpt-test\",\"allowedTools\":[\"search_knowledge\"],"
                + "\"knowledgeBaseIds\":[\"" + base + "\"]}", 201);
        MODEL.reset().then(Behaviour.callTool("call_search", "search_knowledge", "{\"query\":\"paid holiday days\",\"topK\":3}"),
                Behaviour.reply("You get **27 days** of paid holiday [1]."));
        Accounts.Session member = accounts.newUser(admin, "MEMBER");

        chromium.signIn(port, member.email(), Accounts.PASSWORD);
        new Select(chromium.waiting().until(ExpectedConditions.elementToBeClickable(By.id("persona")))).selectByVisibleText("Librarian");
        browser.findElement(By.id("message")).sendKeys("How many days of paid holiday do I get?", Keys.ENTER);
        WebElement answer = chromium.waiting().until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(
                ".message.assistant[data-status='complete']")));
        WebElement citation = answer.findElement(By.cssSelector(".citations .citation"));
        assertThat(citation.findElement(By.cssSelector(".citation-quote")).getText()).isEqualTo(HOLIDAY);

        citation.findElement(By.cssSelector("button.citation-open")).click();
        WebElement dialog = chromium.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".passage-dialog")));
        chromium.waiting().until(ExpectedConditions.textToBe(By.cssSelector(".passage-dialog .passage-text"), HOLIDAY));
        assertThat(dialog.findElement(By.tagName("h2")).getText()).isEqualTo("[1] holiday.txt");
        assertThat(dialog.findElement(By.cssSelector(".panel-meta")).getText()).isEqualTo("passage 1");
        WebElement file = dialog.findElement(By.linkText("Download the original file"));
        assertThat(file.getDomAttribute("href")).isEqualTo("/api/documents/" + document + "/file");
        Object original = browser.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                fetch(arguments[0]).then(response => response.text()).then(done, error => done(String(error)));
                """, file.getDomAttribute("href"));
        assertThat(original).as("the member's browser session downloads the original").isEqualTo(HOLIDAY);
        assertAccessible("passage dialog");
        chromium.screenshot("chat-citation-passage");
        dialog.findElement(By.tagName("button")).click();
        chromium.waiting().until(ExpectedConditions.invisibilityOf(dialog));
    }

    private List<String> sessionIds() {
        return browser.findElements(By.cssSelector("button.session")).stream().map(button -> button.getDomAttribute("data-session-id"))
                .toList();
    }

    private String chat(Accounts.Session user, String message) {
        return send(user, "POST", "/api/chat", "{\"agent\":\"quoter\",\"message\":\"" + message + "\"}", 200).path("sessionId").asString();
    }

    private JsonNode send(Accounts.Session user, String method, String path, String body, int status) {
        HttpResponse<String> response = accounts.send(user, method, path, body);
        assertThat(response.statusCode()).as("%s %s: %s", method, path, response.body()).isEqualTo(status);
        return HttpTestClient.json(response);
    }

    private WebElement documentRow(String name) {
        return chromium.waiting().until(driver -> driver.findElements(By.cssSelector("tr[data-document-id]")).stream()
                .filter(row -> row.findElement(By.cssSelector(".doc-name")).getText().equals(name)).findFirst().orElse(null));
    }

    /** Ingestion includes the embedding model's first load: a guard against a hung job, not a timing check. */
    private WebDriverWait indexing() {
        return new WebDriverWait(browser, Duration.ofSeconds(120));
    }

    private void assertAccessible(String page) {
        assertThat(chromium.seriousAccessibilityViolations()).as("serious accessibility violations on the %s page", page).isEmpty();
    }
}
