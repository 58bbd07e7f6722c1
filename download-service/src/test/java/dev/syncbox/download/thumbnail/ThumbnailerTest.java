package dev.syncbox.download.thumbnail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.syncbox.core.error.ErrorCode;
import dev.syncbox.core.error.SyncboxException;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ThumbnailerTest {

    @TempDir
    Path dir;

    @Test
    void shouldCompositeAlphaOntoWhiteAndKeepTheAspectRatio() throws IOException {
        BufferedImage image = new BufferedImage(400, 200, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(255, 0, 0, 255));
        g.fillRect(0, 0, 200, 200); // left half opaque red, right half fully transparent
        g.dispose();

        BufferedImage thumbnail = render(encode(image, "png"), ImageFormat.PNG, 64);

        assertThat(thumbnail.getWidth()).isEqualTo(64);
        assertThat(thumbnail.getHeight()).isEqualTo(32);
        assertThat(thumbnail.getColorModel().hasAlpha()).isFalse();
        assertNear(thumbnail.getRGB(8, 16), 0xFF0000);
        assertNear(thumbnail.getRGB(56, 16), 0xFFFFFF);
    }

    @Test
    void shouldTurnTheTransparentColourOfAGifWhite() throws IOException {
        BufferedImage image = new BufferedImage(300, 300, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.BLUE);
        g.fillRect(0, 0, 300, 150);
        g.dispose();

        BufferedImage thumbnail = render(encode(image, "gif"), ImageFormat.GIF, 128);

        assertThat(thumbnail.getWidth()).isEqualTo(128);
        assertThat(thumbnail.getHeight()).isEqualTo(128);
        assertNear(thumbnail.getRGB(64, 20), 0x0000FF);
        assertNear(thumbnail.getRGB(64, 110), 0xFFFFFF);
    }

    @Test
    void shouldShrinkALargeJpegWithSubsamplingAndNeverUpscaleASmallOne() throws IOException {
        BufferedImage large = new BufferedImage(4000, 3000, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = large.createGraphics();
        g.setColor(Color.GREEN);
        g.fillRect(0, 0, 4000, 3000);
        g.dispose();
        byte[] jpeg = encode(large, "jpeg");

        BufferedImage thumbnail = render(jpeg, ImageFormat.JPEG, 1024);
        BufferedImage small =
                render(encode(new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB), "bmp"), ImageFormat.BMP, 256);

        assertThat(thumbnail.getWidth()).isEqualTo(1024);
        assertThat(thumbnail.getHeight()).isEqualTo(768);
        assertNear(thumbnail.getRGB(512, 384), 0x00FF00);
        assertThat(small.getWidth()).isEqualTo(40);
        assertThat(small.getHeight()).isEqualTo(30);
    }

    @Test
    void shouldRefuseAnImageOfTooManyPixelsFromItsHeaderAlone() throws IOException {
        // A 1x1 PNG whose header claims 100000 x 100000: decoding it would need 40 GB.
        byte[] png = encode(new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB), "png");
        byte[] bomb = withDimensions(png, 100_000, 100_000);

        assertThatThrownBy(() -> render(bomb, ImageFormat.PNG, 64))
                .isInstanceOfSatisfying(
                        SyncboxException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.IMAGE_TOO_LARGE));
    }

    @Test
    void shouldCallDamagedContentUndecodable() throws IOException {
        byte[] png = encode(new BufferedImage(50, 50, BufferedImage.TYPE_INT_RGB), "png");
        byte[] damaged = Arrays.copyOf(png, 40);

        assertThatThrownBy(() -> render(damaged, ImageFormat.PNG, 64))
                .isInstanceOfSatisfying(
                        SyncboxException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.IMAGE_UNDECODABLE));
    }

    @Test
    void shouldTellFormatsApartByTheirFirstBytes() throws IOException {
        BufferedImage image = new BufferedImage(2, 2, BufferedImage.TYPE_INT_RGB);

        assertThat(ImageFormat.sniff(head(encode(image, "jpeg")))).contains(ImageFormat.JPEG);
        assertThat(ImageFormat.sniff(head(encode(image, "png")))).contains(ImageFormat.PNG);
        assertThat(ImageFormat.sniff(head(encode(image, "gif")))).contains(ImageFormat.GIF);
        assertThat(ImageFormat.sniff(head(encode(image, "bmp")))).contains(ImageFormat.BMP);
        assertThat(ImageFormat.sniff("%PDF-1.7\n".getBytes())).isEmpty();
        assertThat(ImageFormat.sniff(new byte[0])).isEmpty();
    }

    private BufferedImage render(byte[] content, ImageFormat format, int box) throws IOException {
        Path source = Files.write(dir.resolve("source"), content);
        byte[] jpeg = Thumbnailer.render(source, format, box, 50_000_000);
        assertThat(ImageFormat.sniff(head(jpeg))).contains(ImageFormat.JPEG);
        return ImageIO.read(new ByteArrayInputStream(jpeg));
    }

    private static byte[] head(byte[] content) {
        return Arrays.copyOf(content, Math.min(content.length, ImageFormat.SIGNATURE_BYTES));
    }

    static byte[] encode(BufferedImage image, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(ImageIO.write(image, format, out))
                .as("a writer for " + format)
                .isTrue();
        return out.toByteArray();
    }

    /** The PNG with its IHDR's width and height replaced (and the chunk's CRC fixed). */
    static byte[] withDimensions(byte[] png, int width, int height) {
        byte[] changed = png.clone();
        ByteBuffer buffer = ByteBuffer.wrap(changed);
        buffer.putInt(16, width).putInt(20, height);
        CRC32 crc = new CRC32();
        crc.update(changed, 12, 17); // "IHDR" and its 13 bytes of data
        buffer.putInt(29, (int) crc.getValue());
        return changed;
    }

    private static void assertNear(int argb, int rgb) {
        for (int shift : new int[] {16, 8, 0}) {
            assertThat(Math.abs(((argb >> shift) & 0xFF) - ((rgb >> shift) & 0xFF)))
                    .as("channel at bit %d of %06x against %06x", shift, argb & 0xFFFFFF, rgb)
                    .isLessThanOrEqualTo(12);
        }
    }
}
