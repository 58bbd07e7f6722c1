package dev.syncbox.system.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpec;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * deploy/k8s as a cluster would get it, without one: each kustomization rendered (Kustomize), every object read
 * into fabric8's typed model with unknown fields refused (StrictModel), then each overlay's objects checked
 * against each other (ManifestChecks) and against the repository: the gateway's template, the variables the
 * services read, their ports and health groups, and the metric prometheus-adapter serves.
 */
class KubernetesManifestsTest {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z0-9_]+)}");
    private static final Pattern READ_VARIABLE = Pattern.compile("\\$\\{(SYNCBOX_[A-Z0-9_]+)");
    private static final Pattern MODULE = Pattern.compile("<module>([^<]+)</module>");
    private static final Pattern DEFAULT_PORT = Pattern.compile("port: \\$\\{SERVER_PORT:(\\d+)}");

    /** Every kustomization under deploy/k8s: the base and each overlay. */
    static List<Path> kustomizations() throws IOException {
        try (Stream<Path> files = Files.walk(Repository.file("deploy/k8s"))) {
            return files.filter(file -> file.getFileName().toString().equals("kustomization.yaml"))
                    .map(Path::getParent)
                    .sorted()
                    .toList();
        }
    }

    static List<Path> overlays() throws IOException {
        try (Stream<Path> dirs = Files.list(Repository.file("deploy/k8s/overlays"))) {
            return dirs.filter(dir -> Files.isRegularFile(dir.resolve("kustomization.yaml")))
                    .sorted()
                    .toList();
        }
    }

    @ParameterizedTest
    @MethodSource("kustomizations")
    void shouldRenderIntoKubernetesTypesWithNoUnknownField(Path kustomization) {
        List<String> problems = new ArrayList<>();
        for (ObjectNode node : Kustomize.render(kustomization)) {
            try {
                StrictModel.read(node);
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
            }
        }

        assertThat(problems).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("kustomizations")
    void shouldKeepSecretValuesOutOfTheBase(Path kustomization) {
        if (kustomization.equals(Repository.file("deploy/k8s/base"))) {
            assertThat(read(kustomization)).noneMatch(Secret.class::isInstance);
        }
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void shouldResolveEveryReferenceBetweenObjects(Path overlay) {
        assertThat(ManifestChecks.problems(read(overlay))).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void shouldRunEveryContainerUnprivilegedWithRequestsAndLimitsAndATaggedImage(Path overlay) {
        List<String> problems = new ArrayList<>();
        pods(read(overlay)).forEach((owner, pod) -> {
            for (Container container : pod.getContainers()) {
                String where = owner + " " + container.getName();
                var security = container.getSecurityContext();
                boolean nonRoot = Boolean.TRUE.equals(pod.getSecurityContext().getRunAsNonRoot())
                        || (security != null && Boolean.TRUE.equals(security.getRunAsNonRoot()));
                if (!nonRoot
                        || security == null
                        || !Boolean.FALSE.equals(security.getAllowPrivilegeEscalation())
                        || !Boolean.TRUE.equals(security.getReadOnlyRootFilesystem())
                        || security.getCapabilities() == null
                        || !security.getCapabilities().getDrop().contains("ALL")) {
                    problems.add(where + ": not non-root, read-only, without privilege escalation and capabilities");
                }
                var resources = container.getResources();
                if (resources == null
                        || !resources.getRequests().keySet().containsAll(Set.of("cpu", "memory"))
                        || !resources.getLimits().keySet().containsAll(Set.of("cpu", "memory"))) {
                    problems.add(where + ": CPU and memory requests and limits wanted");
                }
                if (!container.getImage().matches(".+(:[\\w][\\w.-]*|@sha256:[0-9a-f]{64})")
                        || container.getImage().endsWith(":latest")) {
                    problems.add(where + ": image " + container.getImage() + " has no tag of its own");
                }
            }
        });

        assertThat(problems).isEmpty();
    }

    /** Each service's image, port and health groups are the ones its module's application.yml declares. */
    @ParameterizedTest
    @MethodSource("overlays")
    void shouldProbeEachServiceOnItsOwnPortAndActuatorHealthGroups(Path overlay) throws IOException {
        Map<String, Deployment> services = new HashMap<>();
        for (HasMetadata object : read(overlay)) {
            if (object instanceof Deployment deployment
                    && deployment
                            .getSpec()
                            .getTemplate()
                            .getSpec()
                            .getContainers()
                            .get(0)
                            .getImage()
                            .startsWith("syncbox/")) {
                services.put(deployment.getMetadata().getName(), deployment);
            }
        }

        assertThat(services)
                .containsOnlyKeys(
                        "upload-service", "download-service", "sync-service", "conflict-engine", "indexer-job");
        for (var entry : services.entrySet()) {
            String module = entry.getKey().equals("conflict-engine") ? "conflict-engine/service" : entry.getKey();
            String config = Files.readString(Repository.file(module + "/src/main/resources/application.yml"));
            Matcher port = DEFAULT_PORT.matcher(config);
            assertThat(port.find())
                    .as(module + " application.yml names its port")
                    .isTrue();
            Container container = entry.getValue()
                    .getSpec()
                    .getTemplate()
                    .getSpec()
                    .getContainers()
                    .get(0);

            assertThat(container.getImage()).as(entry.getKey()).startsWith("syncbox/" + entry.getKey() + ":");
            assertThat(container.getPorts()).singleElement().satisfies(declared -> {
                assertThat(declared.getName()).isEqualTo("http");
                assertThat(declared.getContainerPort()).as(entry.getKey()).isEqualTo(Integer.parseInt(port.group(1)));
            });
            assertThat(env(container)).as(entry.getKey()).containsEntry("SERVER_PORT", port.group(1));
            assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/actuator/health/readiness");
            assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/actuator/health/liveness");
            assertThat(container.getStartupProbe().getHttpGet().getPath()).isEqualTo("/actuator/health/liveness");
        }
    }

    /** The gateway runs deploy/gateway/syncbox.conf.template itself, every placeholder set, every upstream a Service. */
    @ParameterizedTest
    @MethodSource("overlays")
    void shouldRunTheGatewayTemplateWithEveryUpstreamAService(Path overlay) throws IOException {
        List<HasMetadata> objects = read(overlay);
        Deployment gateway = named(objects, Deployment.class, "gateway");
        Container nginx =
                gateway.getSpec().getTemplate().getSpec().getContainers().get(0);
        String template = Files.readString(Repository.file("deploy/gateway/syncbox.conf.template"));
        Set<String> configMaps = gateway.getSpec().getTemplate().getSpec().getVolumes().stream()
                .filter(volume -> volume.getProjected() != null)
                .flatMap(volume -> volume.getProjected().getSources().stream())
                .filter(source -> source.getConfigMap() != null)
                .map(source -> source.getConfigMap().getName())
                .collect(Collectors.toSet());

        assertThat(objects)
                .filteredOn(object -> object instanceof ConfigMap
                        && configMaps.contains(object.getMetadata().getName()))
                .extracting(object -> ((ConfigMap) object).getData().get("default.conf.template"))
                .containsOnlyOnce(template);
        Set<String> placeholders = new TreeSet<>();
        PLACEHOLDER.matcher(template).results().forEach(match -> placeholders.add(match.group(1)));
        assertThat(env(nginx)).containsKeys(placeholders.toArray(String[]::new));
        for (String name : placeholders) {
            if (name.endsWith("_ADDR")) {
                String[] hostPort = env(nginx).get(name).split(":");
                assertThat(service(objects, hostPort[0], Integer.parseInt(hostPort[1])))
                        .as(name + " = " + env(nginx).get(name) + " names a Service and its port")
                        .isTrue();
            }
        }
    }

    /**
     * The ConfigMap and Secret set what docker-compose sets for the services, nothing the services do not read (a
     * misspelt name would be ignored without a word), and name dependencies that are Services of the overlay or
     * hosts outside the cluster.
     */
    @ParameterizedTest
    @MethodSource("overlays")
    void shouldSetTheVariablesTheServicesRead(Path overlay) throws IOException {
        List<HasMetadata> objects = read(overlay);
        Map<String, String> settings = settings(
                objects,
                named(objects, Deployment.class, "sync-service").getSpec().getTemplate());
        Set<String> compose = composeAppEnvironment();
        Set<String> read = variablesTheServicesRead();

        assertThat(settings).containsKeys(compose.toArray(String[]::new));
        assertThat(settings.keySet())
                .allSatisfy(key -> assertThat(read.contains(key) || compose.contains(key))
                        .as(key + " is read by a service")
                        .isTrue());
        assertThat(settings.get("SYNCBOX_JWT_SECRET")).hasSizeGreaterThanOrEqualTo(32);
        Map<String, URI> dependencies = Map.of(
                "SYNCBOX_DB_URL", URI.create(settings.get("SYNCBOX_DB_URL").substring("jdbc:".length())),
                "SYNCBOX_REDIS_HOST",
                        URI.create("redis://" + settings.get("SYNCBOX_REDIS_HOST") + ":"
                                + settings.get("SYNCBOX_REDIS_PORT")),
                "SYNCBOX_S3_ENDPOINT", URI.create(settings.get("SYNCBOX_S3_ENDPOINT")),
                "SYNCBOX_ES_URL", URI.create(settings.get("SYNCBOX_ES_URL")));
        dependencies.forEach(
                (key, uri) -> assertThat(uri.getHost().contains(".") || service(objects, uri.getHost(), uri.getPort()))
                        .as(key + ": " + uri.getHost() + " is a Service of the overlay with port " + uri.getPort()
                                + ", or a host outside")
                        .isTrue());
    }

    /**
     * {@code kubectl apply -k <overlay> -l syncbox.dev/stage=migrate} applies the migration Job with everything it
     * reads and the Service of its database, and nothing else: the schema is migrated before a service rolls.
     */
    @ParameterizedTest
    @MethodSource("overlays")
    void shouldLabelTheMigrationJobAndWhatItNeedsForTheFirstApply(Path overlay) {
        List<HasMetadata> first = read(overlay).stream()
                .filter(object -> object.getMetadata().getLabels() != null)
                .filter(object ->
                        "migrate".equals(object.getMetadata().getLabels().get("syncbox.dev/stage")))
                .toList();

        assertThat(first)
                .filteredOn(object ->
                        !(object instanceof ConfigMap || object instanceof Secret || object instanceof Service))
                .extracting(ManifestChecks::id)
                .containsExactly("Job " + first.get(0).getMetadata().getNamespace() + "/syncbox-migrate");
        assertThat(ManifestChecks.problems(first)).isEmpty();
        Job job = named(first, Job.class, "syncbox-migrate");
        URI database = URI.create(settings(first, job.getSpec().getTemplate())
                .get("SYNCBOX_DB_URL")
                .substring("jdbc:".length()));
        assertThat(database.getHost().contains(".") || service(first, database.getHost(), database.getPort()))
                .as(database.getHost() + " is a Service labelled with the Job, or a host outside")
                .isTrue();
    }

    /** The autoscalers' request-rate metric is the one the prometheus-adapter rule serves, from the services' own metric. */
    @ParameterizedTest
    @MethodSource("overlays")
    void shouldScaleOnlyOnMetricsThePrometheusAdapterRuleServes(Path overlay) {
        JsonNode rules = Yaml.documents(Repository.file("deploy/k8s/prometheus-adapter/config.yaml"))
                .get(0)
                .get("rules");
        Set<String> served = new TreeSet<>();
        for (JsonNode rule : rules) {
            assertThat(rule.get("seriesQuery").asString()).startsWith("http_server_requests_seconds_count{");
            assertThat(rule.get("name").get("matches").asString()).isEqualTo("^http_server_requests_seconds_count$");
            assertThat(rule.get("resources").get("overrides").propertyNames()).contains("namespace", "pod");
            served.add(rule.get("name").get("as").asString());
        }
        List<String> podMetrics = read(overlay).stream()
                .filter(HorizontalPodAutoscaler.class::isInstance)
                .flatMap(hpa -> ((HorizontalPodAutoscaler) hpa).getSpec().getMetrics().stream())
                .filter(metric -> metric.getPods() != null)
                .map(MetricSpec::getPods)
                .map(pods -> pods.getMetric().getName())
                .toList();

        assertThat(podMetrics)
                .isNotEmpty()
                .allSatisfy(name -> assertThat(served).contains(name));
    }

    // ---- helpers

    static List<HasMetadata> read(Path kustomization) {
        return Kustomize.render(kustomization).stream().map(StrictModel::read).toList();
    }

    private static Map<String, PodSpec> pods(List<HasMetadata> objects) {
        Map<String, PodSpec> pods = new HashMap<>();
        for (HasMetadata object : objects) {
            PodTemplateSpec template = object instanceof Deployment deployment
                    ? deployment.getSpec().getTemplate()
                    : object instanceof Job job ? job.getSpec().getTemplate() : null;
            if (template != null) {
                pods.put(ManifestChecks.id(object), template.getSpec());
            }
        }
        return pods;
    }

    private static <T extends HasMetadata> T named(List<HasMetadata> objects, Class<T> kind, String name) {
        return objects.stream()
                .filter(kind::isInstance)
                .filter(object -> object.getMetadata().getName().equals(name))
                .map(kind::cast)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind.getSimpleName() + " " + name));
    }

    private static boolean service(List<HasMetadata> objects, String name, int port) {
        return objects.stream()
                .filter(Service.class::isInstance)
                .map(Service.class::cast)
                .filter(service -> service.getMetadata().getName().equals(name))
                .anyMatch(service -> service.getSpec().getPorts().stream().anyMatch(p -> p.getPort() == port));
    }

    private static Map<String, String> env(Container container) {
        Map<String, String> env = new HashMap<>();
        for (EnvVar variable : container.getEnv()) {
            env.put(variable.getName(), variable.getValue());
        }
        return env;
    }

    /** What a pod's first container gets from its envFrom ConfigMaps and Secrets, decoded. */
    private static Map<String, String> settings(List<HasMetadata> objects, PodTemplateSpec pod) {
        Map<String, String> settings = new HashMap<>();
        for (var source : pod.getSpec().getContainers().get(0).getEnvFrom()) {
            String name = source.getConfigMapRef() != null
                    ? source.getConfigMapRef().getName()
                    : source.getSecretRef().getName();
            HasMetadata config = objects.stream()
                    .filter(object -> object instanceof ConfigMap || object instanceof Secret)
                    .filter(object -> object.getMetadata().getName().equals(name))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no ConfigMap or Secret " + name));
            if (config instanceof ConfigMap map) {
                settings.putAll(map.getData());
            } else {
                ((Secret) config).getData().forEach((key, value) -> settings.put(key, decode(value)));
            }
        }
        return settings;
    }

    private static String decode(String base64) {
        return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    }

    /** The variables docker-compose.yml gives every service (its x-app-env block). */
    private static Set<String> composeAppEnvironment() {
        JsonNode compose = Yaml.documents(Repository.file("docker-compose.yml")).get(0);
        return new TreeSet<>(compose.get("x-app-env").propertyNames());
    }

    /** The SYNCBOX_* variables the services' configuration reads: ${SYNCBOX_...} in each module's src/main/resources. */
    private static Set<String> variablesTheServicesRead() throws IOException {
        Set<String> read = new TreeSet<>();
        String pom = Files.readString(Repository.file("pom.xml"));
        for (MatchResult module : MODULE.matcher(pom).results().toList()) {
            Path resources = Repository.file(module.group(1) + "/src/main/resources");
            if (!Files.isDirectory(resources)) {
                continue;
            }
            try (Stream<Path> files = Files.list(resources)) {
                for (Path file :
                        files.filter(path -> path.toString().endsWith(".yml")).toList()) {
                    READ_VARIABLE.matcher(Files.readString(file)).results().forEach(match -> read.add(match.group(1)));
                }
            }
        }
        return read;
    }
}
