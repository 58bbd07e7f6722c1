package dev.syncbox.system.kubernetes;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Renders a kustomization as {@code kubectl kustomize} does, for the features deploy/k8s uses: resources (files
 * and kustomization folders), generators (literals, files, env files, labels, the content-hash name suffix and
 * the references to it), JSON 6902 patches by target, namespace, labels and images. Anything else in a
 * kustomization is refused, never skipped, so a rendering that passes here is the one kustomize makes.
 */
final class Kustomize {

    private static final Set<String> FIELDS = Set.of(
            "apiVersion",
            "kind",
            "resources",
            "namespace",
            "labels",
            "images",
            "configMapGenerator",
            "secretGenerator",
            "patches");
    private static final Set<String> GENERATOR_FIELDS = Set.of("name", "literals", "files", "envs", "options", "type");
    private static final Set<String> CLUSTER_SCOPED = Set.of(
            "Namespace",
            "ClusterRole",
            "ClusterRoleBinding",
            "CustomResourceDefinition",
            "IngressClass",
            "PersistentVolume",
            "PriorityClass",
            "StorageClass");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]*");

    /** One rendered object; {@code generated} ones get kustomize's content hash appended to their name. */
    private record Resource(ObjectNode node, boolean generated) {

        String id() {
            return node.path("kind").asString() + "/"
                    + node.path("metadata").path("namespace").asString("") + "/"
                    + node.path("metadata").path("name").asString();
        }
    }

    private Kustomize() {}

    /** The objects {@code kubectl kustomize dir} prints, in no particular order. */
    static List<ObjectNode> render(Path dir) {
        List<Resource> resources = accumulate(dir.toAbsolutePath().normalize());
        // As kustomize: hashes and the references to the hashed names come last, once, for the whole tree.
        Map<String, String> renamed = new HashMap<>();
        for (Resource resource : resources) {
            if (resource.generated()) {
                ObjectNode metadata = (ObjectNode) resource.node().get("metadata");
                String name = metadata.get("name").asString();
                String hashed = name + "-" + KustomizeHash.of(resource.node());
                metadata.put("name", hashed);
                renamed.put(resource.node().get("kind").asString() + "/" + name, hashed);
            }
        }
        List<ObjectNode> rendered = new ArrayList<>();
        for (Resource resource : resources) {
            NameReferences.rename(resource.node(), renamed);
            rendered.add(resource.node());
        }
        return rendered;
    }

    private static List<Resource> accumulate(Path dir) {
        JsonNode kustomization = kustomization(dir);
        List<Resource> resources = new ArrayList<>();
        Map<String, Resource> byId = new LinkedHashMap<>();
        for (JsonNode entry : kustomization.path("resources")) {
            Path path = dir.resolve(entry.asString()).normalize();
            if (Files.isDirectory(path)) {
                resources.addAll(accumulate(path));
            } else {
                for (ObjectNode node : Yaml.documents(inside(dir, path))) {
                    resources.add(new Resource(node, false));
                }
            }
        }
        for (JsonNode generator : kustomization.path("configMapGenerator")) {
            resources.add(generate(dir, generator, "ConfigMap"));
        }
        for (JsonNode generator : kustomization.path("secretGenerator")) {
            resources.add(generate(dir, generator, "Secret"));
        }
        // kustomize's order of the built-in transformers: patches, namespace, labels, images
        for (JsonNode patch : kustomization.path("patches")) {
            Json6902.apply(dir, patch, resources.stream().map(Resource::node).toList());
        }
        String namespace = kustomization.path("namespace").asString(null);
        for (Resource resource : resources) {
            if (namespace != null
                    && !CLUSTER_SCOPED.contains(resource.node().path("kind").asString())) {
                ((ObjectNode) resource.node().get("metadata")).put("namespace", namespace);
            }
            for (JsonNode labels : kustomization.path("labels")) {
                addLabels(resource.node(), labels);
            }
            Images.apply(resource.node(), kustomization.path("images"));
            Resource earlier = byId.putIfAbsent(resource.id(), resource);
            if (earlier != null) {
                throw new IllegalArgumentException(dir + ": " + resource.id() + " is defined twice");
            }
        }
        return resources;
    }

    private static JsonNode kustomization(Path dir) {
        Path file = dir.resolve("kustomization.yaml");
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(dir + " has no kustomization.yaml");
        }
        List<ObjectNode> documents = Yaml.documents(file);
        if (documents.size() != 1) {
            throw new IllegalArgumentException(file + ": one document expected");
        }
        ObjectNode kustomization = documents.get(0);
        for (String field : kustomization.propertyNames()) {
            if (!FIELDS.contains(field)) {
                throw new IllegalArgumentException(file + ": '" + field + "' is not supported by this renderer");
            }
        }
        if (!"kustomize.config.k8s.io/v1beta1"
                        .equals(kustomization.path("apiVersion").asString())
                || !"Kustomization".equals(kustomization.path("kind").asString())) {
            throw new IllegalArgumentException(
                    file + ": apiVersion kustomize.config.k8s.io/v1beta1, kind Kustomization");
        }
        return kustomization;
    }

    /** kustomize's load restriction: a kustomization reads files only in and below its own folder. */
    static Path inside(Path dir, Path path) {
        Path normalized = path.toAbsolutePath().normalize();
        if (!normalized.startsWith(dir) || !Files.isRegularFile(normalized)) {
            throw new IllegalArgumentException(dir + ": " + path + " is not a file in or below the kustomization");
        }
        return normalized;
    }

    private static Resource generate(Path dir, JsonNode generator, String kind) {
        for (String field : generator.propertyNames()) {
            if (!GENERATOR_FIELDS.contains(field)) {
                throw new IllegalArgumentException(dir + ": generator field '" + field + "' is not supported");
            }
        }
        Map<String, String> data = new TreeMap<>();
        for (JsonNode literal : generator.path("literals")) {
            put(dir, data, literal.asString(), true);
        }
        for (JsonNode env : generator.path("envs")) {
            for (String line : read(inside(dir, dir.resolve(env.asString()))).split("\n", -1)) {
                String trimmed = line.stripLeading();
                if (trimmed.endsWith("\r")) {
                    trimmed = trimmed.substring(0, trimmed.length() - 1);
                }
                if (!trimmed.isEmpty() && !trimmed.startsWith("#")) {
                    put(dir, data, trimmed, false);
                }
            }
        }
        for (JsonNode file : generator.path("files")) {
            String spec = file.asString();
            int equals = spec.indexOf('=');
            Path path = inside(dir, dir.resolve(equals < 0 ? spec : spec.substring(equals + 1)));
            String key = equals < 0 ? path.getFileName().toString() : spec.substring(0, equals);
            if (data.put(key, read(path)) != null) {
                throw new IllegalArgumentException(dir + ": key " + key + " twice in one generator");
            }
        }
        JsonNodeFactory json = JsonNodeFactory.instance;
        ObjectNode node = json.objectNode();
        node.put("apiVersion", "v1");
        node.put("kind", kind);
        ObjectNode metadata = node.putObject("metadata");
        metadata.put("name", generator.path("name").asString());
        JsonNode options = generator.path("options");
        for (String option : options.propertyNames()) {
            if (!option.equals("labels") && !option.equals("disableNameSuffixHash")) {
                throw new IllegalArgumentException(dir + ": generator option '" + option + "' is not supported");
            }
        }
        if (options.has("labels")) {
            metadata.set("labels", options.get("labels").deepCopy());
        }
        ObjectNode values = node.putObject("data");
        data.forEach((key, value) -> values.put(
                key,
                kind.equals("Secret")
                        ? Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8))
                        : value));
        if (kind.equals("Secret")) {
            node.put("type", generator.path("type").asString("Opaque"));
        }
        return new Resource(node, !options.path("disableNameSuffixHash").asBoolean(false));
    }

    private static void put(Path dir, Map<String, String> data, String pair, boolean literal) {
        int equals = pair.indexOf('=');
        // kustomize would read a bare NAME from its own environment: not reproducible, so refused here
        if (equals <= 0 || !ENV_NAME.matcher(pair.substring(0, equals)).matches()) {
            throw new IllegalArgumentException(dir + ": '" + pair + "' is not NAME=value");
        }
        String value = pair.substring(equals + 1);
        // a literal's value loses one pair of surrounding quotes, an env file's keeps them (as kustomize)
        if (literal
                && value.length() >= 2
                && (value.charAt(0) == '"' || value.charAt(0) == '\'')
                && value.charAt(value.length() - 1) == value.charAt(0)) {
            value = value.substring(1, value.length() - 1);
        }
        if (data.put(pair.substring(0, equals), value) != null) {
            throw new IllegalArgumentException(dir + ": " + pair.substring(0, equals) + " twice in one generator");
        }
    }

    private static void addLabels(ObjectNode node, JsonNode labels) {
        for (String field : labels.propertyNames()) {
            boolean off = (field.equals("includeSelectors") || field.equals("includeTemplates"))
                    && !labels.get(field).asBoolean();
            if (!field.equals("pairs") && !off) {
                throw new IllegalArgumentException("labels: only 'pairs' (metadata labels) is supported, not " + field);
            }
        }
        ObjectNode metadata = (ObjectNode) node.get("metadata");
        ObjectNode existing =
                metadata.has("labels") ? (ObjectNode) metadata.get("labels") : metadata.putObject("labels");
        labels.path("pairs").properties().forEach(pair -> existing.set(pair.getKey(), pair.getValue()));
    }

    static String read(Path path) {
        try {
            return Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + path, e);
        }
    }

    /** kustomize's image transformer: every containers[] and initContainers[] image, wherever it is. */
    static final class Images {

        private Images() {}

        static void apply(JsonNode node, JsonNode images) {
            for (JsonNode entry : images) {
                for (String field : entry.propertyNames()) {
                    if (!Set.of("name", "newName", "newTag", "digest").contains(field)) {
                        throw new IllegalArgumentException("images: '" + field + "' is not supported");
                    }
                }
            }
            walk(node, images);
        }

        private static void walk(JsonNode node, JsonNode images) {
            if (node instanceof ObjectNode object) {
                for (String field : List.copyOf(object.propertyNames())) {
                    JsonNode child = object.get(field);
                    if ((field.equals("containers") || field.equals("initContainers")) && child instanceof ArrayNode) {
                        for (JsonNode container : child) {
                            retag((ObjectNode) container, images);
                        }
                    } else {
                        walk(child, images);
                    }
                }
            } else if (node instanceof ArrayNode array) {
                array.forEach(child -> walk(child, images));
            }
        }

        private static void retag(ObjectNode container, JsonNode images) {
            String image = container.path("image").asString();
            int at = image.indexOf('@');
            String withoutDigest = at < 0 ? image : image.substring(0, at);
            int colon = withoutDigest.lastIndexOf(':');
            boolean tagged = colon > withoutDigest.lastIndexOf('/');
            String name = tagged ? withoutDigest.substring(0, colon) : withoutDigest;
            String suffix = image.substring(name.length());
            for (JsonNode entry : images) {
                if (entry.path("name").asString().equals(name)) {
                    String newName = entry.path("newName").asString(name);
                    if (entry.has("digest")) {
                        suffix = "@" + entry.get("digest").asString();
                    } else if (entry.has("newTag")) {
                        suffix = ":" + entry.get("newTag").asString();
                    }
                    container.put("image", newName + suffix);
                    return;
                }
            }
        }
    }
}
