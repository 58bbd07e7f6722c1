package dev.syncbox.client.plan;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reconciles three trees into a plan, in the manner of Dropbox's Nucleus: the remote tree (the server, from the change
 * feed), the local tree (a scan of the folder) and the synced tree (what both last agreed on), keyed by file id rather
 * than by path. A local entry is tied to its file id by inode, then by path, then by content hash, so renames and moves
 * made while the client was not running are still moves; a moved folder is one operation, its contents follow it.
 * When both sides changed the same thing the server's side wins the path and the content goes through the server's
 * conflict handling, so no content is dropped. Pure and deterministic: the same trees give the same plan.
 */
public final class Planner {

    /** What a plan needs besides the trees: the device's name and today's date, for conflicted copies' names. */
    public record Context(String deviceName, String date) {}

    private final Map<String, RemoteEntry> remoteById = new HashMap<>();
    private final NavigableMap<String, RemoteEntry> remoteByKey = new TreeMap<>();
    private final Map<String, SyncedEntry> syncedById = new HashMap<>();
    private final NavigableMap<String, LocalEntry> localByKey = new TreeMap<>();
    private final Map<String, LocalEntry> match = new HashMap<>();
    private final Set<String> matchedLocalKeys = new HashSet<>();
    private final List<String[]> localRewrites = new ArrayList<>();
    private final List<String[]> remoteRewrites = new ArrayList<>();
    private final List<String> localDeletedRoots = new ArrayList<>();
    private final List<String> remoteDeletedRoots = new ArrayList<>();
    private final List<String> waiting = new ArrayList<>();
    private final List<Op> renames = new ArrayList<>();
    private final List<Op> untangles = new ArrayList<>();
    private final List<Op> moves = new ArrayList<>();
    private final List<Op> deletes = new ArrayList<>();
    private final List<Op> mkdirs = new ArrayList<>();
    private final List<Op> transfers = new ArrayList<>();
    private final List<Plan.Problem> problems = new ArrayList<>();
    private final Context context;
    private Map<String, String> byLocalKey;
    private final Map<String, String> localOwners = new HashMap<>();
    private final Set<String> again = new HashSet<>();
    private final Set<String> localVacated = new HashSet<>();

    /** Of those, the places left only by a move into a folder made later in the plan: not free for the moves. */
    private final Set<String> localVacatedLate = new HashSet<>();

    private final Set<String> remoteVacated = new HashSet<>();
    private final Set<String> madeWay = new HashSet<>();
    private final Set<String> remoteDeletedIds = new HashSet<>();
    private final Set<String> localDeletedPaths = new HashSet<>();

    private Planner(Context context) {
        this.context = context;
    }

    public static Plan plan(
            Collection<RemoteEntry> remote,
            Collection<LocalEntry> local,
            Collection<SyncedEntry> synced,
            Context context) {
        return new Planner(context).run(remote, local, synced);
    }

    private Plan run(Collection<RemoteEntry> remote, Collection<LocalEntry> local, Collection<SyncedEntry> synced) {
        for (RemoteEntry r : remote) {
            remoteById.put(r.fileId(), r);
            remoteByKey.put(Paths.key(r.path()), r);
        }
        for (SyncedEntry s : synced) {
            syncedById.put(s.fileId(), s);
        }
        List<LocalEntry> locals = new ArrayList<>(local);
        locals.sort(Comparator.comparing(LocalEntry::path));
        for (LocalEntry l : locals) {
            LocalEntry previous = localByKey.putIfAbsent(Paths.key(l.path()), l);
            if (previous != null) {
                problems.add(new Plan.Problem(
                        l.path(), "differs from " + previous.path() + " only in letter case; the server keeps one"));
            }
        }
        matchLocals();

        for (SyncedEntry s : parentsFirst(synced)) {
            reconcile(s);
        }
        Map<String, LocalEntry> unmatched = new TreeMap<>();
        for (LocalEntry l : localByKey.values()) {
            if (!matchedLocalKeys.contains(Paths.key(l.path())) && !madeWay.contains(Paths.key(l.path()))) {
                unmatched.put(Paths.key(rewrite(localRewrites, l.path())), l);
            }
        }
        Set<String> claimed = claimedLocalKeys();
        for (RemoteEntry r : remoteByKey.values()) {
            if (!syncedById.containsKey(r.fileId()) || again.contains(r.fileId())) {
                arrive(r, unmatched, claimed);
            }
        }
        for (LocalEntry l : unmatched.values()) {
            String path = rewrite(localRewrites, l.path());
            if (l.dir()) {
                mkdirs.add(new Op.RemoteMkdir(path));
            } else {
                transfers.add(new Op.UploadNew(path, l.contentHash()));
            }
        }

        deletes.sort(
                Comparator.comparingInt((Op o) -> -Paths.depth(o.subject())).thenComparing(Op::subject));
        mkdirs.sort(Comparator.comparingInt((Op o) -> Paths.depth(o.subject())).thenComparing(Op::subject));
        if (!renames.isEmpty()) {
            // Entries moved out of the way change what the rest would be: they go alone, the next pass plans the rest.
            return new Plan(List.copyOf(renames), List.copyOf(problems));
        }
        List<Op> ops = new ArrayList<>(untangles);
        ops.addAll(moves);
        ops.addAll(deletes);
        ops.addAll(mkdirs);
        ops.addAll(transfers);
        return new Plan(List.copyOf(ops), List.copyOf(problems));
    }

