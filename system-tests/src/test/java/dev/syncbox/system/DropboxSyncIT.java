package dev.syncbox.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.dropbox.core.v2.DbxClientV2;
import com.dropbox.core.v2.async.LaunchResultBase;
import com.dropbox.core.v2.async.PollError;
import com.dropbox.core.v2.async.PollErrorException;
import com.dropbox.core.v2.files.DeletedMetadata;
import com.dropbox.core.v2.files.FileMetadata;
import com.dropbox.core.v2.files.FolderMetadata;
import com.dropbox.core.v2.files.ListFolderContinueErrorException;
import com.dropbox.core.v2.files.ListFolderErrorException;
import com.dropbox.core.v2.files.ListFolderResult;
import com.dropbox.core.v2.files.Metadata;
import com.dropbox.core.v2.sharing.AccessLevel;
import com.dropbox.core.v2.sharing.AddFolderMemberErrorException;
import com.dropbox.core.v2.sharing.AddMember;
import com.dropbox.core.v2.sharing.MemberSelector;
import com.dropbox.core.v2.sharing.ShareFolderErrorException;
import com.dropbox.core.v2.sharing.ShareFolderLaunch;
import com.dropbox.core.v2.sharing.SharedFolderAccessError;
import com.dropbox.core.v2.sharing.SharedFolderMembers;
import com.dropbox.core.v2.sharing.SharedFolderMetadata;
import dev.syncbox.server.dropbox.DropboxWire;
import dev.syncbox.server.testing.Api;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The official Dropbox SDK's {@code files/list_folder} family, its long-poll and {@code sharing/*} against syncbox
 * through the gateway; files are set up with syncbox's own API, so what the SDK sees is syncbox's state.
 */
class DropboxSyncIT {

    static RunningSystem system;
    static TestGateway gateway;
    static Api sync;
    static Api upload;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        system = RunningSystem.get();
        gateway = TestGateway.in(system);
        sync = system.api(system.sync);
        upload = system.api(system.upload);
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    private static DropboxSdk.Account account(String name) {
        return DropboxSdk.account(sync, gateway.url(), name);
    }

    /** Uploads {@code text} at {@code path} (a new file, or a new version of {@code parent}); its version id. */
    private static String put(DropboxSdk.Account who, String path, String text, String parent) {
        Api.Response r = upload.uploadText(who.bearer(), path, text, parent, null);
        assertThat(r.status()).as("upload %s: %s", path, r.body()).isEqualTo(200);
        return r.text("version_id");
    }

    private static String fileId(DropboxSdk.Account who, String path) {
        Api.Response r = upload.uploadText(who.bearer(), path, "x", null, null);
        assertThat(r.status()).isEqualTo(200);
        return r.text("file_id");
    }

    private static void folder(DropboxSdk.Account who, String path) {
        assertThat(sync.postJson("/files/folder", who.bearer(), Map.of("path", path))
                        .status())
                .isIn(200, 201);
    }

    /** Every page of a listing, checked to name no path twice. */
    private static List<Metadata> all(DbxClientV2 client, ListFolderResult first) throws Exception {
        List<Metadata> entries = new ArrayList<>(first.getEntries());
        ListFolderResult page = first;
        while (page.getHasMore()) {
            page = client.files().listFolderContinue(page.getCursor());
            entries.addAll(page.getEntries());
        }
        return entries;
    }

    private static Set<String> paths(List<Metadata> entries) {
        Set<String> paths = new HashSet<>();
        for (Metadata m : entries) {
            assertThat(paths.add(m.getPathLower()))
                    .as("listed twice: %s", m.getPathLower())
                    .isTrue();
        }
        return paths;
    }

    /** Applies changes as a Dropbox client does: a deleted folder takes its subtree with it. */
    private static void apply(Map<String, Metadata> state, List<Metadata> changes) {
        for (Metadata m : changes) {
            String key = m.getPathLower();
            if (m instanceof DeletedMetadata) {
                state.keySet().removeIf(p -> p.equals(key) || p.startsWith(key + "/"));
            } else {
                state.put(key, m);
            }
        }
    }

