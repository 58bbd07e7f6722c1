package dev.syncbox.upload;

import dev.syncbox.core.chunk.ChunkRef;
import dev.syncbox.core.chunk.Chunker;
import dev.syncbox.core.chunk.ChunkingSpec;
import dev.syncbox.core.hash.ContentHasher;
import dev.syncbox.server.blockstore.BlockStore;
import dev.syncbox.server.content.ContentReader;
import dev.syncbox.server.metadata.FileVersionRepository;
import dev.syncbox.server.testing.Api;
import dev.syncbox.server.testing.MutableClock;
import dev.syncbox.server.testing.MutableClockConfiguration;
import dev.syncbox.server.testing.TestAccounts;
import dev.syncbox.server.testing.TestAccounts.TestUser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;

/** The upload service against the real stack, with what a chunking client does. */
@SpringBootTest(classes = UploadServiceApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("it")
@Import(MutableClockConfiguration.class)
public abstract class UploadServiceIT {

    protected static final Chunker CHUNKER = Chunker.of(ChunkingSpec.fastCdcDefault());

    @LocalServerPort
    protected int port;

    @Autowired
    protected ApplicationContext context;

    @Autowired
    protected BlockStore blocks;

    @Autowired
    protected JdbcTemplate jdbc;

    @Autowired
    protected ContentReader reader;

    @Autowired
    protected FileVersionRepository versions;

    @Autowired
    protected MutableClock clock;

    protected Api api;
    protected TestAccounts accounts;
    protected TestUser user;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @BeforeEach
    void setUpClient() {
        api = Api.local(port);
        accounts = new TestAccounts(context);
        user = accounts.create();
    }

    protected Api.Response putBlock(TestUser who, byte[] data) {
        return putBlock(who, dev.syncbox.core.hash.Sha256.hex(data), data);
    }

    protected Api.Response putBlock(TestUser who, String blockId, byte[] data) {
        return api.json(api.request("/blocks/" + blockId)
                .header("Authorization", who.bearer())
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(data)));
    }

    /** Chunks, uploads every block and commits, as a client would. */
    protected Api.Response uploadAndCommit(TestUser who, String path, String parentVersionId, byte[] content) {
        return uploadAndCommit(who, path, parentVersionId, content, null);
    }

    /** The same, with a commit {@code mode} ("reject" or "auto"). */
    protected Api.Response uploadAndCommit(
            TestUser who, String path, String parentVersionId, byte[] content, String mode) {
        List<ChunkRef> chunks = CHUNKER.split(content);
        for (ChunkRef chunk : chunks) {
            putBlock(who, Arrays.copyOfRange(content, (int) chunk.offset(), (int) chunk.end()));
        }
        return commit(
                who,
                path,
                parentVersionId,
                chunks.stream().map(ChunkRef::blockId).toList(),
                content.length,
                ContentHasher.of(content),
                mode);
    }

    protected Api.Response commit(
            TestUser who, String path, String parentVersionId, List<String> blockIds, long size, String contentHash) {
        return commit(who, path, parentVersionId, blockIds, size, contentHash, null);
    }

    protected Api.Response commit(
            TestUser who,
            String path,
            String parentVersionId,
            List<String> blockIds,
            long size,
            String contentHash,
            String mode) {
        Map<String, Object> body = new LinkedHashMap<>();
        if (mode != null) {
            body.put("mode", mode);
        }
        body.put("file_path", path);
        body.put("parent_version_id", parentVersionId);
        body.put("blocks", blockIds);
        body.put("size", size);
        body.put("content_hash", contentHash);
        body.put("device_id", who.deviceId());
        return api.postJson("/files/commit", who.bearer(), body);
    }

    /** The content of a version, read back from its blocks. */
    protected byte[] contentOf(String versionId) {
        var version = versions.findById(versionId).orElseThrow();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (version.sizeBytes() > 0) {
                reader.write(reader.layout(version), 0, version.sizeBytes() - 1, out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
