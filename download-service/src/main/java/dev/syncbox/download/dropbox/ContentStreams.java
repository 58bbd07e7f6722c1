package dev.syncbox.download.dropbox;

import dev.syncbox.core.error.ErrorCode;
import dev.syncbox.core.error.SyncboxException;
import dev.syncbox.download.file.ByteRange;
import dev.syncbox.server.content.ContentReader;
import dev.syncbox.server.metadata.FileVersionEntity;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;

/** Streams a version's bytes, all of them or the one range a {@code Range} header asks for (206, or 416). */
@Component
class ContentStreams {

    private final ContentReader reader;

    ContentStreams(ContentReader reader) {
        this.reader = reader;
    }

    void write(FileVersionEntity version, String range, HttpServletResponse response) throws IOException {
        long size = version.sizeBytes();
        response.setHeader(HttpHeaders.ETAG, '"' + version.contentHash() + '"');
        response.setHeader(HttpHeaders.ACCEPT_RANGES, "bytes");
        ByteRange byteRange;
        try {
            byteRange = ByteRange.parse(range, size);
        } catch (SyncboxException e) {
            if (e.code() != ErrorCode.RANGE_NOT_SATISFIABLE) {
                throw e;
            }
            response.setStatus(HttpServletResponse.SC_REQUESTED_RANGE_NOT_SATISFIABLE);
            response.setHeader(HttpHeaders.CONTENT_RANGE, "bytes */" + size);
            response.setContentLength(0);
            return;
        }
        response.setContentType("application/octet-stream");
        if (byteRange == null) {
            response.setContentLengthLong(size);
            if (size > 0) {
                reader.write(reader.layout(version), 0, size - 1, response.getOutputStream());
            }
            return;
        }
        response.setStatus(HttpServletResponse.SC_PARTIAL_CONTENT);
        response.setHeader(
                HttpHeaders.CONTENT_RANGE, "bytes " + byteRange.first() + "-" + byteRange.last() + "/" + size);
        response.setContentLengthLong(byteRange.length());
        reader.write(reader.layout(version), byteRange.first(), byteRange.last(), response.getOutputStream());
    }
}
