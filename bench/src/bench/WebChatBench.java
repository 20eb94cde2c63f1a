package bench;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import bench.support.App;
import bench.support.Bench;
import bench.support.Percentiles;
import bench.support.Verdicts;
import dev.switchboard.fakellm.Behaviour;
import dev.switchboard.fakellm.FakeLlmServer;
import tools.jackson.databind.JsonNode;

/**
 * The chat page in a real browser (bench/web-chat.sh): Debian's headless Chromium driven by Selenium through
 * {@code /usr/bin/chromedriver}, as the browser tests do, against Switchboard started from the jar (through
 * {@link App}) with the fake OpenAI-compatible provider in this JVM streaming after a set first-token delay.
 * <ol>
 * <li>First load, cold cache: the browser cache cleared and disabled, {@code /} loaded signed in; the bytes are the sum of
 * Resource Timing {@code transferSize} (headers and the body as sent, i.e. compressed) of the document and every
 * resource it fetched until the network is quiet; {@code decodedBodySize} gives the uncompressed size.</li>
 * <li>Time until the message box is usable: navigation start → the {@code switchboard:chat-ready} performance mark, set
 * by chat.js once every handler of the page is wired (the textarea is never disabled, so this is the moment typing and
 * Enter work). Baseline in the same load: the document alone ({@code responseEnd} of the navigation entry).</li>
 * <li>Send to first rendered token: a click on Send → the first text inserted into the answer's content (observed
 * with a MutationObserver; chat.js renders in an animation frame), minus the fake's first-token delay. Baseline, taking
 * turns: the fake's first token read straight by an HTTP client in this JVM, minus the same delay.</li>
 * </ol>
 */
public class WebChatBench {

