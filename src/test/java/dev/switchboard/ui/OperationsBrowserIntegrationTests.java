package dev.switchboard.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.switchboard.fakellm.Behaviour;
import dev.switchboard.fakellm.FakeLlmServer;
import dev.switchboard.fakemcp.FakeMcpServer;
import dev.switchboard.sql.RemoteDatabases;
import dev.switchboard.support.Accounts;
import dev.switchboard.support.Chromium;
import dev.switchboard.support.HttpTestClient;
import dev.switchboard.support.IntegrationTest;

/**
 * The admin console's operations pages in headless Chromium, on the shared default context: the fake model is
 * registered as a runtime provider through the API and the machine's PostgreSQL as a SQL connection
 * through the databases page, as an admin would.
 * Provider health and the Test button with the latency chart; a database question with its SQL, table and chart, and
 * a refusal with its reason; an MCP server registered and a tool allowed; audit filters; usage charts. No console errors, no serious axe violation, no horizontal
 * scrolling at 375 px; screenshots in {@code target/screenshots/}.
 */
@IntegrationTest
class OperationsBrowserIntegrationTests {

    @RegisterExtension
    static final Chromium chromium = new Chromium();

    static final FakeLlmServer MODEL = FakeLlmServer.start();
    static final FakeMcpServer MCP = FakeMcpServer.start();
    static final String SCHEMA = "ops_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);

    @LocalServerPort
    int port;

    ChromeDriver browser;
    Accounts accounts;
    Accounts.Session admin;

    @BeforeAll
    static void sampleSchema() {
        RemoteDatabases.assumePostgres();
        RemoteDatabases.run(RemoteDatabases.POSTGRES_URL, "create schema " + SCHEMA,
                "create table " + SCHEMA + ".customers (id integer primary key, name text not null, region text not null)",
                "insert into " + SCHEMA + ".customers values (1, 'Ada', 'north'), (2, 'Brian', 'south'), (3, 'Cleo', 'north'), "
                        + "(4, 'Dev', 'east')");
    }

    @AfterAll
    static void dropSchema() {
        RemoteDatabases.run(RemoteDatabases.POSTGRES_URL, "drop schema if exists " + SCHEMA + " cascade");
        MODEL.close();
        MCP.close();
    }

    @BeforeEach
    void signIn() {
        browser = chromium.driver();
        accounts = new Accounts(new HttpTestClient(port));
        admin = accounts.newTenantAdmin();
        MODEL.reset().always(Behaviour.reply("Hello from the runtime provider."));
        api("POST", "/api/providers", "{\"id\":\"fakesql\",\"kind\":\"openai\",\"baseUrl\":\"" + MODEL.baseUrl()
                + "/v1\",\"apiKey\":\"k\",\"maxRetries\":0,\"models\":[{\"name\":\"gpt-sql\"}]}", 201);
        chromium.signIn(port, admin.email(), Accounts.PASSWORD);
    }

    @AfterEach
    void noConsoleErrors() {
        assertThat(chromium.severeConsoleMessages()).as("console errors").isEmpty();
    }

    String api(String method, String path, String json, int status) {
        HttpResponse<String> response = accounts.send(admin, method, path, json);
        assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isEqualTo(status);
        return response.body();
    }

