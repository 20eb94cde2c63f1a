package dev.switchboard.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The deployment files under {@code deploy/} point at what the application really serves: the Kubernetes overlays
 * (rendered with {@code kubectl kustomize}), the Compose file, the Prometheus configuration, alert rules and their
 * unit tests ({@code promtool}), the Grafana provisioning and the Dockerfile (hadolint-style rules). Ports and
 * endpoint paths are read from {@code application.yml}, not written here a second time. kubectl and promtool are
 * required under {@code CI=true}; elsewhere their checks are skipped with a message when the tool is missing.
 */
class DeploymentManifestTests {

    private static final Path DEPLOY = Path.of("deploy");
    private static final Pattern SECRET_NAME = Pattern.compile(
            "(?i).*(password|secret|token|api[-_]?key|encryption[-_]?key|signing[-_]?key|credential).*");

    private static final Application APP = Application.read(Path.of("src/main/resources/application.yml"));

    // --- Kubernetes ---

    @Test
    void theProductionOverlayRendersEveryObjectTheDeploymentNeeds() {
        List<Map<String, Object>> objects = render("deploy/k8s/overlays/production");
        assertThat(objects).extracting(o -> (String) o.get("kind")).contains("Namespace", "ServiceAccount", "ConfigMap", "Service",
                "Deployment", "HorizontalPodAutoscaler", "PodDisruptionBudget", "Ingress", "NetworkPolicy");
        assertThat(render("deploy/k8s/base")).extracting(o -> (String) o.get("kind")).contains("Deployment", "Service");
        for (Map<String, Object> object : objects) {
            if (!"Namespace".equals(object.get("kind"))) {
                assertThat(at(object, "metadata.namespace")).as("namespace of %s", name(object)).isEqualTo("switchboard");
            }
        }
    }

    @Test
    void theDeploymentProbesPortsResourcesAndSecurityContextMatchTheApplication() {
        List<Map<String, Object>> objects = render("deploy/k8s/overlays/production");
        Map<String, Object> deployment = one(objects, "Deployment");
        assertThat((Integer) at(deployment, "spec.replicas")).isGreaterThanOrEqualTo(3);
        Map<String, Object> pod = map(at(deployment, "spec.template.spec"));
        Map<String, Object> container = list(pod.get("containers")).stream().map(DeploymentManifestTests::map)
                .filter(c -> "switchboard".equals(c.get("name"))).findFirst().orElseThrow();

        Map<String, Integer> ports = new HashMap<>();
        for (Object port : list(container.get("ports"))) {
            ports.put((String) map(port).get("name"), (Integer) map(port).get("containerPort"));
        }
        assertThat(ports).containsEntry("http", APP.port());
        assertProbe(container, "startupProbe", APP.livenessPath(), ports);
        assertProbe(container, "livenessProbe", APP.livenessPath(), ports);
        assertProbe(container, "readinessProbe", APP.readinessPath(), ports);

        for (String kind : List.of("requests", "limits")) {
            for (String resource : List.of("cpu", "memory")) {
                assertThat(at(container, "resources." + kind + "." + resource)).as("resources.%s.%s", kind, resource).isNotNull();
            }
        }
        assertThat(at(pod, "securityContext.runAsNonRoot")).isEqualTo(true);
        assertThat(at(pod, "securityContext.seccompProfile.type")).isEqualTo("RuntimeDefault");
        assertThat(at(container, "securityContext.readOnlyRootFilesystem")).isEqualTo(true);
        assertThat(at(container, "securityContext.allowPrivilegeEscalation")).isEqualTo(false);
        assertThat(list(at(container, "securityContext.capabilities.drop"))).containsExactly("ALL");
        assertThat(at(pod, "automountServiceAccountToken")).isEqualTo(false);

        // The read-only root needs the data directory and /tmp writable.
        Map<String, Object> config = map(one(objects, "ConfigMap").get("data"));
        List<String> mounts = list(container.get("volumeMounts")).stream().map(m -> (String) map(m).get("mountPath")).toList();
        assertThat(mounts).contains((String) config.get("SWITCHBOARD_DATA_DIR"), "/tmp");
        String configtree = ((String) config.get("SPRING_CONFIG_IMPORT")).replaceFirst("^optional:", "").replaceFirst("^configtree:", "");
        assertThat(mounts).contains(configtree.replaceAll("/$", ""));
    }

