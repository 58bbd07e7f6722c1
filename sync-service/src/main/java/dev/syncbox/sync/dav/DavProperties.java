package dev.syncbox.sync.dav;

import dev.syncbox.core.error.ErrorCode;
import dev.syncbox.core.error.SyncboxException;
import dev.syncbox.core.path.SyncPath;
import dev.syncbox.server.dav.DavLocks;
import dev.syncbox.server.dav.DavPaths;
import dev.syncbox.server.share.Sharing;
import dev.syncbox.sync.dav.DavResources.Resource;
import java.io.StringWriter;
import java.net.URLConnection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.xml.stream.XMLStreamException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.w3c.dom.Element;

/**
 * PROPFIND and PROPPATCH: the live properties Nextcloud and DAV clients read (computed from the rows, folder ETags
 * and sizes from {@link FolderTags}, locks from {@link DavLocks}), and dead properties kept per file id in {@code
 * dav_properties}, so that they follow the entry through moves. A listing costs a fixed number of queries whatever
 * its size: the children, their folder tags, their dead properties and the namespace's locks.
 */
@Service
class DavProperties {

    /** A property's name. */
    record Name(String namespace, String localName) {}

    /** What a PROPFIND asks for: every property, their names only, or the ones listed. */
    record Request(boolean allProp, boolean propName, List<Name> names) {}

