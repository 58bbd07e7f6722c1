package dev.syncbox.bench.throughput;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;

/** A multipart/form-data body written by hand: the parts in the order given, which the upload contract relies on. */
public final class Multipart {

    private static final String BOUNDARY = "syncbox-throughput-bench-3b9f41c2";
    public static final String CONTENT_TYPE = "multipart/form-data; boundary=" + BOUNDARY;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    public Multipart field(String name, String value) {
        write("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n");
        return this;
    }

    public Multipart file(String name, byte[] data) {
        write(head(name));
        out.writeBytes(data);
        write("\r\n");
        return this;
    }

    /** The closing delimiter; every part already ends with the CRLF that belongs to the next delimiter. */
    public byte[] finish() {
        write("--" + BOUNDARY + "--\r\n");
        return out.toByteArray();
    }

    /** What is written so far plus the head of a file part, whose bytes the caller streams. */
    public byte[] fileHead(String name) {
        write(head(name));
        return out.toByteArray();
    }

    /** A body without parts: enough to ask whether an endpoint is there. */
    static byte[] empty() {
        return new Multipart().finish();
    }

    /** The end of the streamed file part (its CRLF) and of the body. */
    public static byte[] tail() {
        return ("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    static InputStream stream(byte[] head, InputStream content, byte[] tail) {
        return new SequenceInputStream(Collections.enumeration(
                List.of(new ByteArrayInputStream(head), content, new ByteArrayInputStream(tail))));
    }

    private static String head(String name) {
        return "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + name + "\"; filename=\"" + name
                + "\"\r\nContent-Type: application/octet-stream\r\n\r\n";
    }

    private void write(String s) {
        out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
    }
}
