package dev.syncbox.bench.web;

import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.SplittableRandom;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;

/**
 * The pictures of the thumbnail figures, and the limit they are compared with: a picture made here from a seed
 * (a gradient, translucent shapes and a little per-pixel noise, so that every one is distinct and none compresses
 * to nothing), and its 256-pixel thumbnail made in this process with ImageIO alone.
 */
final class Pictures {

    /** Noise of up to this many levels either way, per channel of each pixel. */
    private static final int NOISE = 12;
    /** A camera's JPEG quality, about. */
    private static final float CAMERA_QUALITY = 0.9f;

    private Pictures() {}

    /** A {@code width} × {@code height} picture from {@code seed}, encoded as {@code format} (jpeg or png). */
    static byte[] make(String format, int width, int height, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setPaint(new GradientPaint(0, 0, color(random, 255), width, height, color(random, 255)));
            g.fillRect(0, 0, width, height);
            for (int i = 0; i < 60; i++) {
                g.setColor(color(random, 60 + random.nextInt(160)));
                int w = 20 + random.nextInt(width / 3);
                int h = 20 + random.nextInt(height / 3);
                int x = random.nextInt(width) - w / 2;
                int y = random.nextInt(height) - h / 2;
                if (random.nextBoolean()) {
                    g.fillOval(x, y, w, h);
                } else {
                    g.fillRect(x, y, w, h);
                }
            }
        } finally {
            g.dispose();
        }
        // Sensor-like noise per channel: what makes each picture's bytes its own all through, and a JPEG about the
        // size a camera's of that many pixels is.
        int[] pixels = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < pixels.length; i++) {
            int p = pixels[i];
            int r = clamp(((p >> 16) & 0xff) + random.nextInt(NOISE * 2 + 1) - NOISE);
            int gr = clamp(((p >> 8) & 0xff) + random.nextInt(NOISE * 2 + 1) - NOISE);
            int b = clamp((p & 0xff) + random.nextInt(NOISE * 2 + 1) - NOISE);
            pixels[i] = (r << 16) | (gr << 8) | b;
        }
        ImageWriter writer = ImageIO.getImageWritersByFormatName(format).next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(stream);
            ImageWriteParam param = writer.getDefaultWriteParam();
            if (format.equals("jpeg")) {
                param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                param.setCompressionQuality(CAMERA_QUALITY);
            }
            writer.write(null, new IIOImage(image, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    /**
     * The limit: {@code picture} decoded whole with {@code ImageIO.read}, drawn into the 256-pixel box (bicubic) and
     * written as a JPEG, all in this process. Returns the thumbnail's bytes.
     */
    static byte[] thumbnailPlain(byte[] picture, int box) throws IOException {
        BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(picture));
        return encode(decoded, box, decoded.getWidth(), decoded.getHeight());
    }

    /**
     * The same, decoded as download-service decodes: with ImageIO's source subsampling (every n-th pixel of every
     * n-th row, n the largest that leaves at least the thumbnail's size), then drawn into the box.
     */
    static byte[] thumbnailSubsampled(byte[] picture, int box) throws IOException {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(picture))) {
            ImageReader reader = ImageIO.getImageReaders(in).next();
            try {
                reader.setInput(in, true, false);
                int width = reader.getWidth(0);
                int height = reader.getHeight(0);
                int[] fitted = fit(width, height, box);
                int n = Math.max(1, Math.min(width / fitted[0], height / fitted[1]));
                ImageReadParam param = reader.getDefaultReadParam();
                param.setSourceSubsampling(n, n, 0, 0);
                return encode(reader.read(0, param), box, width, height);
            } finally {
                reader.dispose();
            }
        }
    }

    /** The thumbnail's size for a {@code width} × {@code height} picture: the longer side {@code box}, never larger. */
    static int[] fit(int width, int height, int box) {
        double scale = Math.min(1.0, (double) box / Math.max(width, height));
        return new int[] {(int) Math.max(1, Math.round(width * scale)), (int) Math.max(1, Math.round(height * scale))};
    }

    /** The width and height of an encoded picture (the server's thumbnail, checked). */
    static int[] size(byte[] picture) throws IOException {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(picture));
        if (image == null) {
            throw new IllegalStateException("not a picture ImageIO reads");
        }
        return new int[] {image.getWidth(), image.getHeight()};
    }

    private static byte[] encode(BufferedImage decoded, int box, int width, int height) throws IOException {
        int[] fitted = fit(width, height, box);
        BufferedImage thumbnail = new BufferedImage(fitted[0], fitted[1], BufferedImage.TYPE_INT_RGB);
        Graphics2D g = thumbnail.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
            g.drawImage(decoded, 0, 0, fitted[0], fitted[1], null);
        } finally {
            g.dispose();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(thumbnail, "jpeg", out);
        return out.toByteArray();
    }

    private static Color color(SplittableRandom random, int alpha) {
        return new Color(random.nextInt(256), random.nextInt(256), random.nextInt(256), alpha);
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }
}
