package dev.syncbox.sync.dropbox;

import dev.syncbox.core.error.ErrorCode;
import dev.syncbox.core.error.SyncboxException;
import dev.syncbox.core.path.SyncPath;
import dev.syncbox.server.dropbox.DropboxApi;
import dev.syncbox.server.dropbox.DropboxApiException;
import dev.syncbox.server.dropbox.DropboxArgs;
import dev.syncbox.server.dropbox.DropboxErrors;
import dev.syncbox.server.dropbox.DropboxWire;
import dev.syncbox.server.metadata.PathKeys;
import dev.syncbox.server.metadata.UserEntity;
import dev.syncbox.server.metadata.UserRepository;
import dev.syncbox.server.share.Sharing;
import dev.syncbox.server.web.CurrentUser;
import dev.syncbox.sync.dropbox.DropboxCursors.FoldersCursor;
import dev.syncbox.sync.dropbox.DropboxCursors.RemovalJob;
import dev.syncbox.sync.dropbox.DropboxSharedFolders.Folder;
import dev.syncbox.sync.share.ShareController;
import dev.syncbox.sync.share.Shares;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code sharing/*} folder routes (Dropbox API v2) over syncbox's shares: {@code share_folder} makes a folder a shared
 * item, {@code add_folder_member} and {@code remove_folder_member} are shares made and revoked ({@code editor} =
 * READ_WRITE, {@code viewer} = READ), {@code list_folders}, {@code list_folder_members} and {@code
 * get_folder_metadata} read them. Removal is done at once; its job id is a signed record of it.
 */
@DropboxApi
class DropboxSharingController {

    private final DropboxSharedFolders folders;
    private final Shares shares;
    private final Sharing sharing;
    private final UserRepository users;
    private final DropboxCursors cursors;
    private final JsonMapper json;

    DropboxSharingController(
            DropboxSharedFolders folders,
            Shares shares,
            Sharing sharing,
            UserRepository users,
            DropboxCursors cursors,
            JsonMapper json) {
        this.folders = folders;
        this.shares = shares;
        this.sharing = sharing;
        this.users = users;
        this.cursors = cursors;
        this.json = json;
    }

    /** → {@code ShareFolderLaunch} {@code complete}; ShareFolderError {@code bad_path} otherwise. */
    @PostMapping("/2/sharing/share_folder")
    Map<String, Object> shareFolder(CurrentUser user, @RequestBody(required = false) byte[] body) {
        DropboxArgs args = DropboxArgs.body(json, body);
        String argument = args.string("path");
        Sharing.Visible visible;
        try {
            DropboxWire.Target target = DropboxWire.target(argument);
            Optional<Sharing.Visible> found = target.fileId() != null
                    ? sharing.find(user.userId(), target.fileId())
                            .filter(v -> !v.file().isDeleted())
                    : target.path() != null && !SyncPath.isRoot(target.path())
                            ? sharing.at(user.userId(), target.path())
                            : Optional.empty();
            visible = found.orElseThrow(() -> badPath("invalid_path"));
        } catch (SyncboxException e) {
            throw badPath("invalid_path");
        }
        if (!visible.view().owner()) {
            Optional<Folder> mounted =
                    folders.find(user.userId(), visible.file().getId());
            if (mounted.isPresent()) {
                throw DropboxApiException.route(DropboxErrors.nested(
                        "bad_path", DropboxErrors.flat("already_shared", folders.metadata(mounted.get()))));
            }
            throw badPath("inside_shared_folder");
        }
        if (!visible.file().isDir()) {
            throw badPath("is_file");
        }
        Optional<String> overlap =
                folders.overlap(user.userId(), PathKeys.of(visible.file().path()));
        if (overlap.isPresent() && overlap.get().equals("already_shared")) {
            Folder folder = folders.find(user.userId(), visible.file().getId()).orElseThrow();
            throw DropboxApiException.route(
                    DropboxErrors.nested("bad_path", DropboxErrors.flat("already_shared", folders.metadata(folder))));
        }
        if (overlap.isPresent()) {
            throw badPath(overlap.get());
        }
        shares.shareItem(user, visible.file().getId());
        Folder folder = folders.find(user.userId(), visible.file().getId()).orElseThrow();
        return DropboxErrors.flat("complete", folders.metadata(folder));
    }

