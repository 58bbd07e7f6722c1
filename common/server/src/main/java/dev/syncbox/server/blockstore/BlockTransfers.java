package dev.syncbox.server.blockstore;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.http.HttpEntity;
import org.apache.http.client.config.RequestConfig;
import org.apache.http.client.methods.CloseableHttpResponse;
import org.apache.http.client.methods.HttpGet;
import org.apache.http.client.methods.HttpPut;
import org.apache.http.client.methods.HttpRequestBase;
import org.apache.http.entity.ByteArrayEntity;
import org.apache.http.entity.ContentType;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.impl.client.HttpClients;
import org.apache.http.impl.conn.PoolingHttpClientConnectionManager;
import org.apache.http.util.EntityUtils;

/**
 * The two requests on the hot path of every upload and download — a block's {@code PUT} and a ranged
 * {@code GET} — sent straight over a pooled HTTP client and signed with {@link SigV4}, instead of
 * through the SDK's request pipeline (interceptors, metrics, checksum passes, its own signing), which
 * costs about a millisecond of CPU per request (docs/performance.md, "Block transfers"). The PUT is
 * pinned by its {@code x-amz-checksum-sha256} (the block's id), which the store verifies against the
 * bytes it keeps, so the payload goes unsigned as the SDK sends it over HTTPS. Everything else — bucket
 * set-up, batch deletes, listings, health — stays on the SDK.
 *
 * <p>Failures are {@link Failure}s: the HTTP status and S3's error code, or status 0 for a request that
 * never got an answer. A request that got no answer, 5xx or 429 is sent again, three attempts in all, as
 * the SDK's standard retry mode does.
 */
final class BlockTransfers implements AutoCloseable {

    static final int ATTEMPTS = 3;

    private static final Pattern ERROR_CODE = Pattern.compile("<Code>([^<]+)</Code>");
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(50);

    /** A request the store refused or did not answer. */
    static final class Failure extends RuntimeException {
        private final int status;
        private final String code;

        Failure(int status, String code, String message, Throwable cause) {
            super(message, cause);
            this.status = status;
            this.code = code;
        }

        int status() {
            return status;
        }

        /** S3's error code ({@code NoSuchKey}, {@code NoSuchBucket}, …), or empty. */
        String code() {
            return code;
        }
    }

    private final CloseableHttpClient http;
    private final SigV4 signer;
    private final URI endpoint;
    private final String bucket;
    private final boolean pathStyle;
    private final Clock clock;