    /** Ties local entries to synced file ids: by inode, then by path, then (files) by content hash. */
    private void matchLocals() {
        Map<Long, SyncedEntry> byInode = new HashMap<>();
        Set<Long> ambiguous = new HashSet<>();
        Map<String, SyncedEntry> byKey = new HashMap<>();
        for (SyncedEntry s : syncedById.values()) {
            if (s.inode() != 0 && byInode.putIfAbsent(s.inode(), s) != null) {
                ambiguous.add(s.inode());
            }
            byKey.merge(Paths.key(s.path()), s, (a, b) -> a.fileId().compareTo(b.fileId()) <= 0 ? a : b);
        }
        ambiguous.forEach(byInode::remove);
        for (LocalEntry l : localByKey.values()) {
            SyncedEntry s = byInode.get(l.inode());
            // A file's inode alone may have been reused: it must also keep its content or its name.
            if (s != null
                    && s.dir() == l.dir()
                    && !match.containsKey(s.fileId())
                    && (l.dir()
                            || Objects.equals(s.contentHash(), l.contentHash())
                            || Paths.sameKey(Paths.name(s.path()), Paths.name(l.path())))) {
                tie(s, l);
            }
        }
        for (LocalEntry l : localByKey.values()) {
            if (matchedLocalKeys.contains(Paths.key(l.path()))) {
                continue;
            }
            SyncedEntry s = byKey.get(Paths.key(l.path()));
            if (s != null && s.dir() == l.dir() && !match.containsKey(s.fileId())) {
                tie(s, l);
            }
        }
        Map<String, List<SyncedEntry>> byHash = new HashMap<>();
        for (SyncedEntry s : syncedById.values()) {
            if (!s.dir()
                    && s.contentHash() != null
                    && !match.containsKey(s.fileId())
                    && !localByKey.containsKey(Paths.key(s.path()))) {
                byHash.computeIfAbsent(s.contentHash(), h -> new ArrayList<>()).add(s);
            }
        }
        byHash.values().forEach(list -> list.sort(Comparator.comparing(SyncedEntry::path)));
        for (LocalEntry l : localByKey.values()) {
            if (l.dir() || matchedLocalKeys.contains(Paths.key(l.path()))) {
                continue;
            }
            List<SyncedEntry> candidates = byHash.get(l.contentHash());
            if (candidates != null) {
                for (SyncedEntry s : candidates) {
                    if (!match.containsKey(s.fileId())) {
                        tie(s, l);
                        break;
                    }
                }
            }
        }
    }

    /**
     * Synced entries in an order where an entry's folders come before it on both sides (where it was, and where each
     * side has it now), so a move is planned knowing what its folders do. Folders each side moved into the other have
     * no such order; the cycle is cut where it is met.
     */
    private List<SyncedEntry> parentsFirst(Collection<SyncedEntry> synced) {
        List<SyncedEntry> byDepth = new ArrayList<>(synced);
        byDepth.sort(Comparator.comparingInt((SyncedEntry s) -> Paths.depth(s.path()))
                .thenComparing(SyncedEntry::path)
                .thenComparing(SyncedEntry::fileId));
        match.forEach((fileId, l) -> localOwners.put(Paths.key(l.path()), fileId));
        Set<String> seen = new HashSet<>();
        List<SyncedEntry> ordered = new ArrayList<>(byDepth.size());
        for (SyncedEntry s : byDepth) {
            visit(s, localOwners, seen, ordered);
        }
        return ordered;
    }