    @Test
    void serviceIngressAutoscalerAndDisruptionBudgetReachThePods() {
        List<Map<String, Object>> objects = render("deploy/k8s/overlays/production");
        Map<String, Object> deployment = one(objects, "Deployment");
        Map<String, Object> podLabels = map(at(deployment, "spec.template.metadata.labels"));

        Map<String, Object> service = one(objects, "Service");
        assertThat(podLabels).containsAllEntriesOf(map(at(service, "spec.selector")));
        Map<String, Object> servicePort = map(list(at(service, "spec.ports")).get(0));
        assertThat(servicePort.get("targetPort")).isIn("http", APP.port());

        Map<String, Object> ingress = one(objects, "Ingress");
        assertThat(list(at(ingress, "spec.tls"))).isNotEmpty();
        Map<String, Object> annotations = map(at(ingress, "metadata.annotations"));
        assertThat(annotations).containsEntry("nginx.ingress.kubernetes.io/proxy-buffering", "off");
        assertThat(Integer.parseInt((String) annotations.get("nginx.ingress.kubernetes.io/proxy-read-timeout")))
                .as("SSE streams stay open while a model answers").isGreaterThanOrEqualTo(300);
        for (Object rule : list(at(ingress, "spec.rules"))) {
            for (Object path : list(at(map(rule), "http.paths"))) {
                assertThat(at(map(path), "backend.service.name")).isEqualTo(at(service, "metadata.name"));
                assertThat(at(map(path), "backend.service.port.name")).isEqualTo(servicePort.get("name"));
            }
        }

        Map<String, Object> hpa = one(objects, "HorizontalPodAutoscaler");
        assertThat(at(hpa, "spec.scaleTargetRef.name")).isEqualTo(at(deployment, "metadata.name"));
        assertThat((Integer) at(hpa, "spec.minReplicas")).isGreaterThanOrEqualTo(3);
        Map<String, Object> pdb = one(objects, "PodDisruptionBudget");
        assertThat(podLabels).containsAllEntriesOf(map(at(pdb, "spec.selector.matchLabels")));
        assertThat(map(pdb.get("spec"))).containsKey("minAvailable");
    }

    @Test
    void onlyTheApplicationReachesPostgresqlAndRedis() {
        List<Map<String, Object>> objects = render("deploy/k8s/overlays/production");
        Map<String, Object> podLabels = map(at(one(objects, "Deployment"), "spec.template.metadata.labels"));
        for (Map.Entry<String, Integer> store : Map.of("postgresql", 5432, "redis", 6379).entrySet()) {
            Map<String, Object> policy = objects.stream().filter(o -> "NetworkPolicy".equals(o.get("kind")))
                    .filter(o -> store.getKey().equals(at(o, "spec.podSelector.matchLabels.app.kubernetes.io/name")))
                    .findFirst().orElseThrow(() -> new AssertionError("no NetworkPolicy guards " + store.getKey()));
            assertThat(list(at(policy, "spec.policyTypes"))).contains("Ingress");
            List<Object> rules = list(at(policy, "spec.ingress"));
            assertThat(rules).hasSize(1);
            List<Object> from = list(map(rules.get(0)).get("from"));
            assertThat(from).hasSize(1);
            assertThat(map(from.get(0))).containsOnlyKeys("podSelector");
            assertThat(podLabels).containsAllEntriesOf(map(at(map(from.get(0)), "podSelector.matchLabels")));
            assertThat(at(map(list(map(rules.get(0)).get("ports")).get(0)), "port")).isEqualTo(store.getValue());
        }
    }

    @Test
    void noSecretValueIsWrittenInTheManifests() throws IOException {
        List<Map<String, Object>> objects = new ArrayList<>(render("deploy/k8s/overlays/production"));
        assertThat(objects).noneMatch(o -> "Secret".equals(o.get("kind")));
        for (Map<String, Object> object : objects) {
            if ("ConfigMap".equals(object.get("kind"))) {
                assertThat(map(object.get("data")).keySet()).noneMatch(key -> SECRET_NAME.matcher(key).matches());
            }
            if ("Deployment".equals(object.get("kind"))) {
                for (Object container : list(at(object, "spec.template.spec.containers"))) {
                    for (Object env : list(map(container).getOrDefault("env", List.of()))) {
                        if (SECRET_NAME.matcher((String) map(env).get("name")).matches()) {
                            assertThat(map(env)).as("%s comes from a Secret", map(env).get("name")).doesNotContainKey("value");
                        }
                    }
                }
            }
        }
        Map<String, Object> example = map(yaml(DEPLOY.resolve("k8s/base/secret.example.yaml")).get(0));
        assertThat(example.get("kind")).isEqualTo("Secret");
        assertThat(map(example.get("stringData")).values()).allMatch(""::equals);
        assertThat(map(example.getOrDefault("data", Map.of()))).isEmpty();
        for (String line : Files.readAllLines(DEPLOY.resolve(".env.example"))) {
            if (!line.isBlank() && !line.startsWith("#") && SECRET_NAME.matcher(line.substring(0, line.indexOf('='))).matches()) {
                assertThat(line).as("no value in .env.example").endsWith("=");
            }
        }
    }

