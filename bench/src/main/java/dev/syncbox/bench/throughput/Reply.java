package dev.syncbox.bench.throughput;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** An HTTP answer: its status and body, with just enough JSON reading for the fields the benchmark needs. */
record Reply(int status, String body) {

    boolean ok() {
        return status >= 200 && status < 300;
    }

    /** 404 or 405: the endpoint is not there (yet); the row prints "n/a" instead of failing the run. */
    boolean endpointMissing() {
        return status == 404 || status == 405;
    }

    String field(String name) {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]*)\"").matcher(body);
        if (!m.find()) {
            throw new IllegalStateException("no " + name + " in " + this);
        }
        return m.group(1);
    }

    /** How many times {@code "name":"value"} occurs, e.g. the stored blocks of a batch answer. */
    int count(String name, String value) {
        return (int) Pattern.compile("\"" + name + "\"\\s*:\\s*\"" + Pattern.quote(value) + "\"")
                .matcher(body)
                .results()
                .count();
    }

    List<String> list(String name) {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\\[([^\\]]*)\\]").matcher(body);
        if (!m.find() || m.group(1).isBlank()) {
            return List.of();
        }
        return Pattern.compile("\"([^\"]*)\"")
                .matcher(m.group(1))
                .results()
                .map(r -> r.group(1))
                .toList();
    }

    Reply expect(int expected, String what) {
        if (status != expected) {
            throw new IllegalStateException(what + " -> " + this);
        }
        return this;
    }

    @Override
    public String toString() {
        return status + " " + (body.length() > 300 ? body.substring(0, 300) + "…" : body);
    }
}