    private void visit(SyncedEntry s, Map<String, String> localOwners, Set<String> seen, List<SyncedEntry> ordered) {
        if (!seen.add(s.fileId())) {
            return;
        }
        RemoteEntry r = remoteById.get(s.fileId());
        if (r != null) {
            RemoteEntry parent = remoteByKey.get(Paths.key(Paths.parent(r.path())));
            if (parent != null && syncedById.containsKey(parent.fileId())) {
                visit(syncedById.get(parent.fileId()), localOwners, seen, ordered);
            }
        }
        LocalEntry l = match.get(s.fileId());
        if (l != null) {
            String owner = localOwners.get(Paths.key(Paths.parent(l.path())));
            if (owner != null) {
                visit(syncedById.get(owner), localOwners, seen, ordered);
            }
        }
        ordered.add(s);
    }

    /** Whether a folder of the local path {@code localPath} lies, on the server, at or under {@code remotePath}. */
    private boolean intoItselfThere(String localPath, String remotePath) {
        for (String p = Paths.parent(localPath); !p.equals("/"); p = Paths.parent(p)) {
            String owner = localOwners.get(Paths.key(p));
            RemoteEntry there = owner == null ? null : remoteById.get(owner);
            if (there != null && Paths.isAtOrUnder(there.path(), remotePath)) {
                return true;
            }
        }
        return false;
    }

    private void tie(SyncedEntry s, LocalEntry l) {
        match.put(s.fileId(), l);
        matchedLocalKeys.add(Paths.key(l.path()));
    }

    private void reconcile(SyncedEntry s) {
        RemoteEntry r = remoteById.get(s.fileId());
        LocalEntry l = match.get(s.fileId());
        if (r == null && l != null && underAny(localDeletedRoots, l.path())) {
            return;
        }
        if (l == null && r != null && underAny(remoteDeletedRoots, r.path())) {
            return;
        }
        if (r == null && l == null) {
            deletes.add(new Op.Forget(s.fileId()));
        } else if (r == null) {
            remoteGone(s, l);
        } else if (l == null) {
            localGone(s, r);
        } else {
            bothPresent(s, r, l);
        }
    }

    /** Deleted on the server, still here: delete it here unless it holds something the server never had. */
    private void remoteGone(SyncedEntry s, LocalEntry l) {
        String path = rewrite(localRewrites, l.path());
        if (s.dir()) {
            if (localSubtreeClean(l.path())) {
                // What is in it first, deepest first, each only if still as synced; the folder last, once empty.
                String key = Paths.key(l.path());
                List<LocalEntry> inside =
                        new ArrayList<>(localByKey.subMap(key + "/", key + "0").values());
                inside.sort(Comparator.comparingInt((LocalEntry e) -> Paths.depth(e.path()))
                        .reversed());
                for (LocalEntry e : inside) {
                    SyncedEntry under = syncedById.get(byLocalKey.get(Paths.key(e.path())));
                    deletes.add(new Op.LocalDelete(
                            under.fileId(), rewrite(localRewrites, e.path()), e.dir() ? null : under.contentHash()));
                }
                deletes.add(new Op.LocalDelete(s.fileId(), path, null));
                localDeletedRoots.add(l.path());
                localDeletedPaths.add(Paths.key(l.path()));
            } else {
                deletes.add(new Op.Forget(s.fileId()));
            }
        } else if (Objects.equals(l.contentHash(), s.contentHash())) {
            deletes.add(new Op.LocalDelete(s.fileId(), path, s.contentHash()));
            localDeletedPaths.add(Paths.key(l.path()));
        } else {
            // Edited here, deleted there: the edit is kept and sent again as a new file.
            deletes.add(new Op.Forget(s.fileId()));
            transfers.add(new Op.UploadNew(path, l.contentHash()));
        }
    }

    /** Deleted here, still on the server: delete it there unless the server has something newer. */
    private void localGone(SyncedEntry s, RemoteEntry r) {
        String path = rewrite(remoteRewrites, r.path());
        if (s.dir()) {
            if (remoteSubtreeUnchanged(r.path(), s.path())) {
                deletes.add(new Op.RemoteDelete(s.fileId(), path));
                remoteDeletedRoots.add(r.path());
                remoteDeletedIds.add(s.fileId());
            } else {
                again.add(s.fileId());
            }
        } else if (!Objects.equals(r.versionId(), s.versionId())) {
            // Changed there: it comes back here, like an entry never synced (something new may be in its place).
            again.add(s.fileId());
        } else {
            deletes.add(new Op.RemoteDelete(s.fileId(), path));
            remoteDeletedIds.add(s.fileId());
        }
    }

