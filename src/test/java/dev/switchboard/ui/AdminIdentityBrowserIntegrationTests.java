package dev.switchboard.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

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
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.switchboard.support.Accounts;
import dev.switchboard.support.Chromium;
import dev.switchboard.support.HttpTestClient;
import dev.switchboard.support.IntegrationTest;

/**
 * The admin console's persona, user and API key pages in headless Chromium, as an admin of a new tenant uses them:
 * a persona created, changed, restored to its first version and deleted; a user added, made admin, disabled and deleted, and the last admin kept; a key created (shown once,
 * copied), used, charted and revoked. Every page is checked for console errors and with axe-core; screenshots go to
 * {@code target/screenshots/}.
 */
@IntegrationTest
class AdminIdentityBrowserIntegrationTests {

    @RegisterExtension
    static final Chromium chromium = new Chromium();

    @LocalServerPort
    int port;

    ChromeDriver browser;
    HttpTestClient http;
    Accounts.Session admin;

    @BeforeEach
    void signedInAdmin() {
        browser = chromium.driver();
        http = new HttpTestClient(port);
        admin = new Accounts(http).newTenantAdmin();
        chromium.signIn(port, admin.email(), Accounts.PASSWORD);
    }

    @AfterEach
    void noConsoleErrors() {
        assertThat(chromium.severeConsoleMessages()).as("console errors").isEmpty();
    }

