package dev.syncbox.system.kubernetes;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBackend;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.ServiceBackendPort;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What the API server accepts but a running system trips over: the references between a rendering's objects.
 * Services and budgets select pods that exist, Ingress backends and autoscaler targets exist, probes and
 * Service target ports name ports the containers declare, and what pods read from ConfigMaps and Secrets is
 * there. Each problem is one line naming the object.
 */
final class ManifestChecks {

    /** A Deployment or Job and the pods it makes. */
    private record Workload(HasMetadata owner, PodTemplateSpec template) {

        String namespace() {
            return owner.getMetadata().getNamespace();
        }

        Map<String, String> labels() {
            return podLabels(template);
        }
    }

    private final List<HasMetadata> objects;
    private final List<Workload> workloads = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();

    private ManifestChecks(List<HasMetadata> objects) {
        this.objects = objects;
        for (Deployment deployment : all(Deployment.class)) {
            workloads.add(new Workload(deployment, deployment.getSpec().getTemplate()));
        }
        for (Job job : all(Job.class)) {
            workloads.add(new Workload(job, job.getSpec().getTemplate()));
        }
    }

    static List<String> problems(List<HasMetadata> objects) {
        ManifestChecks checks = new ManifestChecks(objects);
        checks.deployments();
        checks.pods();
        checks.services();
        checks.ingresses();
        checks.autoscalers();
        checks.budgets();
        return checks.problems;
    }

    private void deployments() {
        for (Deployment deployment : all(Deployment.class)) {
            if (!matches(
                    deployment.getSpec().getSelector(),
                    podLabels(deployment.getSpec().getTemplate()))) {
                problems.add(id(deployment) + ": its selector does not select its own pod template");
            }
        }
    }

    private void pods() {
        for (Workload workload : workloads) {
            String owner = id(workload.owner());
            String namespace = workload.namespace();
            PodSpec pod = workload.template().getSpec();
            for (TopologySpreadConstraint spread : pod.getTopologySpreadConstraints()) {
                if (!matches(spread.getLabelSelector(), workload.labels())) {
                    problems.add(owner + ": a topology spread constraint does not select the pod's own labels");
                }
            }
            for (ConfigReferences reference : ConfigReferences.of(owner, pod)) {
                config(namespace, reference);
            }
            for (Container container : pod.getContainers()) {
                String where = owner + " container " + container.getName();
                for (var mount : container.getVolumeMounts()) {
                    if (pod.getVolumes().stream()
                            .noneMatch(volume -> volume.getName().equals(mount.getName()))) {
                        problems.add(where + ": mounts volume " + mount.getName() + ", which the pod does not have");
                    }
                }
                probe(where, "startupProbe", container.getStartupProbe(), container);
                probe(where, "livenessProbe", container.getLivenessProbe(), container);
                probe(where, "readinessProbe", container.getReadinessProbe(), container);
            }
        }
    }

    private void probe(String where, String name, Probe probe, Container container) {
        if (probe == null) {
            return;
        }
        IntOrString port = probe.getHttpGet() != null
                ? probe.getHttpGet().getPort()
                : probe.getTcpSocket() != null ? probe.getTcpSocket().getPort() : null;
        if (port != null && !declares(container, port)) {
            problems.add(where + ": " + name + " probes port " + text(port) + ", which the container does not declare");
        }
    }

    private void config(String namespace, ConfigReferences reference) {
        if (reference.optional()) {
            return;
        }
        String kind = reference.kind().getSimpleName();
        HasMetadata found = find(reference.kind(), namespace, reference.name());
        if (found == null) {
            problems.add(reference.from() + ": refers to " + kind + " " + reference.name()
                    + ", which is not in the rendering");
        } else if (reference.key() != null) {
            Set<String> keys = new HashSet<>();
            if (found instanceof ConfigMap map) {
                keys.addAll(keys(map.getData()));
                keys.addAll(keys(map.getBinaryData()));
            } else if (found instanceof Secret secret) {
                keys.addAll(keys(secret.getData()));
                keys.addAll(keys(secret.getStringData()));
            }
            if (!keys.contains(reference.key())) {
                problems.add(reference.from() + ": refers to key " + reference.key() + " of " + kind + " "
                        + reference.name() + ", which it lacks");
            }
        }
    }

    private static Set<String> keys(Map<String, String> data) {
        return data == null ? Set.of() : data.keySet();
    }

    private void services() {
        for (Service service : all(Service.class)) {
            if ("ExternalName".equals(service.getSpec().getType())) {
                if (service.getSpec().getExternalName() == null
                        || service.getSpec().getExternalName().isBlank()) {
                    problems.add(id(service) + ": an ExternalName Service without an externalName");
                }
                continue;
            }
            Map<String, String> selector = service.getSpec().getSelector();
            List<PodTemplateSpec> selected =
                    selected(service.getMetadata().getNamespace(), selector == null ? Map.of() : selector);
            if (selected.isEmpty()) {
                problems.add(id(service) + ": its selector " + selector + " matches no pod template");
            }
            for (ServicePort port : service.getSpec().getPorts()) {
                IntOrString target =
                        port.getTargetPort() != null ? port.getTargetPort() : new IntOrString(port.getPort());
                for (PodTemplateSpec pod : selected) {
                    if (pod.getSpec().getContainers().stream().noneMatch(container -> declares(container, target))) {
                        problems.add(id(service) + ": port " + port.getName() + " targets " + text(target)
                                + ", which the selected pods do not declare");
                    }
                }
            }
        }
    }

