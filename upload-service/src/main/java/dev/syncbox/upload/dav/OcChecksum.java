package dev.syncbox.upload.dav;

import dev.syncbox.core.error.ErrorCode;
import dev.syncbox.core.error.SyncboxException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.zip.Adler32;

/**
 * Nextcloud's {@code OC-Checksum} header ({@code SHA1:hex}, {@code MD5:hex}, {@code Adler32:hex} or {@code
 * SHA256:hex}): the digest is computed over the body while it streams into blocks, so a transfer damaged on the way
 * is refused before it is committed. A type syncbox cannot compute is not checked, as Nextcloud does with one it
 * does not know.
 */
final class OcChecksum {

    private final String type;
    private final String expected;

    private OcChecksum(String type, String expected) {
        this.type = type;
        this.expected = expected;
    }

    /** The checksum a header names, or {@code null} when there is none to check. */
    static OcChecksum parse(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        // Several may be given, space-separated: the first of a type syncbox computes is checked.
        for (String part : header.trim().split("\\s+")) {
            int colon = part.indexOf(':');
            if (colon <= 0) {
                throw new SyncboxException(ErrorCode.INVALID_REQUEST, "OC-Checksum is TYPE:hex, not '" + part + "'");
            }
            String type = part.substring(0, colon).toUpperCase(Locale.ROOT);
            String value = part.substring(colon + 1).toLowerCase(Locale.ROOT);
            if (!value.matches("[0-9a-f]+")) {
                throw new SyncboxException(ErrorCode.INVALID_REQUEST, "OC-Checksum's value is hexadecimal");
            }
            if (type.equals("SHA1") || type.equals("MD5") || type.equals("SHA256") || type.equals("ADLER32")) {
                return new OcChecksum(type, value);
            }
        }
        return null;
    }

    /** {@code in}, computing this checksum as it is read: {@link Computing#verify()} once it is exhausted. */
    Computing over(InputStream in) {
        return new Computing(in);
    }

    /** A stream computing the checksum of what passes through it. */
    final class Computing extends FilterInputStream {

        private final MessageDigest digest;
        private final Adler32 adler;

        Computing(InputStream in) {
            super(in);
            if (type.equals("ADLER32")) {
                this.digest = null;
                this.adler = new Adler32();
            } else {
                try {
                    this.digest = MessageDigest.getInstance(
                            switch (type) {
                                case "SHA1" -> "SHA-1";
                                case "SHA256" -> "SHA-256";
                                default -> "MD5";
                            });
                } catch (NoSuchAlgorithmException e) {
                    throw new IllegalStateException(e);
                }
                this.adler = null;
            }
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                if (adler != null) {
                    adler.update(b, off, n);
                } else {
                    digest.update(b, off, n);
                }
            }
            return n;
        }

        @Override
        public long skip(long n) {
            throw new UnsupportedOperationException("a checksummed stream is read, not skipped");
        }

        /** {@code content_hash_mismatch} unless what was read has the expected checksum. */
        void verify() {
            boolean matches = adler != null
                    ? expected.length() <= 16 && Long.parseUnsignedLong(expected, 16) == adler.getValue()
                    : HexFormat.of().formatHex(digest.digest()).equals(expected);
            if (!matches) {
                throw new SyncboxException(
                        ErrorCode.CONTENT_HASH_MISMATCH, "The content does not match its OC-Checksum " + type);
            }
        }
    }
}