    @Test
    void aPersonaIsCreatedChangedAndRestoredToItsFirstVersion() {
        open("/admin/personas");
        assertThat(browser.findElement(By.cssSelector("[data-empty]")).isDisplayed()).isTrue();
        assertAccessible("personas");
        browser.findElement(By.linkText("New persona")).click();
        loaded();
        type("persona-name", "Helpdesk");
        type("persona-slug", "helpdesk");
        type("persona-instructions", "Answer from the handbook.");
        toolBox("search_knowledge").click();
        type("persona-chain", "nonsense");
        submit();
        // The server's refusal, beside the field it names.
        WebElement problem = chromium.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("persona-chain-problem")));
        assertThat(problem.getText()).isNotBlank();
        assertThat(browser.findElement(By.id("persona-chain")).getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(browser.findElement(By.cssSelector("[data-persona-form] [data-error]")).getText()).startsWith("chain:");
        assertThat(chromium.severeConsoleMessages()).allSatisfy(message -> assertThat(message).contains("/api/personas", "400"));
        browser.findElement(By.id("persona-chain")).clear();
        submit();

        chromium.waiting().until(ExpectedConditions.textToBe(By.cssSelector("[data-notice]"), "Persona created."));
        loaded();
        assertThat(browser.getCurrentUrl()).contains("/admin/personas/");
        assertThat(toolBox("search_knowledge").isSelected()).isTrue();
        assertAccessible("persona");

        browser.findElement(By.id("persona-name")).clear();
        type("persona-name", "Helpdesk two");
        browser.findElement(By.id("persona-instructions")).clear();
        type("persona-instructions", "Answer briefly.");
        toolBox("search_knowledge").click();
        submit();
        chromium.waiting().until(ExpectedConditions.textToBe(By.cssSelector("[data-notice]"), "Saved as version 2."));
        assertThat(versionRows()).hasSize(2);

        browser.findElement(By.xpath("//button[normalize-space()='Restore version 1']")).click();
        assertThat(browser.switchTo().alert().getText()).contains("Restore version 1");
        browser.switchTo().alert().accept();
        chromium.waiting().until(ExpectedConditions.textToBe(By.cssSelector("[data-notice]"),
                "Version 1 restored as version 3."));
        assertThat(browser.findElement(By.id("persona-name")).getDomProperty("value")).isEqualTo("Helpdesk");
        assertThat(browser.findElement(By.id("persona-instructions")).getDomProperty("value")).isEqualTo("Answer from the handbook.");
        assertThat(toolBox("search_knowledge").isSelected()).isTrue();
        chromium.waiting().until(driver -> versionRows().size() == 3);
        chromium.screenshot("admin-persona-restored");

        open("/admin/personas");
        assertThat(browser.findElement(By.cssSelector("[data-rows]")).getText()).contains("Helpdesk", "helpdesk", "search_knowledge");

        browser.findElement(By.linkText("Helpdesk")).click();
        loaded();
        browser.findElement(By.cssSelector("[data-delete]")).click();
        assertThat(browser.switchTo().alert().getText()).contains("Delete the persona “Helpdesk”");
        browser.switchTo().alert().accept();
        chromium.waiting().until(ExpectedConditions.urlToBe("http://localhost:" + port + "/admin/personas"));
        loaded();
        assertThat(browser.findElement(By.cssSelector("[data-empty]")).isDisplayed()).isTrue();
    }

    @Test
    void aUserIsAddedMadeAdminDisabledAndDeleted() {
        open("/admin/users");
        assertThat(rowsText()).contains(admin.email());
        assertAccessible("users");
        String email = "new-" + System.nanoTime() + "@example.test";
        type("user-email", email);
        type("user-password", "1qaz2wsx3edc");
        browser.findElement(By.cssSelector("[data-user-form] button[type=submit]")).click();
        WebElement refusal = chromium.waiting().until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("[data-user-form] [data-error]")));
        assertThat(refusal.getText()).containsIgnoringCase("password");
        assertThat(chromium.severeConsoleMessages()).allSatisfy(message -> assertThat(message).contains("/api/users", "400"));

        browser.findElement(By.id("user-password")).clear();
        type("user-password", Accounts.PASSWORD);
        new Select(browser.findElement(By.id("user-role"))).selectByVisibleText("Member");
        browser.findElement(By.cssSelector("[data-user-form] button[type=submit]")).click();
        chromium.waiting().until(ExpectedConditions.textToBe(By.cssSelector("[data-notice]"), email + " added as a member."));
        assertThat(refusal.isDisplayed()).isFalse();
        assertThat(row(email).getText()).contains("Member", "active");

        row(email).findElement(By.xpath(".//button[normalize-space()='Make admin']")).click();
        assertThat(browser.switchTo().alert().getText()).contains(email, "an admin");
        browser.switchTo().alert().accept();
        chromium.waiting().until(ExpectedConditions.textToBe(By.cssSelector("[data-notice]"), email + " is now an admin."));
        assertThat(row(email).getText()).contains("Admin").contains("Make member");

        // Found by part of the address, server-side.
        type("user-search", email.substring(0, 12).toUpperCase() + Keys.ENTER);
        chromium.waiting().until(driver -> browser.findElements(By.cssSelector("[data-rows] tr")).size() == 1);
        assertThat(rowsText()).contains(email).doesNotContain(admin.email());
        chromium.screenshot("admin-users");

        row(email).findElement(By.xpath(".//button[normalize-space()='Disable']")).click();
        assertThat(browser.switchTo().alert().getText()).contains("Their sessions end at once");
        browser.switchTo().alert().accept();
        chromium.waiting().until(ExpectedConditions.textToBe(By.cssSelector("[data-notice]"), email + " is now an admin, disabled."));
        assertThat(row(email).getText()).contains("disabled", "Enable");
        row(email).findElement(By.xpath(".//button[normalize-space()='Delete']")).click();
        assertThat(browser.switchTo().alert().getText()).contains("cannot be undone");
        browser.switchTo().alert().accept();
        chromium.waiting().until(ExpectedConditions.textToBe(By.cssSelector("[data-notice]"), email + " deleted."));
        assertThat(rowsText()).doesNotContain(email);

        // The last active admin stays one: the server's refusal is shown above the list.
        browser.findElement(By.id("user-search")).clear();
        browser.findElement(By.cssSelector("[data-search] button")).click();
        row(admin.email()).findElement(By.xpath(".//button[normalize-space()='Make member']")).click();
        browser.switchTo().alert().accept();
        WebElement lastAdmin = chromium.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-list-error]")));
        assertThat(lastAdmin.getText()).isNotBlank();
        assertThat(row(admin.email()).getText()).contains("Admin");
        assertThat(chromium.severeConsoleMessages()).allSatisfy(message -> assertThat(message).contains("/api/users/", "409"));

        chromium.emulateViewport(375, 812, true);
        for (String page : List.of("/admin/personas/new", "/admin/keys", "/admin/users")) {
            open(page);
            assertThat(browser.executeScript("return window.innerWidth")).isEqualTo(375L);
            Long overflow = (Long) browser.executeScript(
                    "return document.documentElement.scrollWidth - document.documentElement.clientWidth");
            assertThat(overflow).as("horizontal scrolling at 375 px on %s", page).isLessThanOrEqualTo(0L);
        }
        chromium.screenshot("admin-users-375px");
    }

    @Test
    void aKeyIsShownOnceCopiedChartedAndRevoked() {
        open("/admin/keys");
        assertAccessible("keys");
        // From the keyboard: Enter in the name submits the form.
        type("key-name", "helpdesk integration" + Keys.ENTER);
        WebElement created = chromium.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-created]")));
        String key = created.findElement(By.cssSelector("[data-secret]")).getText();
        assertThat(key).startsWith("sb_");
        assertThat(created.getText()).contains("shown this once");
        browser.executeCdpCommand("Browser.grantPermissions", Map.of("origin", "http://localhost:" + port,
                "permissions", List.of("clipboardReadWrite", "clipboardSanitizedWrite")));
        created.findElement(By.cssSelector("[data-copy]")).click();
        chromium.waiting().until(ExpectedConditions.textToBe(By.cssSelector("[data-copied]"), "Copied to the clipboard."));
        assertThat(browser.executeAsyncScript("navigator.clipboard.readText().then(arguments[arguments.length - 1])"))
                .isEqualTo(key);
        assertAccessible("keys, new key shown");
        chromium.screenshot("admin-key-created");
        created.findElement(By.cssSelector("[data-dismiss]")).click();
        assertThat(created.isDisplayed()).isFalse();
        assertThat(browser.getPageSource()).doesNotContain(key);
        assertThat(browser.switchTo().activeElement().getAttribute("id")).isEqualTo("key-name");

        HttpResponse<String> used = http.get("/api/agents", "X-API-Key", key);
        assertThat(used.statusCode()).isEqualTo(200);
        WebElement row = row("helpdesk integration");
        assertThat(row.getText()).contains("you", "active", "chat");
        row.findElement(By.xpath(".//button[normalize-space()='Usage']")).click();
        chromium.waiting().until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("[data-chart] canvas")));
        assertThat(browser.findElement(By.cssSelector("[data-usage-title]")).getText()).contains("helpdesk integration");
        WebElement today = chromium.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-usage-rows] tr")));
        assertThat(today.findElements(By.cssSelector("td")).get(1).getText()).isEqualTo("1");

        // The chart takes its colours from the theme when it is drawn: drawn again, unasked, when the system turns dark
        // and when the toggle chooses a theme.
        WebElement lightChart = browser.findElement(By.cssSelector("[data-chart] canvas"));
        chromium.emulateColorScheme("dark");
        chromium.waiting().until(ExpectedConditions.stalenessOf(lightChart));
        WebElement darkChart = chromium.waiting()
                .until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("[data-chart] canvas")));
        assertAccessible("keys, dark, usage chart");
        chromium.screenshot("admin-key-usage-dark");
        browser.findElement(By.cssSelector("[data-theme-toggle]")).click();
        chromium.waiting().until(ExpectedConditions.stalenessOf(darkChart));
        chromium.waiting().until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("[data-chart] canvas")));
        browser.executeScript("localStorage.removeItem('switchboard.theme'); delete document.documentElement.dataset.theme");
        chromium.emulateColorScheme("");

        row("helpdesk integration").findElement(By.xpath(".//button[normalize-space()='Revoke']")).click();
        assertThat(browser.switchTo().alert().getText()).contains("Revoke the key “helpdesk integration”");
        browser.switchTo().alert().accept();
        chromium.waiting().until(ExpectedConditions.textToBe(By.cssSelector("[data-notice]"),
                "The key “helpdesk integration” is revoked."));
        String revoked = chromium.waiting().until(driver -> {
            String text = row("helpdesk integration").getText();
            return text.contains("revoked") ? text : null;
        });
        assertThat(revoked).doesNotContain("Revoke");
        assertThat(http.get("/api/agents", "X-API-Key", key).statusCode()).isEqualTo(401);
    }

    private void open(String path) {
        chromium.open(port, path);
        loaded();
    }

    /** Waits for the page's module to have read what it shows. */
    private void loaded() {
        chromium.waiting().until(ExpectedConditions.attributeToBe(By.cssSelector("[data-admin-page]"), "aria-busy", "false"));
    }

    private void type(String id, String text) {
        browser.findElement(By.id(id)).sendKeys(text);
    }

    private void submit() {
        browser.findElement(By.cssSelector("[data-persona-form] button[type=submit]")).click();
    }

    private WebElement toolBox(String tool) {
        return browser.findElement(By.cssSelector("input[name=allowedTools][value='" + tool + "']"));
    }

    private List<WebElement> versionRows() {
        return browser.findElements(By.cssSelector("[data-version-rows] tr"));
    }

    private String rowsText() {
        return browser.findElement(By.cssSelector("[data-rows]")).getText();
    }

    /** The table row that names {@code text}, once the table shows it. */
    private WebElement row(String text) {
        return chromium.waiting().until(driver -> browser.findElements(By.cssSelector("[data-rows] tr")).stream()
                .filter(tr -> tr.getText().contains(text)).findFirst().orElse(null));
    }

    private void assertAccessible(String page) {
        assertThat(chromium.seriousAccessibilityViolations()).as("serious accessibility violations on the %s page", page).isEmpty();
    }
}
