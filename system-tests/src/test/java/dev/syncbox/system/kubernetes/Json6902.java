package dev.syncbox.system.kubernetes;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A kustomization's {@code patches} entry holding a JSON patch (RFC 6902: add, remove, replace, test), applied to
 * the objects its target selects by kind, name (a regular expression, as in kustomize), group and version. A
 * strategic merge patch is refused, and so is a target that selects nothing (kustomize passes it silently; here
 * it is a typo until shown otherwise).
 */
final class Json6902 {

    private static final Set<String> TARGET_FIELDS = Set.of("kind", "name", "group", "version");

    private Json6902() {}

    static void apply(Path dir, JsonNode entry, List<ObjectNode> objects) {
        for (String field : entry.propertyNames()) {
            if (!field.equals("target") && !field.equals("patch") && !field.equals("path")) {
                throw new IllegalArgumentException(dir + ": patches: '" + field + "' is not supported");
            }
        }
        JsonNode target = entry.path("target");
        for (String field : target.propertyNames()) {
            if (!TARGET_FIELDS.contains(field)) {
                throw new IllegalArgumentException(dir + ": patch target '" + field + "' is not supported");
            }
        }
        if (target.isMissingNode() || !target.has("kind")) {
            throw new IllegalArgumentException(dir + ": a patch needs a target with a kind");
        }
        JsonNode operations = entry.has("path")
                ? Yaml.tree(Kustomize.read(
                        Kustomize.inside(dir, dir.resolve(entry.get("path").asString()))))
                : Yaml.tree(entry.path("patch").asString());
        if (!operations.isArray()) {
            throw new IllegalArgumentException(dir + ": only JSON 6902 patches (a list of operations) are supported");
        }
        List<ObjectNode> selected = new ArrayList<>();
        for (ObjectNode object : objects) {
            if (selects(target, object)) {
                selected.add(object);
            }
        }
        if (selected.isEmpty()) {
            throw new IllegalArgumentException(dir + ": patch target " + target + " selects nothing");
        }
        for (ObjectNode object : selected) {
            for (JsonNode operation : operations) {
                try {
                    apply(object, operation);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(dir + ": " + operation + " on "
                            + object.path("kind").asString() + "/"
                            + object.path("metadata").path("name").asString() + ": " + e.getMessage());
                }
            }
        }
    }

    private static boolean selects(JsonNode target, ObjectNode object) {
        String apiVersion = object.path("apiVersion").asString();
        int slash = apiVersion.indexOf('/');
        String group = slash < 0 ? "" : apiVersion.substring(0, slash);
        String version = apiVersion.substring(slash + 1);
        return target.path("kind").asString().equals(object.path("kind").asString())
                && (!target.has("name")
                        || Pattern.matches(
                                target.get("name").asString(),
                                object.path("metadata").path("name").asString()))
                && (!target.has("group") || target.get("group").asString().equals(group))
                && (!target.has("version") || target.get("version").asString().equals(version));
    }

    private static void apply(ObjectNode object, JsonNode operation) {
        String op = operation.path("op").asString();
        List<String> path = pointer(operation.path("path").asString());
        JsonNode parent = object;
        for (String token : path.subList(0, path.size() - 1)) {
            parent = child(parent, token);
        }
        String last = path.get(path.size() - 1);
        JsonNode value = operation.get("value");
        if (value == null && !op.equals("remove")) {
            throw new IllegalArgumentException("'" + op + "' needs a value");
        }
        switch (op) {
            case "add" -> {
                if (parent instanceof ObjectNode parentObject) {
                    parentObject.set(last, value.deepCopy());
                } else if (parent instanceof ArrayNode array) {
                    int index = last.equals("-") ? array.size() : index(array, last, array.size());
                    array.insert(index, value.deepCopy());
                }
            }
            case "replace" -> {
                child(parent, last);
                if (parent instanceof ObjectNode parentObject) {
                    parentObject.set(last, value.deepCopy());
                } else {
                    ((ArrayNode) parent).set(index((ArrayNode) parent, last, parent.size() - 1), value.deepCopy());
                }
            }
            case "remove" -> {
                child(parent, last);
                if (parent instanceof ObjectNode parentObject) {
                    parentObject.remove(last);
                } else {
                    ((ArrayNode) parent).remove(index((ArrayNode) parent, last, parent.size() - 1));
                }
            }
            case "test" -> {
                if (!child(parent, last).equals(value)) {
                    throw new IllegalArgumentException("test failed");
                }
            }
            default -> throw new IllegalArgumentException("operation '" + op + "' is not supported");
        }
    }

    private static JsonNode child(JsonNode parent, String token) {
        JsonNode child = parent instanceof ArrayNode array
                ? array.get(index(array, token, array.size() - 1))
                : parent.get(token);
        if (child == null) {
            throw new IllegalArgumentException("no " + token + " in the path");
        }
        return child;
    }

    private static int index(ArrayNode array, String token, int max) {
        if (!token.matches("0|[1-9][0-9]*") || Integer.parseInt(token) > max) {
            throw new IllegalArgumentException("no index " + token + " in a list of " + array.size());
        }
        return Integer.parseInt(token);
    }

    private static List<String> pointer(String path) {
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("path '" + path + "' is not a JSON pointer");
        }
        List<String> tokens = new ArrayList<>();
        for (String token : path.substring(1).split("/", -1)) {
            tokens.add(token.replace("~1", "/").replace("~0", "~"));
        }
        return tokens;
    }
}
