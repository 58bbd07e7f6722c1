package dev.syncbox.download.thumbnail;

import dev.syncbox.core.error.ErrorCode;
import dev.syncbox.core.error.SyncboxException;
import dev.syncbox.download.thumbnail.ThumbnailBox.Dimensions;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.FileImageInputStream;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a JPEG thumbnail of an image file with ImageIO, in bounded memory: the dimensions are read from the header
 * first and an image of more than {@code maxPixels} is refused before any pixel is decoded; a large image is decoded
 * with subsampling, so what is held is about the thumbnail's size, not the source's. Transparency is composited onto
 * white (a JPEG has none); the first frame of an animation is taken.
 */
final class Thumbnailer {

    private static final Logger log = LoggerFactory.getLogger(Thumbnailer.class);

    static final float QUALITY = 0.85f;

    private Thumbnailer() {}

    /** The JPEG of the image in {@code source} (a {@code format} file), fitted in a {@code box} square. */
    static byte[] render(Path source, ImageFormat format, int box, long maxPixels) {
        Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format.imageIoName());
        if (!readers.hasNext()) {
            throw new SyncboxException(ErrorCode.NOT_AN_IMAGE, "No decoder for " + format.imageIoName());
        }
        ImageReader reader = readers.next();
        try (ImageInputStream in = new FileImageInputStream(source.toFile())) {
            reader.setInput(in, true, false);
            int width = reader.getWidth(0);
            int height = reader.getHeight(0);
            if (width <= 0 || height <= 0) {
                throw undecodable(format);
            }
            if ((long) width * height > maxPixels) {
                throw new SyncboxException(
                        ErrorCode.IMAGE_TOO_LARGE,
                        "The image is " + width + "x" + height + " pixels; thumbnails are made of images up to "
                                + maxPixels + " pixels");
            }
            Dimensions fitted = ThumbnailBox.fit(width, height, box);
            int n = ThumbnailBox.subsampling(width, height, fitted);
            ImageReadParam param = reader.getDefaultReadParam();
            param.setSourceSubsampling(n, n, 0, 0);
            BufferedImage decoded = reader.read(0, param);
            return jpeg(scaled(decoded, fitted));
        } catch (IOException | RuntimeException e) {
            if (e instanceof SyncboxException known) {
                throw known;
            }
            // ImageIO's decoders answer a damaged or unsupported file (CMYK JPEG, truncated PNG) with IIOException,
            // and some with unchecked exceptions of their own.
            log.debug("{} image not decoded", format.imageIoName(), e);
            throw undecodable(format);
        } finally {
            reader.dispose();
        }
    }

    /** {@code image} drawn at {@code size} on white, without alpha. */
    static BufferedImage scaled(BufferedImage image, Dimensions size) {
        BufferedImage out = new BufferedImage(size.width(), size.height(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, size.width(), size.height());
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.setRenderingHint(
                    RenderingHints.KEY_ALPHA_INTERPOLATION, RenderingHints.VALUE_ALPHA_INTERPOLATION_QUALITY);
            g.drawImage(image, 0, 0, size.width(), size.height(), null);
        } finally {
            g.dispose();
        }
        return out;
    }

    /** {@code image} (no alpha) as a baseline JPEG of {@link #QUALITY}. */
    static byte[] jpeg(BufferedImage image) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(QUALITY);
            writer.write(null, new IIOImage(image, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    private static SyncboxException undecodable(ImageFormat format) {
        return new SyncboxException(
                ErrorCode.IMAGE_UNDECODABLE,
                "The content starts like a " + format.imageIoName() + " image but cannot be decoded");
    }
}
