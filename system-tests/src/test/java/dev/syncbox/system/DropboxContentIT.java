package dev.syncbox.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.dropbox.core.DbxDownloader;
import com.dropbox.core.v2.DbxClientV2;
import com.dropbox.core.v2.files.CommitInfo;
import com.dropbox.core.v2.files.DownloadErrorException;
import com.dropbox.core.v2.files.FileMetadata;
import com.dropbox.core.v2.files.UploadErrorException;
import com.dropbox.core.v2.files.UploadSessionAppendErrorException;
import com.dropbox.core.v2.files.UploadSessionCursor;
import com.dropbox.core.v2.files.UploadSessionFinishArg;
import com.dropbox.core.v2.files.UploadSessionFinishBatchLaunch;
import com.dropbox.core.v2.files.UploadSessionFinishBatchResult;
import com.dropbox.core.v2.files.UploadSessionFinishBatchResultEntry;
import com.dropbox.core.v2.files.UploadSessionFinishErrorException;
import com.dropbox.core.v2.files.UploadSessionStartError;
import com.dropbox.core.v2.files.UploadSessionStartErrorException;
import com.dropbox.core.v2.files.WriteConflictError;
import com.dropbox.core.v2.files.WriteMode;
import dev.syncbox.server.dropbox.DropboxWire;
import dev.syncbox.server.dropbox.TemporaryLinks;
import dev.syncbox.server.testing.Api;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The Dropbox content routes through the gateway, driven by the official Java SDK: {@code files/upload} with its
 * write modes, upload sessions, {@code files/download} by path, id and rev with ranges, and temporary links; and the
 * raw HTTP answers to bad input.
 */
class DropboxContentIT {

    private static final int MIB = 1024 * 1024;

    static RunningSystem system;
    static TestGateway gateway;
    static Api sync;
    static Api raw;
    static DropboxSdk.Account ada;
    static DbxClientV2 dbx;