    // --- Compose, Prometheus, Grafana ---

    @Test
    void theComposeFileRunsTwoReplicasOverPostgresWithPgvectorRedisPrometheusAndGrafana() {
        Map<String, Object> compose = map(yaml(DEPLOY.resolve("docker-compose.yml")).get(0));
        Map<String, Object> services = map(compose.get("services"));
        assertThat(services).containsKeys("switchboard-1", "switchboard-2", "postgres", "redis", "prometheus", "grafana");
        assertThat(at(services, "postgres.image")).asString().startsWith("pgvector/pgvector:pg17");
        for (Map.Entry<String, Object> entry : services.entrySet()) {
            Map<String, Object> service = map(entry.getValue());
            String what = "service " + entry.getKey();
            assertThat(service.get("restart")).as(what).isIn("unless-stopped", "always");
            assertThat(at(service, "deploy.resources.limits.memory")).as(what).isNotNull();
            assertThat(at(service, "deploy.resources.limits.cpus")).as(what).isNotNull();
            String image = (String) service.get("image");
            assertThat(image).as(what).isNotNull();
            if (!image.startsWith("${")) {
                assertPinned(image, what);
            }
            Object environment = service.getOrDefault("environment", Map.of());
            for (Map.Entry<String, Object> variable : map(environment).entrySet()) {
                if (SECRET_NAME.matcher(variable.getKey()).matches() && !variable.getKey().endsWith("_FILE")) {
                    assertThat(String.valueOf(variable.getValue())).as("%s of %s comes from deploy/.env", variable.getKey(), what)
                            .matches("\\$\\{[A-Z0-9_]+(:[-?][^}]*)?}");
                }
            }
            for (Object volume : list(service.getOrDefault("volumes", List.of()))) {
                String source = String.valueOf(volume).split(":")[0];
                if (source.startsWith("./")) {
                    assertThat(DEPLOY.resolve(source)).as("%s mounts %s", what, source).exists();
                }
            }
        }
        for (String replica : List.of("switchboard-1", "switchboard-2")) {
            Map<String, Object> service = map(services.get(replica));
            assertThat(service.get("read_only")).isEqualTo(true);
            assertThat(list(service.get("tmpfs"))).anyMatch(t -> ((String) t).startsWith("/tmp:") && ((String) t).contains("exec"));
            assertThat(list(service.get("volumes"))).anyMatch(v -> ((String) v).endsWith(":" + "/data"));
            assertThat(list(service.get("ports"))).allMatch(p -> ((String) p).endsWith(":" + APP.port()));
            assertThat(map(service.get("environment"))).containsEntry("SPRING_PROFILES_ACTIVE", "prod");
        }
        assertThat(map(compose.get("secrets"))).allSatisfy((name, secret) -> assertThat(map(secret)).containsAnyOf(
                Map.entry("environment", "SWITCHBOARD_METRICS_TOKEN"), Map.entry("file", "./secrets/oauth-signing-key.pem")));
    }

    @Test
    void prometheusScrapesTheMetricsEndpointOfBothReplicasWithTheToken() {
        Map<String, Object> prometheus = map(yaml(DEPLOY.resolve("prometheus/prometheus.yml")).get(0));
        Map<String, Object> job = map(list(prometheus.get("scrape_configs")).get(0));
        assertThat(job.get("metrics_path")).isEqualTo(APP.metricsPath());
        assertThat(at(job, "authorization.credentials_file")).isNotNull();
        List<Object> targets = list(at(map(list(job.get("static_configs")).get(0)), "targets"));
        assertThat(targets).containsExactlyInAnyOrder("switchboard-1:" + APP.port(), "switchboard-2:" + APP.port());
        assertThat(list(prometheus.get("rule_files"))).containsExactly("/etc/prometheus/alerts.yml");
    }

