package dev.syncbox.upload.dav;

import dev.syncbox.conflict.engine.commit.CommitMode;
import dev.syncbox.conflict.engine.commit.CommitRequest;
import dev.syncbox.conflict.engine.commit.Committed;
import dev.syncbox.conflict.engine.commit.VersionCommitter;
import dev.syncbox.core.error.ErrorCode;
import dev.syncbox.core.error.SyncboxException;
import dev.syncbox.core.path.SyncPath;
import dev.syncbox.server.content.StoredContent;
import dev.syncbox.server.dav.DavConditions;
import dev.syncbox.server.dav.DavLocks;
import dev.syncbox.server.dav.DavPaths;
import dev.syncbox.server.share.Sharing;
import dev.syncbox.server.web.CurrentUser;
import dev.syncbox.upload.file.FileUploads;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Service;

/**
 * Writes a file's whole content the way WebDAV's {@code PUT} does, for a plain PUT and for the assembled chunks of a
 * Nextcloud transfer alike: the file is replaced (or created in an existing folder), unless a precondition ({@code
 * If-Match}, {@code If-None-Match}, RFC 4918's {@code If}) or a lock stands in the way; all of that is checked before
 * a byte is read. The body streams into blocks with its {@code OC-Checksum} computed on the way; nothing is committed
 * unless it matches, and identical content makes no new version.
 */
@Service
class DavWrites {

    /** The request headers a write looks at. */
    record Headers(
            String requestUri,
            String host,
            String ifMatch,
            String ifNoneMatch,
            String ifHeader,
            String checksum,
            String mtime,
            boolean noOverwrite) {

        static Headers of(HttpServletRequest request) {
            return new Headers(
                    request.getRequestURI(),
                    request.getHeader(HttpHeaders.HOST),
                    request.getHeader(HttpHeaders.IF_MATCH),
                    request.getHeader(HttpHeaders.IF_NONE_MATCH),
                    request.getHeader("If"),
                    request.getHeader("OC-Checksum"),
                    request.getHeader("X-OC-Mtime"),
                    // A MOVE's "Overwrite: F" (RFC 4918): the destination must not exist.
                    "F"
                            .equalsIgnoreCase(String.valueOf(request.getHeader("Overwrite"))
                                    .trim()));
        }
    }

    /** What a write did: the file, its current version, whether it was created, and whether the mtime was kept. */
    record Written(String fileId, String versionId, boolean created, boolean mtimeAccepted) {

        /** 201 for a new file, 204 for a replaced one, with Nextcloud's headers. */
        ResponseEntity<Void> response() {
            String etag = '"' + versionId + '"';
            ResponseEntity.BodyBuilder answer = ResponseEntity.status(
                            created ? HttpStatus.CREATED : HttpStatus.NO_CONTENT)
                    .header(HttpHeaders.ETAG, etag)
                    .header("OC-ETag", etag)
                    .header("OC-FileId", fileId);
            if (mtimeAccepted) {
                answer.header("X-OC-MTime", "accepted");
            }
            return answer.build();
        }
    }

    private final Sharing sharing;
    private final DavLocks locks;
    private final FileUploads uploads;
    private final VersionCommitter committer;

    DavWrites(Sharing sharing, DavLocks locks, FileUploads uploads, VersionCommitter committer) {
        this.sharing = sharing;
        this.locks = locks;
        this.uploads = uploads;
        this.committer = committer;
    }