    /** The cursor's changes until there are no more. */
    private static ListFolderResult drain(DbxClientV2 client, String cursor, List<Metadata> into) throws Exception {
        ListFolderResult page;
        do {
            page = client.files().listFolderContinue(cursor);
            into.addAll(page.getEntries());
            cursor = page.getCursor();
        } while (page.getHasMore());
        return page;
    }

    @Test
    void shouldPageAFolderWithoutDuplicatesRecursivelyOrNot() throws Exception {
        DropboxSdk.Account alice = account("Alice");
        Set<String> top = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            put(alice, "/Paged/f" + (i < 10 ? "0" : "") + i + ".txt", "file " + i, null);
            top.add("/paged/f" + (i < 10 ? "0" : "") + i + ".txt");
        }
        Set<String> deep = new HashSet<>();
        for (int i = 0; i < 5; i++) {
            put(alice, "/Paged/Sub/g" + i + ".txt", "deep " + i, null);
            deep.add("/paged/sub/g" + i + ".txt");
        }
        top.add("/paged/sub");
        DbxClientV2 client = alice.client();

        ListFolderResult first =
                client.files().listFolderBuilder("/Paged").withLimit(4L).start();
        assertThat(first.getEntries()).hasSize(4);
        assertThat(first.getHasMore()).isTrue();
        ListFolderResult second = client.files().listFolderContinue(first.getCursor());
        assertThat(second.getEntries()).as("continuations keep the limit").hasSize(4);
        List<Metadata> flat = all(client, first);
        assertThat(paths(flat)).isEqualTo(top);
        FileMetadata f00 = (FileMetadata) flat.stream()
                .filter(m -> m.getPathLower().equals("/paged/f00.txt"))
                .findFirst()
                .orElseThrow();
        assertThat(f00.getPathDisplay()).isEqualTo("/Paged/f00.txt");
        assertThat(f00.getSize()).isEqualTo(6);
        assertThat(f00.getId()).startsWith("id:");

        List<Metadata> recursive = all(
                client,
                client.files()
                        .listFolderBuilder("/paged")
                        .withRecursive(true)
                        .withLimit(3L)
                        .start());
        Set<String> everything = new HashSet<>(top);
        everything.addAll(deep);
        everything.add("/paged");
        assertThat(paths(recursive)).isEqualTo(everything);
        assertThat(recursive.stream().filter(m -> m.getPathLower().equals("/paged/sub")))
                .singleElement()
                .isInstanceOf(FolderMetadata.class);

