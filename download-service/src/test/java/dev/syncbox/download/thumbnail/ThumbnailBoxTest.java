package dev.syncbox.download.thumbnail;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syncbox.download.thumbnail.ThumbnailBox.Dimensions;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class ThumbnailBoxTest {

    @Provide
    Arbitrary<Integer> boxes() {
        return Arbitraries.of(ThumbnailBox.SIZES);
    }

    @Property(tries = 2000)
    void aFittedImageNeverExceedsItsBox(
            @ForAll @IntRange(min = 1, max = 100_000) int width,
            @ForAll @IntRange(min = 1, max = 100_000) int height,
            @ForAll("boxes") int box) {
        Dimensions fitted = ThumbnailBox.fit(width, height, box);

        assertThat(fitted.width()).isBetween(1, box);
        assertThat(fitted.height()).isBetween(1, box);
    }

    @Property(tries = 2000)
    void aFittedImageIsNeverUpscaled(
            @ForAll @IntRange(min = 1, max = 100_000) int width,
            @ForAll @IntRange(min = 1, max = 100_000) int height,
            @ForAll("boxes") int box) {
        Dimensions fitted = ThumbnailBox.fit(width, height, box);

        assertThat(fitted.width()).isLessThanOrEqualTo(width);
        assertThat(fitted.height()).isLessThanOrEqualTo(height);
        if (width <= box && height <= box) {
            assertThat(fitted).isEqualTo(new Dimensions(width, height));
        } else {
            assertThat(Math.max(fitted.width(), fitted.height())).isEqualTo(box);
        }
    }

    @Property(tries = 2000)
    void theAspectRatioIsKeptWithinAPixelOfThePlainFormula(
            @ForAll @IntRange(min = 1, max = 100_000) int width,
            @ForAll @IntRange(min = 1, max = 100_000) int height,
            @ForAll("boxes") int box) {
        Dimensions fitted = ThumbnailBox.fit(width, height, box);

        double scale = Math.min(1.0, Math.min((double) box / width, (double) box / height));
        assertThat(Math.abs(fitted.width() - width * scale)).isLessThan(1.0);
        assertThat(Math.abs(fitted.height() - height * scale)).isLessThan(1.0);
    }

    @Property(tries = 2000)
    void subsamplingLeavesAtLeastTheFittedSizeAndLessThanTwiceIt(
            @ForAll @IntRange(min = 1, max = 100_000) int width,
            @ForAll @IntRange(min = 1, max = 100_000) int height,
            @ForAll("boxes") int box) {
        Dimensions fitted = ThumbnailBox.fit(width, height, box);
        int n = ThumbnailBox.subsampling(width, height, fitted);
        Dimensions decoded = ThumbnailBox.subsampled(width, height, n);

        assertThat(n).isPositive();
        assertThat(decoded.width()).isGreaterThanOrEqualTo(fitted.width());
        assertThat(decoded.height()).isGreaterThanOrEqualTo(fitted.height());
        // What is held in memory is about the thumbnail's size, not the source's: under twice it along the side
        // that decides the subsampling (an extreme strip may keep more of its other side, never more than it has).
        assertThat(Math.min((double) decoded.width() / fitted.width(), (double) decoded.height() / fitted.height()))
                .isLessThan(2.0 + 1.0 / Math.min(fitted.width(), fitted.height()));
    }

    @Test
    void shouldFitTheLongerSideToTheBox() {
        assertThat(ThumbnailBox.fit(4000, 3000, 256)).isEqualTo(new Dimensions(256, 192));
        assertThat(ThumbnailBox.fit(3000, 4000, 64)).isEqualTo(new Dimensions(48, 64));
        assertThat(ThumbnailBox.fit(10_000, 1, 64)).isEqualTo(new Dimensions(64, 1));
        assertThat(ThumbnailBox.fit(100, 50, 128)).isEqualTo(new Dimensions(100, 50));
        assertThat(ThumbnailBox.fit(1023, 1024, 1024)).isEqualTo(new Dimensions(1023, 1024));
    }

    @Test
    void shouldAcceptOnlyTheListedSizes() {
        assertThat(ThumbnailBox.parse("64")).isEqualTo(64);
        assertThat(ThumbnailBox.parse("1024")).isEqualTo(1024);
        assertThat(ThumbnailBox.parse("100")).isEqualTo(-1);
        assertThat(ThumbnailBox.parse("2048")).isEqualTo(-1);
        assertThat(ThumbnailBox.parse("w64h64")).isEqualTo(-1);
        assertThat(ThumbnailBox.parse("")).isEqualTo(-1);
        assertThat(ThumbnailBox.parse(null)).isEqualTo(-1);
    }
}
