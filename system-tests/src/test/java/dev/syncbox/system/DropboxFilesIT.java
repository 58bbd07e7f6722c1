package dev.syncbox.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.dropbox.core.v2.DbxClientV2;
import com.dropbox.core.v2.files.CreateFolderBatchLaunch;
import com.dropbox.core.v2.files.CreateFolderBatchResultEntry;
import com.dropbox.core.v2.files.CreateFolderErrorException;
import com.dropbox.core.v2.files.DeleteErrorException;
import com.dropbox.core.v2.files.DeletedMetadata;
import com.dropbox.core.v2.files.FileMetadata;
import com.dropbox.core.v2.files.FolderMetadata;
import com.dropbox.core.v2.files.GetMetadataErrorException;
import com.dropbox.core.v2.files.GetTemporaryLinkResult;
import com.dropbox.core.v2.files.ListRevisionsResult;
import com.dropbox.core.v2.files.Metadata;
import com.dropbox.core.v2.files.RelocationErrorException;
import com.dropbox.core.v2.files.RestoreErrorException;
import com.dropbox.core.v2.files.SearchMatchTypeV2;
import com.dropbox.core.v2.files.SearchMatchV2;
import com.dropbox.core.v2.files.SearchOptions;
import com.dropbox.core.v2.files.SearchV2Result;
import com.dropbox.core.v2.files.WriteConflictError;
import com.dropbox.core.v2.users.BasicAccount;
import com.dropbox.core.v2.users.FullAccount;
import com.dropbox.core.v2.users.GetAccountError;
import com.dropbox.core.v2.users.GetAccountErrorException;
import com.dropbox.core.v2.users.SpaceUsage;
import dev.syncbox.indexer.indexing.Indexer;
import dev.syncbox.server.dropbox.DropboxWire;
import dev.syncbox.server.dropbox.TemporaryLinks;
import dev.syncbox.server.testing.Api;
import dev.syncbox.server.testing.Multipart;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The official Dropbox SDK against syncbox's Dropbox RPC routes for files and users, through the gateway: what the SDK
 * sees is checked against what syncbox's own API says of the same files (ids, versions, content, trash, quota).
 */
class DropboxFilesIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    static RunningSystem system;
    static TestGateway gateway;
    static Api sync;
    static Api upload;
    static Api download;
    static ConfigurableApplicationContext indexerJob;
    static Indexer indexer;

    @BeforeAll
    static void start() throws Exception {
        system = RunningSystem.get();
        gateway = TestGateway.in(system);
        sync = system.api(system.sync);
        upload = system.api(system.upload);
        download = system.api(system.download);
        indexerJob = RunningSystem.indexer(
                "--syncbox.indexer.enabled=false",
                "--syncbox.indexer.poll=PT0.2S",
                "--syncbox.indexer.max-backoff=PT2S",
                "--syncbox.indexer.index-check=PT1S");
        indexer = indexerJob.getBean(Indexer.class);
        indexer.start();
    }

    @AfterAll
    static void stop() {
        indexerJob.close();
        gateway.close();
    }

    private static DropboxSdk.Account account(String name) {
        return DropboxSdk.account(sync, gateway.url(), name);
    }

    /** Uploads through syncbox's own API: its answer ({@code file_id}, {@code version_id}, {@code checksum}). */
    private static JsonNode put(DropboxSdk.Account a, String path, String text) {
        Api.Response uploaded = upload.upload(
                "/files/upload",
                a.bearer(),
                new Multipart().field("file_path", path).file("content", text.getBytes(StandardCharsets.UTF_8)));
        assertThat(uploaded.status()).as("upload %s: %s", path, uploaded.body()).isEqualTo(200);
        return uploaded.body();
    }

    /** The current content of a file, through syncbox's own download API. */
    private static String content(DropboxSdk.Account a, String fileId) {
        HttpResponse<byte[]> response = download.bytes(download.request("/files/download/" + fileId)
                .header("Authorization", a.bearer())
                .GET());
        assertThat(response.statusCode()).isEqualTo(200);
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    private static String fileId(Metadata metadata) {
        String id = metadata instanceof FileMetadata f ? f.getId() : ((FolderMetadata) metadata).getId();
        assertThat(id).startsWith("id:");
        return id.substring(3);
    }

    /** A raw RPC call through the gateway, for what the SDK refuses to send. */
    private static HttpResponse<byte[]> raw(String route, String bearer, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(java.net.URI.create(gateway.url() + "/2/" + route))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (bearer != null) {
            request.header("Authorization", bearer);
        }
        return sync.bytes(request);
    }

    private static JsonNode json(HttpResponse<byte[]> response) {
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        return JSON.readTree(response.body());
    }

    @Test
    void shouldDescribeFilesAndFoldersByPathAndIdWithRevsThatAreSyncboxVersions() throws Exception {
        DropboxSdk.Account alice = account("Alice Liddell");
        DbxClientV2 client = alice.client();
        JsonNode uploaded = put(alice, "/Meta/Notes.txt", "hello");

        FileMetadata byPath = (FileMetadata) client.files().getMetadata("/meta/notes.txt");
        assertThat(byPath.getName()).isEqualTo("Notes.txt");
        assertThat(byPath.getPathDisplay()).isEqualTo("/Meta/Notes.txt");
        assertThat(byPath.getPathLower()).isEqualTo("/meta/notes.txt");
        assertThat(byPath.getSize()).isEqualTo(5);
        assertThat(byPath.getId()).isEqualTo("id:" + uploaded.path("file_id").asString());
        assertThat(byPath.getRev()).matches("[0-9a-f]{32}");
        assertThat(DropboxWire.versionId(byPath.getRev()))
                .isEqualTo(uploaded.path("version_id").asString());
        assertThat(byPath.getContentHash()).isEqualTo(uploaded.path("checksum").asString());

        FileMetadata byId = (FileMetadata) client.files().getMetadata(byPath.getId());
        assertThat(byId.getPathDisplay()).isEqualTo("/Meta/Notes.txt");
        assertThat(byId.getRev()).isEqualTo(byPath.getRev());
        FileMetadata byRev = (FileMetadata) client.files().getMetadata("rev:" + byPath.getRev());
        assertThat(byRev.getId()).isEqualTo(byPath.getId());

        Metadata folder = client.files().getMetadata("/Meta");
        assertThat(folder).isInstanceOf(FolderMetadata.class);
        assertThat(folder.getPathDisplay()).isEqualTo("/Meta");

        assertThatThrownBy(() -> client.files().getMetadata("/Meta/missing.txt"))
                .isInstanceOfSatisfying(GetMetadataErrorException.class, e -> {
                    assertThat(e.errorValue.isPath()).isTrue();
                    assertThat(e.errorValue.getPathValue().isNotFound()).isTrue();
                });
        // Someone else's id is not there for Bob.
        DropboxSdk.Account bob = account("Bob");
        assertThatThrownBy(() -> bob.client().files().getMetadata(byPath.getId()))
                .isInstanceOf(GetMetadataErrorException.class);
    }

    @Test
    void shouldCreateFoldersAndNameWhatIsInTheWay() throws Exception {
        DbxClientV2 client = account("Carol").client();
        FolderMetadata made = client.files().createFolderV2("/Made/Sub").getMetadata();
        assertThat(made.getPathDisplay()).isEqualTo("/Made/Sub");
        assertThat(client.files().getMetadata(made.getId()).getPathLower()).isEqualTo("/made/sub");

        assertThatThrownBy(() -> client.files().createFolderV2("/made/sub"))
                .isInstanceOfSatisfying(
                        CreateFolderErrorException.class,
                        e -> assertThat(e.errorValue.getPathValue().getConflictValue())
                                .isEqualTo(WriteConflictError.FOLDER));
        assertThat(client.files()
                        .createFolderV2("/Made/Sub", true)
                        .getMetadata()
                        .getPathDisplay())
                .isEqualTo("/Made/Sub (1)");

        CreateFolderBatchLaunch batch =
                client.files().createFolderBatch(List.of("/Batch/One", "/Made/Sub", "/Batch/Two"));
        assertThat(batch.isComplete()).isTrue();
        List<CreateFolderBatchResultEntry> entries = batch.getCompleteValue().getEntries();
        assertThat(entries).hasSize(3);
        assertThat(entries.get(0).getSuccessValue().getMetadata().getPathDisplay())
                .isEqualTo("/Batch/One");
        assertThat(entries.get(1).getFailureValue().getPathValue().getConflictValue())
                .isEqualTo(WriteConflictError.FOLDER);
        assertThat(client.files().getMetadata("/Batch/Two")).isInstanceOf(FolderMetadata.class);
    }

    @Test
    void shouldMoveAFolderWithItsContent() throws Exception {
        DropboxSdk.Account dave = account("Dave");
        DbxClientV2 client = dave.client();
        String a = put(dave, "/Mv/Src/a.txt", "a").path("file_id").asString();
        String b = put(dave, "/Mv/Src/Deep/b.txt", "b").path("file_id").asString();
        put(dave, "/Mv/Taken.txt", "t");

        Metadata moved = client.files().moveV2("/Mv/Src", "/Mv/Dst").getMetadata();
        assertThat(moved).isInstanceOf(FolderMetadata.class);
        assertThat(moved.getPathDisplay()).isEqualTo("/Mv/Dst");
        assertThat(client.files().getMetadata("/Mv/Dst/a.txt").getPathDisplay()).isEqualTo("/Mv/Dst/a.txt");
        assertThat(fileId(client.files().getMetadata("/Mv/Dst/a.txt"))).isEqualTo(a);
        assertThat(client.files().getMetadata("id:" + b).getPathDisplay()).isEqualTo("/Mv/Dst/Deep/b.txt");
        assertThatThrownBy(() -> client.files().getMetadata("/Mv/Src")).isInstanceOf(GetMetadataErrorException.class);

        assertThatThrownBy(() -> client.files().moveV2("/Mv/Dst", "/Mv/Dst/Deep/Inner"))
                .isInstanceOfSatisfying(
                        RelocationErrorException.class,
                        e -> assertThat(e.errorValue.isCantMoveFolderIntoItself())
                                .isTrue());
        assertThatThrownBy(() -> client.files().moveV2("/Mv/Nothing", "/Mv/Else"))
                .isInstanceOfSatisfying(
                        RelocationErrorException.class,
                        e -> assertThat(e.errorValue.getFromLookupValue().isNotFound())
                                .isTrue());
        assertThatThrownBy(() -> client.files().moveV2("/Mv/Dst/a.txt", "/Mv/Taken.txt"))
                .isInstanceOfSatisfying(
                        RelocationErrorException.class,
                        e -> assertThat(e.errorValue.getToValue().getConflictValue())
                                .isEqualTo(WriteConflictError.FILE));
        assertThat(client.files()
                        .moveV2Builder("/Mv/Dst/a.txt", "/Mv/Taken.txt")
                        .withAutorename(true)
                        .start()
                        .getMetadata()
                        .getPathDisplay())
                .isEqualTo("/Mv/Taken (1).txt");
    }

    @Test
    void shouldCopyFilesAndFoldersAsIndependentFilesOnTheSameBlocks() throws Exception {
        DropboxSdk.Account erin = account("Erin");
        DbxClientV2 client = erin.client();
        JsonNode original = put(erin, "/Cp/a.txt", "original content");

        FileMetadata copy =
                (FileMetadata) client.files().copyV2("/Cp/a.txt", "/Cp/b.txt").getMetadata();
        assertThat(copy.getPathDisplay()).isEqualTo("/Cp/b.txt");
        assertThat(fileId(copy)).isNotEqualTo(original.path("file_id").asString());
        assertThat(copy.getContentHash()).isEqualTo(original.path("checksum").asString());
        assertThat(copy.getSize()).isEqualTo("original content".length());
        assertThat(content(erin, fileId(copy))).isEqualTo("original content");
        put(erin, "/Cp/b.txt", "the copy, edited");
        assertThat(content(erin, fileId(copy))).isEqualTo("the copy, edited");
        assertThat(content(erin, original.path("file_id").asString())).isEqualTo("original content");

        put(erin, "/Cp/Dir/x.txt", "x content");
        String y = put(erin, "/Cp/Dir/Sub/y.txt", "y content").path("file_id").asString();
        client.files().createFolderV2("/Cp/Dir/Empty");
        FolderMetadata folder =
                (FolderMetadata) client.files().copyV2("/Cp/Dir", "/Cp/Dir2").getMetadata();
        assertThat(folder.getPathDisplay()).isEqualTo("/Cp/Dir2");
        FileMetadata yCopy = (FileMetadata) client.files().getMetadata("/Cp/Dir2/Sub/y.txt");
        assertThat(fileId(yCopy)).isNotEqualTo(y);
        assertThat(content(erin, fileId(yCopy))).isEqualTo("y content");
        assertThat(content(erin, fileId(client.files().getMetadata("/Cp/Dir2/x.txt"))))
                .isEqualTo("x content");
        assertThat(client.files().getMetadata("/Cp/Dir2/Empty")).isInstanceOf(FolderMetadata.class);
        put(erin, "/Cp/Dir2/Sub/y.txt", "y changed in the copy");
        assertThat(content(erin, y)).isEqualTo("y content");

        assertThatThrownBy(() -> client.files().copyV2("/Cp/Dir", "/Cp/Dir2"))
                .isInstanceOfSatisfying(
                        RelocationErrorException.class,
                        e -> assertThat(e.errorValue.getToValue().getConflictValue())
                                .isEqualTo(WriteConflictError.FOLDER));
        assertThatThrownBy(() -> client.files().copyV2("/Cp/a.txt", "/Cp/b.txt/inner.txt"))
                .isInstanceOfSatisfying(
                        RelocationErrorException.class,
                        e -> assertThat(e.errorValue.getToValue().getConflictValue())
                                .isEqualTo(WriteConflictError.FILE_ANCESTOR));
        assertThatThrownBy(() -> client.files().copyV2("/Cp/Dir", "/Cp/Dir/Inside"))
                .isInstanceOfSatisfying(
                        RelocationErrorException.class,
                        e -> assertThat(e.errorValue.isCantMoveFolderIntoItself())
                                .isTrue());
    }

    @Test
    void shouldDeleteIntoSyncboxsTrash() throws Exception {
        DropboxSdk.Account frank = account("Frank");
        DbxClientV2 client = frank.client();
        String id = put(frank, "/Del/a.txt", "doomed").path("file_id").asString();

        Metadata deleted = client.files().deleteV2("/Del/a.txt").getMetadata();
        assertThat(deleted).isInstanceOf(FileMetadata.class);
        assertThat(deleted.getPathDisplay()).isEqualTo("/Del/a.txt");
        assertThatThrownBy(() -> client.files().getMetadata("/Del/a.txt"))
                .isInstanceOf(GetMetadataErrorException.class);
        Metadata tombstone = client.files()
                .getMetadataBuilder("/Del/a.txt")
                .withIncludeDeleted(true)
                .start();
        assertThat(tombstone).isInstanceOf(DeletedMetadata.class);
        assertThat(tombstone.getPathDisplay()).isEqualTo("/Del/a.txt");
        Api.Response trash = sync.get("/trash", frank.bearer());
        assertThat(trash.body().path("entries").findValuesAsString("file_id")).contains(id);

        assertThatThrownBy(() -> client.files().deleteV2("/Del/a.txt"))
                .isInstanceOfSatisfying(
                        DeleteErrorException.class,
                        e -> assertThat(e.errorValue.getPathLookupValue().isNotFound())
                                .isTrue());

        JsonNode first = put(frank, "/Del/b.txt", "one");
        put(frank, "/Del/b.txt", "two");
        String staleRev = DropboxWire.rev(first.path("version_id").asString());
        assertThatThrownBy(() -> client.files().deleteV2("/Del/b.txt", staleRev))
                .isInstanceOfSatisfying(
                        DeleteErrorException.class,
                        e -> assertThat(e.errorValue.getPathWriteValue().getConflictValue())
                                .isEqualTo(WriteConflictError.FILE));
        String currentRev = ((FileMetadata) client.files().getMetadata("/Del/b.txt")).getRev();
        assertThat(client.files()
                        .deleteV2("/Del/b.txt", currentRev)
                        .getMetadata()
                        .getName())
                .isEqualTo("b.txt");
    }

    @Test
    void shouldListRevisionsNewestFirstAndRestoreAnOldOne() throws Exception {
        DropboxSdk.Account grace = account("Grace");
        DbxClientV2 client = grace.client();
        JsonNode v1 = put(grace, "/Rev/a.txt", "version one");
        JsonNode v2 = put(grace, "/Rev/a.txt", "version two");
        JsonNode v3 = put(grace, "/Rev/a.txt", "version three");

        ListRevisionsResult revisions = client.files().listRevisions("/Rev/a.txt");
        assertThat(revisions.getIsDeleted()).isFalse();
        assertThat(revisions.getEntries())
                .extracting(FileMetadata::getRev)
                .containsExactly(
                        DropboxWire.rev(v3.path("version_id").asString()),
                        DropboxWire.rev(v2.path("version_id").asString()),
                        DropboxWire.rev(v1.path("version_id").asString()));
        assertThat(revisions.getEntries().get(2).getSize()).isEqualTo("version one".length());
        assertThat(client.files()
                        .listRevisionsBuilder("/Rev/a.txt")
                        .withLimit(2L)
                        .start()
                        .getEntries())
                .hasSize(2);

        String oldRev = DropboxWire.rev(v1.path("version_id").asString());
        FileMetadata restored = client.files().restore("/Rev/a.txt", oldRev);
        assertThat(restored.getContentHash()).isEqualTo(v1.path("checksum").asString());
        assertThat(restored.getRev())
                .isNotIn(oldRev, DropboxWire.rev(v3.path("version_id").asString()));
        assertThat(content(grace, v1.path("file_id").asString())).isEqualTo("version one");
        assertThat(client.files().listRevisions("/Rev/a.txt").getEntries()).hasSize(4);

        String otherRev = DropboxWire.rev(
                put(grace, "/Rev/other.txt", "x").path("version_id").asString());
        assertThatThrownBy(() -> client.files().restore("/Rev/a.txt", otherRev))
                .isInstanceOfSatisfying(
                        RestoreErrorException.class,
                        e -> assertThat(e.errorValue.isInvalidRevision()).isTrue());

        client.files().deleteV2("/Rev/a.txt");
        ListRevisionsResult gone = client.files().listRevisions("/Rev/a.txt");
        assertThat(gone.getIsDeleted()).isTrue();
        assertThat(gone.getServerDeleted()).isNotNull();
        assertThat(gone.getEntries()).hasSize(4);
        FileMetadata back = client.files()
                .restore("/Rev/a.txt", DropboxWire.rev(v2.path("version_id").asString()));
        assertThat(back.getId())
                .as("back from the trash")
                .isEqualTo("id:" + v1.path("file_id").asString());
        assertThat(content(grace, v1.path("file_id").asString())).isEqualTo("version two");
        assertThat(client.files().listRevisions("/Rev/a.txt").getEntries()).hasSize(5);

        JsonNode inside = put(grace, "/RevDir/x.txt", "inside a folder");
        client.files().deleteV2("/RevDir");
        FileMetadata recreated = client.files()
                .restore(
                        "/RevDir/x.txt",
                        DropboxWire.rev(inside.path("version_id").asString()));
        assertThat(recreated.getPathDisplay()).isEqualTo("/RevDir/x.txt");
        assertThat(content(grace, fileId(recreated))).isEqualTo("inside a folder");
    }

    @Test
    void shouldSearchByNameAndPageWithTheCursor() throws Exception {
        DropboxSdk.Account heidi = account("Heidi");
        DbxClientV2 client = heidi.client();
        String word = "q" + Long.toString(System.nanoTime(), 36);
        put(heidi, "/Find/" + word + "-one.txt", "first");
        put(heidi, "/Find/" + word + "-two.md", "second");
        put(heidi, "/Find/other.txt", "mentions " + word + " inside");

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        SearchV2Result found = client.files().searchV2(word);
        while (found.getMatches().size() < 3 && System.nanoTime() < deadline) {
            Thread.sleep(200);
            found = client.files().searchV2(word);
        }
        assertThat(found.getMatches())
                .extracting(m -> m.getMetadata().getMetadataValue().getPathDisplay())
                .containsExactlyInAnyOrder(
                        "/Find/" + word + "-one.txt", "/Find/" + word + "-two.md", "/Find/other.txt");
        SearchMatchV2 byName = found.getMatches().stream()
                .filter(m -> m.getMetadata().getMetadataValue().getName().equals(word + "-one.txt"))
                .findFirst()
                .orElseThrow();
        assertThat(byName.getMatchType()).isEqualTo(SearchMatchTypeV2.FILENAME);
        assertThat(((FileMetadata) byName.getMetadata().getMetadataValue()).getSize())
                .isEqualTo(5);

        SearchV2Result names = client.files()
                .searchV2Builder(word)
                .withOptions(SearchOptions.newBuilder().withFilenameOnly(true).build())
                .start();
        assertThat(names.getMatches()).hasSize(2);
        SearchV2Result markdown = client.files()
                .searchV2Builder(word)
                .withOptions(SearchOptions.newBuilder()
                        .withFileExtensions(List.of("md"))
                        .build())
                .start();
        assertThat(markdown.getMatches())
                .extracting(m -> m.getMetadata().getMetadataValue().getName())
                .containsExactly(word + "-two.md");

        SearchV2Result first = client.files()
                .searchV2Builder(word)
                .withOptions(SearchOptions.newBuilder().withMaxResults(1L).build())
                .start();
        assertThat(first.getMatches()).hasSize(1);
        assertThat(first.getHasMore()).isTrue();
        SearchV2Result second = client.files().searchContinueV2(first.getCursor());
        assertThat(second.getMatches()).hasSize(1);
        assertThat(second.getMatches().get(0).getMetadata().getMetadataValue().getPathDisplay())
                .isNotEqualTo(first.getMatches()
                        .get(0)
                        .getMetadata()
                        .getMetadataValue()
                        .getPathDisplay());

        assertThat(account("Ivan").client().files().searchV2(word).getMatches())
                .as("someone else finds none of it")
                .isEmpty();
    }

    @Test
    void shouldIssueATemporaryLinkAtTheGateway() throws Exception {
        DropboxSdk.Account judy = account("Judy");
        JsonNode uploaded = put(judy, "/Link/a.txt", "linked");
        GetTemporaryLinkResult result = judy.client().files().getTemporaryLink("/Link/a.txt");
        assertThat(result.getMetadata().getId())
                .isEqualTo("id:" + uploaded.path("file_id").asString());
        assertThat(result.getLink()).startsWith(gateway.url() + TemporaryLinks.PREFIX);
        String token = result.getLink().substring((gateway.url() + TemporaryLinks.PREFIX).length());
        TemporaryLinks.Link link = system.sync.getBean(TemporaryLinks.class).verify(token);
        assertThat(link).isNotNull();
        assertThat(link.fileId()).isEqualTo(uploaded.path("file_id").asString());
        assertThat(link.versionId()).isEqualTo(uploaded.path("version_id").asString());
        assertThat(DropboxWire.accountId(link.userId()))
                .isEqualTo(judy.client().users().getCurrentAccount().getAccountId());
    }

    @Test
    void shouldDescribeTheAccountAndItsSpace() throws Exception {
        DropboxSdk.Account kim = account("Kim Possible");
        DbxClientV2 client = kim.client();
        FullAccount account = client.users().getCurrentAccount();
        assertThat(account.getAccountId()).hasSize(40);
        assertThat(account.getEmail()).isEqualTo(kim.email());
        assertThat(account.getName().getDisplayName()).isEqualTo("Kim Possible");
        assertThat(account.getName().getGivenName()).isEqualTo("Kim");
        assertThat(account.getName().getSurname()).isEqualTo("Possible");
        assertThat(account.getName().getAbbreviatedName()).isEqualTo("KP");
        assertThat(account.getRootInfo().getRootNamespaceId()).matches("[0-9]+");

        BasicAccount self = client.users().getAccount(account.getAccountId());
        assertThat(self.getEmail()).isEqualTo(kim.email());
        String stranger =
                account("Stranger").client().users().getCurrentAccount().getAccountId();
        assertThatThrownBy(() -> client.users().getAccount(stranger))
                .isInstanceOfSatisfying(
                        GetAccountErrorException.class,
                        e -> assertThat(e.errorValue).isEqualTo(GetAccountError.NO_ACCOUNT));

        SpaceUsage before = client.users().getSpaceUsage();
        assertThat(before.getAllocation().isIndividual()).isTrue();
        assertThat(before.getAllocation().getIndividualValue().getAllocated()).isPositive();
        put(kim, "/Space/thousand.bin", "x".repeat(1000));
        assertThat(client.users().getSpaceUsage().getUsed()).isEqualTo(before.getUsed() + 1000);

        assertThat(client.check().user("ping").getResult()).isEqualTo("ping");
    }

    @Test
    void shouldCopyAndMoveIntoAFolderSharedWithTheCallerAsItsOwners() throws Exception {
        DropboxSdk.Account olga = account("Olga");
        DropboxSdk.Account pete = account("Pete");
        DropboxSdk.Account quinn = account("Quinn");
        put(olga, "/Team/readme.txt", "team");
        String team = fileId(olga.client().files().getMetadata("/Team"));
        for (var sharee : List.of(pete, quinn)) {
            Api.Response shared = sync.postJson(
                    "/files/" + team + "/share",
                    olga.bearer(),
                    java.util.Map.of("email", sharee.email(), "permission", sharee == pete ? "READ_WRITE" : "READ"));
            assertThat(shared.status()).as("share: %s", shared.body()).isEqualTo(201);
        }
        DbxClientV2 client = pete.client();
        assertThat(client.files().getMetadata("/Team")).isInstanceOf(FolderMetadata.class);
        put(pete, "/mine.txt", "pete's words");
        long olgaBefore = olga.client().users().getSpaceUsage().getUsed();
        long peteBefore = client.users().getSpaceUsage().getUsed();

        FileMetadata copied = (FileMetadata)
                client.files().copyV2("/mine.txt", "/Team/copied.txt").getMetadata();
        assertThat(copied.getPathDisplay()).isEqualTo("/Team/copied.txt");
        assertThat(olga.client().files().getMetadata("/Team/copied.txt").getName())
                .isEqualTo("copied.txt");
        assertThat(olga.client().users().getSpaceUsage().getUsed())
                .as("the copy is the folder owner's")
                .isEqualTo(olgaBefore + "pete's words".length());
        assertThat(client.users().getSpaceUsage().getUsed()).isEqualTo(peteBefore);

        String mine = fileId(client.files().getMetadata("/mine.txt"));
        Metadata moved = client.files().moveV2("/mine.txt", "/Team/moved.txt").getMetadata();
        assertThat(moved.getPathDisplay()).isEqualTo("/Team/moved.txt");
        assertThat(content(olga, fileId(olga.client().files().getMetadata("/Team/moved.txt"))))
                .isEqualTo("pete's words");
        assertThatThrownBy(() -> client.files().getMetadata("/mine.txt")).isInstanceOf(GetMetadataErrorException.class);
        assertThat(sync.get("/trash", pete.bearer()).body().path("entries").findValuesAsString("file_id"))
                .contains(mine);

        put(pete, "/Own/inside.txt", "pete shares this");
        String own = fileId(client.files().getMetadata("/Own"));
        assertThat(sync.postJson(
                                "/files/" + own + "/share",
                                pete.bearer(),
                                java.util.Map.of("email", quinn.email(), "permission", "READ"))
                        .status())
                .isEqualTo(201);
        assertThatThrownBy(() -> client.files().moveV2("/Own", "/Team/Own"))
                .isInstanceOfSatisfying(
                        RelocationErrorException.class,
                        e -> assertThat(e.errorValue.isCantNestSharedFolder()).isTrue());
        assertThat(quinn.client().files().getMetadata("/Own/inside.txt").getName())
                .as("the share stands")
                .isEqualTo("inside.txt");

        put(quinn, "/q.txt", "q");
        assertThatThrownBy(() -> quinn.client().files().copyV2("/q.txt", "/Team/q.txt"))
                .isInstanceOfSatisfying(
                        RelocationErrorException.class,
                        e -> assertThat(e.errorValue.getToValue().isNoWritePermission())
                                .isTrue());
        assertThat(client.users()
                        .getAccount(olga.client().users().getCurrentAccount().getAccountId())
                        .getEmail())
                .as("someone sharing with the caller is visible")
                .isEqualTo(olga.email());
    }

    @Test
    void shouldAnswerBadInputAsDropboxDoes() {
        DropboxSdk.Account lee = account("Lee");
        HttpResponse<byte[]> notJson = raw("files/get_metadata", lee.bearer(), "{not json");
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(notJson.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");

        assertThat(raw("files/get_metadata", lee.bearer(), "{\"path\": 5}").statusCode())
                .isEqualTo(400);
        assertThat(raw("files/get_metadata", lee.bearer(), "{}").statusCode()).isEqualTo(400);
        assertThat(raw("files/get_metadata", lee.bearer(), "{\"path\": \"\"}").statusCode())
                .as("the root has no metadata")
                .isEqualTo(400);
        assertThat(raw("files/list_revisions", lee.bearer(), "{\"path\": \"/a\", \"limit\": 101}")
                        .statusCode())
                .isEqualTo(400);

        HttpResponse<byte[]> malformed = raw("files/get_metadata", lee.bearer(), "{\"path\": \"no-slash\"}");
        assertThat(malformed.statusCode()).isEqualTo(409);
        JsonNode error = json(malformed);
        assertThat(error.path("error_summary").asString()).startsWith("path/malformed_path/");
        assertThat(error.path("error").path("path").path(".tag").asString()).isEqualTo("malformed_path");

        assertThat(json(raw("files/delete_v2", lee.bearer(), "{\"path\": \"bad\"}"))
                        .path("error_summary")
                        .asString())
                .startsWith("path_lookup/malformed_path/");
        assertThat(json(raw("files/move_v2", lee.bearer(), "{\"from_path\": \"/x\", \"to_path\": \"bad\"}"))
                        .path("error_summary")
                        .asString())
                .startsWith("to/malformed_path/");

        HttpResponse<byte[]> anonymous = raw("files/get_metadata", null, "{\"path\": \"/a\"}");
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(json(anonymous).path("error").path(".tag").asString()).isEqualTo("invalid_access_token");
        assertThat(raw("users/get_current_account", null, "null").statusCode()).isEqualTo(401);
    }
}
