package dev.syncbox.system.kubernetes;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** YAML files as JSON trees: one per document, empty documents skipped. */
final class Yaml {

    private static final YAMLMapper MAPPER = YAMLMapper.builder().build();

    private Yaml() {}

    static List<ObjectNode> documents(Path file) {
        List<ObjectNode> documents = new ArrayList<>();
        try (var values = MAPPER.readerFor(JsonNode.class).<JsonNode>readValues(Kustomize.read(file))) {
            while (values.hasNext()) {
                JsonNode document = values.next();
                if (document instanceof ObjectNode object) {
                    documents.add(object);
                } else if (document != null && !document.isNull() && !document.isMissingNode()) {
                    throw new IllegalArgumentException(file + ": a document that is not a mapping");
                }
            }
        }
        return documents;
    }

    static JsonNode tree(String yaml) {
        return MAPPER.readTree(yaml);
    }
}
