package dev.syncbox.download.thumbnail;

import dev.syncbox.core.error.ErrorCode;
import dev.syncbox.core.error.SyncboxException;
import dev.syncbox.core.hash.Sha256;
import dev.syncbox.server.blockstore.BlockStore;
import dev.syncbox.server.content.ContentReader;
import dev.syncbox.server.content.ContentReader.BlockSpan;
import dev.syncbox.server.metadata.FileVersionEntity;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;

/**
 * Thumbnails of versions, kept in the block store under a key of the content's hash and the box size: a version's
 * content never changes, so a thumbnail made once is served from S3 ever after, to every file with the same bytes,
 * and a new version (new content) gets its own. Made on demand from the content as a download reads it, within
 * limits that keep memory bounded: at most {@code max-source-bytes} of content, {@code max-source-pixels} pixels, and
 * {@code concurrency} images decoded at once by the process.
 */
@Service
public class Thumbnails {

    private static final Logger log = LoggerFactory.getLogger(Thumbnails.class);
    /** The largest thumbnail a cached object is read as (a 1024-pixel JPEG is a few hundred KiB). */
    static final int MAX_THUMBNAIL_BYTES = 8 * 1024 * 1024;
    /** Part of the key: a change to how thumbnails are made moves to new objects instead of serving old ones. */
    static final String GENERATION = "v1";

    private final ContentReader reader;
    private final BlockStore store;
    private final long maxSourceBytes;
    private final long maxSourcePixels;
    private final Semaphore decoding;
    private final Counter generated;
    private final Counter cached;
    private final Map<ErrorCode, Counter> refused;

    Thumbnails(
            ContentReader reader,
            BlockStore store,
            MeterRegistry meters,
            @Value("${syncbox.thumbnails.max-source-bytes:67108864}") long maxSourceBytes,
            @Value("${syncbox.thumbnails.max-source-pixels:50000000}") long maxSourcePixels,
            @Value("${syncbox.thumbnails.concurrency:2}") int concurrency) {
        this.reader = reader;
        this.store = store;
        this.maxSourceBytes = maxSourceBytes;
        this.maxSourcePixels = maxSourcePixels;
        this.decoding = new Semaphore(Math.max(1, concurrency), true);
        this.generated = counter(meters, "generated");
        this.cached = counter(meters, "cached");
        this.refused = Map.of(
                ErrorCode.NOT_AN_IMAGE, counter(meters, "not_an_image"),
                ErrorCode.IMAGE_UNDECODABLE, counter(meters, "image_undecodable"),
                ErrorCode.IMAGE_TOO_LARGE, counter(meters, "image_too_large"));
    }

    private static Counter counter(MeterRegistry meters, String outcome) {
        return Counter.builder("syncbox.thumbnails")
                .description("Thumbnail requests answered with an image (generated, or cached in S3) or refused")
                .tag("outcome", outcome)
                .register(meters);
    }

    /** The object key of the thumbnail of content {@code contentHash} in a {@code box} square. */
    public static String key(String contentHash, int box) {
        return "thumbnail." + GENERATION + "." + box + "." + contentHash;
    }

    /** The ETag of that thumbnail: it names the content and the box, so it is known without reading anything. */
    public static String etag(String contentHash, int box) {
        return "\"thumbnail-" + GENERATION + "-" + box + "-" + contentHash + '"';
    }

    /**
     * The JPEG thumbnail of {@code version} in a {@code box} square (one of {@link ThumbnailBox#SIZES}): from the
     * store when made before, else made now and stored. A content that gives no thumbnail is a problem: {@code
     * not_an_image}, {@code image_undecodable} or {@code image_too_large}.
     */
    public byte[] of(FileVersionEntity version, int box) {
        if (!ThumbnailBox.SIZES.contains(box)) {
            throw new IllegalArgumentException("not a thumbnail size: " + box);
        }
        String key = key(version.contentHash(), box);
        Optional<byte[]> stored = store.readObject(key, MAX_THUMBNAIL_BYTES);
        if (stored.isPresent()) {
            cached.increment();
            return stored.get();
        }
        byte[] made;
        try {
            made = generate(version, box);
        } catch (SyncboxException e) {
            Counter counter = refused.get(e.code());
            if (counter != null) {
                counter.increment();
            }
            throw e;
        }
        try {
            store.put(key, Sha256.newDigest().digest(made), made, 0, made.length);
        } catch (SyncboxException e) {
            // The thumbnail is good; the next request makes it again.
            log.warn("thumbnail {} not stored: {}", key, e.getMessage());
        }
        generated.increment();
        return made;
    }

    private byte[] generate(FileVersionEntity version, int box) {
        long size = version.sizeBytes();
        if (size < ImageFormat.SIGNATURE_BYTES) {
            throw new SyncboxException(ErrorCode.NOT_AN_IMAGE, "The content is not a JPEG, PNG, GIF or BMP image");
        }
        List<BlockSpan> layout = reader.layout(version);
        byte[] head;
        try (InputStream in = reader.open(layout, 0, ImageFormat.SIGNATURE_BYTES)) {
            head = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ImageFormat format = ImageFormat.sniff(head)
                .orElseThrow(() -> new SyncboxException(
                        ErrorCode.NOT_AN_IMAGE, "The content is not a JPEG, PNG, GIF or BMP image"));
        if (size > maxSourceBytes) {
            throw new SyncboxException(
                    ErrorCode.IMAGE_TOO_LARGE,
                    "The image is " + size + " bytes; thumbnails are made of images up to " + maxSourceBytes
                            + " bytes");
        }
        acquire();
        Path source = null;
        try {
            // Decoders seek; a file holds the content whatever its size, where memory would not.
            source = Files.createTempFile("syncbox-thumbnail-", "." + format.imageIoName());
            try (OutputStream out = Files.newOutputStream(source)) {
                reader.write(layout, 0, size - 1, out);
            }
            return Thumbnailer.render(source, format, box, maxSourcePixels);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            decoding.release();
            if (source != null) {
                try {
                    Files.deleteIfExists(source);
                } catch (IOException e) {
                    log.warn("temporary file {} not deleted", source, e);
                }
            }
        }
    }

    private void acquire() {
        try {
            if (!decoding.tryAcquire(60, TimeUnit.SECONDS)) {
                throw new SyncboxException(
                        ErrorCode.SERVICE_UNAVAILABLE,
                        "Too many thumbnails are being made; try again shortly",
                        Map.of("retry_after", 5));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SyncboxException(ErrorCode.SERVICE_UNAVAILABLE, "Interrupted while waiting to make a thumbnail");
        }
    }
}
