package dev.syncbox.system.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

class KustomizeTest {

    @TempDir
    Path dir;

    @Test
    void shouldNameGeneratedObjectsWithKustomizesContentHash() throws IOException {
        // expected names from kubectl kustomize (kustomize v5.5.0) on the same files
        write("body.txt", "line \"one\"\n\tline <two> & three\\\n");
        write("e.env", "A=\"x\"\n  B=y\r\n# c\n");
        write("kustomization.yaml", """
                apiVersion: kustomize.config.k8s.io/v1beta1
                kind: Kustomization
                configMapGenerator:
                  - name: hash-check
                    literals:
                      - a=<b>&c
                      - quoted="kept?"
                    files:
                      - body.txt
                  - name: env-check
                    envs:
                      - e.env
                secretGenerator:
                  - name: secret-check
                    literals:
                      - password=s3cr<e>t
                """);

        Map<String, ObjectNode> rendered = byName(Kustomize.render(dir));

        assertThat(rendered)
                .containsOnlyKeys("hash-check-gfcmfbkm57", "env-check-ttc7cb9fmc", "secret-check-8k5mg95948");
        assertThat(rendered.get("hash-check-gfcmfbkm57")
                        .get("data")
                        .get("quoted")
                        .asString())
                .as("a literal loses its quotes")
                .isEqualTo("kept?");
        assertThat(rendered.get("env-check-ttc7cb9fmc").get("data").get("A").asString())
                .as("an env file's value keeps them")
                .isEqualTo("\"x\"");
        assertThat(rendered.get("secret-check-8k5mg95948")
                        .get("data")
                        .get("password")
                        .asString())
                .isEqualTo("czNjcjxlPnQ=");
    }

    @Test
    void shouldRefuseWhatItDoesNotRenderInsteadOfSkippingIt() throws IOException {
        write("kustomization.yaml", """
                apiVersion: kustomize.config.k8s.io/v1beta1
                kind: Kustomization
                replicas:
                  - name: web
                    count: 3
                """);

        assertThatThrownBy(() -> Kustomize.render(dir)).hasMessageContaining("'replicas' is not supported");
    }

    @Test
    void shouldReadFilesOnlyInsideTheKustomizationAsKustomizeDoes() throws IOException {
        Files.writeString(dir.resolve("outside.conf"), "x");
        write("k/kustomization.yaml", """
                apiVersion: kustomize.config.k8s.io/v1beta1
                kind: Kustomization
                configMapGenerator:
                  - name: outside
                    files:
                      - ../outside.conf
                """);

        assertThatThrownBy(() -> Kustomize.render(dir.resolve("k")))
                .hasMessageContaining("is not a file in or below the kustomization");
    }

    @Test
    void shouldRefuseAPatchThatSelectsNothing() throws IOException {
        write("svc.yaml", """
                apiVersion: v1
                kind: Service
                metadata:
                  name: web
                spec:
                  ports:
                    - port: 80
                """);
        write("kustomization.yaml", """
                apiVersion: kustomize.config.k8s.io/v1beta1
                kind: Kustomization
                resources:
                  - svc.yaml
                patches:
                  - target:
                      kind: Deployment
                    patch: |-
                      - op: replace
                        path: /spec/replicas
                        value: 1
                """);

        assertThatThrownBy(() -> Kustomize.render(dir)).hasMessageContaining("selects nothing");
    }

    /** The renderer's whole claim, on the real kustomizations, where kubectl is installed (it is not required). */
    @Test
    void shouldRenderDeployK8sAsKubectlKustomizeDoes() throws Exception {
        // kustomize 5 (kubectl 1.27 and later) is the one this renderer follows
        assumeThat(kustomizeVersion()).as("kubectl's kustomize version").startsWith("v5.");

        for (Path kustomization : KubernetesManifestsTest.kustomizations()) {
            Process kubectl = new ProcessBuilder("kubectl", "kustomize", kustomization.toString())
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            String output = new String(kubectl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(kubectl.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(kubectl.exitValue())
                    .as("kubectl kustomize " + kustomization)
                    .isZero();
            Path file = dir.resolve("kubectl.yaml");
            Files.writeString(file, output);

            assertThat(byId(Kustomize.render(kustomization)))
                    .as(kustomization.toString())
                    .isEqualTo(byId(Yaml.documents(file)));
        }
    }

    /** "v5.5.0", say, from kubectl on the PATH; empty without kubectl. */
    private static String kustomizeVersion() {
        try {
            Process process = new ProcessBuilder("kubectl", "version", "--client")
                    .redirectErrorStream(true)
                    .start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                return "";
            }
            return output.lines()
                    .filter(line -> line.startsWith("Kustomize Version: "))
                    .map(line -> line.substring("Kustomize Version: ".length()).trim())
                    .findFirst()
                    .orElse("");
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    private void write(String name, String content) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    private static Map<String, ObjectNode> byName(List<ObjectNode> objects) {
        Map<String, ObjectNode> byName = new TreeMap<>();
        objects.forEach(object -> byName.put(object.get("metadata").get("name").asString(), object));
        return byName;
    }

    private static Map<String, JsonNode> byId(List<ObjectNode> objects) {
        Map<String, JsonNode> byId = new TreeMap<>();
        for (ObjectNode object : objects) {
            JsonNode metadata = object.get("metadata");
            byId.put(
                    object.get("kind").asString() + " "
                            + metadata.path("namespace").asString("") + "/"
                            + metadata.get("name").asString(),
                    object);
        }
        return byId;
    }
}
