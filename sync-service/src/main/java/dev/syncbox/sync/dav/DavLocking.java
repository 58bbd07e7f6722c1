package dev.syncbox.sync.dav;

import dev.syncbox.conflict.engine.commit.CommitRequest;
import dev.syncbox.conflict.engine.commit.VersionCommitter;
import dev.syncbox.core.error.ErrorCode;
import dev.syncbox.core.error.SyncboxException;
import dev.syncbox.core.hash.ContentHasher;
import dev.syncbox.core.path.SyncPath;
import dev.syncbox.server.content.StoredContent;
import dev.syncbox.server.dav.DavLocks;
import dev.syncbox.server.share.Sharing;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javax.xml.stream.XMLStreamException;
import org.springframework.stereotype.Service;
import org.w3c.dom.Element;

/**
 * LOCK and UNLOCK over {@link DavLocks}: exclusive write locks only (what {@code supportedlock} says), a new lock from
 * a {@code lockinfo} body, a refresh from an empty body naming the lock in its {@code If} header. Locking a path
 * nothing is at creates an empty file there, committed as any upload is (an empty file has no blocks).
 */
@Service
class DavLocking {

    /** A LOCK's answer: the lock, whether it made a new file (201), and its lockdiscovery body. */
    record Locked(DavLocks.Lock lock, boolean created, String body) {}

    private final DavResources resources;
    private final DavGuards guards;
    private final DavLocks locks;
    private final Sharing sharing;
    private final VersionCommitter committer;
    private final Clock clock;

    DavLocking(
            DavResources resources,
            DavGuards guards,
            DavLocks locks,
            Sharing sharing,
            VersionCommitter committer,
            Clock clock) {
        this.resources = resources;
        this.guards = guards;
        this.locks = locks;
        this.sharing = sharing;
        this.committer = committer;
        this.clock = clock;
    }

    Locked lock(DavCall call, String depthHeader, String timeoutHeader) {
        Duration timeout = DavLocks.timeout(timeoutHeader);
        String path = call.path();
        Sharing.Location location = sharing.locateForWrite(call.userId(), path);
        Element root = DavXml.parse(call.body());
        if (root == null) {
            return refresh(call, location, timeout);
        }
        if (!DavXml.is(root, DavXml.DAV, "lockinfo")) {
            throw new SyncboxException(ErrorCode.INVALID_REQUEST, "A LOCK body is a DAV:lockinfo element");
        }
        Element scope = DavXml.child(root, DavXml.DAV, "lockscope");
        if (scope == null || DavXml.child(scope, DavXml.DAV, "exclusive") == null) {
            throw new SyncboxException(ErrorCode.PRECONDITION_FAILED, "Only exclusive write locks are supported");
        }
        Element type = DavXml.child(root, DavXml.DAV, "locktype");
        if (type == null || DavXml.child(type, DavXml.DAV, "write") == null) {
            throw new SyncboxException(ErrorCode.PRECONDITION_FAILED, "Only write locks are supported");
        }
        Element owner = DavXml.child(root, DavXml.DAV, "owner");
        boolean infinity = depth(depthHeader);
        Optional<DavResources.Resource> existing = resources.find(call.userId(), path);
        if (existing.isEmpty()) {
            String parent = SyncPath.parent(path);
            if (parent == null
                    || !resources
                            .find(call.userId(), parent)
                            .map(DavResources.Resource::dir)
                            .orElse(false)) {
                throw new SyncboxException(ErrorCode.CONFLICT, "The parent of " + path + " is not a folder");
            }
        }
        guards.conditions(call);
        DavLocks.Lock lock = locks.lock(
                call.userId(),
                location.namespaceId(),
                location.path(),
                infinity,
                owner == null ? null : DavXml.inner(owner),
                timeout);
        if (existing.isEmpty()) {
            try {
                committer.commit(new CommitRequest(call.userId(), call.user().deviceId(), path, null, false, empty()));
            } catch (RuntimeException e) {
                locks.unlock(call.userId(), lock.token(), location.namespaceId(), location.path());
                throw e;
            }
        }
        return new Locked(lock, existing.isEmpty(), body(call, lock));
    }

    private Locked refresh(DavCall call, Sharing.Location location, Duration timeout) {
        for (String token : call.conditions().tokens()) {
            Optional<DavLocks.Lock> refreshed =
                    locks.refresh(call.userId(), token, location.namespaceId(), location.path(), timeout);
            if (refreshed.isPresent()) {
                return new Locked(refreshed.get(), false, body(call, refreshed.get()));
            }
        }
        throw new SyncboxException(
                ErrorCode.PRECONDITION_FAILED, "A lock refresh names a lock of the caller's on this resource");
    }

    /** UNLOCK: 204, or 409 when the token names no lock of the caller's covering the resource. */
    void unlock(DavCall call, String lockTokenHeader) {
        if (lockTokenHeader == null || lockTokenHeader.isBlank()) {
            throw new SyncboxException(ErrorCode.INVALID_REQUEST, "UNLOCK needs a Lock-Token header");
        }
        String token = lockTokenHeader.strip();
        if (token.startsWith("<") && token.endsWith(">")) {
            token = token.substring(1, token.length() - 1);
        }
        Sharing.Location location = sharing.locate(call.userId(), call.path());
        if (!locks.unlock(call.userId(), token, location.namespaceId(), location.path())) {
            throw new SyncboxException(ErrorCode.CONFLICT, "No lock of yours with that token covers " + call.path());
        }
    }

    private static boolean depth(String header) {
        if (header == null || header.strip().equalsIgnoreCase("infinity")) {
            return true;
        }
        if (header.strip().equals("0")) {
            return false;
        }
        throw new SyncboxException(ErrorCode.INVALID_REQUEST, "LOCK takes Depth 0 or infinity");
    }

    private String body(DavCall call, DavLocks.Lock lock) {
        StringWriter text = new StringWriter();
        DavXml.Out out = DavXml.writer(text);
        try {
            out.root("prop");
            out.start(DavXml.DAV, "lockdiscovery");
            DavProperties.activeLock(out, lock, call.path(), call.target().prefix(), clock.instant());
            out.xml().writeEndElement();
            out.end();
        } catch (XMLStreamException e) {
            throw new IllegalStateException(e);
        }
        return text.toString();
    }

    /** The empty file's content: no blocks, the content hash of no bytes. */
    private static StoredContent empty() {
        ContentHasher hasher = new ContentHasher();
        return new StoredContent(List.of(), List.of(), 0, hasher.hexDigest(), hasher.blockDigests(), 0);
    }
}
