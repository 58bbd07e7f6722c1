package dev.syncbox.server.dropbox;

import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * A route's argument: the JSON body of an RPC route, or the {@code Dropbox-API-Arg} header (or {@code arg} query
 * parameter) of a content route, with typed reads that answer 400 as Dropbox does when a field is missing or of the
 * wrong type. JSON's {@code \}{@code uXXXX} escapes, which the SDKs use to keep headers ASCII, decode as usual.
 */
public final class DropboxArgs {

    /** The header content routes carry their argument in. */
    public static final String HEADER = "Dropbox-API-Arg";

    private final JsonNode node;
    private final String where;

    private DropboxArgs(JsonNode node, String where) {
        this.node = node;
        this.where = where;
    }

    /** An RPC route's body; empty or {@code null} (a route without argument) is an empty object. */
    public static DropboxArgs body(JsonMapper json, byte[] body) {
        return parse(json, body == null ? "" : new String(body, java.nio.charset.StandardCharsets.UTF_8), "body");
    }

    /** A content route's argument: the {@code Dropbox-API-Arg} header, else the {@code arg} query parameter. */
    public static DropboxArgs header(JsonMapper json, HttpServletRequest request) {
        String text = request.getHeader(HEADER);
        String where = HEADER + " header";
        if (text == null) {
            text = request.getParameter("arg");
            where = "arg parameter";
        }
        if (text == null) {
            throw DropboxApiException.badInput("Missing the " + HEADER + " header (or the arg query parameter)");
        }
        return parse(json, text, where);
    }

    private static DropboxArgs parse(JsonMapper json, String text, String where) {
        if (text.isBlank() || text.strip().equals("null")) {
            return new DropboxArgs(JsonNodeFactory.instance.objectNode(), where);
        }
        JsonNode node;
        try {
            node = json.readTree(text);
        } catch (JacksonException e) {
            throw DropboxApiException.badInput("Error in the " + where + ": could not decode input as JSON");
        }
        if (node == null || !node.isObject()) {
            throw DropboxApiException.badInput("Error in the " + where + ": expected a JSON object");
        }
        return new DropboxArgs(node, where);
    }

    /** The arguments inside member {@code name}, which must be an object; an empty one when it is absent. */
    public DropboxArgs object(String name) {
        JsonNode value = present(name);
        if (value == null) {
            return new DropboxArgs(JsonNodeFactory.instance.objectNode(), where + " ." + name);
        }
        if (!value.isObject()) {
            throw wrongType(name, "an object");
        }
        return new DropboxArgs(value, where + " ." + name);
    }

    public boolean has(String name) {
        return present(name) != null;
    }

    public String string(String name) {
        String value = optionalString(name);
        if (value == null) {
            throw DropboxApiException.badInput("Error in the " + where + ": missing required field '" + name + "'");
        }
        return value;
    }

    public String optionalString(String name) {
        JsonNode value = present(name);
        if (value == null) {
            return null;
        }
        if (!value.isString()) {
            throw wrongType(name, "a string");
        }
        return value.asString();
    }

    public boolean bool(String name, boolean otherwise) {
        JsonNode value = present(name);
        if (value == null) {
            return otherwise;
        }
        if (!value.isBoolean()) {
            throw wrongType(name, "a boolean");
        }
        return value.booleanValue();
    }

    public long number(String name, long otherwise, long min, long max) {
        JsonNode value = present(name);
        if (value == null) {
            return otherwise;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw wrongType(name, "an integer");
        }
        long number = value.longValue();
        if (number < min || number > max) {
            throw DropboxApiException.badInput(
                    "Error in the " + where + ": '" + name + "' must be between " + min + " and " + max);
        }
        return number;
    }

    /**
     * A union member's tag: {@code "add"} or {@code {".tag": "add"}}, both of which Dropbox takes for a member
     * without a value; {@code otherwise} when absent.
     */
    public String tag(String name, String otherwise) {
        JsonNode value = present(name);
        if (value == null) {
            return otherwise;
        }
        if (value.isString()) {
            return value.asString();
        }
        if (value.isObject() && value.path(".tag").isString()) {
            return value.path(".tag").asString();
        }
        throw wrongType(name, "a tagged union");
    }

    /** A union member as arguments, to read the value beside its tag ({@code {".tag": "update", "update": rev}}). */
    public DropboxArgs union(String name) {
        JsonNode value = present(name);
        if (value != null && value.isObject()) {
            return new DropboxArgs(value, where + " ." + name);
        }
        return new DropboxArgs(JsonNodeFactory.instance.objectNode(), where + " ." + name);
    }

    /** A list of objects; empty when absent. */
    public List<DropboxArgs> objects(String name) {
        JsonNode value = present(name);
        List<DropboxArgs> out = new ArrayList<>();
        if (value == null) {
            return out;
        }
        if (!value.isArray()) {
            throw wrongType(name, "a list");
        }
        for (int i = 0; i < value.size(); i++) {
            if (!value.get(i).isObject()) {
                throw wrongType(name + "[" + i + "]", "an object");
            }
            out.add(new DropboxArgs(value.get(i), where + " ." + name + "[" + i + "]"));
        }
        return out;
    }

    /** A list of strings; empty when absent. */
    public List<String> strings(String name) {
        JsonNode value = present(name);
        List<String> out = new ArrayList<>();
        if (value == null) {
            return out;
        }
        if (!value.isArray()) {
            throw wrongType(name, "a list");
        }
        for (int i = 0; i < value.size(); i++) {
            if (!value.get(i).isString()) {
                throw wrongType(name + "[" + i + "]", "a string");
            }
            out.add(value.get(i).asString());
        }
        return out;
    }

    /** The raw JSON, for what the typed reads do not cover. */
    public JsonNode node() {
        return node;
    }

    private JsonNode present(String name) {
        JsonNode value = node.get(name);
        return value == null || value.isNull() ? null : value;
    }

    private DropboxApiException wrongType(String name, String expected) {
        return DropboxApiException.badInput("Error in the " + where + ": '" + name + "' must be " + expected);
    }
}