    static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US)
            .withZone(ZoneOffset.UTC);

    private static final List<Name> LIVE = List.of(
            new Name(DavXml.DAV, "resourcetype"),
            new Name(DavXml.DAV, "getlastmodified"),
            new Name(DavXml.DAV, "creationdate"),
            new Name(DavXml.DAV, "getcontentlength"),
            new Name(DavXml.DAV, "getcontenttype"),
            new Name(DavXml.DAV, "getetag"),
            new Name(DavXml.DAV, "displayname"),
            new Name(DavXml.DAV, "lockdiscovery"),
            new Name(DavXml.DAV, "supportedlock"),
            new Name(DavXml.DAV, "quota-used-bytes"),
            new Name(DavXml.DAV, "quota-available-bytes"),
            new Name(DavXml.OC, "id"),
            new Name(DavXml.OC, "fileid"),
            new Name(DavXml.OC, "size"),
            new Name(DavXml.OC, "permissions"),
            new Name(DavXml.OC, "checksums"),
            new Name(DavXml.OC, "share-types"),
            new Name(DavXml.OC, "favorite"),
            new Name(DavXml.NC, "has-preview"),
            new Name(DavXml.NC, "mount-type"));

    private static final Set<Name> PROTECTED = Set.copyOf(LIVE);

    private final DavResources resources;
    private final FolderTags folderTags;
    private final DavLocks locks;
    private final JdbcTemplate jdbc;
    private final Clock clock;

    DavProperties(DavResources resources, FolderTags folderTags, DavLocks locks, JdbcTemplate jdbc, Clock clock) {
        this.resources = resources;
        this.folderTags = folderTags;
        this.locks = locks;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** A PROPFIND body ({@code null}: allprop). */
    static Request request(Element root) {
        if (root == null) {
            return new Request(true, false, List.of());
        }
        if (!DavXml.is(root, DavXml.DAV, "propfind")) {
            throw new SyncboxException(ErrorCode.INVALID_REQUEST, "A PROPFIND body is a DAV:propfind element");
        }
        for (Element e : DavXml.children(root)) {
            if (DavXml.is(e, DavXml.DAV, "allprop")) {
                return new Request(true, false, List.of());
            }
            if (DavXml.is(e, DavXml.DAV, "propname")) {
                return new Request(false, true, List.of());
            }
            if (DavXml.is(e, DavXml.DAV, "prop")) {
                List<Name> names = new ArrayList<>();
                for (Element p : DavXml.children(e)) {
                    names.add(new Name(DavXml.namespace(p), p.getLocalName()));
                }
                return new Request(false, false, names);
            }
        }
        throw new SyncboxException(ErrorCode.INVALID_REQUEST, "A propfind names allprop, propname or prop");
    }

    /** Everything a multistatus needs about the resources it describes, read up front. */
    private record Facts(
            Map<String, FolderTags.Tag> folderTags,
            Map<String, Map<Name, String>> dead,
            Map<Long, List<DavLocks.Lock>> locks,
            long used,
            long max,
            Instant now) {}

    /** The multistatus of a PROPFIND on {@code target} ({@code depth} 0 or 1). */
    String propfind(long userId, String prefix, Resource target, int depth, Request request) {
        List<Resource> all = new ArrayList<>(List.of(target));
        if (depth > 0 && target.dir()) {
            all.addAll(resources.children(userId, target));
        }
        Facts facts = facts(userId, all);
        StringWriter text = new StringWriter();
        DavXml.Out out = DavXml.writer(text);
        try {
            out.root("multistatus");
            for (Resource r : all) {
                response(out, prefix, r, request, facts);
            }
            out.end();
        } catch (XMLStreamException e) {
            throw new IllegalStateException(e);
        }
        return text.toString();
    }

    private Facts facts(long userId, List<Resource> all) {
        List<Sharing.Mounted> mounts =
                all.stream().anyMatch(Resource::dir) ? resources.sharing().mounts(userId) : List.of();
        List<FolderTags.Folder> folders = all.stream()
                .filter(Resource::dir)
                .map(r -> new FolderTags.Folder(r.namespaceId(), r.fileId(), r.path()))
                .toList();
        Map<String, FolderTags.Tag> tags = folders.isEmpty() ? Map.of() : folderTags.tags(folders, mounts);
        Map<String, Map<Name, String>> dead = dead(all.stream()
                .map(Resource::fileId)
                .filter(java.util.Objects::nonNull)
                .toList());
        Map<Long, List<DavLocks.Lock>> byNamespace = new HashMap<>();
        for (Resource r : all) {
            byNamespace.computeIfAbsent(r.namespaceId(), locks::all);
        }
        long[] quota = jdbc.queryForObject(
                "SELECT used_space_bytes, max_space_bytes FROM users WHERE user_id = ?",
                (rs, n) -> new long[] {rs.getLong(1), rs.getLong(2)},
                userId);
        return new Facts(tags, dead, byNamespace, quota[0], quota[1], clock.instant());
    }

    private Map<String, Map<Name, String>> dead(List<String> fileIds) {
        Map<String, Map<Name, String>> out = new HashMap<>();
        if (fileIds.isEmpty()) {
            return out;
        }
        jdbc.query(
                con -> {
                    var ps = con.prepareStatement("SELECT file_id, namespace_uri, local_name, value_xml"
                            + " FROM dav_properties WHERE file_id = ANY (?) ORDER BY namespace_uri, local_name");
                    ps.setArray(1, con.createArrayOf("varchar", fileIds.toArray()));
                    return ps;
                },
                rs -> {
                    out.computeIfAbsent(rs.getString(1), id -> new LinkedHashMap<>())
                            .put(new Name(rs.getString(2), rs.getString(3)), rs.getString(4));
                });
        return out;
    }

    private void response(DavXml.Out out, String prefix, Resource r, Request request, Facts facts)
            throws XMLStreamException {
        out.start(DavXml.DAV, "response");
        out.text(DavXml.DAV, "href", DavPaths.href(prefix, r.path(), r.dir()));
        Map<Name, String> dead = r.fileId() == null ? Map.of() : facts.dead().getOrDefault(r.fileId(), Map.of());
        if (request.propName()) {
            out.start(DavXml.DAV, "propstat");
            out.start(DavXml.DAV, "prop");
            for (Name name : LIVE) {
                if (available(r, name)) {
                    out.empty(name.namespace(), name.localName());
                }
            }
            for (Name name : dead.keySet()) {
                out.empty(name.namespace(), name.localName());
            }
            out.xml().writeEndElement();
            status(out, 200);
            out.xml().writeEndElement();
            out.xml().writeEndElement();
            return;
        }
        List<Name> found = new ArrayList<>();
        List<Name> missing = new ArrayList<>();
        if (request.allProp()) {
            LIVE.stream().filter(n -> available(r, n)).forEach(found::add);
            found.addAll(dead.keySet());
        } else {
            for (Name name : request.names()) {
                if (PROTECTED.contains(name) ? available(r, name) : dead.containsKey(name)) {
                    found.add(name);
                } else {
                    missing.add(name);
                }
            }
        }
        if (!found.isEmpty()) {
            out.start(DavXml.DAV, "propstat");
            out.start(DavXml.DAV, "prop");
            for (Name name : found) {
                if (PROTECTED.contains(name)) {
                    live(out, r, name, facts);
                } else {
                    out.start(name.namespace(), name.localName());
                    out.raw(dead.get(name));
                    out.xml().writeEndElement();
                }
            }
            out.xml().writeEndElement();
            status(out, 200);
            out.xml().writeEndElement();
        }
        if (!missing.isEmpty()) {
            out.start(DavXml.DAV, "propstat");
            out.start(DavXml.DAV, "prop");
            for (Name name : missing) {
                out.empty(name.namespace(), name.localName());
            }
            out.xml().writeEndElement();
            status(out, 404);
            out.xml().writeEndElement();
        }
        out.xml().writeEndElement();
    }

    static void status(DavXml.Out out, int status) throws XMLStreamException {
        out.text(DavXml.DAV, "status", "HTTP/1.1 " + status + " " + reason(status));
    }

    static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 409 -> "Conflict";
            case 423 -> "Locked";
            case 424 -> "Failed Dependency";
            default -> "Status";
        };
    }

    /** Whether a live property applies to this resource. */
    private static boolean available(Resource r, Name name) {
        return switch (name.localName()) {
            case "getcontentlength", "getcontenttype", "checksums" -> !r.dir();
            case "getlastmodified", "creationdate", "id", "fileid" -> !r.root();
            default -> true;
        };
    }

    private static void live(DavXml.Out out, Resource r, Name name, Facts facts) throws XMLStreamException {
        String ns = name.namespace();
        String local = name.localName();
        switch (local) {
            case "resourcetype" -> {
                out.start(ns, local);
                if (r.dir()) {
                    out.empty(DavXml.DAV, "collection");
                }
                out.xml().writeEndElement();
            }
            case "getlastmodified" -> out.text(ns, local, HTTP_DATE.format(r.modifiedAt()));
            case "creationdate" -> out.text(ns, local, DateTimeFormatter.ISO_INSTANT.format(r.createdAt()));
            case "getcontentlength" -> out.text(ns, local, Long.toString(r.size()));
            case "getcontenttype" -> out.text(ns, local, contentType(r.path()));
            case "getetag" -> out.text(ns, local, etag(r, facts));
            case "displayname" -> out.text(ns, local, r.root() ? "" : SyncPath.name(r.path()));
            case "lockdiscovery" -> {
                out.start(ns, local);
                for (DavLocks.Lock lock : facts.locks().getOrDefault(r.namespaceId(), List.of())) {
                    if (lock.covers(r.namespacePath())) {
                        activeLock(out, lock, r.view().path(lock.path()), null, facts.now());
                    }
                }
                out.xml().writeEndElement();
            }
            case "supportedlock" -> {
                out.start(ns, local);
                out.start(DavXml.DAV, "lockentry");
                out.start(DavXml.DAV, "lockscope");
                out.empty(DavXml.DAV, "exclusive");
                out.xml().writeEndElement();
                out.start(DavXml.DAV, "locktype");
                out.empty(DavXml.DAV, "write");
                out.xml().writeEndElement();
                out.xml().writeEndElement();
                out.xml().writeEndElement();
            }
            case "quota-used-bytes" -> out.text(ns, local, Long.toString(facts.used()));
            case "quota-available-bytes" -> out.text(ns, local, Long.toString(Math.max(0, facts.max() - facts.used())));
            case "id", "fileid" -> out.text(ns, local, r.fileId());
            case "size" -> out.text(ns, local, Long.toString(size(r, facts)));
            case "permissions" -> out.text(ns, local, permissions(r));
            case "checksums", "share-types" -> out.empty(ns, local);
            case "favorite" -> out.text(ns, local, "0");
            case "has-preview" -> out.text(ns, local, "false");
            case "mount-type" -> out.text(ns, local, r.mountRoot() ? "shared" : "");
            default -> out.empty(ns, local);
        }
    }

    /** A resource's ETag: a file's version, a folder's tag. */
    static String etag(Resource r, Map<String, FolderTags.Tag> tags) {
        if (!r.dir()) {
            return r.fileTag();
        }
        FolderTags.Tag tag = tags.get(r.path());
        return tag == null ? null : tag.etag();
    }

    private static String etag(Resource r, Facts facts) {
        return etag(r, facts.folderTags());
    }

    private static long size(Resource r, Facts facts) {
        if (!r.dir()) {
            return r.size();
        }
        FolderTags.Tag tag = facts.folderTags().get(r.path());
        return tag == null ? 0 : tag.bytes();
    }

    static String contentType(String path) {
        String guessed = URLConnection.guessContentTypeFromName(SyncPath.name(path));
        return guessed == null ? "application/octet-stream" : guessed;
    }

    /** Nextcloud's permission letters: S shared with the caller, M a mount, then read, write and create rights. */
    static String permissions(Resource r) {
        StringBuilder p = new StringBuilder();
        if (r.shared()) {
            p.append('S');
        }
        p.append('R');
        if (r.mountRoot()) {
            p.append('M');
        }
        p.append('G');
        if (r.writable()) {
            if (!r.mountRoot()) {
                p.append("DNV");
            }
            p.append(r.dir() ? "CK" : "W");
        }
        return p.toString();
    }

    /** One {@code activelock} element; {@code href} of the lock root, as the caller sees it. */
    static void activeLock(DavXml.Out out, DavLocks.Lock lock, String lockRootPath, String prefix, Instant now)
            throws XMLStreamException {
        out.start(DavXml.DAV, "activelock");
        out.start(DavXml.DAV, "locktype");
        out.empty(DavXml.DAV, "write");
        out.xml().writeEndElement();
        out.start(DavXml.DAV, "lockscope");
        out.empty(DavXml.DAV, "exclusive");
        out.xml().writeEndElement();
        out.text(DavXml.DAV, "depth", lock.depthInfinity() ? "infinity" : "0");
        if (lock.ownerXml() != null) {
            out.start(DavXml.DAV, "owner");
            out.raw(lock.ownerXml());
            out.xml().writeEndElement();
        }
        long left = Math.max(0, (Duration.between(now, lock.expiresAt()).toMillis() + 999) / 1000);
        out.text(DavXml.DAV, "timeout", "Second-" + left);
        out.start(DavXml.DAV, "locktoken");
        out.text(DavXml.DAV, "href", lock.token());
        out.xml().writeEndElement();
        if (prefix != null && lockRootPath != null) {
            out.start(DavXml.DAV, "lockroot");
            out.text(DavXml.DAV, "href", DavPaths.href(prefix, lockRootPath, false));
            out.xml().writeEndElement();
        }
        out.xml().writeEndElement();
    }

    /** The ETag of one resource (an {@code If} header's state, an answer's header). */
    String etag(long userId, Resource r) {
        if (!r.dir()) {
            return r.fileTag();
        }
        List<Sharing.Mounted> mounts = resources.sharing().mounts(userId);
        return folderTags
                .tags(List.of(new FolderTags.Folder(r.namespaceId(), r.fileId(), r.path())), mounts)
                .get(r.path())
                .etag();
    }

    /** One property update of a PROPPATCH, in document order. */
    private record Update(boolean set, Name name, String valueXml) {}

    /**
     * A PROPPATCH: every update applied, in order, or none — a protected (live) property answers 403 and every
     * other one 424. The multistatus.
     */
    @Transactional
    public String proppatch(String href, Resource r, Element root) {
        if (root == null || !DavXml.is(root, DavXml.DAV, "propertyupdate")) {
            throw new SyncboxException(ErrorCode.INVALID_REQUEST, "A PROPPATCH body is a DAV:propertyupdate element");
        }
        List<Update> updates = new ArrayList<>();
        for (Element action : DavXml.children(root)) {
            boolean set = DavXml.is(action, DavXml.DAV, "set");
            if (!set && !DavXml.is(action, DavXml.DAV, "remove")) {
                continue;
            }
            Element prop = DavXml.child(action, DavXml.DAV, "prop");
            if (prop == null) {
                throw new SyncboxException(ErrorCode.INVALID_REQUEST, "A set or remove holds a DAV:prop element");
            }
            for (Element p : DavXml.children(prop)) {
                updates.add(
                        new Update(set, new Name(DavXml.namespace(p), p.getLocalName()), set ? DavXml.inner(p) : null));
            }
        }
        Map<Name, Integer> statuses = new LinkedHashMap<>();
        boolean failed = false;
        for (Update u : updates) {
            boolean refused = r.root()
                    || !r.writable()
                    || PROTECTED.contains(u.name())
                    || DavXml.DAV.equals(u.name().namespace());
            statuses.put(u.name(), refused ? 403 : 200);
            failed |= refused;
        }
        if (failed) {
            statuses.replaceAll((name, status) -> status == 200 ? 424 : status);
        } else {
            for (Update u : updates) {
                if (u.set()) {
                    jdbc.update(
                            "INSERT INTO dav_properties (file_id, namespace_uri, local_name, value_xml)"
                                    + " VALUES (?, ?, ?, ?) ON CONFLICT (file_id, namespace_uri, local_name)"
                                    + " DO UPDATE SET value_xml = EXCLUDED.value_xml",
                            r.fileId(),
                            u.name().namespace(),
                            u.name().localName(),
                            u.valueXml());
                } else {
                    jdbc.update(
                            "DELETE FROM dav_properties WHERE file_id = ? AND namespace_uri = ? AND local_name = ?",
                            r.fileId(),
                            u.name().namespace(),
                            u.name().localName());
                }
            }
        }
        StringWriter text = new StringWriter();
        DavXml.Out out = DavXml.writer(text);
        try {
            out.root("multistatus");
            out.start(DavXml.DAV, "response");
            out.text(DavXml.DAV, "href", href);
            for (int status : statuses.values().stream().distinct().toList()) {
                out.start(DavXml.DAV, "propstat");
                out.start(DavXml.DAV, "prop");
                for (var e : statuses.entrySet()) {
                    if (e.getValue() == status) {
                        out.empty(e.getKey().namespace(), e.getKey().localName());
                    }
                }
                out.xml().writeEndElement();
                status(out, status);
                out.xml().writeEndElement();
            }
            out.xml().writeEndElement();
            out.end();
        } catch (XMLStreamException e) {
            throw new IllegalStateException(e);
        }
        return text.toString();
    }

    /**
     * Copies the dead properties of the entries at or beneath {@code from} to their copies at or beneath {@code to}
     * (both paths in their namespaces), matched by relative path, in one statement.
     */
    void copy(long fromNamespace, String fromPath, long toNamespace, String toPath) {
        String fromKey = dev.syncbox.server.metadata.PathKeys.of(fromPath);
        String toKey = dev.syncbox.server.metadata.PathKeys.of(toPath);
        jdbc.update(
                "INSERT INTO dav_properties (file_id, namespace_uri, local_name, value_xml)"
                        + " SELECT d.file_id, p.namespace_uri, p.local_name, p.value_xml FROM files s"
                        + " JOIN dav_properties p ON p.file_id = s.file_id"
                        + " JOIN files d ON d.namespace_id = ? AND NOT d.is_deleted"
                        + " AND d.path_key = ? || substr(s.path_key, ?)"
                        + " WHERE s.namespace_id = ? AND NOT s.is_deleted"
                        + " AND (s.path_key = ? OR (s.path_key >= ? AND s.path_key < ?))"
                        + " ON CONFLICT (file_id, namespace_uri, local_name) DO NOTHING",
                toNamespace,
                toKey,
                fromKey.length() + 1,
                fromNamespace,
                fromKey,
                fromKey + "/",
                fromKey + "0");
    }

    static Collection<Name> live() {
        return LIVE;
    }
}
