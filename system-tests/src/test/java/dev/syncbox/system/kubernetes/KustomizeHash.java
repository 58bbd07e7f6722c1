package dev.syncbox.system.kubernetes;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;

/**
 * The name suffix kustomize gives a generated ConfigMap or Secret: the SHA-256 of its kind, name and data as Go's
 * encoding/json writes them (keys sorted, {@code <>&} escaped), the first ten hex digits with 0, 1, 3, a and e
 * replaced so that the suffix never reads as a word or number. The name is always empty: kustomize's hasher looks
 * it up as one field called "metadata/name", which no object has (checked against kubectl kustomize's output).
 */
final class KustomizeHash {

    private KustomizeHash() {}

    static String of(JsonNode node) {
        String kind = node.path("kind").asString();
        Map<String, String> fields = new TreeMap<>();
        fields.put("kind", json(kind));
        fields.put("name", json(""));
        fields.put("data", node.has("data") ? object(node.get("data")) : json(""));
        switch (kind) {
            case "ConfigMap" -> {
                if (node.has("binaryData")) {
                    fields.put("binaryData", object(node.get("binaryData")));
                }
            }
            case "Secret" -> {
                fields.put("type", json(node.path("type").asString("")));
                if (node.has("stringData")) {
                    fields.put("stringData", object(node.get("stringData")));
                }
            }
            default -> throw new IllegalArgumentException("only ConfigMaps and Secrets are generated, not " + kind);
        }
        StringBuilder encoded = new StringBuilder("{");
        fields.forEach((key, value) -> encoded.append(encoded.length() > 1 ? "," : "")
                .append(json(key))
                .append(':')
                .append(value));
        String hex = sha256(encoded.append('}').toString());
        StringBuilder suffix = new StringBuilder();
        for (char c : hex.substring(0, 10).toCharArray()) {
            suffix.append(
                    switch (c) {
                        case '0' -> 'g';
                        case '1' -> 'h';
                        case '3' -> 'k';
                        case 'a' -> 'm';
                        case 'e' -> 't';
                        default -> c;
                    });
        }
        return suffix.toString();
    }

    private static String object(JsonNode values) {
        Map<String, String> sorted = new TreeMap<>();
        values.properties()
                .forEach(entry -> sorted.put(entry.getKey(), entry.getValue().asString()));
        StringBuilder out = new StringBuilder("{");
        sorted.forEach((key, value) -> out.append(out.length() > 1 ? "," : "")
                .append(json(key))
                .append(':')
                .append(json(value)));
        return out.append('}').toString();
    }

    /** A JSON string as Go's encoding/json writes it. */
    static String json(String value) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '<', '>', '&', '\u2028', '\u2029' -> out.append(String.format("\\u%04x", (int) c));
                default -> {
                    if (c < 0x20) {
                        // Go versions differ here (\b and \f); nothing in deploy/k8s needs them
                        throw new IllegalArgumentException("control character " + (int) c + " in generated data");
                    }
                    out.append(c);
                }
            }
        }
        return out.append('"').toString();
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
