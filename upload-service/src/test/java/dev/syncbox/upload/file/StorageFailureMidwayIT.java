package dev.syncbox.upload.file;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syncbox.core.chunk.ChunkRef;
import dev.syncbox.core.error.ErrorCode;
import dev.syncbox.core.error.SyncboxException;
import dev.syncbox.server.blockstore.BlockStore;
import dev.syncbox.server.content.ContentIngest;
import dev.syncbox.server.testing.Api;
import dev.syncbox.server.testing.Multipart;
import dev.syncbox.server.testing.RandomContent;
import dev.syncbox.server.testing.TestAccounts;
import dev.syncbox.server.testing.TestAccounts.TestUser;
import dev.syncbox.upload.UploadServiceApplication;
import java.io.InputStream;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;

/**
 * A large streamed upload whose S3 goes away after a few blocks: the blocks in flight finish or fail, the
 * answer is {@code 503 storage_unavailable}, and nothing is committed — no file, no quota, and the blocks
 * already written are named by no version.
 */
@SpringBootTest(classes = UploadServiceApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("it")
@Import(StorageFailureMidwayIT.FailingStore.class)
class StorageFailureMidwayIT {

    private static final AtomicInteger PUTS_LEFT = new AtomicInteger(Integer.MAX_VALUE);

    @LocalServerPort
    int port;

    @Autowired
    ApplicationContext context;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    ContentIngest ingest;

    @AfterEach
    void heal() {
        PUTS_LEFT.set(Integer.MAX_VALUE);
    }

    @Test
    void shouldAnswer503AndCommitNothingWhenS3FailsMidway() {
        TestAccounts accounts = new TestAccounts(context);
        TestUser user = accounts.create();
        byte[] content = RandomContent.bytes(System.nanoTime(), 24 << 20);
        List<String> blockIds =
                ingest.chunker().split(content).stream().map(ChunkRef::blockId).toList();
        PUTS_LEFT.set(6);

        Api.Response response = Api.local(port)
                .upload(
                        "/files/upload",
                        user.bearer(),
                        new Multipart().field("file_path", "/big.bin").file("content", content));

        assertThat(blockIds).hasSizeGreaterThan(12);
        assertThat(response.status()).isEqualTo(503);
        assertThat(response.code()).isEqualTo("storage_unavailable");
        assertThat(accounts.liveFiles(user.userId())).isZero();
        assertThat(accounts.usedSpace(user.userId())).isZero();
        Integer referenced = jdbc.queryForObject(
                "SELECT count(*) FROM file_blocks WHERE block_id = ANY(?) AND refcount > 0", Integer.class, (Object)
                        blockIds.toArray(String[]::new));
        assertThat(referenced).isZero();
    }

    @Test
    void shouldStoreTheSameUploadOnceS3IsBack() {
        TestAccounts accounts = new TestAccounts(context);
        TestUser user = accounts.create();
        byte[] content = RandomContent.bytes(System.nanoTime(), 12 << 20);

        Api.Response response = Api.local(port)
                .upload(
                        "/files/upload",
                        user.bearer(),
                        new Multipart().field("file_path", "/big.bin").file("content", content));

        assertThat(response.status()).isEqualTo(200);
        assertThat(accounts.liveFiles(user.userId())).isEqualTo(1);
        assertThat(accounts.usedSpace(user.userId())).isEqualTo(content.length);
    }

    /** The real store, until {@link #PUTS_LEFT} puts have gone through; then every put fails as an outage does. */
    @TestConfiguration
    static class FailingStore {

        @Bean
        @Primary
        BlockStore failingBlockStore(@Qualifier("blockStore") BlockStore s3) {
            return new BlockStore() {
                @Override
                public void put(String blockId, byte[] sha256, byte[] data, int offset, int length) {
                    if (PUTS_LEFT.decrementAndGet() < 0) {
                        throw new SyncboxException(
                                ErrorCode.STORAGE_UNAVAILABLE, "Block storage is unavailable (the test cut it)");
                    }
                    s3.put(blockId, sha256, data, offset, length);
                }

                @Override
                public InputStream open(String blockId, long from, long toInclusive) {
                    return s3.open(blockId, from, toInclusive);
                }

                @Override
                public boolean exists(String blockId) {
                    return s3.exists(blockId);
                }

                @Override
                public void delete(Collection<String> blockIds) {
                    s3.delete(blockIds);
                }

                @Override
                public String location(String blockId) {
                    return s3.location(blockId);
                }

                @Override
                public long count() {
                    return s3.count();
                }
            };
        }
    }
}