    BlockTransfers(
            URI endpoint,
            String region,
            String accessKey,
            String secretKey,
            String bucket,
            boolean pathStyle,
            Duration connectTimeout,
            Duration socketTimeout,
            int maxConnections,
            Clock clock) {
        PoolingHttpClientConnectionManager connections = new PoolingHttpClientConnectionManager();
        connections.setMaxTotal(maxConnections);
        connections.setDefaultMaxPerRoute(maxConnections);
        this.http = HttpClients.custom()
                .setConnectionManager(connections)
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setConnectTimeout((int) connectTimeout.toMillis())
                        .setConnectionRequestTimeout((int) socketTimeout.toMillis())
                        .setSocketTimeout((int) socketTimeout.toMillis())
                        .build())
                .disableContentCompression()
                .disableCookieManagement()
                .disableRedirectHandling()
                .disableAutomaticRetries()
                .setUserAgent("syncbox")
                .build();
        this.signer = new SigV4(accessKey, secretKey, region, "s3");
        this.endpoint = endpoint;
        this.bucket = bucket;
        this.pathStyle = pathStyle;
        this.clock = clock;
    }

    /** Puts {@code data[offset, offset + length)} as {@code key}, pinned by its SHA-256. */
    void put(String key, byte[] sha256, byte[] data, int offset, int length) {
        String checksum = Base64.getEncoder().encodeToString(sha256);
        execute(
                () -> {
                    HttpPut put = new HttpPut(uri(key));
                    put.setEntity(new ByteArrayEntity(data, offset, length, ContentType.APPLICATION_OCTET_STREAM));
                    sign(put, key, Map.of(ChecksumBoundSigner.CHECKSUM_HEADER, checksum));
                    return put;
                },
                response -> {
                    EntityUtils.consume(response.getEntity());
                    response.close();
                    return null;
                });
    }

    /** Bytes {@code [from, toInclusive]} of {@code key}, streamed; closing the stream frees the connection. */
    InputStream get(String key, long from, long toInclusive) {
        String range = "bytes=" + from + "-" + toInclusive;
        return execute(
                () -> {
                    HttpGet get = new HttpGet(uri(key));
                    get.setHeader("Range", range);
                    sign(get, key, Map.of());
                    return get;
                },
                response -> {
                    HttpEntity entity = response.getEntity();
                    if (entity == null) {
                        response.close();
                        return InputStream.nullInputStream();
                    }
                    return new ResponseStream(entity.getContent(), entity.getContentLength(), response);
                });
    }

    @Override
    public void close() throws IOException {
        http.close();
    }

    private interface Request {
        HttpRequestBase build();
    }

    private interface Answer<T> {
        T read(CloseableHttpResponse response) throws IOException;
    }

    private <T> T execute(Request request, Answer<T> answer) {
        Failure last = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            if (attempt > 1) {
                backOff(attempt);
            }
            CloseableHttpResponse response = null;
            try {
                response = http.execute(request.build());
                int status = response.getStatusLine().getStatusCode();
                if (status / 100 == 2) {
                    return answer.read(response);
                }
                last = refused(response, status);
                if (status < 500 && status != 429) {
                    throw last;
                }
            } catch (IOException e) {
                closeQuietly(response);
                last = new Failure(0, "", "block storage did not answer: " + e, e);
            }
        }
        throw last;
    }

    private static Failure refused(CloseableHttpResponse response, int status) throws IOException {
        try (response) {
            HttpEntity entity = response.getEntity();
            String body =
                    entity == null ? "" : new String(readAtMost(entity.getContent(), 4096), StandardCharsets.UTF_8);
            Matcher code = ERROR_CODE.matcher(body);
            String errorCode = code.find() ? code.group(1) : "";
            return new Failure(status, errorCode, "block storage answered " + status + " " + errorCode, null);
        }
    }

    private static byte[] readAtMost(InputStream in, int limit) throws IOException {
        try (in) {
            return in.readNBytes(limit);
        }
    }

    private void sign(HttpRequestBase request, String key, Map<String, String> extra) {
        String host = host();
        String amzDate = SigV4.amzDate(clock.instant());
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("host", host);
        headers.put("x-amz-content-sha256", SigV4.UNSIGNED_PAYLOAD);
        headers.put("x-amz-date", amzDate);
        headers.putAll(extra);
        headers.forEach((name, value) -> {
            if (!name.equals("host")) {
                request.setHeader(name, value);
            }
        });
        request.setHeader("Authorization", signer.authorization(request.getMethod(), path(key), headers));
    }

    private URI uri(String key) {
        return URI.create(endpoint.getScheme() + "://" + host() + path(key));
    }

    private String host() {
        String authority = endpoint.getRawAuthority();
        return pathStyle ? authority : bucket + "." + authority;
    }

    /** Keys are block ids (hex) and bucket names need no escaping. */
    private String path(String key) {
        return pathStyle ? "/" + bucket + "/" + key : "/" + key;
    }

    private static void backOff(int attempt) {
        try {
            Thread.sleep(FIRST_BACKOFF.toMillis() << (attempt - 2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure(0, "", "interrupted while retrying a block transfer", e);
        }
    }

    private static void closeQuietly(CloseableHttpResponse response) {
        if (response != null) {
            try {
                response.close();
            } catch (IOException ignored) {
                // The connection is dropped either way.
            }
        }
    }

    /**
     * A GET's body. Read to its end (its length reached, or end of stream), closing hands the connection
     * back to the pool; closed early, the connection is dropped rather than the rest read for nothing.
     */
    private static final class ResponseStream extends FilterInputStream {
        private final CloseableHttpResponse response;
        private long remaining;
        private boolean ended;

        ResponseStream(InputStream in, long length, CloseableHttpResponse response) {
            super(in);
            this.response = response;
            this.remaining = length;
            this.ended = length == 0;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            counted(b < 0 ? -1 : 1);
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            counted(n);
            return n;
        }

        private void counted(int n) {
            if (n < 0) {
                ended = true;
            } else if (remaining > 0) {
                remaining -= n;
                ended |= remaining == 0;
            }
        }

        @Override
        public void close() throws IOException {
            try {
                if (ended) {
                    super.close();
                }
            } finally {
                response.close();
            }
        }
    }
}
