package dev.syncbox.server.blockstore;

import dev.syncbox.core.hash.Hex;
import dev.syncbox.core.hash.Sha256;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * AWS Signature Version 4 of one request with no query string, as S3 checks it: the canonical request
 * (method, path, the signed headers sorted by name, the payload hash), the string to sign over the
 * day's scope, and the HMAC chain of the secret, day, region and service. The day's signing key is
 * kept, so a request costs one SHA-256 pass over a few hundred bytes and one HMAC. The SDK's signer
 * is the reference it is tested against.
 */
final class SigV4 {

    static final String UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";

    private static final DateTimeFormatter AMZ_DATE =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final String accessKey;
    private final String secretKey;
    private final String region;
    private final String service;
    private volatile DayKey dayKey;

    private record DayKey(String day, byte[] key) {}

    SigV4(String accessKey, String secretKey, String region, String service) {
        this.accessKey = accessKey;
        this.secretKey = secretKey;
        this.region = region;
        this.service = service;
    }

    /** {@code x-amz-date} for {@code now}. */
    static String amzDate(Instant now) {
        return AMZ_DATE.format(now);
    }

    /**
     * The {@code Authorization} header for a request whose {@code headers} (lower-case names, the
     * values as sent) are all signed; they must include {@code host}, {@code x-amz-date} (the time
     * signed at) and {@code x-amz-content-sha256} (the payload hash).
     */
    String authorization(String method, String canonicalPath, Map<String, String> headers) {
        SortedMap<String, String> sorted = new TreeMap<>(headers);
        String amzDate = sorted.get("x-amz-date");
        String payloadHash = sorted.get("x-amz-content-sha256");
        if (amzDate == null || payloadHash == null || !sorted.containsKey("host")) {
            throw new IllegalArgumentException("host, x-amz-date and x-amz-content-sha256 must be signed");
        }
        StringBuilder canonical = new StringBuilder(256)
                .append(method)
                .append('\n')
                .append(canonicalPath)
                .append("\n\n");
        StringBuilder signed = new StringBuilder();
        sorted.forEach((name, value) -> {
            canonical.append(name).append(':').append(value.strip()).append('\n');
            if (!signed.isEmpty()) {
                signed.append(';');
            }
            signed.append(name);
        });
        canonical.append('\n').append(signed).append('\n').append(payloadHash);
        String day = amzDate.substring(0, 8);
        String scope = day + "/" + region + "/" + service + "/aws4_request";
        String toSign = "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n"
                + Sha256.hex(canonical.toString().getBytes(StandardCharsets.UTF_8));
        String signature = Hex.encode(hmac(signingKey(day), toSign));
        return "AWS4-HMAC-SHA256 Credential=" + accessKey + "/" + scope + ", SignedHeaders=" + signed + ", Signature="
                + signature;
    }

    private byte[] signingKey(String day) {
        DayKey current = dayKey;
        if (current != null && current.day().equals(day)) {
            return current.key();
        }
        byte[] key = hmac(("AWS4" + secretKey).getBytes(StandardCharsets.UTF_8), day);
        key = hmac(key, region);
        key = hmac(key, service);
        key = hmac(key, "aws4_request");
        dayKey = new DayKey(day, key);
        return key;
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
