package dev.syncbox.download.thumbnail;

import java.util.List;

/**
 * The sizes a thumbnail may be asked for, and the arithmetic of fitting an image into one: plain code, no images.
 */
final class ThumbnailBox {

    /** The square boxes a thumbnail fits in, in pixels. */
    static final List<Integer> SIZES = List.of(64, 128, 256, 512, 1024);

    private ThumbnailBox() {}

    /** A width and a height in pixels. */
    record Dimensions(int width, int height) {}

    /**
     * An image of {@code width} × {@code height} fitted inside a {@code box} × {@code box} square: the longer side
     * becomes {@code box}, the shorter one its share of it rounded to the nearest pixel (at least one), the aspect
     * ratio kept. An image that already fits keeps its size: never upscaled.
     */
    static Dimensions fit(int width, int height, int box) {
        if (width <= 0 || height <= 0 || box <= 0) {
            throw new IllegalArgumentException("sizes must be positive: " + width + "x" + height + " in " + box);
        }
        if (width <= box && height <= box) {
            return new Dimensions(width, height);
        }
        if (width >= height) {
            return new Dimensions(box, shorter(height, width, box));
        }
        return new Dimensions(shorter(width, height, box), box);
    }

    /** {@code shorter * box / longer} rounded half up, at least 1; exact in integers. */
    private static int shorter(int shorter, int longer, int box) {
        long scaled = ((long) shorter * box * 2 + longer) / (2L * longer);
        return (int) Math.max(1, scaled);
    }

    /**
     * The subsampling to decode an image with (every n-th pixel of every n-th row), so that memory holds about the
     * thumbnail's pixels rather than the source's: the largest n that still leaves at least the fitted size in both
     * directions (ImageIO keeps {@code ceil(width / n)} columns), so the final scaling only ever shrinks, by less
     * than two.
     */
    static int subsampling(int width, int height, Dimensions fitted) {
        return Math.max(1, Math.min(width / fitted.width(), height / fitted.height()));
    }

    /** The size ImageIO decodes to with subsampling {@code n}. */
    static Dimensions subsampled(int width, int height, int n) {
        return new Dimensions((width + n - 1) / n, (height + n - 1) / n);
    }

    /** The box of a {@code size} parameter, or -1 when it is not one of {@link #SIZES}. */
    static int parse(String size) {
        if (size == null) {
            return -1;
        }
        for (int box : SIZES) {
            if (Integer.toString(box).equals(size.trim())) {
                return box;
            }
        }
        return -1;
    }
}