    WebElement shown(String css) {
        return chromium.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(css)));
    }

    /** axe, a screenshot with {@code focus} in view, and no horizontal scrolling at 375 px. */
    void checkPage(String screenshot, String focus) {
        assertThat(chromium.seriousAccessibilityViolations()).as("axe on " + browser.getCurrentUrl()).isEmpty();
        browser.executeScript("arguments[0].scrollIntoView({block: 'center'})", browser.findElement(By.cssSelector(focus)));
        chromium.screenshot(screenshot);
        chromium.emulateViewport(375, 800, true);
        assertThat((Boolean) browser.executeScript("return document.documentElement.scrollWidth <= window.innerWidth"))
                .as("no horizontal scrolling at 375 px on " + browser.getCurrentUrl()).isTrue();
        chromium.screenshot(screenshot + "-375");
        chromium.clearEmulation();
    }

    @Test
    void theProvidersPageShowsHealthAndTheTestButtonChartsTheCall() {
        chromium.open(port, "/admin/providers");
        WebElement row = chromium.waiting().until(ExpectedConditions.presenceOfElementLocated(By.xpath(
                "//table[@data-health]//tr[.//span[@class='provider-id' and text()='fakesql']]")));
        assertThat(row.findElement(By.cssSelector("[data-breaker]")).getAttribute("data-breaker")).isEqualTo("unused");

        WebElement chain = browser.findElement(By.id("test-chain"));
        chain.sendKeys("fakesql:gpt-sql");
        browser.findElement(By.cssSelector("[data-test-form] button[type=submit]")).click();
        WebElement answer = shown("[data-test-answer]");
        assertThat(answer.getText()).contains("fakesql:gpt-sql", "Hello from the runtime provider.");
        chromium.waiting().until(ExpectedConditions.attributeToBe(By.xpath(
                "//table[@data-health]//tr[.//span[@class='provider-id' and text()='fakesql']]//*[@data-breaker]"),
                "data-breaker", "closed"));

        new Select(browser.findElement(By.id("latency-provider"))).selectByValue("fakesql");
        chromium.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("[data-latency-summary]"),
                "1 recent call:"));
        shown("[data-latency-chart] canvas");
        // One call on a time axis: a minute wide (not years), read from zero.
        WebElement latency = browser.findElement(By.cssSelector("[data-latency-chart]"));
        chromium.waiting().until(ExpectedConditions.attributeToBeNotEmpty(latency, "data-x-max"));
        assertThat(scale(latency, "x-max") - scale(latency, "x-min")).isBetween(60.0, 3600.0);
        assertThat(scale(latency, "y-min")).isZero();
        checkPage("admin-providers", "[data-latency-chart]");

        browser.findElement(By.cssSelector("[data-health] button[aria-label='Remove fakesql']")).click();
        chromium.waiting().until(ExpectedConditions.alertIsPresent()).accept();
        chromium.waiting().until(ExpectedConditions.invisibilityOfElementLocated(By.xpath(
                "//table[@data-health]//span[@class='provider-id' and text()='fakesql']")));
        assertThat(HttpTestClient.json(accounts.send(admin, "GET", "/api/providers", null)).path("providers")
                .findValuesAsString("id")).doesNotContain("fakesql");
    }

    @Test
    void aDatabaseIsRegisteredAndAQuestionShowsItsSqlTableAndChartAndARefusalItsReason() {
        api("POST", "/api/personas", "{\"slug\":\"analyst\",\"name\":\"Analyst\",\"instructions\":\"Write SQL.\","
                + "\"chain\":\"fakesql:gpt-sql\"}", 201);
        MODEL.reset().always(Behaviour.reply("```sql\nselect region, count(*) as customers from " + SCHEMA
                + ".customers group by region order by region\n```\nCustomers per region."));

        chromium.open(port, "/admin/databases");
        chromium.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("[data-databases]"),
                "No database registered yet."));
        register(SCHEMA + ".missing");
        WebElement refused = shown("[data-database-form] [data-error]");
        assertThat(refused.getText()).contains("missing");
        assertThat(chromium.severeConsoleMessages()).singleElement().asString().contains("/api/sql/connections", "422");
        browser.findElement(By.id("db-tables")).clear();
        register(SCHEMA + ".customers");
        chromium.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("[data-page-notice]"),
                "Registered shop."));
        // The refusal goes once the list is read again (the notice comes first).
        chromium.waiting().until(ExpectedConditions.invisibilityOfElementLocated(By.cssSelector("[data-database-form] [data-error]")));
        assertThat(browser.findElement(By.cssSelector("[data-databases]")).getText()).contains("shop", SCHEMA + ".customers");
        browser.findElement(By.cssSelector("[data-databases] button[aria-label='Show the schema of shop']")).click();
        shown("[data-schema-tables] summary").click();
        assertThat(browser.findElement(By.cssSelector("[data-schema-tables]")).getText()).contains("region", "text");
        browser.findElement(By.cssSelector("[data-databases] button[aria-label^='Test shop']")).click();
        chromium.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("[data-page-notice]"),
                "shop answered"));
        checkPage("admin-databases", "[data-schema]");

        chromium.open(port, "/admin/databases/ask");
        chromium.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id("ask-agent"), "Analyst"));
        new Select(browser.findElement(By.id("ask-agent"))).selectByValue("analyst");
        browser.findElement(By.id("ask-question")).sendKeys("How many customers are there per region?");
        browser.findElement(By.cssSelector("[data-ask-form] button[type=submit]")).click();

        shown("[data-ask-chart] canvas");
        // Three category bars, each centred in its slot, read from zero.
        WebElement askChart = browser.findElement(By.cssSelector("[data-ask-chart]"));
        chromium.waiting().until(ExpectedConditions.attributeToBeNotEmpty(askChart, "data-x-max"));
        assertThat(scale(askChart, "x-min")).isEqualTo(-0.5);
        assertThat(scale(askChart, "x-max")).isEqualTo(2.5);
        assertThat(scale(askChart, "y-min")).isZero();
        assertThat(browser.findElement(By.cssSelector("[data-ask-sql]")).getText()).contains("count(*)", SCHEMA + ".customers");
        List<String> cells = browser.findElements(By.cssSelector("[data-ask-table] tbody td")).stream().map(WebElement::getText).toList();
        assertThat(cells).containsExactly("east", "1", "north", "2", "south", "1");
        chromium.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("[data-ask-status]"),
                "Written by fakesql:gpt-sql"));
        checkPage("admin-ask", "[data-ask-chart]");

        MODEL.reset().always(Behaviour.reply("```sql\ndelete from " + SCHEMA + ".customers\n```\nRemoves them."));
        WebElement question = browser.findElement(By.id("ask-question"));
        question.clear();
        question.sendKeys("Remove every customer");
        browser.findElement(By.cssSelector("[data-ask-form] button[type=submit]")).click();
        WebElement refusal = shown("[data-ask-refusal]");
        assertThat(refusal.getAttribute("data-kind")).isEqualTo("sql-rejected");
        assertThat(refusal.getText()).contains("The guard refused the query");
        assertThat(refusal.findElement(By.cssSelector("[data-ask-reason]")).getText()).isNotBlank();
        assertThat(browser.findElement(By.cssSelector("[data-ask-rows]")).isDisplayed()).isFalse();
        browser.executeScript("arguments[0].scrollIntoView({block: 'center'})", refusal);
        chromium.screenshot("admin-ask-refused");
        // The refusal's one failed request, as the browser logs it; nothing else.
        assertThat(chromium.severeConsoleMessages()).singleElement().asString().contains("/api/sql/ask", "422");
        assertThat(RemoteDatabases.count(RemoteDatabases.POSTGRES_URL, "select count(*) from " + SCHEMA + ".customers"))
                .isEqualTo(4);
    }

    /** Fills the database form with the machine's PostgreSQL and the given allowed table, and sends it. */
    void register(String table) {
        for (String field : List.of("db-name", "db-host", "db-port", "db-database", "db-user")) {
            browser.findElement(By.id(field)).clear();
        }
        browser.findElement(By.id("db-name")).sendKeys("shop");
        browser.findElement(By.id("db-host")).sendKeys("127.0.0.1");
        browser.findElement(By.id("db-port")).sendKeys("5432");
        browser.findElement(By.id("db-database")).sendKeys("test");
        new Select(browser.findElement(By.id("db-tls"))).selectByValue("disable");
        browser.findElement(By.id("db-user")).sendKeys("postgres");
        browser.findElement(By.id("db-tables")).sendKeys(table);
        browser.findElement(By.cssSelector("[data-database-form] button[type=submit]")).click();
    }

    @Test
    void theAuditLogFiltersByAction() {
        Accounts.Session member = accounts.newUser(admin, "MEMBER");
        chromium.open(port, "/admin/audit");
        shown("[data-audit] tbody tr");
        assertThat(actions()).contains("user.created", "auth.login");

        browser.findElement(By.id("audit-action")).sendKeys("user.created");
        browser.findElement(By.cssSelector("[data-audit-filters] button[type=submit]")).click();
        chromium.waiting().until(driver -> !actions().isEmpty() && actions().stream().allMatch("user.created"::equals));
        assertThat(browser.findElement(By.cssSelector("[data-audit]")).getText()).contains(member.email());

        browser.findElement(By.id("audit-action")).clear();
        browser.findElement(By.id("audit-actor")).sendKeys(member.email());
        browser.findElement(By.cssSelector("[data-audit-filters] button[type=submit]")).click();
        chromium.waiting().until(driver -> actions().equals(List.of("auth.login")));
        checkPage("admin-audit", "[data-audit]");
    }

    /** The actions of the rows shown, read in one go (the table is replaced as a filter's page arrives). */
    @SuppressWarnings("unchecked")
    List<String> actions() {
        return (List<String>) browser.executeScript(
                "return [...document.querySelectorAll('[data-audit] tbody td code')].map(code => code.textContent)");
    }

    @Test
    void theUsagePageChartsDaysUsersKeysAndPersonas() {
        api("POST", "/api/personas", "{\"slug\":\"greeter\",\"name\":\"Greeter\",\"instructions\":\"Greet.\","
                + "\"chain\":\"fakesql:gpt-sql\"}", 201);
        api("POST", "/api/chat", "{\"agent\":\"greeter\",\"message\":\"Hello!\"}", 200);

        chromium.open(port, "/admin/usage");
        for (String group : List.of("day", "user", "persona")) {
            shown("[data-usage-group='" + group + "'] [data-usage-chart] canvas");
        }
        WebElement personas = browser.findElement(By.cssSelector("[data-usage-group='persona']"));
        personas.findElement(By.tagName("summary")).click();
        assertThat(personas.findElement(By.cssSelector("[data-usage-table]")).getText()).contains("Greeter");
        WebElement users = browser.findElement(By.cssSelector("[data-usage-group='user']"));
        users.findElement(By.tagName("summary")).click();
        assertThat(users.findElement(By.cssSelector("[data-usage-table]")).getText()).contains(admin.email());
        checkPage("admin-usage", "[data-usage-group='persona']");

        // In the dark theme the charts take the theme's colours when drawn, and stay readable.
        chromium.emulateColorScheme("dark");
        browser.navigate().refresh();
        shown("[data-usage-group='persona'] [data-usage-chart] canvas");
        assertThat(chromium.seriousAccessibilityViolations()).as("axe in the dark theme").isEmpty();
        chromium.screenshot("admin-usage-dark");
        chromium.clearEmulation();
    }

    @Test
    void anMcpServerIsRegisteredAndItsToolAllowed() {
        chromium.open(port, "/admin/mcp");
        chromium.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("[data-servers]"),
                "No MCP server registered yet."));
        browser.findElement(By.id("mcp-name")).sendKeys("files");
        browser.findElement(By.id("mcp-url")).sendKeys(MCP.streamableUrl());
        browser.findElement(By.cssSelector("[data-server-form] button[type=submit]")).click();

        WebElement echo = shown("[data-tools] input[value='echo']");
        assertThat(echo.isSelected()).isFalse();
        assertThat(browser.findElement(By.cssSelector("[data-servers]")).getText()).contains("files", "0 allowed of 8");
        echo.click();
        browser.findElement(By.cssSelector("[data-tools] button[type=submit]")).click();
        chromium.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("[data-page-notice]"),
                "1 tools of files allowed"));
        chromium.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("[data-tools]"),
                "offered as"));
        assertThat(browser.findElement(By.cssSelector("[data-servers]")).getText()).contains("1 allowed of 8");
        checkPage("admin-mcp", "[data-tools]");

        browser.findElement(By.cssSelector("[data-servers] button[aria-label='Remove files']")).click();
        chromium.waiting().until(ExpectedConditions.alertIsPresent()).accept();
        chromium.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("[data-servers]"),
                "No MCP server registered yet."));
        assertThat(browser.findElement(By.cssSelector("[data-tools]")).isDisplayed()).isFalse();
    }

    /** A chart's fitted scale end ({@code x-min}, {@code y-max}, …), from the attributes chart.js sets. */
    private static double scale(WebElement chart, String end) {
        return Double.parseDouble(chart.getDomAttribute("data-" + end));
    }

}