    private void ingresses() {
        for (Ingress ingress : all(Ingress.class)) {
            List<IngressBackend> backends = new ArrayList<>();
            if (ingress.getSpec().getDefaultBackend() != null) {
                backends.add(ingress.getSpec().getDefaultBackend());
            }
            for (IngressRule rule : ingress.getSpec().getRules()) {
                if (rule.getHttp() != null) {
                    rule.getHttp().getPaths().forEach(path -> backends.add(path.getBackend()));
                }
            }
            for (IngressBackend backend : backends) {
                if (backend.getService() == null) {
                    problems.add(id(ingress) + ": a backend that is not a Service");
                    continue;
                }
                Service service = (Service) find(
                        Service.class,
                        ingress.getMetadata().getNamespace(),
                        backend.getService().getName());
                ServiceBackendPort port = backend.getService().getPort();
                if (service == null) {
                    problems.add(id(ingress) + ": backend Service "
                            + backend.getService().getName() + " is not in the rendering");
                } else if (port == null
                        || service.getSpec().getPorts().stream()
                                .noneMatch(p -> port.getName() != null
                                        ? port.getName().equals(p.getName())
                                        : Objects.equals(port.getNumber(), p.getPort()))) {
                    problems.add(
                            id(ingress) + ": Service " + backend.getService().getName() + " has no port " + port);
                }
            }
        }
    }

    private void autoscalers() {
        for (HorizontalPodAutoscaler hpa : all(HorizontalPodAutoscaler.class)) {
            var target = hpa.getSpec().getScaleTargetRef();
            HasMetadata found = "Deployment".equals(target.getKind()) && "apps/v1".equals(target.getApiVersion())
                    ? find(Deployment.class, hpa.getMetadata().getNamespace(), target.getName())
                    : null;
            if (found == null) {
                problems.add(id(hpa) + ": scales " + target.getApiVersion() + " " + target.getKind() + " "
                        + target.getName() + ", which is not a Deployment in the rendering");
                continue;
            }
            if (hpa.getSpec().getMinReplicas() != null
                    && hpa.getSpec().getMinReplicas() > hpa.getSpec().getMaxReplicas()) {
                problems.add(id(hpa) + ": minReplicas above maxReplicas");
            }
            boolean cpuUtilization = hpa.getSpec().getMetrics().stream()
                    .anyMatch(metric -> metric.getResource() != null
                            && "cpu".equals(metric.getResource().getName()));
            PodSpec pod = ((Deployment) found).getSpec().getTemplate().getSpec();
            if (cpuUtilization
                    && pod.getContainers().stream()
                            .anyMatch(container -> container.getResources() == null
                                    || !container.getResources().getRequests().containsKey("cpu"))) {
                problems.add(id(hpa) + ": CPU utilization of containers without a CPU request cannot be computed");
            }
        }
    }

    private void budgets() {
        for (PodDisruptionBudget budget : all(PodDisruptionBudget.class)) {
            if (budget.getSpec().getMinAvailable() != null && budget.getSpec().getMaxUnavailable() != null) {
                problems.add(id(budget) + ": minAvailable and maxUnavailable are exclusive");
            }
            String namespace = budget.getMetadata().getNamespace();
            boolean any = workloads.stream()
                    .filter(workload -> workload.owner() instanceof Deployment)
                    .filter(workload -> Objects.equals(workload.namespace(), namespace))
                    .anyMatch(workload -> matches(budget.getSpec().getSelector(), workload.labels()));
            if (!any) {
                problems.add(id(budget) + ": its selector matches no Deployment's pods");
            }
        }
    }

    // ---- helpers

    private List<PodTemplateSpec> selected(String namespace, Map<String, String> selector) {
        return workloads.stream()
                .filter(workload -> workload.owner() instanceof Deployment)
                .filter(workload -> Objects.equals(workload.namespace(), namespace))
                .filter(workload ->
                        !selector.isEmpty() && workload.labels().entrySet().containsAll(selector.entrySet()))
                .map(Workload::template)
                .toList();
    }

    private static boolean matches(LabelSelector selector, Map<String, String> labels) {
        if (selector == null || !selector.getMatchExpressions().isEmpty()) {
            return false; // matchExpressions are not used in deploy/k8s, and not evaluated here
        }
        Map<String, String> wanted = selector.getMatchLabels();
        return wanted != null && !wanted.isEmpty() && labels.entrySet().containsAll(wanted.entrySet());
    }

    private static Map<String, String> podLabels(PodTemplateSpec template) {
        return template.getMetadata() == null || template.getMetadata().getLabels() == null
                ? Map.of()
                : template.getMetadata().getLabels();
    }

    private static boolean declares(Container container, IntOrString port) {
        for (ContainerPort declared : container.getPorts()) {
            if (port.getStrVal() != null
                    ? port.getStrVal().equals(declared.getName())
                    : port.getIntVal().equals(declared.getContainerPort())) {
                return true;
            }
        }
        return false;
    }

    private static String text(IntOrString port) {
        return port.getStrVal() != null ? port.getStrVal() : String.valueOf(port.getIntVal());
    }

    private <T extends HasMetadata> List<T> all(Class<T> kind) {
        return objects.stream().filter(kind::isInstance).map(kind::cast).toList();
    }

    private HasMetadata find(Class<? extends HasMetadata> kind, String namespace, String name) {
        return objects.stream()
                .filter(kind::isInstance)
                .filter(object -> Objects.equals(object.getMetadata().getNamespace(), namespace))
                .filter(object -> object.getMetadata().getName().equals(name))
                .findFirst()
                .orElse(null);
    }

    /** "Kind namespace/name", or "Kind name" outside a namespace. */
    static String id(HasMetadata object) {
        return object.getKind() + " " + prefix(object.getMetadata().getNamespace())
                + object.getMetadata().getName();
    }

    private static String prefix(String namespace) {
        return namespace == null ? "" : namespace + "/";
    }
}