    @Test
    void grafanaIsProvisionedWithTheDashboardOfEveryAlert() throws IOException {
        Map<String, Object> datasources = map(yaml(DEPLOY.resolve("grafana/provisioning/datasources/prometheus.yml")).get(0));
        String uid = (String) map(list(datasources.get("datasources")).get(0)).get("uid");
        Map<String, Object> provider = map(list(map(yaml(DEPLOY.resolve("grafana/provisioning/dashboards/switchboard.yml")).get(0))
                .get("providers")).get(0));
        List<Object> grafanaMounts = list(at(map(yaml(DEPLOY.resolve("docker-compose.yml")).get(0)), "services.grafana.volumes"));
        assertThat(grafanaMounts).as("the provider reads the mounted dashboards")
                .contains("./grafana/dashboards:" + at(provider, "options.path") + ":ro",
                        "./grafana/provisioning:/etc/grafana/provisioning:ro");

        JsonNode dashboard = JsonMapper.builder().build().readTree(Files.readString(DEPLOY.resolve("grafana/dashboards/switchboard.json")));
        assertThat(dashboard.path("uid").asString()).isEqualTo("switchboard");
        StringBuilder titles = new StringBuilder();
        for (JsonNode panel : dashboard.path("panels")) {
            titles.append(panel.path("title").asString()).append('\n');
            for (JsonNode target : panel.path("targets")) {
                assertThat(target.path("datasource").path("uid").asString()).isEqualTo(uid);
                assertThat(target.path("expr").asString()).isNotBlank();
            }
        }
        for (Object group : list(map(yaml(DEPLOY.resolve("prometheus/alerts.yml")).get(0)).get("groups"))) {
            for (Object rule : list(map(group).get("rules"))) {
                String alert = (String) map(rule).get("alert");
                if (!"SwitchboardDown".equals(alert)) {
                    assertThat(titles).as("a panel shows what %s watches", alert).contains(alert);
                }
            }
        }
    }

    @Test
    void promtoolChecksAndUnitTestsTheAlertRules() {
        requireTool("promtool", "Debian's prometheus package");
        run(DEPLOY.resolve("prometheus"), "promtool", "check", "rules", "alerts.yml");
        run(DEPLOY.resolve("prometheus"), "promtool", "test", "rules", "alerts.test.yml");
    }