    @BeforeAll
    static void start() throws IOException {
        system = RunningSystem.get();
        gateway = TestGateway.in(system);
        sync = system.api(system.sync);
        raw = new Api(gateway.url());
        ada = DropboxSdk.account(sync, gateway.url(), "Ada");
        dbx = ada.client();
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void uploadsAndDownloadsWithDropboxMetadata() throws Exception {
        byte[] content = random(5 * MIB + 3, 1);
        FileMetadata uploaded = upload("/Round/Trip.bin", content, WriteMode.ADD, false);

        assertThat(uploaded.getName()).isEqualTo("Trip.bin");
        assertThat(uploaded.getPathDisplay()).isEqualTo("/Round/Trip.bin");
        assertThat(uploaded.getPathLower()).isEqualTo("/round/trip.bin");
        assertThat(uploaded.getSize()).isEqualTo(content.length);
        assertThat(uploaded.getRev()).matches("[0-9a-f]{32}");
        assertThat(uploaded.getContentHash()).isEqualTo(dropboxHash(content));
        assertThat(uploaded.getId()).startsWith("id:");
        // syncbox's own API shows the same file and version.
        String fileId = uploaded.getId().substring(3);
        Api.Response own = sync.get("/files/" + fileId + "/metadata", ada.bearer());
        assertThat(own.status()).isEqualTo(200);
        assertThat(own.text("path")).isEqualTo("/Round/Trip.bin");
        assertThat(DropboxWire.versionId(uploaded.getRev())).isEqualTo(own.text("current_version_id"));
        assertThat(own.text("content_hash")).isEqualTo(uploaded.getContentHash());

        try (DbxDownloader<FileMetadata> download = dbx.files().download("/round/TRIP.bin")) {
            assertThat(download.getInputStream().readAllBytes()).isEqualTo(content);
            assertThat(download.getResult().getRev()).isEqualTo(uploaded.getRev());
            assertThat(download.getResult().getId()).isEqualTo(uploaded.getId());
            assertThat(download.getResult().getContentHash()).isEqualTo(uploaded.getContentHash());
            assertThat(download.getResult().getPathDisplay()).isEqualTo("/Round/Trip.bin");
        }
    }

    @Test
    void nonAsciiNamesTravelInTheHeaders() throws Exception {
        String path = "/Ünïcode/Grüße 日本 ☃.txt";
        byte[] content = "grüße".getBytes(StandardCharsets.UTF_8);
        FileMetadata uploaded = upload(path, content, WriteMode.ADD, false);
        assertThat(uploaded.getPathDisplay()).isEqualTo(path);
        try (DbxDownloader<FileMetadata> download = dbx.files().download(path)) {
            assertThat(download.getResult().getName()).isEqualTo("Grüße 日本 ☃.txt");
            assertThat(download.getInputStream().readAllBytes()).isEqualTo(content);
        }
    }

    @Test
    void writeModesConflictsAndAutorename() throws Exception {
        FileMetadata first = upload("/Modes/notes.txt", bytes("one"), WriteMode.ADD, false);

        // add: another file's bytes are a conflict; the same bytes are the same file, unchanged.
        UploadErrorException added = catchThrowableOfType(
                UploadErrorException.class, () -> upload("/Modes/notes.txt", bytes("two"), WriteMode.ADD, false));
        assertThat(added.errorValue.isPath()).isTrue();
        assertThat(added.errorValue.getPathValue().getReason().isConflict()).isTrue();
        assertThat(added.errorValue.getPathValue().getReason().getConflictValue())
                .isEqualTo(WriteConflictError.FILE);
        assertThat(upload("/Modes/notes.txt", bytes("one"), WriteMode.ADD, false)
                        .getRev())
                .isEqualTo(first.getRev());
        FileMetadata renamed = upload("/Modes/notes.txt", bytes("two"), WriteMode.ADD, true);
        assertThat(renamed.getPathDisplay()).isEqualTo("/Modes/notes (1).txt");
        assertThat(upload("/Modes/notes.txt", bytes("three"), WriteMode.ADD, true)
                        .getName())
                .isEqualTo("notes (2).txt");

        // overwrite replaces; update replaces only the rev it names.
        FileMetadata second = upload("/Modes/notes.txt", bytes("four"), WriteMode.OVERWRITE, false);
        assertThat(second.getRev()).isNotEqualTo(first.getRev());
        assertThat(second.getId()).isEqualTo(first.getId());
        FileMetadata third = upload("/Modes/notes.txt", bytes("five"), WriteMode.update(second.getRev()), false);
        assertThat(third.getId()).isEqualTo(first.getId());
        UploadErrorException stale = catchThrowableOfType(
                UploadErrorException.class,
                () -> upload("/Modes/notes.txt", bytes("six"), WriteMode.update(second.getRev()), false));
        assertThat(stale.errorValue.getPathValue().getReason().getConflictValue())
                .isEqualTo(WriteConflictError.FILE);
        FileMetadata copy = upload("/Modes/notes.txt", bytes("six"), WriteMode.update(second.getRev()), true);
        assertThat(copy.getName()).isEqualTo("notes (conflicted copy).txt");
        assertThat(copy.getId()).isNotEqualTo(first.getId());
        assertThat(download("/Modes/notes.txt")).isEqualTo(bytes("five"));
        assertThat(download(copy.getPathDisplay())).isEqualTo(bytes("six"));

        // A folder in the way, and a content hash the bytes do not have.
        upload("/Modes/folder/inner.txt", bytes("in"), WriteMode.ADD, false);
        UploadErrorException folder = catchThrowableOfType(
                UploadErrorException.class, () -> upload("/Modes/folder", bytes("x"), WriteMode.OVERWRITE, false));
        assertThat(folder.errorValue.getPathValue().getReason().getConflictValue())
                .isEqualTo(WriteConflictError.FOLDER);
        UploadErrorException ancestor = catchThrowableOfType(
                UploadErrorException.class,
                () -> upload("/Modes/notes.txt/below.txt", bytes("x"), WriteMode.ADD, true));
        assertThat(ancestor.errorValue.getPathValue().getReason().getConflictValue())
                .isEqualTo(WriteConflictError.FILE_ANCESTOR);
        UploadErrorException hash = catchThrowableOfType(
                UploadErrorException.class,
                () -> dbx.files()
                        .uploadBuilder("/Modes/hashed.txt")
                        .withContentHash(dropboxHash(bytes("other bytes")))
                        .uploadAndFinish(new ByteArrayInputStream(bytes("these bytes"))));
        assertThat(hash.errorValue.isContentHashMismatch()).isTrue();
        assertThat(dbx.files()
                        .uploadBuilder("/Modes/hashed.txt")
                        .withContentHash(dropboxHash(bytes("these bytes")))
                        .uploadAndFinish(new ByteArrayInputStream(bytes("these bytes")))
                        .getContentHash())
                .isEqualTo(dropboxHash(bytes("these bytes")));
    }

    @Test
    void uploadSessionOfTwentyMebibytes() throws Exception {
        byte[] content = random(20 * MIB, 2);
        String sessionId = dbx.files()
                .uploadSessionStart()
                .uploadAndFinish(new ByteArrayInputStream(content, 0, 4 * MIB))
                .getSessionId();
        long offset = 4 * MIB;
        for (int i = 0; i < 3; i++) {
            dbx.files()
                    .uploadSessionAppendV2(new UploadSessionCursor(sessionId, offset))
                    .uploadAndFinish(new ByteArrayInputStream(content, (int) offset, 4 * MIB));
            offset += 4 * MIB;
        }
        UploadSessionAppendErrorException wrong = catchThrowableOfType(
                UploadSessionAppendErrorException.class,
                () -> dbx.files()
                        .uploadSessionAppendV2(new UploadSessionCursor(sessionId, 3 * MIB))
                        .uploadAndFinish(new ByteArrayInputStream(content, 0, 10)));
        assertThat(wrong.errorValue.isIncorrectOffset()).isTrue();
        assertThat(wrong.errorValue.getIncorrectOffsetValue().getCorrectOffset())
                .isEqualTo(16L * MIB);

        FileMetadata finished = dbx.files()
                .uploadSessionFinish(new UploadSessionCursor(sessionId, offset), new CommitInfo("/Sessions/big.bin"))
                .uploadAndFinish(new ByteArrayInputStream(content, (int) offset, 4 * MIB));
        assertThat(finished.getSize()).isEqualTo(content.length);
        assertThat(finished.getContentHash()).isEqualTo(dropboxHash(content));
        assertThat(download("/Sessions/big.bin")).isEqualTo(content);

        // The session is gone once finished.
        UploadSessionAppendErrorException gone = catchThrowableOfType(
                UploadSessionAppendErrorException.class,
                () -> dbx.files()
                        .uploadSessionAppendV2(new UploadSessionCursor(sessionId, content.length))
                        .uploadAndFinish(new ByteArrayInputStream(content, 0, 10)));
        assertThat(gone.errorValue.isNotFound()).isTrue();
    }

    @Test
    void sessionHashesConflictsAndTheOlderAppend() throws Exception {
        byte[] part = bytes("first part;");
        UploadSessionStartErrorException badStart = catchThrowableOfType(
                UploadSessionStartErrorException.class,
                () -> dbx.files()
                        .uploadSessionStartBuilder()
                        .withContentHash(dropboxHash(bytes("something else")))
                        .uploadAndFinish(new ByteArrayInputStream(part)));
        assertThat(badStart.errorValue).isEqualTo(UploadSessionStartError.CONTENT_HASH_MISMATCH);
        String id = dbx.files()
                .uploadSessionStartBuilder()
                .withContentHash(dropboxHash(part))
                .withClose(false)
                .uploadAndFinish(new ByteArrayInputStream(part))
                .getSessionId();
        // The deprecated v1 append: the cursor is the whole argument.
        byte[] second = bytes("second part;");
        dbx.files().uploadSessionAppend(id, part.length).uploadAndFinish(new ByteArrayInputStream(second));
        UploadSessionAppendErrorException stale = catchThrowableOfType(
                UploadSessionAppendErrorException.class,
                () -> dbx.files().uploadSessionAppend(id, 0).uploadAndFinish(new ByteArrayInputStream(second)));
        assertThat(stale.errorValue.getIncorrectOffsetValue().getCorrectOffset())
                .isEqualTo(part.length + second.length);
        long offset = part.length + second.length;

        byte[] last = bytes("last part");
        UploadSessionFinishErrorException badFinish = catchThrowableOfType(
                UploadSessionFinishErrorException.class,
                () -> dbx.files()
                        .uploadSessionFinish(
                                new UploadSessionCursor(id, offset),
                                new CommitInfo("/Finish/x.txt"),
                                dropboxHash(bytes("not the last part")))
                        .uploadAndFinish(new ByteArrayInputStream(last)));
        assertThat(badFinish.errorValue.isContentHashMismatch()).isTrue();

        // A conflict leaves the session to commit elsewhere.
        upload("/Finish/taken.txt", bytes("already here"), WriteMode.ADD, false);
        UploadSessionFinishErrorException conflict = catchThrowableOfType(
                UploadSessionFinishErrorException.class,
                () -> dbx.files()
                        .uploadSessionFinish(new UploadSessionCursor(id, offset), new CommitInfo("/Finish/taken.txt"))
                        .uploadAndFinish(new ByteArrayInputStream(last)));
        assertThat(conflict.errorValue.getPathValue().getConflictValue()).isEqualTo(WriteConflictError.FILE);
        FileMetadata finished = dbx.files()
                .uploadSessionFinish(
                        new UploadSessionCursor(id, offset + last.length), new CommitInfo("/Finish/free.txt"))
                .uploadAndFinish(new ByteArrayInputStream(new byte[0]));
        assertThat(download(finished.getPathDisplay())).isEqualTo(bytes("first part;second part;last part"));
    }

    @Test
    void quotaAndEmptyFiles() throws Exception {
        FileMetadata empty = upload("/Quota/empty", new byte[0], WriteMode.ADD, false);
        assertThat(empty.getSize()).isZero();
        assertThat(empty.getContentHash()).isEqualTo(dropboxHash(new byte[0]));
        assertThat(download("/Quota/empty")).isEmpty();

        DropboxSdk.Account small = DropboxSdk.account(sync, gateway.url(), "Small");
        system.sync
                .getBean(JdbcTemplate.class)
                .update("UPDATE users SET max_space_bytes = 1000 WHERE email = ?", small.email());
        small.client().files().uploadBuilder("/fits.bin").uploadAndFinish(new ByteArrayInputStream(random(900, 6)));
        UploadErrorException full = catchThrowableOfType(
                UploadErrorException.class,
                () -> small.client()
                        .files()
                        .uploadBuilder("/too-big.bin")
                        .uploadAndFinish(new ByteArrayInputStream(random(5000, 7))));
        assertThat(full.errorValue.getPathValue().getReason().isInsufficientSpace())
                .isTrue();
    }

    @Test
    void finishBatchOfThreeSessions() throws Exception {
        List<UploadSessionFinishArg> entries = new ArrayList<>();
        List<byte[]> contents = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            byte[] content = random(1000 + i, 10 + i);
            contents.add(content);
            String id = dbx.files()
                    .uploadSessionStart()
                    .uploadAndFinish(new ByteArrayInputStream(content))
                    .getSessionId();
            entries.add(new UploadSessionFinishArg(
                    new UploadSessionCursor(id, content.length), new CommitInfo("/Batch/file-" + i + ".bin")));
        }
        String stray = dbx.files()
                .uploadSessionStart()
                .uploadAndFinish(new ByteArrayInputStream(bytes("stray")))
                .getSessionId();
        entries.add(new UploadSessionFinishArg(new UploadSessionCursor(stray, 2), new CommitInfo("/Batch/stray")));

        UploadSessionFinishBatchResult result = dbx.files().uploadSessionFinishBatchV2(entries);
        List<UploadSessionFinishBatchResultEntry> results = result.getEntries();
        assertThat(results).hasSize(4);
        for (int i = 0; i < 3; i++) {
            assertThat(results.get(i).isSuccess()).isTrue();
            assertThat(results.get(i).getSuccessValue().getPathDisplay()).isEqualTo("/Batch/file-" + i + ".bin");
            assertThat(results.get(i).getSuccessValue().getContentHash()).isEqualTo(dropboxHash(contents.get(i)));
            assertThat(download("/Batch/file-" + i + ".bin")).isEqualTo(contents.get(i));
        }
        assertThat(results.get(3).isFailure()).isTrue();
        assertThat(results.get(3)
                        .getFailureValue()
                        .getLookupFailedValue()
                        .getIncorrectOffsetValue()
                        .getCorrectOffset())
                .isEqualTo(5L);
    }

