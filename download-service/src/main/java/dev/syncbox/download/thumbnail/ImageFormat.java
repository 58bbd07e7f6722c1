package dev.syncbox.download.thumbnail;

import java.util.Optional;

/** The image formats thumbnails are made of, told apart by their first bytes (never by the file's name). */
enum ImageFormat {
    JPEG("jpeg"),
    PNG("png"),
    GIF("gif"),
    BMP("bmp");

    /** Bytes enough to tell every format apart. */
    static final int SIGNATURE_BYTES = 8;

    private final String imageIoName;

    ImageFormat(String imageIoName) {
        this.imageIoName = imageIoName;
    }

    /** The format name ImageIO's readers answer to. */
    String imageIoName() {
        return imageIoName;
    }

    /** The format whose signature {@code head} (a file's first bytes) starts with. */
    static Optional<ImageFormat> sniff(byte[] head) {
        if (starts(head, 0xFF, 0xD8, 0xFF)) {
            return Optional.of(JPEG);
        }
        if (starts(head, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
            return Optional.of(PNG);
        }
        if (starts(head, 'G', 'I', 'F', '8', '7', 'a') || starts(head, 'G', 'I', 'F', '8', '9', 'a')) {
            return Optional.of(GIF);
        }
        if (starts(head, 'B', 'M') && head.length >= 6) {
            return Optional.of(BMP);
        }
        return Optional.empty();
    }

    private static boolean starts(byte[] head, int... signature) {
        if (head.length < signature.length) {
            return false;
        }
        for (int i = 0; i < signature.length; i++) {
            if ((head[i] & 0xFF) != signature[i]) {
                return false;
            }
        }
        return true;
    }
}
