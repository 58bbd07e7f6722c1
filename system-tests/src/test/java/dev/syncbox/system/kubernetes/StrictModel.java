package dev.syncbox.system.kubernetes;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Kubernetes objects read into fabric8's typed model, strictly. The model keeps a field it does not know in each
 * object's {@code additionalProperties} instead of failing (Jackson's FAIL_ON_UNKNOWN_PROPERTIES never fires
 * there), so this walks every object read and refuses any such field, names an unknown kind or apiVersion
 * (fabric8 reads those as a GenericKubernetesResource), and refuses a quantity that does not parse.
 */
final class StrictModel {

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private StrictModel() {}

    /** The typed object; throws IllegalArgumentException naming every problem found. */
    static HasMetadata read(JsonNode node) {
        String where = node.path("kind").asString() + "/"
                + node.path("metadata").path("name").asString();
        KubernetesResource resource;
        try {
            resource = SERIALIZATION.unmarshal(node.toString(), KubernetesResource.class);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(where + ": " + rootMessage(e), e);
        }
        if (!(resource instanceof HasMetadata object) || resource instanceof GenericKubernetesResource) {
            throw new IllegalArgumentException(
                    where + ": apiVersion " + node.path("apiVersion").asString() + " with kind "
                            + node.path("kind").asString() + " is not a Kubernetes type fabric8 knows");
        }
        List<String> problems = new ArrayList<>();
        walk(object, where, problems);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        return object;
    }

    private static void walk(Object value, String path, List<String> problems) {
        if (value instanceof Quantity quantity) {
            try {
                quantity.getNumericalAmount();
            } catch (RuntimeException e) {
                problems.add(path + ": '" + quantity + "' is not a quantity");
            }
        }
        if (value instanceof Collection<?> items) {
            int index = 0;
            for (Object item : items) {
                walk(item, path + "[" + index++ + "]", problems);
            }
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((key, item) -> walk(item, path + "." + key, problems));
            return;
        }
        if (value == null || !value.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
            return;
        }
        for (Class<?> type = value.getClass(); type != Object.class; type = type.getSuperclass()) {
            for (Field field : type.getDeclaredFields()) {
                if (Modifier.isStatic(field.getModifiers())) {
                    continue;
                }
                JsonProperty property = field.getAnnotation(JsonProperty.class);
                if (field.getName().equals("additionalProperties")) {
                    Map<?, ?> unknown = (Map<?, ?>) get(field, value);
                    if (unknown != null && !unknown.isEmpty()) {
                        problems.add(path + ": unknown field(s) " + unknown.keySet());
                    }
                } else if (property != null) {
                    walk(get(field, value), path + "." + property.value(), problems);
                }
            }
        }
    }

    private static Object get(Field field, Object owner) {
        try {
            field.setAccessible(true);
            return field.get(owner);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage();
    }
}
