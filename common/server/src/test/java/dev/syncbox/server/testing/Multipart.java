package dev.syncbox.server.testing;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

/** A multipart/form-data body whose parts keep their order and whose content may be streamed. */
public final class Multipart {

    private final String boundary = "syncbox-" + UUID.randomUUID();
    private final List<Supplier<InputStream>> pieces = new ArrayList<>();

    public Multipart field(String name, String value) {
        return part(name, null, () -> new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8)));
    }

    public Multipart file(String name, byte[] content) {
        return part(name, "blob", () -> new ByteArrayInputStream(content));
    }

    /** A file part read from a fresh stream each time the body is sent. */
    public Multipart file(String name, Supplier<InputStream> content) {
        return part(name, "blob", content);
    }

    private Multipart part(String name, String filename, Supplier<InputStream> content) {
        String header = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\""
                + (filename == null ? "" : "; filename=\"" + filename + "\"\r\nContent-Type: application/octet-stream")
                + "\r\n\r\n";
        pieces.add(() -> bytes(header));
        pieces.add(content);
        pieces.add(() -> bytes("\r\n"));
        return this;
    }

    public String contentType() {
        return "multipart/form-data; boundary=" + boundary;
    }

    public HttpRequest.BodyPublisher publisher() {
        List<Supplier<InputStream>> all = new ArrayList<>(pieces);
        all.add(() -> bytes("--" + boundary + "--\r\n"));
        return HttpRequest.BodyPublishers.ofInputStream(() -> new SequenceInputStream(
                Collections.enumeration(all.stream().map(Supplier::get).toList())));
    }

    private static InputStream bytes(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }
}