    @Test
    void everyDashboardQueryIsValidPromql(@TempDir Path temp) throws IOException {
        requireTool("promtool", "Debian's prometheus package");
        JsonNode dashboard = JsonMapper.builder().build().readTree(Files.readString(DEPLOY.resolve("grafana/dashboards/switchboard.json")));
        List<Map<String, String>> rules = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                rules.add(Map.of("record", "dashboard_query_" + (rules.size() + 1), "expr", target.path("expr").asString()));
            }
        }
        assertThat(rules).hasSizeGreaterThan(10);
        // As recording rules, promtool parses each query (it has no command for a bare expression offline).
        Path file = temp.resolve("dashboard-queries.yml");
        Files.writeString(file, new Yaml().dump(Map.of("groups", List.of(Map.of("name", "dashboard", "rules", rules)))));
        run(temp, "promtool", "check", "rules", file.getFileName().toString());
    }

    // --- Dockerfile ---

    @Test
    void theDockerfileFollowsTheImageRules() throws IOException {
        List<String> instructions = dockerInstructions(DEPLOY.resolve("Dockerfile"));
        Map<String, String> args = new HashMap<>();
        List<String> froms = new ArrayList<>();
        List<String> stages = new ArrayList<>();
        String user = null;
        boolean finalStage = false;
        for (String instruction : instructions) {
            String keyword = instruction.split("\\s+", 2)[0].toUpperCase();
            String rest = instruction.substring(keyword.length()).strip();
            switch (keyword) {
                case "ARG" -> {
                    String[] arg = rest.split("=", 2);
                    if (arg.length == 2) {
                        args.put(arg[0], arg[1]);
                    }
                }
                case "FROM" -> {
                    froms.add(rest);
                    finalStage = froms.size() > 1 && !rest.contains(" AS ");
                    user = null;
                    String[] from = rest.replaceFirst("(?i)^--platform=\\S+\\s+", "").split("\\s+");
                    if (!stages.contains(from[0])) {
                        assertPinned(substitute(from[0], args), "FROM " + rest);
                    }
                    if (from.length == 3 && from[1].equalsIgnoreCase("AS")) {
                        stages.add(from[2]);
                    }
                }
                case "ADD" -> assertThat(rest).as("ADD of a URL: download in a RUN with a checksum, or COPY").doesNotContainPattern(
                        "https?://");
                case "COPY" -> {
                    if (finalStage) {
                        assertThat(rest).as("COPY into the runtime image sets its owner").startsWith("--from=").contains("--chown=");
                    }
                }
                case "USER" -> user = rest;
                case "RUN" -> {
                    if (rest.contains("apt-get install")) {
                        assertThat(rest).as("apt-get install").contains("--no-install-recommends", "-y").contains(
                                "rm -rf /var/lib/apt/lists/*");
                    }
                    assertThat(rest).as("no sudo in RUN").doesNotContain("sudo ");
                }
                case "HEALTHCHECK" -> assertThat(rest).contains(APP.livenessPath());
                case "EXPOSE" -> assertThat(rest).isEqualTo(String.valueOf(APP.port()));
                case "ENTRYPOINT" -> assertThat(rest).as("exec form").startsWith("[");
                case "MAINTAINER" -> fail("MAINTAINER is deprecated: use a LABEL");
                default -> {
                }
            }
        }
        assertThat(froms).hasSizeGreaterThanOrEqualTo(2);
        assertThat(instructions).anyMatch(i -> i.startsWith("HEALTHCHECK"));
        assertThat(user).as("the runtime stage's USER").isNotNull();
        assertThat(user.split(":")[0]).as("the runtime stage runs as a non-root user").isNotIn("root", "0");
        // A plain class path (the AOT cache holds only classes from plain jars), a training run that records the cache
        // in its own stage, and the image starting with it.
        assertThat(String.join("\n", instructions)).contains("extract --layers --application-filename switchboard.jar")
                .doesNotContain("--launcher");
        assertThat(instructions).anyMatch(i -> i.startsWith("RUN ") && i.contains("-XX:AOTCacheOutput=/tmp/app.aot")
                && i.contains("-Dspring.context.exit=onRefresh"));
        assertThat(instructions).contains("COPY --from=training --chown=root:root /tmp/app.aot /app/app.aot");
        assertThat(instructions).anyMatch(i -> i.startsWith("ENTRYPOINT ") && i.contains("\"-XX:AOTCache=/app/app.aot\"")
                && i.contains("\"-jar\", \"/app/switchboard.jar\""));
        assertThat(DEPLOY.resolve("Dockerfile.dockerignore")).exists();
    }

    // --- helpers ---

    private static void assertProbe(Map<String, Object> container, String probe, String path, Map<String, Integer> ports) {
        Map<String, Object> get = map(at(container, probe + ".httpGet"));
        assertThat(get).as(probe).isNotNull();
        assertThat(get.get("path")).as(probe + " path").isEqualTo(path);
        Object port = get.get("port");
        assertThat(port instanceof String named ? ports.get(named) : port).as(probe + " port").isEqualTo(APP.port());
    }

    private static void assertPinned(String image, String what) {
        Matcher reference = Pattern.compile("^(?<name>[^:@]+)(:(?<tag>[^@]+))?(@sha256:[0-9a-f]{64})?$").matcher(image);
        assertThat(reference.matches()).as("%s: image reference %s", what, image).isTrue();
        assertThat(reference.group("tag")).as("%s: %s has a tag", what, image).isNotBlank().isNotEqualTo("latest");
    }

    private static String substitute(String text, Map<String, String> args) {
        Matcher variable = Pattern.compile("\\$\\{(\\w+)}|\\$(\\w+)").matcher(text);
        StringBuilder out = new StringBuilder();
        while (variable.find()) {
            String name = variable.group(1) != null ? variable.group(1) : variable.group(2);
            assertThat(args).as("ARG %s has a default", name).containsKey(name);
            variable.appendReplacement(out, Matcher.quoteReplacement(args.get(name)));
        }
        return variable.appendTail(out).toString();
    }

    /** The Dockerfile's instructions, continuation lines joined, comments and the parser directive dropped. */
    private static List<String> dockerInstructions(Path dockerfile) throws IOException {
        List<String> instructions = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : Files.readAllLines(dockerfile)) {
            String stripped = line.strip();
            if (stripped.startsWith("#") || (stripped.isEmpty() && current.isEmpty())) {
                continue;
            }
            boolean continues = stripped.endsWith("\\");
            current.append(continues ? stripped.substring(0, stripped.length() - 1) : stripped).append(' ');
            if (!continues) {
                instructions.add(current.toString().strip().replaceAll("\\s+", " "));
                current.setLength(0);
            }
        }
        return instructions;
    }

    private static List<Map<String, Object>> render(String kustomization) {
        requireTool("kubectl", "kubectl (kustomize is built in)");
        return yaml(run(Path.of("."), "kubectl", "kustomize", kustomization)).stream().map(DeploymentManifestTests::map).toList();
    }

    private static void requireTool(String tool, String source) {
        boolean present = Stream.of(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, tool)));
        if (!present) {
            String message = tool + " is not installed (" + source + "): the deployment checks that need it cannot run";
            if ("true".equals(System.getenv("CI"))) {
                fail(message + "; CI requires it (.ci/run installs it)");
            }
            Assumptions.abort(message);
        }
    }

    private static String run(Path directory, String... command) {
        try {
            Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail(String.join(" ", command) + " did not finish in 120 s");
            }
            assertThat(process.exitValue()).as("%s in %s:%n%s", String.join(" ", command), directory, output).isZero();
            return output;
        }
        catch (IOException ex) {
            throw new AssertionError("cannot run " + command[0], ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new AssertionError(ex);
        }
    }

    private static List<Object> yaml(Path file) {
        try {
            return yaml(Files.readString(file));
        }
        catch (IOException ex) {
            throw new AssertionError("cannot read " + file, ex);
        }
    }

    private static List<Object> yaml(String text) {
        List<Object> documents = new ArrayList<>();
        new Yaml().loadAll(text).forEach(document -> {
            if (document != null) {
                documents.add(document);
            }
        });
        return documents;
    }

    private static Map<String, Object> one(List<Map<String, Object>> objects, String kind) {
        List<Map<String, Object>> found = objects.stream().filter(o -> kind.equals(o.get("kind"))).toList();
        assertThat(found).as("exactly one %s", kind).hasSize(1);
        return found.get(0);
    }

    private static String name(Map<String, Object> object) {
        return object.get("kind") + "/" + at(object, "metadata.name");
    }

    /**
     * The value at a dotted path; a segment may itself contain dots when it names a key that does (labels such as
     * {@code app.kubernetes.io/name}): the longest key present wins.
     */
    static Object at(Map<String, Object> root, String path) {
        Object current = root;
        String rest = path;
        while (!rest.isEmpty()) {
            if (!(current instanceof Map<?, ?> node)) {
                return null;
            }
            String key = null;
            for (int end = rest.length(); end > 0; end = rest.lastIndexOf('.', end - 1)) {
                if (node.containsKey(rest.substring(0, end))) {
                    key = rest.substring(0, end);
                    break;
                }
            }
            if (key == null) {
                return null;
            }
            current = node.get(key);
            rest = rest.length() == key.length() ? "" : rest.substring(key.length() + 1);
        }
        return current;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value == null ? null : (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object value) {
        return value == null ? List.of() : (List<Object>) value;
    }

    /** The ports and endpoint paths application.yml gives the application. */
    record Application(int port, String livenessPath, String readinessPath, String metricsPath) {

        static Application read(Path applicationYml) {
            Map<String, Object> root = new LinkedHashMap<>();
            for (Object document : yaml(applicationYml)) {
                root.putAll(map(document));
            }
            Matcher port = Pattern.compile("\\$\\{PORT:(\\d+)}|(\\d+)").matcher(String.valueOf(at(root, "server.port")));
            assertThat(port.matches()).as("server.port").isTrue();
            String base = ((String) at(root, "management.endpoints.web.base-path")).replaceAll("/$", "");
            Map<String, Object> mapping = map(at(root, "management.endpoints.web.path-mapping"));
            String health = base + "/" + mapping.getOrDefault("health", "health");
            Map<String, Object> groups = map(at(root, "management.endpoint.health.group"));
            assertThat(groups).containsKeys("live", "ready");
            return new Application(Integer.parseInt(port.group(1) != null ? port.group(1) : port.group(2)), health + "/live",
                    health + "/ready", base + "/" + mapping.getOrDefault("prometheus", "prometheus"));
        }
    }
}
