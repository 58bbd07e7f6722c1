package dev.syncbox.system.kubernetes;

import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * kustomize's name reference fix for what deploy/k8s refers to by a generated name: a pod template's ConfigMaps
 * and Secrets (envFrom, env valueFrom, volumes, projected volumes), rewritten to the name with its hash suffix.
 */
final class NameReferences {

    private NameReferences() {}

    /** {@code renamed}: "ConfigMap/name" or "Secret/name" to the generated name. */
    static void rename(ObjectNode object, Map<String, String> renamed) {
        podSpec(object.path("spec").path("template").path("spec"), renamed);
        podSpec(
                object.path("spec")
                        .path("jobTemplate")
                        .path("spec")
                        .path("template")
                        .path("spec"),
                renamed);
    }

    private static void podSpec(JsonNode pod, Map<String, String> renamed) {
        for (String containers : new String[] {"containers", "initContainers"}) {
            for (JsonNode container : pod.path(containers)) {
                for (JsonNode source : container.path("envFrom")) {
                    fix(source.path("configMapRef"), "name", "ConfigMap", renamed);
                    fix(source.path("secretRef"), "name", "Secret", renamed);
                }
                for (JsonNode env : container.path("env")) {
                    fix(env.path("valueFrom").path("configMapKeyRef"), "name", "ConfigMap", renamed);
                    fix(env.path("valueFrom").path("secretKeyRef"), "name", "Secret", renamed);
                }
            }
        }
        for (JsonNode volume : pod.path("volumes")) {
            fix(volume.path("configMap"), "name", "ConfigMap", renamed);
            fix(volume.path("secret"), "secretName", "Secret", renamed);
            for (JsonNode source : volume.path("projected").path("sources")) {
                fix(source.path("configMap"), "name", "ConfigMap", renamed);
                fix(source.path("secret"), "name", "Secret", renamed);
            }
        }
    }

    private static void fix(JsonNode reference, String field, String kind, Map<String, String> renamed) {
        if (reference instanceof ObjectNode object && object.has(field)) {
            String name = renamed.get(kind + "/" + object.get(field).asString());
            if (name != null) {
                object.put(field, name);
            }
        }
    }
}