    private void bothPresent(SyncedEntry s, RemoteEntry r, LocalEntry l) {
        boolean remoteMoved = !r.path().equals(s.path());
        boolean localMoved = !l.path().equals(s.path());
        String localNow = rewrite(localRewrites, l.path());
        String remoteNow = rewrite(remoteRewrites, r.path());
        // Where it goes: the server's place wins when both moved it (unless its folder there is being deleted, which
        // happens when this device moved it out before deleting the folder); both after the moves of its folders.
        boolean remoteOrphaned = underAny(remoteDeletedRoots, r.path());
        String target = (!remoteMoved || remoteOrphaned) && localMoved ? localNow : remoteNow;
        if (s.dir() && target.equals(localNow) && !target.equals(remoteNow) && intoItselfThere(l.path(), r.path())) {
            // This device moved the folder under one the server has inside it: the two moves make a cycle, and the
            // server's arrangement wins (the folder goes back where the server has it, nothing in it is lost).
            target = remoteNow;
        }
        if (!remoteNow.equals(target)) {
            RemoteEntry occupant = remoteByKey.get(Paths.key(target));
            if (occupant != null
                    && !occupant.fileId().equals(s.fileId())
                    && !remoteVacated.contains(Paths.key(target))
                    && !underAny(remoteDeletedRoots, occupant.path())
                    && !remoteDeletedIds.contains(occupant.fileId())) {
                // Taken there: by something this device never had, for good (ours becomes a conflicted copy);
                // by an entry that is itself on the move, for now (ours waits under a temporary name).
                target = syncedById.containsKey(occupant.fileId()) ? detour(target, s.fileId()) : freeName(target);
            }
        }
        if (!localNow.equals(target)) {
            LocalEntry occupant = localByKey.get(Paths.key(target));
            if (occupant != null
                    && occupant != l
                    && (!localVacated.contains(Paths.key(target)) || localVacatedLate.contains(Paths.key(target)))
                    && !underAny(localDeletedRoots, occupant.path())
                    && !localDeletedPaths.contains(Paths.key(occupant.path()))) {
                if (matchedLocalKeys.contains(Paths.key(occupant.path()))) {
                    target = detour(target, s.fileId());
                } else {
                    renames.add(new Op.LocalConflictRename(occupant.path(), freeName(occupant.path())));
                    madeWay.add(Paths.key(occupant.path()));
                }
            }
        }
        // A folder cannot go into itself: where its place is under its own path on one side (it took the place of
        // its new parent there), that side moves it aside first and the next pass takes it on from there.
        String localTarget = Paths.isAtOrUnder(Paths.parent(target), localNow) ? detour(localNow, s.fileId()) : target;
        if (s.dir() && Paths.isStrictlyUnder(Paths.parent(target), remoteNow)) {
            // Each side moved one folder into the other: the server's arrangement wins.
            target = remoteNow;
            localTarget = remoteNow;
        }
        String remoteTarget = target;
        if (!localNow.equals(localTarget)) {
            if (!localNow.equals(l.path()) && existsBeforeMoves(Paths.parent(localTarget))) {
                // It leaves a folder that moves too: it goes first, from where it is now.
                untangles.add(new Op.LocalMove(s.fileId(), l.path(), localTarget));
            } else {
                // Into a folder made later in this plan: among the folders being made, by depth.
                boolean late = !localFolderExists(Paths.parent(localTarget));
                (late ? mkdirs : moves).add(new Op.LocalMove(s.fileId(), localNow, localTarget));
                if (late) {
                    localVacatedLate.add(Paths.key(l.path()));
                }
            }
            localVacated.add(Paths.key(l.path()));
            if (s.dir()) {
                localRewrites.add(new String[] {l.path(), localTarget});
            }
        }
        if (!remoteNow.equals(remoteTarget)) {
            boolean parentThere = remoteFolderExists(Paths.parent(remoteTarget));
            if (Paths.isAtOrUnder(Paths.parent(remoteTarget), remoteNow)) {
                // It holds the place of its own new folder there: aside first, the next pass takes it on.
                remoteTarget = detour(remoteNow, s.fileId());
                parentThere = true;
            }
            // Into a folder made later in this plan: among the folders being made, by depth.
            (parentThere ? moves : mkdirs).add(new Op.RemoteMove(s.fileId(), remoteTarget));
            remoteVacated.add(Paths.key(r.path()));
            if (s.dir()) {
                remoteRewrites.add(new String[] {r.path(), remoteTarget});
            }
        }
        // Both sides hold it where the record does not (a move whose answer was lost): the record follows.
        boolean recordBehind =
                l.path().equals(target) && r.path().equals(target) && !s.path().equals(target);
        if (s.dir()) {
            if (recordBehind) {
                transfers.add(new Op.Adopt(s.fileId(), target, true, null, null, l.inode()));
            }
            return;
        }
        boolean localChanged = !Objects.equals(l.contentHash(), s.contentHash());
        boolean remoteChanged = !Objects.equals(r.versionId(), s.versionId());
        if (localChanged && remoteChanged) {
            if (Objects.equals(l.contentHash(), r.contentHash())) {
                transfers.add(new Op.Adopt(s.fileId(), target, false, r.versionId(), r.contentHash(), l.inode()));
            } else {
                transfers.add(new Op.UploadChange(s.fileId(), target, s.versionId(), l.contentHash()));
            }
        } else if (localChanged) {
            transfers.add(new Op.UploadChange(s.fileId(), target, s.versionId(), l.contentHash()));
        } else if (remoteChanged) {
            if (Objects.equals(l.contentHash(), r.contentHash())) {
                transfers.add(new Op.Adopt(s.fileId(), target, false, r.versionId(), r.contentHash(), l.inode()));
            } else {
                transfers.add(
                        new Op.Download(s.fileId(), target, r.versionId(), r.contentHash(), r.size(), l.contentHash()));
            }
        } else if (s.inode() != l.inode() || recordBehind) {
            transfers.add(new Op.Adopt(s.fileId(), target, false, s.versionId(), s.contentHash(), l.inode()));
        }
    }