    /**
     * Writes {@code body} as the content of the file at {@code path} of the caller's tree; {@code declaredSize}, when
     * given, is the exact size the body must have ({@code size_mismatch} otherwise).
     */
    Written write(CurrentUser user, String email, String path, Headers headers, Long declaredSize, InputStream body)
            throws IOException {
        if (SyncPath.isRoot(path)) {
            throw new SyncboxException(ErrorCode.METHOD_NOT_ALLOWED, "The root is a folder: a PUT cannot replace it");
        }
        Optional<Sharing.Visible> existing =
                sharing.at(user.userId(), path).filter(v -> !v.file().isDeleted());
        if (existing.isPresent() && existing.get().file().isDir()) {
            throw new SyncboxException(ErrorCode.METHOD_NOT_ALLOWED, path + " is a folder: a PUT cannot replace it");
        }
        String parent = SyncPath.parent(path);
        if (!SyncPath.isRoot(parent)
                && sharing.at(user.userId(), parent)
                        .filter(v -> !v.file().isDeleted() && v.file().isDir())
                        .isEmpty()) {
            throw new SyncboxException(ErrorCode.CONFLICT, "No folder " + parent + ": a PUT does not create folders");
        }
        String etag = existing.map(v -> '"' + v.file().currentVersionId() + '"').orElse(null);
        boolean ifMatch = headers.ifMatch() != null && !headers.ifMatch().isBlank();
        if (ifMatch && !matches(headers.ifMatch(), etag)) {
            throw new SyncboxException(ErrorCode.PRECONDITION_FAILED, "If-Match does not hold: the file is " + etag);
        }
        boolean mustBeNew = headers.noOverwrite()
                || (headers.ifNoneMatch() != null
                        && headers.ifNoneMatch().trim().equals("*"));
        if (headers.noOverwrite() && existing.isPresent()) {
            throw new SyncboxException(ErrorCode.PRECONDITION_FAILED, "Overwrite: F and " + path + " exists");
        }
        if (headers.ifNoneMatch() != null && matches(headers.ifNoneMatch(), etag)) {
            throw new SyncboxException(ErrorCode.PRECONDITION_FAILED, "If-None-Match does not hold: the file exists");
        }
        Instant mtime = mtime(headers.mtime());
        OcChecksum checksum = OcChecksum.parse(headers.checksum());

        Sharing.Location location = sharing.locateForWrite(user.userId(), path);
        DavConditions conditions = DavConditions.parse(headers.ifHeader());
        if (conditions.present()
                && !conditions.holds(resource -> resource == null
                        ? new DavConditions.State(etag, tokens(location))
                        : state(user, email, headers.host(), resource))) {
            throw DavConditions.failed();
        }
        locks.require(
                user.userId(), location.namespaceId(), location.path(), existing.isEmpty(), false, conditions.tokens());

        StoredContent stored;
        if (checksum == null) {
            stored = uploads.store(location, declaredSize, body);
        } else {
            OcChecksum.Computing computing = checksum.over(body);
            stored = uploads.store(location, declaredSize, computing);
            computing.verify();
        }
        if (existing.isPresent()
                && stored.contentHash().equals(existing.get().file().contentHash())) {
            Instant kept = existing.get().file().clientModifiedAt();
            return new Written(
                    existing.get().file().getId(),
                    existing.get().file().currentVersionId(),
                    false,
                    mtime != null && mtime.equals(kept));
        }
        String parentVersion = ifMatch ? existing.get().file().currentVersionId() : null;
        CommitRequest request = new CommitRequest(
                user.userId(),
                user.deviceId(),
                path,
                parentVersion,
                parentVersion == null && !mustBeNew,
                stored,
                CommitMode.REJECT,
                mtime);
        Committed committed;
        try {
            committed = committer.commit(request, location);
        } catch (SyncboxException e) {
            if (e.code() == ErrorCode.CONFLICT && (parentVersion != null || mustBeNew)) {
                throw new SyncboxException(ErrorCode.PRECONDITION_FAILED, "The file changed meanwhile");
            }
            throw e;
        }
        return new Written(committed.fileId(), committed.versionId(), committed.created(), mtime != null);
    }

    /** The lock tokens of the locks covering a location: part of its state for the {@code If} header. */
    private Set<String> tokens(Sharing.Location location) {
        return locks.covering(location.namespaceId(), location.path()).stream()
                .map(DavLocks.Lock::token)
                .collect(Collectors.toSet());
    }

    /** The state of another resource an {@code If} header's tagged list names; none when it is not ours. */
    private DavConditions.State state(CurrentUser user, String email, String host, String resource) {
        String path;
        try {
            path = DavPaths.destination(resource, host, email).path();
        } catch (SyncboxException e) {
            return new DavConditions.State(null, Set.of());
        }
        String etag = sharing.at(user.userId(), path)
                .filter(v -> !v.file().isDeleted() && !v.file().isDir())
                .map(v -> '"' + v.file().currentVersionId() + '"')
                .orElse(null);
        return new DavConditions.State(etag, tokens(sharing.locate(user.userId(), path)));
    }

    /** {@code OC-Total-Length}: the size the client says the whole file has, if it says. */
    static Long totalLength(HttpServletRequest request) {
        String header = request.getHeader("OC-Total-Length");
        if (header == null || header.isBlank()) {
            return null;
        }
        try {
            long length = Long.parseLong(header.trim());
            if (length >= 0) {
                return length;
            }
        } catch (NumberFormatException e) {
            // Answered below.
        }
        throw new SyncboxException(ErrorCode.INVALID_REQUEST, "OC-Total-Length is a byte count, not '" + header + "'");
    }

    /** {@code X-OC-Mtime}: unix seconds, maybe with a fraction. */
    static Instant mtime(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        try {
            BigDecimal seconds = new BigDecimal(header.trim());
            BigDecimal whole = seconds.setScale(0, RoundingMode.FLOOR);
            int nanos = seconds.subtract(whole)
                    .movePointRight(9)
                    .setScale(0, RoundingMode.DOWN)
                    .intValueExact();
            // PostgreSQL keeps microseconds: the time as it will be stored.
            return Instant.ofEpochSecond(whole.longValueExact(), nanos).truncatedTo(ChronoUnit.MICROS);
        } catch (NumberFormatException | ArithmeticException | DateTimeException e) {
            throw new SyncboxException(ErrorCode.INVALID_REQUEST, "X-OC-Mtime is unix seconds, not '" + header + "'");
        }
    }

    /** Whether an {@code If-Match} / {@code If-None-Match} list names {@code etag} ({@code *}: any file at all). */
    static boolean matches(String header, String etag) {
        if (etag == null) {
            return false;
        }
        for (String candidate : header.split(",")) {
            String tag = candidate.trim();
            if (tag.startsWith("W/")) {
                tag = tag.substring(2);
            }
            if (tag.equals("*") || tag.equals(etag) || ('"' + tag + '"').equals(etag)) {
                return true;
            }
        }
        return false;
    }
}