    /** → null; AddFolderMemberError otherwise. Members already in the folder get the access level asked for. */
    @PostMapping("/2/sharing/add_folder_member")
    ResponseEntity<String> addFolderMember(CurrentUser user, @RequestBody(required = false) byte[] body) {
        DropboxArgs args = DropboxArgs.body(json, body);
        Folder folder = owned(user, args.string("shared_folder_id"));
        List<DropboxArgs> members = args.objects("members");
        if (!args.has("members")) {
            throw DropboxApiException.badInput("Error in the body: missing required field 'members'");
        }
        record Adding(UserEntity user, String permission) {}
        List<Adding> adding = new ArrayList<>();
        for (DropboxArgs member : members) {
            String level = member.tag("access_level", "viewer");
            String permission = switch (level) {
                case "editor" -> "READ_WRITE";
                case "viewer", "viewer_no_comment" -> "READ";
                default -> throw DropboxApiException.route(DropboxErrors.tag("no_permission"));
            };
            UserEntity who = member(member, "bad_member", true);
            if (who.id() != user.userId()) {
                adding.add(new Adding(who, permission));
            }
        }
        Map<Long, Long> current = shareIds(user, folder.id());
        for (Adding a : adding) {
            try {
                Long existing = current.get(a.user().id());
                if (existing != null) {
                    shares.change(user, folder.id(), Long.toString(existing), a.permission());
                } else {
                    shares.share(
                            user,
                            folder.id(),
                            new ShareController.ShareRequest(a.user().id(), null, a.permission()));
                }
            } catch (SyncboxException e) {
                if (e.code() == ErrorCode.ALREADY_SHARED) {
                    // Shared with them already through a folder around or inside this one.
                    throw DropboxApiException.route(DropboxErrors.nested("bad_member", DropboxErrors.tag("other")));
                }
                throw access(e);
            }
        }
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body("null");
    }

    /** → {@code LaunchResultBase} {@code async_job_id}, the removal being done; RemoveFolderMemberError otherwise. */
    @PostMapping("/2/sharing/remove_folder_member")
    Map<String, Object> removeFolderMember(CurrentUser user, @RequestBody(required = false) byte[] body) {
        DropboxArgs args = DropboxArgs.body(json, body);
        String folderId = args.string("shared_folder_id");
        if (!args.has("member") || !args.has("leave_a_copy")) {
            throw DropboxApiException.badInput("Error in the body: 'member' and 'leave_a_copy' are required");
        }
        args.bool("leave_a_copy", false); // the owner's rows are never copied to a member: there is nothing to leave
        Folder folder = folders.find(user.userId(), folderId).orElseThrow(() -> accessError("invalid_id"));
        UserEntity who = member(args, "member_error", false);
        if (who.id() == folder.ownerId()) {
            throw DropboxApiException.route(DropboxErrors.tag("folder_owner"));
        }
        if (!folder.accessType().equals("owner") && who.id() != user.userId()) {
            throw DropboxApiException.route(DropboxErrors.tag("no_permission"));
        }
        Long shareId = shareIds(user, folder.id()).get(who.id());
        if (shareId == null) {
            throw DropboxApiException.route(DropboxErrors.nested("member_error", DropboxErrors.tag("not_a_member")));
        }
        try {
            shares.revoke(user, folder.id(), Long.toString(shareId));
        } catch (SyncboxException e) {
            throw access(e);
        }
        return DropboxErrors.nested("async_job_id", cursors.seal(new RemovalJob(user.userId(), folder.id(), who.id())));
    }

    /** → {@code RemoveMemberJobStatus}: {@code complete} for a removal this user made; PollError otherwise. */
    @PostMapping("/2/sharing/check_remove_member_job_status")
    Map<String, Object> checkRemoveMemberJob(CurrentUser user, @RequestBody(required = false) byte[] body) {
        job(user, body);
        return DropboxErrors.tag("complete");
    }

    /** → {@code JobStatus}: {@code complete}, as {@link #checkRemoveMemberJob}. */
    @PostMapping("/2/sharing/check_job_status")
    Map<String, Object> checkJob(CurrentUser user, @RequestBody(required = false) byte[] body) {
        job(user, body);
        return DropboxErrors.tag("complete");
    }

    /** → {@code ListFoldersResult}: the user's shared folders and those shared with them, by id. */
    @PostMapping("/2/sharing/list_folders")
    Map<String, Object> listFolders(CurrentUser user, @RequestBody(required = false) byte[] body) {
        DropboxArgs args = DropboxArgs.body(json, body);
        int limit = (int) args.number("limit", 1000, 1, 1000);
        return foldersPage(user, null, limit);
    }

    @PostMapping("/2/sharing/list_folders/continue")
    Map<String, Object> listFoldersContinue(CurrentUser user, @RequestBody(required = false) byte[] body) {
        DropboxArgs args = DropboxArgs.body(json, body);
        FoldersCursor cursor = cursors.open(args.string("cursor"), FoldersCursor.class);
        if (cursor == null || cursor.user() != user.userId()) {
            throw DropboxApiException.route(DropboxErrors.tag("invalid_cursor"));
        }
        return foldersPage(user, cursor.after(), 1000);
    }

    /** → {@code SharedFolderMetadata}; SharedFolderAccessError otherwise. */
    @PostMapping("/2/sharing/get_folder_metadata")
    Map<String, Object> folderMetadata(CurrentUser user, @RequestBody(required = false) byte[] body) {
        DropboxArgs args = DropboxArgs.body(json, body);
        Folder folder = folders.find(user.userId(), args.string("shared_folder_id"))
                .orElseThrow(() -> DropboxApiException.route(DropboxErrors.tag("invalid_id")));
        return folders.metadata(folder);
    }