    /** A remote entry never synced here: fetch it, or take what is already here if it is the same. */
    private void arrive(RemoteEntry r, Map<String, LocalEntry> unmatched, Set<String> claimed) {
        String path = rewrite(remoteRewrites, r.path());
        String key = Paths.key(path);
        if (underAny(remoteDeletedRoots, r.path()) || underAny(waiting, r.path())) {
            return;
        }
        LocalEntry here = unmatched.remove(key);
        if (here != null) {
            if (here.dir() && r.dir()) {
                transfers.add(new Op.Adopt(r.fileId(), path, true, null, null, here.inode()));
                return;
            }
            if (!here.dir() && !r.dir() && Objects.equals(here.contentHash(), r.contentHash())) {
                transfers.add(new Op.Adopt(r.fileId(), path, false, r.versionId(), r.contentHash(), here.inode()));
                return;
            }
            // Something else is here: it makes way under a conflicted copy's name and is sent next time.
            // (Renames come before the plan's moves: named where it is now, it moves with its folder.)
            renames.add(new Op.LocalConflictRename(here.path(), freeName(here.path())));
        } else if (claimed.contains(key)) {
            // A synced entry stays at this path here for now; the next pass sees how it ended.
            waiting.add(r.path());
            return;
        }
        if (r.dir()) {
            mkdirs.add(new Op.LocalMkdir(r.fileId(), path));
        } else {
            transfers.add(new Op.Download(r.fileId(), path, r.versionId(), r.contentHash(), r.size(), null));
        }
    }

    /** Where matched local entries will be after the plan's moves, unless deleted. */
    private Set<String> claimedLocalKeys() {
        Map<String, String> movedTo = new HashMap<>();
        for (Op op : moves) {
            if (op instanceof Op.LocalMove m) {
                movedTo.put(m.fileId(), m.toPath());
            }
        }
        Set<String> claimed = new HashSet<>();
        for (Map.Entry<String, LocalEntry> e : match.entrySet()) {
            String path = movedTo.getOrDefault(
                    e.getKey(), rewrite(localRewrites, e.getValue().path()));
            claimed.add(Paths.key(path));
        }
        for (Op op : deletes) {
            if (op instanceof Op.LocalDelete d) {
                claimed.remove(Paths.key(d.path()));
            }
        }
        return claimed;
    }

    /** The folder is here now and stays where it is until the plan's moves begin. */
    private boolean existsBeforeMoves(String folder) {
        if (folder.equals("/")) {
            return true;
        }
        LocalEntry here = localByKey.get(Paths.key(folder));
        return here != null
                && here.dir()
                && !localVacated.contains(Paths.key(folder))
                && rewrite(localRewrites, here.path()).equals(here.path())
                && !underAny(localDeletedRoots, here.path());
    }

