package dev.syncbox.bench.transfer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A fresh account on the gateway; uploads with a streamed multipart body and downloads as a stream. */
final class GatewayClient {

    private static final String BOUNDARY = "syncbox-large-transfer-bench";

    private final String base;
    private final String bearer;

    private GatewayClient(String base, String bearer) {
        this.base = base;
        this.bearer = bearer;
    }

    static GatewayClient signUp(String base) throws IOException {
        String email = "bench-transfer-" + System.nanoTime() + "@example.test";
        String credentials = "\"email\":\"" + email + "\",\"password\":\"benchmark-password\"";
        json(base, "/auth/register", "{" + credentials + ",\"name\":\"bench\"}", 201);
        String login = json(base, "/auth/login", "{" + credentials + ",\"device_name\":\"bench\"}", 200);
        return new GatewayClient(base, "Bearer " + field(login, "access_token"));
    }

    /** {@code POST /files/upload} of {@code file}, streamed (fixed length, nothing buffered); returns the file id. */
    String upload(String path, Path file) throws IOException {
        long size = Files.size(file);
        byte[] head = ("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file_path\"\r\n\r\n" + path
                        + "\r\n--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file_size\"\r\n\r\n" + size
                        + "\r\n--" + BOUNDARY
                        + "\r\nContent-Disposition: form-data; name=\"content\"; filename=\"large.bin\"\r\n"
                        + "Content-Type: application/octet-stream\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8);
        HttpURLConnection c = open("/files/upload");
        c.setRequestMethod("POST");
        c.setDoOutput(true);
        c.setRequestProperty("Content-Type", "multipart/form-data; boundary=" + BOUNDARY);
        c.setFixedLengthStreamingMode(head.length + size + tail.length);
        try (OutputStream out = c.getOutputStream();
                InputStream in = Files.newInputStream(file)) {
            out.write(head);
            in.transferTo(out);
            out.write(tail);
        }
        return field(answer(c, 200), "file_id");
    }

    /** {@code GET /files/download/{id}}, compared with {@code file} as it arrives; returns the byte count. */
    long downloadAndCompare(String fileId, Path file) throws IOException {
        HttpURLConnection c = open("/files/download/" + fileId);
        if (c.getResponseCode() != 200) {
            answer(c, 200);
        }
        try (InputStream in = c.getInputStream()) {
            return Payload.compare(in, file);
        }
    }

    private HttpURLConnection open(String path) throws IOException {
        HttpURLConnection c =
                (HttpURLConnection) URI.create(base + path).toURL().openConnection();
        c.setRequestProperty("Authorization", bearer);
        return c;
    }

    private static String json(String base, String path, String body, int expected) throws IOException {
        HttpURLConnection c =
                (HttpURLConnection) URI.create(base + path).toURL().openConnection();
        c.setRequestMethod("POST");
        c.setDoOutput(true);
        c.setRequestProperty("Content-Type", "application/json");
        try (OutputStream out = c.getOutputStream()) {
            out.write(body.getBytes(StandardCharsets.UTF_8));
        }
        return answer(c, expected);
    }

    private static String answer(HttpURLConnection c, int expected) throws IOException {
        int status = c.getResponseCode();
        InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
        String body = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        if (status != expected) {
            throw new IllegalStateException(c.getRequestMethod() + " " + c.getURL() + " → " + status + " " + body);
        }
        return body;
    }

    private static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]*)\"").matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("no " + name + " in " + json);
        }
        return m.group(1);
    }
}
