package dev.switchboard;

import java.util.ArrayList;
import java.util.List;

import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration;

import dev.switchboard.ops.DeploymentDoctor;

/**
 * Switchboard: a purpose-agnostic agent backend. Personas answer from an organisation's documents and
 * databases through the LLM providers it chooses, with failover between them.
 *
 * <p>Each direct sub-package is a Spring Modulith application module; see {@code docs/architecture.md}.
 */
// Kotlin is on the class path (provider SDKs are written in it), so springdoc's Kotlin support and the actuator's
// deprecated Jackson 2 mapper (Jackson2ObjectMapperBuilder registers the Kotlin module when it is present) built
// Kotlin-aware object mappers at every start: about a thousand classes of kotlin-reflect loaded and a second of
// start-up for nothing. Switchboard has no Kotlin classes to describe, and the actuator writes its JSON with Jackson 3.
// Left out as well, each parsed, evaluated and partly built at every start for a feature Switchboard does not have:
// Spring Data's web support, repository metrics and springdoc's pageable/sort/Data REST schemas (no Spring Data
// repositories, no Pageable parameters), the reactive security configurations (a servlet application: Reactor is on the
// class path for the MCP SDK) and OpenTelemetry's log export (logs go to the console; traces are exported, logs not).
@SpringBootApplication(exclude = UserDetailsServiceAutoConfiguration.class, excludeName = {
        "org.springdoc.core.configuration.SpringDocKotlinConfiguration",
        "org.springdoc.core.configuration.SpringDocKotlinxConfiguration",
        "org.springdoc.core.configuration.SpringDocJacksonKotlinModuleConfiguration",
        "org.springframework.boot.actuate.autoconfigure.endpoint.jackson.Jackson2EndpointAutoConfiguration",
        "org.springframework.boot.data.autoconfigure.web.DataWebAutoConfiguration",
        "org.springframework.boot.data.autoconfigure.metrics.DataRepositoryMetricsAutoConfiguration",
        "org.springdoc.core.configuration.SpringDocPageableConfiguration",
        "org.springdoc.core.configuration.SpringDocSortConfiguration",
        "org.springdoc.core.configuration.SpringDocDataRestConfiguration",
        "org.springframework.boot.security.autoconfigure.web.reactive.ReactiveWebSecurityAutoConfiguration",
        "org.springframework.boot.security.oauth2.server.resource.autoconfigure.reactive.ReactiveOAuth2ResourceServerAutoConfiguration",
        "org.springframework.boot.opentelemetry.autoconfigure.logging.OpenTelemetryLoggingAutoConfiguration",
        "org.springframework.boot.opentelemetry.autoconfigure.logging.otlp.OtlpLoggingAutoConfiguration"})
@ConfigurationPropertiesScan
public class Switchboard {

    public static void main(String[] args) throws Exception {
        if (IndexedClassLoader.relaunch(Switchboard.class, args)) {
            return;
        }
        if (args.length > 0 && args[0].equals("doctor")) {
            System.exit(DeploymentDoctor.command(List.of(args).subList(1, args.length)));
        }
        if (args.length > 0 && args[0].equals("eval-retrieval")) {
            System.exit(SpringApplication.exit(SpringApplication.run(Switchboard.class, evalArguments(args))));
        }
        SpringApplication.run(Switchboard.class, args);
        String classLoader = System.getProperty(IndexedClassLoader.SUMMARY);
        if (classLoader != null) {
            LoggerFactory.getLogger(Switchboard.class).info("Classes loaded through an {}", classLoader);
        }
    }

    /**
     * {@code eval-retrieval --corpus C --queries Q --qrels R [--baselines] [--switchboard.data-dir=D]}: a command,
     * not a server (no web server, no background purge), its three files handed over as settings; {@code --baselines}
     * also scores BM25 alone and dense search alone over the same index.
     */
    public static String[] evalArguments(String[] args) {
        List<String> arguments = new ArrayList<>(List.of("--spring.main.web-application-type=none",
                "--spring.main.banner-mode=off", "--logging.level.root=error"));
        for (int i = 1; i < args.length; i++) {
            String name = args[i];
            if ((name.equals("--corpus") || name.equals("--queries") || name.equals("--qrels")) && i + 1 < args.length) {
                arguments.add("--switchboard.eval." + name.substring(2) + "=" + args[++i]);
            }
            else if (name.equals("--baselines")) {
                arguments.add("--switchboard.eval.baselines=true");
            }
            else {
                arguments.add(name);
            }
        }
        if (arguments.stream().noneMatch(a -> a.startsWith("--switchboard.eval.corpus="))
                || arguments.stream().noneMatch(a -> a.startsWith("--switchboard.eval.queries="))
                || arguments.stream().noneMatch(a -> a.startsWith("--switchboard.eval.qrels="))) {
            throw new IllegalArgumentException("usage: eval-retrieval --corpus corpus.jsonl --queries queries.jsonl "
                    + "--qrels qrels.tsv [--baselines] [--switchboard.data-dir=DIR]");
        }
        return arguments.toArray(String[]::new);
    }
}