    /** The folder is on the server now or will be once the moves planned so far are made. */
    private boolean remoteFolderExists(String folder) {
        if (folder.equals("/")) {
            return true;
        }
        RemoteEntry there = remoteByKey.get(Paths.key(folder));
        if (there != null
                && there.dir()
                && !remoteVacated.contains(Paths.key(folder))
                && !underAny(remoteDeletedRoots, there.path())) {
            return true;
        }
        for (String[] rewrite : remoteRewrites) {
            if (Paths.isAtOrUnder(folder, rewrite[1])) {
                RemoteEntry source = remoteByKey.get(Paths.key(Paths.rebase(folder, rewrite[1], rewrite[0])));
                if (source != null && source.dir()) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The folder is here now or will be once the moves planned so far are made. */
    private boolean localFolderExists(String folder) {
        if (folder.equals("/")) {
            return true;
        }
        LocalEntry here = localByKey.get(Paths.key(folder));
        if (here != null && here.dir() && !localVacated.contains(Paths.key(folder))) {
            return true;
        }
        for (String[] rewrite : localRewrites) {
            if (Paths.isAtOrUnder(folder, rewrite[1])) {
                LocalEntry source = localByKey.get(Paths.key(Paths.rebase(folder, rewrite[1], rewrite[0])));
                if (source != null && source.dir()) {
                    return true;
                }
            }
        }
        return false;
    }

    /** A free name beside {@code path} for an entry that must wait for its place to be vacated. */
    private String detour(String path, String fileId) {
        String suffix = fileId.length() > 8 ? fileId.substring(fileId.length() - 8) : fileId;
        String candidate = path + " (moving " + suffix + ")";
        String key = Paths.key(candidate);
        return localByKey.containsKey(key) || remoteByKey.containsKey(key) ? freeName(candidate) : candidate;
    }

    private String freeName(String path) {
        for (int attempt = 1; ; attempt++) {
            String candidate = Paths.conflictedCopy(path, context.deviceName(), context.date(), attempt);
            String key = Paths.key(candidate);
            if (!localByKey.containsKey(key) && !remoteByKey.containsKey(key)) {
                return candidate;
            }
        }
    }

    /** Every local entry under the folder is synced, unchanged and gone from the server too. */
    private boolean localSubtreeClean(String folder) {
        String key = Paths.key(folder);
        if (byLocalKey == null) {
            byLocalKey = new HashMap<>();
            for (Map.Entry<String, LocalEntry> e : match.entrySet()) {
                byLocalKey.put(Paths.key(e.getValue().path()), e.getKey());
            }
        }
        for (LocalEntry l : localByKey.subMap(key + "/", key + "0").values()) {
            String fileId = byLocalKey.get(Paths.key(l.path()));
            if (fileId == null || remoteById.containsKey(fileId)) {
                return false;
            }
            SyncedEntry s = syncedById.get(fileId);
            if (!l.dir() && !Objects.equals(l.contentHash(), s.contentHash())) {
                return false;
            }
        }
        return true;
    }

    /** Every remote entry under the folder is one this device synced there, at the version it synced. */
    private boolean remoteSubtreeUnchanged(String folder, String syncedFolder) {
        String key = Paths.key(folder);
        for (RemoteEntry r : remoteByKey.subMap(key + "/", key + "0").values()) {
            SyncedEntry s = syncedById.get(r.fileId());
            if (s == null
                    || !Paths.isStrictlyUnder(s.path(), syncedFolder)
                    || (!r.dir() && !Objects.equals(s.versionId(), r.versionId()))) {
                return false;
            }
        }
        return true;
    }

    private static boolean underAny(List<String> roots, String path) {
        for (String root : roots) {
            if (Paths.isStrictlyUnder(path, root)) {
                return true;
            }
        }
        return false;
    }

    /** {@code path} after the folder moves planned so far (given in the same side's coordinates before them). */
    private static String rewrite(List<String[]> rewrites, String path) {
        String[] best = null;
        for (String[] rewrite : rewrites) {
            if (Paths.isAtOrUnder(path, rewrite[0]) && (best == null || rewrite[0].length() > best[0].length())) {
                best = rewrite;
            }
        }
        return best == null ? path : Paths.rebase(path, best[0], best[1]);
    }
}