        assertThat(paths(all(client, client.files().listFolder("")))).containsExactly("/paged");
        // By id, as the SDK may name a folder.
        String subId = ((FolderMetadata) recursive.stream()
                        .filter(m -> m.getPathLower().equals("/paged/sub"))
                        .findFirst()
                        .orElseThrow())
                .getId();
        assertThat(paths(all(client, client.files().listFolder(subId)))).isEqualTo(deep);
    }

    @Test
    void shouldContinueWithNewEditedMovedDeletedAndRestoredEntries() throws Exception {
        DropboxSdk.Account alice = account("Alice");
        String aVersion = put(alice, "/C/a.txt", "a", null);
        put(alice, "/C/D/x.txt", "x", null);
        put(alice, "/C/D/Inner/y.txt", "y", null);
        String bId = fileId(alice, "/C/b.txt");
        DbxClientV2 client = alice.client();
        ListFolderResult listed =
                client.files().listFolderBuilder("/C").withRecursive(true).start();
        Map<String, Metadata> state = new TreeMap<>();
        apply(state, all(client, listed));
        assertThat(state.keySet())
                .containsExactlyInAnyOrder(
                        "/c", "/c/a.txt", "/c/b.txt", "/c/d", "/c/d/x.txt", "/c/d/inner", "/c/d/inner/y.txt");

        put(alice, "/C/new.txt", "new", null);
        String edited = put(alice, "/C/a.txt", "a, edited", aVersion);
        assertThat(sync.postJson("/files/move", alice.bearer(), Map.of("from_path", "/C/D", "to_path", "/C/E"))
                        .status())
                .isEqualTo(200);
        assertThat(sync.postJson("/files/" + bId + "/delete", alice.bearer(), Map.of())
                        .status())
                .isEqualTo(200);

        List<Metadata> changes = new ArrayList<>();
        ListFolderResult after = drain(client, listed.getCursor(), changes);
        assertThat(changes)
                .anySatisfy(m -> assertThat(m)
                        .isInstanceOf(DeletedMetadata.class)
                        .extracting(Metadata::getPathLower)
                        .isEqualTo("/c/d"));
        assertThat(changes)
                .anySatisfy(m -> assertThat(m)
                        .isInstanceOf(DeletedMetadata.class)
                        .extracting(Metadata::getPathLower)
                        .isEqualTo("/c/b.txt"));
        apply(state, changes);
        assertThat(state.keySet())
                .containsExactlyInAnyOrder(
                        "/c", "/c/a.txt", "/c/new.txt", "/c/e", "/c/e/x.txt", "/c/e/inner", "/c/e/inner/y.txt");
        assertThat(((FileMetadata) state.get("/c/a.txt")).getRev()).isEqualTo(DropboxWire.rev(edited));
        assertThat(((FileMetadata) state.get("/c/a.txt")).getSize()).isEqualTo(9);

        assertThat(sync.postJson("/trash/" + bId + "/restore", alice.bearer(), Map.of())
                        .status())
                .isEqualTo(200);
        List<Metadata> back = new ArrayList<>();
        drain(client, after.getCursor(), back);
        assertThat(back)
                .anySatisfy(m -> assertThat(m)
                        .isInstanceOf(FileMetadata.class)
                        .extracting(Metadata::getPathLower)
                        .isEqualTo("/c/b.txt"));
        apply(state, back);
        assertThat(state).containsKey("/c/b.txt");

        // Not recursive: what happens deeper is not this folder's.
        ListFolderResult shallow = client.files().listFolder("/C");
        put(alice, "/C/E/deeper.txt", "deeper", null);
        put(alice, "/C/top.txt", "top", null);
        List<Metadata> shallowChanges = new ArrayList<>();
        drain(client, shallow.getCursor(), shallowChanges);
        assertThat(paths(shallowChanges)).containsExactly("/c/top.txt");
    }

    @Test
    void shouldConvergeWhenTheFolderChangesWhileItIsPaged() throws Exception {
        DropboxSdk.Account alice = account("Alice");
        Map<String, String> ids = new TreeMap<>();
        for (int i = 0; i < 12; i++) {
            String name = "/Conv/f" + (i < 10 ? "0" : "") + i + ".txt";
            ids.put(name, fileId(alice, name));
        }
        put(alice, "/Conv/Dir/z.txt", "z", null);
        DbxClientV2 client = alice.client();
        ListFolderResult page = client.files()
                .listFolderBuilder("/Conv")
                .withRecursive(true)
                .withLimit(3L)
                .start();
        Map<String, Metadata> state = new TreeMap<>();
        apply(state, page.getEntries());
        // Between pages: what was listed goes away, what is to come moves to before the position, new entries come.
        assertThat(sync.postJson("/files/" + ids.get("/Conv/f00.txt") + "/delete", alice.bearer(), Map.of())
                        .status())
                .isEqualTo(200);
        assertThat(sync.postJson(
                                "/files/move",
                                alice.bearer(),
                                Map.of("from_path", "/Conv/f10.txt", "to_path", "/Conv/a-renamed.txt"))
                        .status())
                .isEqualTo(200);
        assertThat(sync.postJson(
                                "/files/move", alice.bearer(), Map.of("from_path", "/Conv/Dir", "to_path", "/Conv/Aaa"))
                        .status())
                .isEqualTo(200);
        put(alice, "/Conv/f05b.txt", "new", null);
        List<Metadata> rest = new ArrayList<>();
        drain(client, page.getCursor(), rest);
        apply(state, rest);

        Map<String, Metadata> truth = new TreeMap<>();
        apply(
                truth,
                all(
                        client,
                        client.files()
                                .listFolderBuilder("/Conv")
                                .withRecursive(true)
                                .start()));
        assertThat(state.keySet()).isEqualTo(truth.keySet());
        assertThat(state).containsKeys("/conv/a-renamed.txt", "/conv/aaa/z.txt", "/conv/f05b.txt");
        assertThat(state).doesNotContainKeys("/conv/f00.txt", "/conv/f10.txt", "/conv/dir", "/conv/dir/z.txt");
    }

    @Test
    void shouldListTheContentsOfManyFoldersRenamedAtOnce() throws Exception {
        DropboxSdk.Account alice = account("Alice");
        int folders = 40; // more than one page of replay queues listings for
        for (int i = 0; i < folders; i++) {
            put(alice, "/M/a" + i + "/inside.txt", "in " + i, null);
        }
        DbxClientV2 client = alice.client();
        ListFolderResult listed =
                client.files().listFolderBuilder("/M").withRecursive(true).start();
        Map<String, Metadata> state = new TreeMap<>();
        apply(state, all(client, listed));
        for (int i = 0; i < folders; i++) {
            assertThat(sync.postJson(
                                    "/files/move",
                                    alice.bearer(),
                                    Map.of("from_path", "/M/a" + i, "to_path", "/M/b" + i))
                            .status())
                    .isEqualTo(200);
        }
        List<Metadata> changes = new ArrayList<>();
        drain(client, listed.getCursor(), changes);
        apply(state, changes);
        Map<String, Metadata> truth = new TreeMap<>();
        apply(
                truth,
                all(
                        client,
                        client.files()
                                .listFolderBuilder("/M")
                                .withRecursive(true)
                                .start()));
        assertThat(state.keySet())
                .isEqualTo(truth.keySet())
                .contains("/m/b39/inside.txt")
                .hasSize(1 + 2 * folders);
    }

    @Test
    void shouldListDeletedEntriesOnAskingAndResetACursorPastTheJournal() throws Exception {
        DropboxSdk.Account alice = account("Alice");
        String gone = fileId(alice, "/R/gone.txt");
        put(alice, "/R/kept.txt", "kept", null);
        assertThat(sync.postJson("/files/" + gone + "/delete", alice.bearer(), Map.of())
                        .status())
                .isEqualTo(200);
        DbxClientV2 client = alice.client();
        assertThat(paths(client.files().listFolder("/R").getEntries())).containsExactly("/r/kept.txt");
        List<Metadata> withDeleted = client.files()
                .listFolderBuilder("/R")
                .withIncludeDeleted(true)
                .start()
                .getEntries();
        assertThat(paths(withDeleted)).containsExactlyInAnyOrder("/r/kept.txt", "/r/gone.txt");
        assertThat(withDeleted.stream().filter(m -> m.getPathLower().equals("/r/gone.txt")))
                .singleElement()
                .isInstanceOf(DeletedMetadata.class);

        String cursor = client.files().listFolder("/R").getCursor();
        put(alice, "/R/one.txt", "1", null);
        put(alice, "/R/two.txt", "2", null);
        // The journal kept only its last entry: the cursor's position is gone.
        try (Connection db = system.sync.getBean(DataSource.class).getConnection();
                PreparedStatement trim = db.prepareStatement("DELETE FROM journal j USING users u"
                        + " WHERE u.email = ? AND j.namespace_id = u.root_namespace_id AND j.seq <"
                        + " (SELECT last_seq FROM namespaces n WHERE n.namespace_id = u.root_namespace_id)")) {
            trim.setString(1, alice.email());
            assertThat(trim.executeUpdate()).isPositive();
        }
        assertThatThrownBy(() -> client.files().listFolderContinue(cursor))
                .isInstanceOfSatisfying(
                        ListFolderContinueErrorException.class,
                        e -> assertThat(e.errorValue.isReset()).isTrue());
    }

    @Test
    void shouldGiveOnlyLaterChangesAfterTheLatestCursor() throws Exception {
        DropboxSdk.Account alice = account("Alice");
        put(alice, "/L/one.txt", "1", null);
        DbxClientV2 client = alice.client();
        String cursor = client.files().listFolderGetLatestCursor("/L").getCursor();
        put(alice, "/L/two.txt", "2", null);
        put(alice, "/Elsewhere/three.txt", "3", null);
        List<Metadata> changes = new ArrayList<>();
        drain(client, cursor, changes);
        assertThat(paths(changes)).containsExactly("/l/two.txt");
    }

    @Test
    void shouldWakeALongPollOnAChangeAndTimeOutWithoutOne() throws Exception {
        DropboxSdk.Account alice = account("Alice");
        DbxClientV2 client = alice.client();
        String cursor = client.files().listFolderGetLatestCursor("").getCursor();
        long started = System.nanoTime();
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            put(alice, "/poked.txt", "poke", null);
        });
        assertThat(client.files().listFolderLongpoll(cursor, 30).getChanges()).isTrue();
        writer.get(10, TimeUnit.SECONDS);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(15));
        ListFolderResult changes = client.files().listFolderContinue(cursor);
        assertThat(paths(changes.getEntries())).containsExactly("/poked.txt");

        // A cursor that is up to date: the poll returns only at its timeout, and says nothing changed.
        started = System.nanoTime();
        assertThat(client.files().listFolderLongpoll(changes.getCursor(), 30).getChanges())
                .isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThan(Duration.ofSeconds(29));
    }

    @Test
    void shouldShareAFolderWithAnEditorAndAViewerAndTakeItBack() throws Exception {
        DropboxSdk.Account alice = account("Alice");
        DropboxSdk.Account bob = account("Bob");
        DropboxSdk.Account carol = account("Carol");
        put(alice, "/Team/doc.txt", "doc", null);
        put(alice, "/Private/secret.txt", "secret", null);
        ShareFolderLaunch launch = alice.client().sharing().shareFolder("/Team");
        assertThat(launch.isComplete()).isTrue();
        SharedFolderMetadata shared = launch.getCompleteValue();
        assertThat(shared.getName()).isEqualTo("Team");
        assertThat(shared.getAccessType()).isEqualTo(AccessLevel.OWNER);
        assertThat(shared.getPathLower()).isEqualTo("/team");
        String folderId = shared.getSharedFolderId();
        // Shared with no one yet: the owner lists it, no one else sees it.
        assertThat(alice.client().sharing().listFolders().getEntries())
                .extracting(SharedFolderMetadata::getSharedFolderId)
                .containsExactly(folderId);
        assertThat(bob.client().sharing().listFolders().getEntries()).isEmpty();
        assertThatThrownBy(() -> alice.client().sharing().shareFolder("/Team"))
                .isInstanceOfSatisfying(
                        ShareFolderErrorException.class,
                        e -> assertThat(e.errorValue.getBadPathValue().isAlreadyShared())
                                .isTrue());

        alice.client()
                .sharing()
                .addFolderMember(
                        folderId, List.of(new AddMember(MemberSelector.email(bob.email()), AccessLevel.EDITOR)));
        alice.client()
                .sharing()
                .addFolderMember(
                        folderId, List.of(new AddMember(MemberSelector.email(carol.email()), AccessLevel.VIEWER)));
        SharedFolderMetadata seenByBob =
                bob.client().sharing().listFolders().getEntries().get(0);
        assertThat(seenByBob.getSharedFolderId()).isEqualTo(folderId);
        assertThat(seenByBob.getAccessType()).isEqualTo(AccessLevel.EDITOR);
        assertThat(seenByBob.getPathLower()).isEqualTo("/team");
        assertThat(carol.client().sharing().getFolderMetadata(folderId).getAccessType())
                .isEqualTo(AccessLevel.VIEWER);
        SharedFolderMembers members = alice.client().sharing().listFolderMembers(folderId);
        assertThat(members.getUsers())
                .extracting(u -> u.getUser().getEmail() + "=" + u.getAccessType())
                .containsExactlyInAnyOrder(
                        alice.email() + "=" + AccessLevel.OWNER,
                        bob.email() + "=" + AccessLevel.EDITOR,
                        carol.email() + "=" + AccessLevel.VIEWER);

        assertThat(paths(all(bob.client(), bob.client().files().listFolder(""))))
                .containsExactly("/team");
        assertThat(bob.client()
                        .files()
                        .listFolderBuilder("")
                        .withIncludeMountedFolders(false)
                        .start()
                        .getEntries())
                .isEmpty();
        ListFolderResult bobs =
                bob.client().files().listFolderBuilder("").withRecursive(true).start();
        assertThat(paths(all(bob.client(), bobs))).containsExactlyInAnyOrder("/team", "/team/doc.txt");

        put(alice, "/Team/later.txt", "later", null);
        List<Metadata> bobChanges = new ArrayList<>();
        ListFolderResult bobAfter = drain(bob.client(), bobs.getCursor(), bobChanges);
        assertThat(paths(bobChanges)).containsExactly("/team/later.txt");
        // The editor writes there; the viewer may not.
        put(bob, "/Team/from-bob.txt", "bob", null);
        assertThat(upload.uploadText(carol.bearer(), "/Team/from-carol.txt", "carol", null, null)
                        .status())
                .isEqualTo(403);
        assertThat(paths(alice.client().files().listFolder("/Team").getEntries()))
                .containsExactlyInAnyOrder("/team/doc.txt", "/team/later.txt", "/team/from-bob.txt");

        LaunchResultBase removal =
                alice.client().sharing().removeFolderMember(folderId, MemberSelector.email(bob.email()), false);
        assertThat(removal.isAsyncJobId()).isTrue();
        assertThat(alice.client()
                        .sharing()
                        .checkRemoveMemberJobStatus(removal.getAsyncJobIdValue())
                        .isComplete())
                .isTrue();
        assertThatThrownBy(() -> bob.client().sharing().checkRemoveMemberJobStatus(removal.getAsyncJobIdValue()))
                .isInstanceOf(PollErrorException.class);
        assertThat(bob.client().sharing().listFolders().getEntries()).isEmpty();
        List<Metadata> gone = new ArrayList<>();
        drain(bob.client(), bobAfter.getCursor(), gone);
        assertThat(gone)
                .anySatisfy(m -> assertThat(m)
                        .isInstanceOf(DeletedMetadata.class)
                        .extracting(Metadata::getPathLower)
                        .isEqualTo("/team"));
        assertThatThrownBy(() -> bob.client().files().listFolder("/Team"))
                .isInstanceOfSatisfying(
                        ListFolderErrorException.class,
                        e -> assertThat(e.errorValue.getPathValue().isNotFound())
                                .isTrue());
        assertThat(carol.client().sharing().listFolders().getEntries()).hasSize(1);
    }

    @Test
    void shouldRefuseBadInputAsDropboxDoes() throws Exception {
        DropboxSdk.Account alice = account("Alice");
        DropboxSdk.Account bob = account("Bob");
        put(alice, "/Bad/file.txt", "f", null);
        DbxClientV2 client = alice.client();
        String cursor = client.files().listFolder("/Bad").getCursor();

        assertThatThrownBy(() -> client.files().listFolder("/Missing"))
                .isInstanceOfSatisfying(
                        ListFolderErrorException.class,
                        e -> assertThat(e.errorValue.getPathValue().isNotFound())
                                .isTrue());
        assertThatThrownBy(() -> client.files().listFolder("/Bad/file.txt"))
                .isInstanceOfSatisfying(
                        ListFolderErrorException.class,
                        e -> assertThat(e.errorValue.getPathValue().isNotFolder())
                                .isTrue());

        String forged = cursor.substring(0, 10) + (cursor.charAt(10) == 'A' ? 'B' : 'A') + cursor.substring(11);
        assertThat(post("/2/files/list_folder/continue", alice.bearer(), "{\"cursor\":\"" + forged + "\"}")
                        .statusCode())
                .isEqualTo(400);
        assertThat(post("/2/files/list_folder/continue", alice.bearer(), "{\"cursor\":\"garbled!\"}")
                        .statusCode())
                .isEqualTo(400);
        assertThat(post("/2/files/list_folder/continue", bob.bearer(), "{\"cursor\":\"" + cursor + "\"}")
                        .statusCode())
                .as("another user's cursor")
                .isEqualTo(400);
        assertThat(post("/2/files/list_folder/longpoll", null, "{\"cursor\":\"" + forged + "\"}")
                        .statusCode())
                .isEqualTo(400);
        assertThat(post("/2/files/list_folder/longpoll", null, "{\"cursor\":\"" + cursor + "\",\"timeout\":10}")
                        .statusCode())
                .isEqualTo(400);
        assertThat(post("/2/files/list_folder", alice.bearer(), "{\"path\":\"/Bad\",\"limit\":0}")
                        .statusCode())
                .isEqualTo(400);
        assertThat(post("/2/files/list_folder", alice.bearer(), "{\"path\":\"/Bad\",\"limit\":2001}")
                        .statusCode())
                .isEqualTo(400);
        assertThat(post("/2/files/list_folder", alice.bearer(), "{\"recursive\":true}")
                        .statusCode())
                .as("no path")
                .isEqualTo(400);
        assertThat(post("/2/files/list_folder", alice.bearer(), "{\"path\":\"/Bad\",\"recursive\":\"yes\"}")
                        .statusCode())
                .isEqualTo(400);
        assertThat(post("/2/files/list_folder", null, "{\"path\":\"\"}").statusCode())
                .isEqualTo(401);
        assertThat(post("/2/files/list_folder/continue", null, "{\"cursor\":\"" + cursor + "\"}")
                        .statusCode())
                .isEqualTo(401);
        assertThat(post("/2/sharing/list_folders", null, "{}").statusCode()).isEqualTo(401);
        // The long-poll takes no token: its cursor names the user. A change answers at once.
        put(alice, "/Bad/more.txt", "m", null);
        HttpResponse<String> poll = post("/2/files/list_folder/longpoll", null, "{\"cursor\":\"" + cursor + "\"}");
        assertThat(poll.statusCode()).isEqualTo(200);
        assertThat(poll.body()).contains("\"changes\":true");

        assertThatThrownBy(() -> client.sharing().shareFolder("/Bad/file.txt"))
                .isInstanceOfSatisfying(
                        ShareFolderErrorException.class,
                        e -> assertThat(e.errorValue.getBadPathValue().isIsFile())
                                .isTrue());
        String folderId =
                client.sharing().shareFolder("/Bad").getCompleteValue().getSharedFolderId();
        put(alice, "/Bad/Inner/i.txt", "i", null);
        assertThatThrownBy(() -> client.sharing().shareFolder("/Bad/Inner"))
                .isInstanceOfSatisfying(
                        ShareFolderErrorException.class,
                        e -> assertThat(e.errorValue.getBadPathValue().isInsideSharedFolder())
                                .isTrue());
        assertThatThrownBy(() -> client.sharing().shareFolder("/Nowhere"))
                .isInstanceOf(ShareFolderErrorException.class);
        assertThatThrownBy(() -> client.sharing()
                        .addFolderMember(
                                folderId,
                                List.of(new AddMember(
                                        MemberSelector.email("nobody-" + System.nanoTime() + "@example.test")))))
                .isInstanceOfSatisfying(
                        AddFolderMemberErrorException.class,
                        e -> assertThat(e.errorValue.getBadMemberValue().isInvalidEmail())
                                .isTrue());
        assertThatThrownBy(() -> bob.client()
                        .sharing()
                        .addFolderMember(folderId, List.of(new AddMember(MemberSelector.email(bob.email())))))
                .isInstanceOfSatisfying(
                        AddFolderMemberErrorException.class,
                        e -> assertThat(e.errorValue.getAccessErrorValue())
                                .isEqualTo(SharedFolderAccessError.INVALID_ID));
        assertThatThrownBy(() -> client.sharing().checkRemoveMemberJobStatus("not-a-job"))
                .isInstanceOfSatisfying(
                        PollErrorException.class,
                        e -> assertThat(e.errorValue).isEqualTo(PollError.INVALID_ASYNC_JOB_ID));
    }

    private static HttpResponse<String> post(String route, String bearer, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gateway.url() + route))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (bearer != null) {
            request.header("Authorization", bearer);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
