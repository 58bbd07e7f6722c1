package dev.syncbox.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syncbox.core.id.Ids;
import dev.syncbox.download.thumbnail.Thumbnails;
import dev.syncbox.server.blockstore.BlockStore;
import dev.syncbox.server.testing.Api;
import dev.syncbox.server.testing.Multipart;
import io.micrometer.core.instrument.MeterRegistry;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Random;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code GET /files/{file_id}/thumbnail} against the running services: JPEGs of PNG (with alpha), JPEG and GIF
 * content fitted in their box, cached in S3 after the first request (the second decodes nothing: the service's
 * counters say so, and the object is in the store), versions, {@code If-None-Match}, content that is no image, bad
 * sizes, and the access of a download: a sharee may, a stranger gets the 404 of an id of nobody's, a folder the 404
 * of its download.
 */
class ThumbnailIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    static RunningSystem system;
    static Api sync;
    static Api upload;
    static Api download;
    static MeterRegistry meters;

    record Person(long userId, String email, String bearer) {}

    record Answer(int status, HttpResponse<byte[]> response) {

        String header(String name) {
            return response.headers().firstValue(name).orElse(null);
        }

        BufferedImage image() throws IOException {
            assertThat(header("Content-Type")).isEqualTo("image/jpeg");
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(response.body()));
            assertThat(image).as("a JPEG in the body").isNotNull();
            return image;
        }

        String code() {
            assertThat(header("Content-Type")).startsWith("application/problem+json");
            return JSON.readTree(response.body()).path("code").asString();
        }
    }

    static Person owner;
    static Person reader;
    static Person stranger;

    @BeforeAll
    static void people() {
        system = RunningSystem.get();
        sync = system.api(system.sync);
        upload = system.api(system.upload);
        download = system.api(system.download);
        meters = system.download.getBean(MeterRegistry.class);
        owner = person("thumbs-owner");
        reader = person("thumbs-reader");
        stranger = person("thumbs-stranger");
    }

    @Test
    void shouldMakeAJpegOfAPngWithAlphaOnWhiteAndServeItFromS3TheSecondTime() throws IOException {
        BufferedImage png = new BufferedImage(600, 300, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = png.createGraphics();
        g.setColor(Color.RED);
        g.fillRect(0, 0, 300, 300); // the right half stays fully transparent
        g.dispose();
        stamp(png);
        Api.Response uploaded = put(owner, "/Pictures/alpha-" + Ids.newId() + ".png", encode(png, "png"));
        String fileId = uploaded.text("file_id");
        String contentHash = uploaded.text("checksum");
        BlockStore store = system.download.getBean(BlockStore.class);
        assertThat(store.exists(Thumbnails.key(contentHash, 128))).isFalse();
        double generated = count("generated");
        double cached = count("cached");

        Answer first = thumbnail(owner, fileId, "size=128");

        assertThat(first.status()).isEqualTo(200);
        BufferedImage image = first.image();
        assertThat(image.getWidth()).isEqualTo(128);
        assertThat(image.getHeight()).isEqualTo(64);
        assertNear(image.getRGB(20, 32), Color.RED);
        assertNear(image.getRGB(108, 32), Color.WHITE);
        assertThat(first.header("ETag")).isEqualTo(Thumbnails.etag(contentHash, 128));
        assertThat(first.header("Cache-Control")).isEqualTo("private, max-age=60");
        assertThat(first.header("X-Syncbox-Version-Id")).isEqualTo(uploaded.text("version_id"));
        assertThat(count("generated")).isEqualTo(generated + 1);
        assertThat(store.exists(Thumbnails.key(contentHash, 128)))
                .as("the thumbnail is kept in S3")
                .isTrue();

        Answer second = thumbnail(owner, fileId, "size=128");

        assertThat(second.status()).isEqualTo(200);
        assertThat(second.response().body()).isEqualTo(first.response().body());
        assertThat(count("generated")).as("nothing decoded the second time").isEqualTo(generated + 1);
        assertThat(count("cached")).isEqualTo(cached + 1);

        // The same bytes in another file share the thumbnail.
        String copy = put(owner, "/Pictures/copy-" + Ids.newId() + ".png", encode(png, "png"))
                .text("file_id");
        assertThat(thumbnail(owner, copy, "size=128").response().body())
                .isEqualTo(first.response().body());
        assertThat(count("generated")).isEqualTo(generated + 1);
    }

    @Test
    void shouldShrinkALargeJpegAndGifToTheirBoxAndNeverUpscale() throws IOException {
        BufferedImage photo = new BufferedImage(6000, 4000, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = photo.createGraphics();
        g.setPaint(new java.awt.GradientPaint(0, 0, Color.ORANGE, 6000, 4000, Color.GREEN));
        g.fillRect(0, 0, 6000, 4000);
        g.dispose();
        stamp(photo);
        byte[] jpeg = encode(photo, "jpeg");
        String photoId =
                put(owner, "/Pictures/photo-" + Ids.newId() + ".jpg", jpeg).text("file_id");

        BufferedImage large = thumbnail(owner, photoId, "size=1024").image();
        BufferedImage small = thumbnail(owner, photoId, "size=64").image();

        assertThat(large.getWidth()).isEqualTo(1024);
        assertThat(large.getHeight()).isEqualTo(683);
        assertThat(small.getWidth()).isEqualTo(64);
        assertThat(small.getHeight()).isEqualTo(43);

        BufferedImage gif = new BufferedImage(90, 200, BufferedImage.TYPE_INT_ARGB);
        g = gif.createGraphics();
        g.setColor(Color.BLUE);
        g.fillRect(0, 0, 90, 100); // the lower half transparent
        g.dispose();
        stamp(gif);
        String gifId = put(owner, "/Pictures/anim-" + Ids.newId() + ".gif", encode(gif, "gif"))
                .text("file_id");

        BufferedImage fitted = thumbnail(owner, gifId, "size=128").image();
        BufferedImage notUpscaled = thumbnail(owner, gifId, "size=512").image();

        assertThat(fitted.getWidth()).isEqualTo(58);
        assertThat(fitted.getHeight()).isEqualTo(128);
        assertNear(fitted.getRGB(29, 20), Color.BLUE);
        assertNear(fitted.getRGB(29, 110), Color.WHITE);
        assertThat(notUpscaled.getWidth()).isEqualTo(90);
        assertThat(notUpscaled.getHeight()).isEqualTo(200);
    }

    @Test
    void shouldServeANamedVersionImmutablyAndTheCurrentOneByDefault() throws IOException {
        String path = "/Pictures/versions-" + Ids.newId() + ".png";
        Api.Response red = put(owner, path, encode(solid(Color.RED), "png"));
        Api.Response blue = put(owner, path, encode(solid(Color.BLUE), "png"));
        String fileId = red.text("file_id");
        assertThat(blue.text("file_id")).isEqualTo(fileId);

        Answer old = thumbnail(owner, fileId, "size=64&version=" + red.text("version_id"));
        Answer current = thumbnail(owner, fileId, "size=64");

        assertThat(old.status()).isEqualTo(200);
        assertNear(old.image().getRGB(10, 10), Color.RED);
        assertThat(old.header("Cache-Control")).isEqualTo("private, max-age=31536000, immutable");
        assertThat(old.header("X-Syncbox-Version-Id")).isEqualTo(red.text("version_id"));
        assertNear(current.image().getRGB(10, 10), Color.BLUE);
        assertThat(current.header("ETag")).isNotEqualTo(old.header("ETag"));
        assertThat(current.header("X-Syncbox-Version-Id")).isEqualTo(blue.text("version_id"));

        Answer otherFilesVersion = thumbnail(owner, fileId, "size=64&version=" + Ids.newId());
        assertThat(otherFilesVersion.status()).isEqualTo(404);
        assertThat(otherFilesVersion.code()).isEqualTo("not_found");
    }

    @Test
    void shouldAnswerIfNoneMatchWith304() throws IOException {
        String fileId = put(owner, "/Pictures/etag-" + Ids.newId() + ".png", encode(solid(Color.GREEN), "png"))
                .text("file_id");
        Answer first = thumbnail(owner, fileId, "size=256");
        String etag = first.header("ETag");

        HttpResponse<byte[]> again = download.bytes(download.request("/files/" + fileId + "/thumbnail?size=256")
                .header("Authorization", owner.bearer())
                .header("If-None-Match", etag)
                .GET());
        HttpResponse<byte[]> otherSize = download.bytes(download.request("/files/" + fileId + "/thumbnail?size=128")
                .header("Authorization", owner.bearer())
                .header("If-None-Match", etag)
                .GET());

        assertThat(again.statusCode()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
        assertThat(again.headers().firstValue("ETag")).hasValue(etag);
        assertThat(again.headers().firstValue("Cache-Control")).hasValue("private, max-age=60");
        assertThat(otherSize.statusCode()).isEqualTo(200);
    }

    @Test
    void shouldRefuseContentThatIsNoImageOrCannotBeDecodedOrIsTooLarge() throws IOException {
        String text = put(owner, "/Docs/notes-" + Ids.newId() + ".txt", "plain text, not an image".getBytes())
                .text("file_id");
        byte[] png = encode(solid(Color.RED), "png");
        byte[] damaged = java.util.Arrays.copyOf(png, 45);
        String broken =
                put(owner, "/Pictures/broken-" + Ids.newId() + ".png", damaged).text("file_id");
        // A tiny PNG whose header claims 100000 x 100000 pixels: refused before a pixel is decoded.
        String bomb = put(owner, "/Pictures/bomb-" + Ids.newId() + ".png", withDimensions(png, 100_000, 100_000))
                .text("file_id");
        String named = put(owner, "/Pictures/named-" + Ids.newId() + ".jpg", "a jpg by name only".getBytes())
                .text("file_id");

        Answer notImage = thumbnail(owner, text, "size=64");
        Answer byName = thumbnail(owner, named, "size=64");
        Answer undecodable = thumbnail(owner, broken, "size=64");
        Answer tooLarge = thumbnail(owner, bomb, "size=64");

        assertThat(notImage.status()).isEqualTo(415);
        assertThat(notImage.code()).isEqualTo("not_an_image");
        assertThat(notImage.header("Cache-Control")).doesNotContain("max-age=60");
        assertThat(byName.status()).isEqualTo(415);
        assertThat(byName.code()).isEqualTo("not_an_image");
        assertThat(undecodable.status()).isEqualTo(422);
        assertThat(undecodable.code()).isEqualTo("image_undecodable");
        assertThat(tooLarge.status()).isEqualTo(422);
        assertThat(tooLarge.code()).isEqualTo("image_too_large");
    }

    @Test
    void shouldRefuseASizeThatIsNotOneOfTheFive() throws IOException {
        String fileId = put(owner, "/Pictures/sizes-" + Ids.newId() + ".png", encode(solid(Color.RED), "png"))
                .text("file_id");

        for (String query : new String[] {"size=100", "size=2048", "size=w64h64", "size=", ""}) {
            Answer answer = thumbnail(owner, fileId, query);
            assertThat(answer.status()).as(query).isEqualTo(400);
            assertThat(answer.code()).as(query).isEqualTo("invalid_request");
        }
    }

    @Test
    void shouldGiveASharedFilesThumbnailToTheShareeAndNothingToAStranger() throws IOException {
        String folder = "/Shared-" + Ids.newId();
        String fileId = put(owner, folder + "/pic.png", encode(solid(Color.MAGENTA), "png"))
                .text("file_id");
        String folderId = entry(owner, "/", folder).path("file_id").asString();
        assertThat(sync.postJson(
                                "/files/" + folderId + "/share",
                                owner.bearer(),
                                Map.of("email", reader.email(), "permission", "READ"))
                        .status())
                .isEqualTo(201);

        Answer ownersAnswer = thumbnail(owner, fileId, "size=64");
        Answer readers = thumbnail(reader, fileId, "size=64");
        Answer strangers = thumbnail(stranger, fileId, "size=64");
        Answer nobodys = thumbnail(stranger, Ids.newId(), "size=64");

        assertThat(readers.status()).isEqualTo(200);
        assertThat(readers.header("ETag")).isEqualTo(ownersAnswer.header("ETag"));
        assertNear(readers.image().getRGB(10, 10), Color.MAGENTA);
        assertThat(strangers.status()).isEqualTo(404);
        assertThat(strangers.code()).isEqualTo("not_found");
        assertThat(nobodys.status()).isEqualTo(404);
        assertThat(nobodys.code()).isEqualTo("not_found");
        assertThat(thumbnail(stranger, fileId, "size=100").status())
                .as("no size check before the access check: a stranger learns nothing")
                .isEqualTo(404);
    }

    @Test
    void shouldAnswerAFolderAsItsDownloadDoes() {
        String folder = "/Album-" + Ids.newId();
        put(owner, folder + "/a.png", "x".getBytes(StandardCharsets.UTF_8));
        String folderId = entry(owner, "/", folder).path("file_id").asString();

        Answer thumbnail = thumbnail(owner, folderId, "size=64");
        HttpResponse<byte[]> downloaded = download.bytes(download.request("/files/download/" + folderId)
                .header("Authorization", owner.bearer())
                .GET());

        assertThat(thumbnail.status()).isEqualTo(downloaded.statusCode()).isEqualTo(404);
        assertThat(thumbnail.code())
                .isEqualTo(JSON.readTree(downloaded.body()).path("code").asString())
                .isEqualTo("not_found");
    }

    @Test
    void shouldBeRoutedToDownloadServiceByTheGateway() throws Exception {
        String fileId = put(owner, "/Pictures/routed-" + Ids.newId() + ".png", encode(solid(Color.CYAN), "png"))
                .text("file_id");
        try (TestGateway gateway = TestGateway.in(system)) {
            HttpResponse<byte[]> response = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(
                                            URI.create(gateway.url() + "/files/" + fileId + "/thumbnail?size=64"))
                                    .header("Authorization", owner.bearer())
                                    .GET()
                                    .build(),
                            HttpResponse.BodyHandlers.ofByteArray());

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("image/jpeg");
        }
    }

    private static double count(String outcome) {
        var counter = meters.find("syncbox.thumbnails").tag("outcome", outcome).counter();
        return counter == null ? 0 : counter.count();
    }

    private static Answer thumbnail(Person p, String fileId, String query) {
        HttpResponse<byte[]> response = download.bytes(
                download.request("/files/" + fileId + "/thumbnail" + (query.isEmpty() ? "" : "?" + query))
                        .header("Authorization", p.bearer())
                        .GET());
        return new Answer(response.statusCode(), response);
    }

    /** A few pixels of this run's own, so that no thumbnail of an earlier run is in the store already. */
    private static void stamp(BufferedImage image) {
        Random random = new Random(System.nanoTime());
        for (int i = 0; i < 8; i++) {
            image.setRGB(i, 0, 0xFF000000 | random.nextInt(0x1000000));
        }
    }

    private static BufferedImage solid(Color color) {
        BufferedImage image = new BufferedImage(80, 80, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(color);
        g.fillRect(0, 0, 80, 80);
        g.dispose();
        stamp(image);
        return image;
    }

    private static byte[] encode(BufferedImage image, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(ImageIO.write(image, format, out)).isTrue();
        return out.toByteArray();
    }

    /** The PNG with its IHDR's width and height replaced (and the chunk's CRC fixed). */
    private static byte[] withDimensions(byte[] png, int width, int height) {
        byte[] changed = png.clone();
        ByteBuffer buffer = ByteBuffer.wrap(changed);
        buffer.putInt(16, width).putInt(20, height);
        CRC32 crc = new CRC32();
        crc.update(changed, 12, 17);
        buffer.putInt(29, (int) crc.getValue());
        return changed;
    }

    private static void assertNear(int argb, Color expected) {
        Color actual = new Color(argb);
        assertThat(Math.abs(actual.getRed() - expected.getRed())
                        + Math.abs(actual.getGreen() - expected.getGreen())
                        + Math.abs(actual.getBlue() - expected.getBlue()))
                .as("%s against %s", actual, expected)
                .isLessThanOrEqualTo(36);
    }

    private static Person person(String name) {
        String email = name + "-" + Ids.newId().toLowerCase() + "@example.test";
        Api.Response registered = sync.postJson(
                "/auth/register", null, Map.of("email", email, "password", "a long password", "name", name));
        assertThat(registered.status()).isEqualTo(201);
        Api.Response login = sync.postJson(
                "/auth/login", null, Map.of("email", email, "password", "a long password", "device_name", name));
        return new Person(registered.body().path("user_id").asLong(), email, "Bearer " + login.text("access_token"));
    }

    private static Api.Response put(Person p, String path, byte[] content) {
        Api.Response response = upload.upload(
                "/files/upload",
                p.bearer(),
                new Multipart().field("file_path", path).file("content", content));
        assertThat(response.status()).as("upload of " + path).isEqualTo(200);
        return response;
    }

    private static JsonNode entry(Person p, String folder, String path) {
        for (JsonNode e :
                sync.get("/files/list?path=" + folder, p.bearer()).body().path("entries")) {
            if (e.path("path").asString().equals(path)) {
                return e;
            }
        }
        throw new AssertionError(path + " is not listed in " + folder);
    }
}