    @Test
    void startBatchAndTheOlderFinishBatch() throws Exception {
        List<String> ids = dbx.files().uploadSessionStartBatch(2).getSessionIds();
        assertThat(ids).hasSize(2).doesNotHaveDuplicates();
        List<UploadSessionFinishArg> entries = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            byte[] content = bytes("batch one " + i);
            dbx.files()
                    .uploadSessionAppendV2(new UploadSessionCursor(ids.get(i), 0))
                    .uploadAndFinish(new ByteArrayInputStream(content));
            entries.add(new UploadSessionFinishArg(
                    new UploadSessionCursor(ids.get(i), content.length), new CommitInfo("/Batch1/f" + i)));
        }
        UploadSessionFinishBatchLaunch launch = dbx.files().uploadSessionFinishBatch(entries);
        assertThat(launch.isComplete()).isTrue();
        assertThat(launch.getCompleteValue().getEntries())
                .allSatisfy(entry -> assertThat(entry.isSuccess()).isTrue());
        assertThat(download("/Batch1/f1")).isEqualTo(bytes("batch one 1"));

        // Nothing runs in the background, so no job id is ever valid.
        Api.Response check = system.api(system.upload)
                .json(system.api(system.upload)
                        .request("/2/files/upload_session/finish_batch/check")
                        .header("Authorization", ada.bearer())
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"async_job_id\":\"dbjid:nothing\"}")));
        assertThat(check.status()).isEqualTo(409);
        assertThat(check.body().path("error").path(".tag").asString()).isEqualTo("invalid_async_job_id");
    }

    @Test
    void downloadsByIdRevAndRange() throws Exception {
        byte[] before = random(300_000, 3);
        byte[] after = random(200_000, 4);
        FileMetadata old = upload("/Revs/data.bin", before, WriteMode.ADD, false);
        FileMetadata current = upload("/Revs/data.bin", after, WriteMode.OVERWRITE, false);

        assertThat(download(current.getId())).isEqualTo(after);
        assertThat(download("rev:" + old.getRev())).isEqualTo(before);
        try (DbxDownloader<FileMetadata> download = dbx.files().download("/Revs/data.bin", old.getRev())) {
            assertThat(download.getInputStream().readAllBytes()).isEqualTo(before);
            assertThat(download.getResult().getRev()).isEqualTo(old.getRev());
            assertThat(download.getResult().getSize()).isEqualTo(before.length);
        }
        try (DbxDownloader<FileMetadata> ranged =
                dbx.files().downloadBuilder("/Revs/data.bin").range(1000, 5000).start()) {
            assertThat(ranged.getInputStream().readAllBytes()).isEqualTo(Arrays.copyOfRange(after, 1000, 6000));
        }
        HttpResponse<byte[]> partial = raw.bytes(raw.request("/2/files/download")
                .header("Authorization", ada.bearer())
                .header("Dropbox-API-Arg", "{\"path\":\"" + current.getId() + "\"}")
                .header("Range", "bytes=-10")
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(partial.statusCode()).isEqualTo(206);
        assertThat(partial.headers().firstValue("Content-Range")).hasValue("bytes 199990-199999/200000");
        assertThat(partial.body()).isEqualTo(Arrays.copyOfRange(after, 199_990, 200_000));
        assertThat(partial.headers().firstValue("Dropbox-API-Result").orElseThrow())
                .contains("\"rev\":\"" + current.getRev() + "\"");
        // GET with the argument in the query.
        HttpResponse<byte[]> get = raw.bytes(raw.request("/2/files/download?arg="
                        + URLEncoder.encode("{\"path\":\"/Revs/data.bin\"}", StandardCharsets.UTF_8))
                .header("Authorization", ada.bearer())
                .GET());
        assertThat(get.statusCode()).isEqualTo(200);
        assertThat(get.body()).isEqualTo(after);

        DownloadErrorException unknownRev = catchThrowableOfType(
                DownloadErrorException.class, () -> dbx.files().download("/Revs/data.bin", "0123456789abcdef"));
        assertThat(unknownRev.errorValue.getPathValue().isNotFound()).isTrue();
        DownloadErrorException missing = catchThrowableOfType(
                DownloadErrorException.class, () -> dbx.files().download("/Revs/nothing.bin"));
        assertThat(missing.errorValue.isPath()).isTrue();
        assertThat(missing.errorValue.getPathValue().isNotFound()).isTrue();
        DownloadErrorException folder = catchThrowableOfType(
                DownloadErrorException.class, () -> dbx.files().download("/Revs"));
        assertThat(folder.errorValue.getPathValue().isNotFile()).isTrue();
    }

    @Test
    void badInputAnswersAsDropboxDoes() {
        HttpResponse<byte[]> noArg = raw.bytes(raw.request("/2/files/upload")
                .header("Authorization", ada.bearer())
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes("x"))));
        assertThat(noArg.statusCode()).isEqualTo(400);
        assertThat(new String(noArg.body(), StandardCharsets.UTF_8)).contains("Dropbox-API-Arg");

        HttpResponse<byte[]> notJson = raw.bytes(raw.request("/2/files/upload")
                .header("Authorization", ada.bearer())
                .header("Dropbox-API-Arg", "{path: nope")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes("x"))));
        assertThat(notJson.statusCode()).isEqualTo(400);

        HttpResponse<byte[]> badMode = raw.bytes(raw.request("/2/files/upload")
                .header("Authorization", ada.bearer())
                .header("Dropbox-API-Arg", "{\"path\":\"/x\",\"mode\":\"sideways\"}")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes("x"))));
        assertThat(badMode.statusCode()).isEqualTo(400);

        HttpResponse<byte[]> badPath = raw.bytes(raw.request("/2/files/upload")
                .header("Authorization", ada.bearer())
                .header("Dropbox-API-Arg", "{\"path\":\"relative/x\"}")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes("x"))));
        assertThat(badPath.statusCode()).isEqualTo(409);
        assertThat(new String(badPath.body(), StandardCharsets.UTF_8))
                .contains("\"error_summary\":\"path/")
                .contains("\"reason\":{\".tag\":\"malformed_path\"");

        for (String route : List.of("/2/files/upload", "/2/files/download", "/2/files/upload_session/start")) {
            HttpResponse<byte[]> anonymous = raw.bytes(raw.request(route)
                    .header("Dropbox-API-Arg", "{\"path\":\"/x\"}")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(bytes("x"))));
            assertThat(anonymous.statusCode()).as(route).isEqualTo(401);
            assertThat(new String(anonymous.body(), StandardCharsets.UTF_8))
                    .contains("\"error_summary\"")
                    .contains("invalid_access_token");
        }

        HttpResponse<byte[]> missingCursor = raw.bytes(raw.request("/2/files/upload_session/append_v2")
                .header("Authorization", ada.bearer())
                .header("Dropbox-API-Arg", "{\"close\":false}")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes("x"))));
        assertThat(missingCursor.statusCode()).isEqualTo(400);
        HttpResponse<byte[]> unknownSession = raw.bytes(raw.request("/2/files/upload_session/append_v2")
                .header("Authorization", ada.bearer())
                .header("Dropbox-API-Arg", "{\"cursor\":{\"session_id\":\"nope\",\"offset\":0}}")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes("x"))));
        assertThat(unknownSession.statusCode()).isEqualTo(409);
        assertThat(new String(unknownSession.body(), StandardCharsets.UTF_8))
                .contains("\"error_summary\":\"not_found/");
    }

    @Test
    void temporaryLinksReadWithoutATokenWhileTheirUserMay() throws Exception {
        byte[] content = random(50_000, 5);
        FileMetadata file = upload("/Links/Résumé.pdf", content, WriteMode.ADD, false);
        String fileId = file.getId().substring(3);
        String versionId = DropboxWire.versionId(file.getRev());
        TemporaryLinks links = system.download.getBean(TemporaryLinks.class);

        // Bob reads it through a share; his link works until the share is revoked.
        DropboxSdk.Account bob = DropboxSdk.account(sync, gateway.url(), "Bob");
        Api.Response share = sync.postJson(
                "/files/" + fileId + "/share", ada.bearer(), Map.of("email", bob.email(), "permission", "READ"));
        assertThat(share.status()).isEqualTo(201);
        long bobId = share.body().path("user_id").asLong();
        String token = links.issue(bobId, fileId, versionId);

        // Bob reads it at his path for it, and may not write there.
        String mount = sync.get("/shared", bob.bearer())
                .body()
                .path("items")
                .get(0)
                .path("path")
                .asString();
        try (DbxDownloader<FileMetadata> his = bob.client().files().download(mount)) {
            assertThat(his.getInputStream().readAllBytes()).isEqualTo(content);
            assertThat(his.getResult().getRev()).isEqualTo(file.getRev());
        }
        UploadErrorException readOnly = catchThrowableOfType(
                UploadErrorException.class,
                () -> bob.client()
                        .files()
                        .uploadBuilder(mount)
                        .withMode(WriteMode.OVERWRITE)
                        .uploadAndFinish(new ByteArrayInputStream(bytes("mine now"))));
        assertThat(readOnly.errorValue.getPathValue().getReason().isNoWritePermission())
                .isTrue();

        HttpResponse<byte[]> fetched = fetch(TemporaryLinks.PREFIX + token, null);
        assertThat(fetched.statusCode()).isEqualTo(200);
        assertThat(fetched.body()).isEqualTo(content);
        assertThat(fetched.headers().firstValue("Content-Disposition").orElseThrow())
                .contains("filename*=UTF-8''R%C3%A9sum%C3%A9.pdf");
        HttpResponse<byte[]> ranged = fetch(TemporaryLinks.PREFIX + token, "bytes=100-199");
        assertThat(ranged.statusCode()).isEqualTo(206);
        assertThat(ranged.body()).isEqualTo(Arrays.copyOfRange(content, 100, 200));

        char[] forged = token.toCharArray();
        forged[10] = forged[10] == 'A' ? 'B' : 'A';
        assertThat(fetch(TemporaryLinks.PREFIX + new String(forged), null).statusCode())
                .isEqualTo(404);
        assertThat(fetch(TemporaryLinks.PREFIX + "not-a-token", null).statusCode())
                .isEqualTo(404);
        // The same link for a user who cannot read the file reads nothing.
        DropboxSdk.Account eve = DropboxSdk.account(sync, gateway.url(), "Eve");
        long eveId =
                sync.get("/auth/check", eve.bearer()).body().path("user_id").asLong();
        assertThat(eveId).isPositive();
        assertThat(fetch(TemporaryLinks.PREFIX + links.issue(eveId, fileId, versionId), null)
                        .statusCode())
                .isEqualTo(404);

        HttpRequest.Builder revoke = sync.request("/files/" + fileId + "/share/"
                        + share.body().path("share_id").asLong())
                .header("Authorization", ada.bearer())
                .DELETE();
        assertThat(sync.bytes(revoke).statusCode()).isLessThan(300);
        assertThat(fetch(TemporaryLinks.PREFIX + token, null).statusCode()).isEqualTo(404);
    }

    private static HttpResponse<byte[]> fetch(String path, String range) {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(gateway.url() + path)).GET();
        if (range != null) {
            request.header("Range", range);
        }
        return raw.bytes(request);
    }

    private static FileMetadata upload(String path, byte[] content, WriteMode mode, boolean autorename)
            throws Exception {
        return dbx.files()
                .uploadBuilder(path)
                .withMode(mode)
                .withAutorename(autorename)
                .uploadAndFinish(new ByteArrayInputStream(content));
    }

    private static byte[] download(String path) throws Exception {
        try (DbxDownloader<FileMetadata> download = dbx.files().download(path);
                InputStream in = download.getInputStream()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toByteArray();
        }
    }

    /** Dropbox's content hash, computed here from its definition: SHA-256 of the SHA-256 of each 4 MiB block. */
    private static String dropboxHash(byte[] content) throws Exception {
        MessageDigest overall = MessageDigest.getInstance("SHA-256");
        for (int from = 0; from < content.length; from += 4 * MIB) {
            MessageDigest block = MessageDigest.getInstance("SHA-256");
            block.update(content, from, Math.min(4 * MIB, content.length - from));
            overall.update(block.digest());
        }
        return HexFormat.of().formatHex(overall.digest());
    }

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed ^ System.nanoTime()).nextBytes(bytes);
        return bytes;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
