package dev.syncbox.system.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The checks fail where they should: each broken manifest below is caught, and named. */
class KubernetesChecksTest {

    private static final String DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
              namespace: app
            spec:
              selector:
                matchLabels:
                  app: web
              template:
                metadata:
                  labels:
                    app: web
                spec:
                  containers:
                    - name: web
                      image: web:1
                      ports:
                        - name: http
                          containerPort: 8080
                      readinessProbe:
                        httpGet:
                          path: /ready
                          port: http
            """;
    private static final String SERVICE = """
            apiVersion: v1
            kind: Service
            metadata:
              name: web
              namespace: app
            spec:
              selector:
                app: web
              ports:
                - name: http
                  port: 80
                  targetPort: http
            """;

    @Test
    void shouldRefuseAMisspeltFieldAndSayWhere() {
        String misspelt = DEPLOYMENT.replace("readinessProbe:", "readinesProbe:");

        assertThatThrownBy(() -> StrictModel.read(Yaml.tree(misspelt)))
                .hasMessageContaining(
                        "Deployment/web.spec.template.spec.containers[0]: unknown field(s) [readinesProbe]");
    }

    @Test
    void shouldRefuseAKindTheModelDoesNotKnow() {
        String unknown = DEPLOYMENT.replace("kind: Deployment", "kind: Deploymnet");

        assertThatThrownBy(() -> StrictModel.read(Yaml.tree(unknown)))
                .hasMessageContaining("is not a Kubernetes type fabric8 knows");
    }

    @Test
    void shouldRefuseAQuantityThatDoesNotParse() {
        String quantity = DEPLOYMENT.replace(
                "image: web:1\n",
                "image: web:1\n          resources:\n            limits:\n              memory: lots\n");

        assertThatThrownBy(() -> StrictModel.read(Yaml.tree(quantity)))
                .hasMessageContaining("'lots' is not a quantity");
    }

    @Test
    void shouldAcceptObjectsThatReferToEachOther() {
        assertThat(ManifestChecks.problems(objects(DEPLOYMENT, SERVICE))).isEmpty();
    }

    @Test
    void shouldNameAnIngressBackendThatIsNotAService() {
        String ingress = """
                apiVersion: networking.k8s.io/v1
                kind: Ingress
                metadata:
                  name: web
                  namespace: app
                spec:
                  rules:
                    - http:
                        paths:
                          - path: /
                            pathType: Prefix
                            backend:
                              service:
                                name: wbe
                                port:
                                  name: http
                """;

        assertThat(ManifestChecks.problems(objects(DEPLOYMENT, SERVICE, ingress)))
                .containsExactly("Ingress app/web: backend Service wbe is not in the rendering");
    }

    @Test
    void shouldNameAServiceThatSelectsNoPodsAndAProbeOnAnUndeclaredPort() {
        String service = SERVICE.replace("app: web", "app: webb");
        String deployment = DEPLOYMENT.replace("port: http", "port: 9090");

        assertThat(ManifestChecks.problems(objects(deployment, service)))
                .containsExactlyInAnyOrder(
                        "Deployment app/web container web: readinessProbe probes port 9090, which the container does not declare",
                        "Service app/web: its selector {app=webb} matches no pod template");
    }

    @Test
    void shouldNameAMissingConfigMapAndAnAutoscalerWithoutItsDeployment() {
        String deployment = DEPLOYMENT.replace(
                "image: web:1\n",
                "image: web:1\n          envFrom:\n            - configMapRef:\n                name: web-config\n");
        String hpa = """
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata:
                  name: web
                  namespace: app
                spec:
                  scaleTargetRef:
                    apiVersion: apps/v1
                    kind: Deployment
                    name: wbe
                  minReplicas: 2
                  maxReplicas: 4
                """;

        assertThat(ManifestChecks.problems(objects(deployment, SERVICE, hpa)))
                .containsExactlyInAnyOrder(
                        "Deployment app/web container web: refers to ConfigMap web-config, which is not in the rendering",
                        "HorizontalPodAutoscaler app/web: scales apps/v1 Deployment wbe, which is not a Deployment in the rendering");
    }

    private static List<HasMetadata> objects(String... yaml) {
        List<HasMetadata> objects = new ArrayList<>();
        for (String document : yaml) {
            objects.add(StrictModel.read(Yaml.tree(document)));
        }
        return objects;
    }
}