    static final Path BROWSER = Path.of(System.getProperty("bench.chromium", "/usr/bin/chromium"));
    static final Path DRIVER = Path.of(System.getProperty("bench.chromedriver", "/usr/bin/chromedriver"));

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(args[1]);
        Bench.WORK = Path.of(args[2]);
        Bench.OUT = Path.of(args[3]);
        int loads = Bench.env("LOADS", 10);
        int sends = Bench.env("SENDS", 30);
        int delayMs = Bench.env("FIRST_TOKEN_MS", 200);
        if (!Files.isExecutable(BROWSER) || !Files.isExecutable(DRIVER)) {
            throw new IllegalStateException("needs Chromium at " + BROWSER + " and chromedriver at " + DRIVER
                    + " (apt-get install -y chromium chromium-driver)");
        }
        String answer = "The **first** token, then a few more words to stream, with a list:\n\n- one\n- two\n";
        ChromeDriver driver = null;
        try (FakeLlmServer fake = new FakeLlmServer();
                App app = App.start(jar, "web-chat", fake.baseUrl(), List.of(), List.of())) {
            fake.always(Behaviour.slowFirstToken(answer, Duration.ofMillis(delayMs)));
            driver = browser();
            String origin = app.base.replace("127.0.0.1", "localhost");
            signIn(driver, origin, app.password);

            Bench.log("first loads, cold cache: %d", loads);
            driver.executeCdpCommand("Network.enable", Map.of());
            driver.executeCdpCommand("Network.setCacheDisabled", Map.of("cacheDisabled", true));
            List<JsonNode> firstLoads = new ArrayList<>();
            for (int i = 0; i < loads; i++) {
                driver.executeCdpCommand("Network.clearBrowserCache", Map.of());
                driver.get(origin + "/");
                firstLoads.add(Bench.JSON.readTree((String) driver.executeAsyncScript(LOAD_FIGURES)));
            }
            driver.executeCdpCommand("Network.setCacheDisabled", Map.of("cacheDisabled", false));

            Bench.log("sends: %d, the fake's first token after %d ms, taking turns with the fake read straight", sends, delayMs);
            driver.get(origin + "/");
            new WebDriverWait(driver, Duration.ofSeconds(30)).until(d -> "true".equals(
                    d.findElement(By.cssSelector("[data-chat]")).getDomAttribute("data-ready")));
            List<Double> rendered = new ArrayList<>();
            List<Double> straight = new ArrayList<>();
            int failed = 0;
            List<String> problems = new ArrayList<>();
            for (int i = -3; i < sends; i++) { // three sends of warm-up
                JsonNode send = Bench.JSON.readTree((String) driver.executeAsyncScript(SEND, "Question " + i + "?"));
                double direct = straightFirstToken(fake);
                if (i < 0) {
                    continue;
                }
                if (!send.path("ok").asBoolean() || !send.path("text").asString().contains("first")) {
                    failed++;
                    problems.add(send.toString());
                    continue;
                }
                rendered.add(send.path("firstMs").asDouble() - delayMs);
                straight.add(direct - delayMs);
            }
            problems.stream().limit(3).forEach(p -> Bench.log("failed: %s", p));
            report(firstLoads, rendered, straight, loads, sends, delayMs, failed);
        }
        finally {
            if (driver != null) {
                driver.quit();
            }
        }
        System.exit(0);
    }

    static ChromeDriver browser() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BROWSER.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1280,900", "--lang=en-GB", "--no-first-run", "--disable-extensions");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(60));
        return driver;
    }

    /** Through {@code localhost}: a secure context for the {@code Secure} session cookies, as in the browser tests. */
    static void signIn(ChromeDriver driver, String origin, String password) {
        driver.get(origin + "/sign-in");
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(30));
        wait.until(ExpectedConditions.elementToBeClickable(By.id("email"))).sendKeys(Bench.EMAIL);
        driver.findElement(By.id("password")).sendKeys(password);
        driver.findElement(By.cssSelector("button[type=submit]")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".account-email")));
    }

    /**
     * Waits for the ready mark, then for 1 s without a new resource entry (the sessions list and any late import), and
     * returns the load's figures.
     */
    static final String LOAD_FIGURES = """
            const done = arguments[arguments.length - 1];
            const started = performance.now();
            const ready = () => performance.getEntriesByName('switchboard:chat-ready')[0];
            let count = -1, quietSince = 0;
            const poll = () => {
              const entries = performance.getEntriesByType('resource');
              if (entries.length !== count) { count = entries.length; quietSince = performance.now(); }
              if (ready() && performance.now() - quietSince >= 1000) {
                const nav = performance.getEntriesByType('navigation')[0];
                const all = [nav, ...entries];
                done(JSON.stringify({
                  readyMs: ready().startTime,
                  documentMs: nav.responseEnd,
                  domContentLoadedMs: nav.domContentLoadedEventEnd,
                  transfer: all.reduce((sum, e) => sum + e.transferSize, 0),
                  decoded: all.reduce((sum, e) => sum + e.decodedBodySize, 0),
                  documentTransfer: nav.transferSize,
                  documentDecoded: nav.decodedBodySize,
                  requests: all.length,
                  compressed: all.filter((e) => e.encodedBodySize < e.decodedBodySize).length,
                  largest: all.map((e) => [e.name.replace(location.origin, ''), e.transferSize, e.decodedBodySize])
                      .sort((a, b) => b[1] - a[1]).slice(0, 6)
                }));
              } else if (performance.now() - started > 30000) {
                done(JSON.stringify({ error: 'not ready after 30 s' }));
              } else {
                setTimeout(poll, 50);
              }
            };
            poll();
            """;

    /**
     * A new chat, the question typed, Send clicked; resolves with the time from the click to the first text in the
     * answer's content, once the answer is complete.
     */
    static final String SEND = """
            const question = arguments[0];
            const done = arguments[arguments.length - 1];
            const root = document.querySelector('[data-chat]');
            root.querySelector('[data-new-chat]').click();
            const list = root.querySelector('[data-messages]');
            root.querySelector('textarea').value = question;
            let start = 0, first = 0;
            const timeout = setTimeout(() => { observer.disconnect(); done(JSON.stringify({ ok: false, error: 'no answer in 30 s',
                html: list.innerHTML.slice(0, 500) })); }, 30000);
            const observer = new MutationObserver(() => {
              const answer = list.querySelector('.message.assistant');
              const content = answer?.querySelector('.content');
              if (!first && content && content.textContent.trim().length > 0) {
                first = performance.now();
              }
              if (answer && answer.dataset.status) {
                observer.disconnect();
                clearTimeout(timeout);
                done(JSON.stringify({ ok: answer.dataset.status === 'complete' && first > 0, firstMs: first - start,
                  status: answer.dataset.status, text: content.textContent }));
              }
            });
            observer.observe(list, { childList: true, subtree: true, characterData: true, attributes: true });
            start = performance.now();
            root.querySelector('[data-send]').click();
            """;

    /** The fake's first streamed token read straight: ms from sending the request to the first content delta. */
    static double straightFirstToken(FakeLlmServer fake) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(fake.baseUrl() + "/v1/chat/completions"))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"gpt-bench\",\"stream\":true,"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"Question?\"}]}"))
                .build();
        long start = System.nanoTime();
        HttpResponse<InputStream> response = Bench.HTTP.send(request, HttpResponse.BodyHandlers.ofInputStream());
        double first = Double.NaN;
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (Double.isNaN(first) && line.startsWith("data:") && line.contains("\"content\":\"")
                        && !line.contains("\"content\":\"\"")) {
                    first = (System.nanoTime() - start) / 1e6;
                }
            }
        }
        return first;
    }

    static void report(List<JsonNode> loads, List<Double> rendered, List<Double> straight, int loadCount, int sends, int delayMs,
            int failed) {
        long loadErrors = loads.stream().filter(l -> l.has("error")).count();
        List<JsonNode> ok = loads.stream().filter(l -> !l.has("error")).toList();
        double[] transfer = ok.stream().mapToDouble(l -> l.path("transfer").asDouble() / 1024).toArray();
        double[] decoded = ok.stream().mapToDouble(l -> l.path("decoded").asDouble() / 1024).toArray();
        double[] ready = ok.stream().mapToDouble(l -> l.path("readyMs").asDouble()).toArray();
        double[] document = ok.stream().mapToDouble(l -> l.path("documentMs").asDouble()).toArray();
        double[] docTransfer = ok.stream().mapToDouble(l -> l.path("documentTransfer").asDouble() / 1024).toArray();
        double[] firstToken = rendered.stream().mapToDouble(Double::doubleValue).toArray();
        double[] direct = straight.stream().mapToDouble(Double::doubleValue).toArray();
        JsonNode sample = ok.isEmpty() ? Bench.JSON.createObjectNode() : ok.getFirst();
        System.out.println("| measure | p50 | p95 | baseline in the same run (p50 / p95) | ratio at p50 |");
        System.out.println("|---|---|---|---|---|");
        System.out.println(Bench.f(
                "| chat page first load, cold cache: bytes transferred (compressed, headers included) | %.1f KB | %.1f KB "
                        + "| the document alone: %.1f / %.1f KB | %.1f× |", Percentiles.pct(transfer, 50), Percentiles.pct(transfer, 95),
                Percentiles.pct(docTransfer, 50), Percentiles.pct(docTransfer, 95), Percentiles.pct(transfer, 50) / Percentiles.pct(
                        docTransfer,
                        50)));
        System.out.println(Bench.f("| the same, decoded (uncompressed bodies) | %.1f KB | %.1f KB | — | — |", Percentiles.pct(decoded,
                50),
                Percentiles.pct(decoded, 95)));
        System.out.println(Bench.f("| navigation start → message box usable (`switchboard:chat-ready`) | %.1f ms | %.1f ms "
                + "| the document alone (`responseEnd`): %.1f / %.1f ms | %.2f× |", Percentiles.pct(ready, 50), Percentiles.pct(ready, 95),
                Percentiles.pct(document, 50), Percentiles.pct(document, 95), Percentiles.pct(ready, 50) / Percentiles.pct(document, 50)));
        System.out.println(Bench.f(
                "| Send clicked → first rendered token, minus the fake's %d ms first-token delay | %.1f ms | %.1f ms "
                        + "| the fake's first token read straight, minus the delay: %.1f / %.1f ms | +%.1f ms |", delayMs,
                Percentiles.pct(firstToken, 50), Percentiles.pct(firstToken, 95), Percentiles.pct(direct, 50), Percentiles.pct(direct, 95),
                Percentiles.pct(firstToken, 50) - Percentiles.pct(direct, 50)));
        System.out.println();
        System.out.println(Bench.f(
                "- %d cold loads (%d requests each, %d of them compressed; target < 300 KB: %s), %d sends after 3 of "
                        + "warm-up; %d + %d failed", ok.size(), sample.path("requests").asInt(), sample.path("compressed").asInt(),
                Verdicts.verdict(Percentiles.pct(transfer, 95) < 300, loadErrors + failed), rendered.size(), loadErrors, failed));
        StringBuilder largest = new StringBuilder();
        sample.path("largest").forEach(e -> largest.append(largest.isEmpty() ? "" : ", ").append(Bench.f(
                "`%s` %.1f KB (%.1f KB decoded)",
                e.get(0).asString(), e.get(1).asDouble() / 1024, e.get(2).asDouble() / 1024)));
        System.out.println("- largest transfers of one load: " + largest);
    }
}