    /** → {@code SharedFolderMembers}: the owner and every member, users only (syncbox has no groups or invitees). */
    @PostMapping("/2/sharing/list_folder_members")
    Map<String, Object> listFolderMembers(CurrentUser user, @RequestBody(required = false) byte[] body) {
        DropboxArgs args = DropboxArgs.body(json, body);
        Folder folder = folders.find(user.userId(), args.string("shared_folder_id"))
                .orElseThrow(() -> DropboxApiException.route(DropboxErrors.tag("invalid_id")));
        args.number("limit", 1000, 1, 1000);
        List<Map<String, Object>> members = new ArrayList<>();
        UserEntity owner = users.findById(folder.ownerId()).orElseThrow();
        members.add(membership("owner", owner.id(), owner.email(), owner.name()));
        for (ShareController.ShareView share : shares.list(user, folder.id())) {
            members.add(membership(
                    "READ_WRITE".equals(share.permission()) ? "editor" : "viewer",
                    share.userId(),
                    share.email(),
                    share.name()));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("users", members);
        out.put("groups", List.of());
        out.put("invitees", List.of());
        return out;
    }

    private Map<String, Object> foldersPage(CurrentUser user, String after, int limit) {
        List<Folder> page = folders.page(user.userId(), after, limit + 1);
        List<Map<String, Object>> entries = new ArrayList<>();
        page.subList(0, Math.min(limit, page.size())).forEach(f -> entries.add(folders.metadata(f)));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("entries", entries);
        if (page.size() > limit) {
            out.put(
                    "cursor",
                    cursors.seal(
                            new FoldersCursor(user.userId(), page.get(limit - 1).id())));
        }
        return out;
    }

    private static Map<String, Object> membership(String access, long userId, String email, String name) {
        Map<String, Object> who = new LinkedHashMap<>();
        who.put("account_id", DropboxWire.accountId(userId));
        who.put("email", email);
        who.put("display_name", name);
        who.put("same_team", false);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("access_type", DropboxErrors.tag(access));
        out.put("user", who);
        out.put("permissions", List.of());
        out.put("is_inherited", false);
        return out;
    }

    private void job(CurrentUser user, byte[] body) {
        DropboxArgs args = DropboxArgs.body(json, body);
        RemovalJob job = cursors.open(args.string("async_job_id"), RemovalJob.class);
        if (job == null || job.user() != user.userId()) {
            throw DropboxApiException.route(DropboxErrors.tag("invalid_async_job_id"));
        }
    }

    /** The folder, shared, if the caller owns it; AddFolderMemberError's access_error or no_permission otherwise. */
    private Folder owned(CurrentUser user, String folderId) {
        Folder folder = folders.find(user.userId(), folderId).orElseThrow(() -> accessError("invalid_id"));
        if (!folder.accessType().equals("owner")) {
            throw DropboxApiException.route(DropboxErrors.tag("no_permission"));
        }
        return folder;
    }

    /** A MemberSelector's user; under {@code member} an AddMemberSelectorError or a SharedFolderMemberError. */
    private UserEntity member(DropboxArgs args, String member, boolean adding) {
        DropboxArgs selector = args.union("member");
        String tag = args.tag("member", null);
        if (tag == null) {
            throw DropboxApiException.badInput("Error in the body: missing required field 'member'");
        }
        Optional<UserEntity> found;
        String value;
        switch (tag) {
            case "email" -> {
                value = selector.string("email");
                found = users.findByEmail(value.toLowerCase(Locale.ROOT));
            }
            case "dropbox_id" -> {
                value = selector.string("dropbox_id");
                Long id = DropboxWire.userId(value);
                found = id == null ? Optional.empty() : users.findById(id);
            }
            default -> throw DropboxApiException.badInput("Error in the body: unknown member selector '" + tag + "'");
        }
        return found.orElseThrow(() -> {
            if (!adding) {
                return DropboxApiException.route(DropboxErrors.nested(
                        member, DropboxErrors.tag(tag.equals("email") ? "not_a_member" : "invalid_dropbox_id")));
            }
            String error = tag.equals("email") ? "invalid_email" : "invalid_dropbox_id";
            return DropboxApiException.route(DropboxErrors.nested(member, DropboxErrors.nested(error, value)));
        });
    }

    private Map<Long, Long> shareIds(CurrentUser user, String folderId) {
        Map<Long, Long> ids = new LinkedHashMap<>();
        shares.list(user, folderId).forEach(s -> ids.put(s.userId(), s.shareId()));
        return ids;
    }

    private static DropboxApiException access(SyncboxException e) {
        return switch (e.code()) {
            case NOT_FOUND -> accessError("invalid_id");
            case PERMISSION_DENIED -> DropboxApiException.route(DropboxErrors.tag("no_permission"));
            default -> DropboxErrors.of(e);
        };
    }

    private static DropboxApiException accessError(String tag) {
        return DropboxApiException.route(DropboxErrors.nested("access_error", DropboxErrors.tag(tag)));
    }

    private static DropboxApiException badPath(String tag) {
        return DropboxApiException.route(DropboxErrors.nested("bad_path", DropboxErrors.tag(tag)));
    }
}
