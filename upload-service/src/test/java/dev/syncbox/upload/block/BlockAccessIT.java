package dev.syncbox.upload.block;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syncbox.core.chunk.ChunkRef;
import dev.syncbox.core.delta.BlockDelta;
import dev.syncbox.core.hash.ContentHasher;
import dev.syncbox.core.hash.Sha256;
import dev.syncbox.server.testing.Api;
import dev.syncbox.server.testing.RandomContent;
import dev.syncbox.server.testing.TestAccounts.TestUser;
import dev.syncbox.upload.UploadServiceIT;
import java.net.http.HttpRequest;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Knowing a block's hash gives nothing: no "Dropship" side channel through deduplication. */
class BlockAccessIT extends UploadServiceIT {

    @Test
    void shouldHideSomeoneElsesBlocksFromCheckCommitAndDeltas() {
        byte[] secret = RandomContent.bytes(500, 3 * 1024 * 1024);
        assertThat(uploadAndCommit(user, "/secret.bin", null, secret).status()).isEqualTo(200);
        List<String> ids = CHUNKER.split(secret).stream().map(ChunkRef::blockId).toList();
        TestUser mallory = accounts.create();

        Api.Response check = api.postJson("/blocks/check", mallory.bearer(), Map.of("block_hashes", ids));
        Api.Response commit = commit(mallory, "/stolen.bin", null, ids, secret.length, ContentHasher.of(secret));
        byte[] target = Arrays.copyOf(secret, 1000);
        Api.Response delta = api.json(api.request("/blocks/" + Sha256.hex(target) + "/delta?base=" + ids.get(0))
                .header("Authorization", mallory.bearer())
                .PUT(HttpRequest.BodyPublishers.ofByteArray(BlockDelta.encode(List.of(secret), target))));

        assertThat(check.body().path("existing")).isEmpty();
        assertThat(check.body().path("missing")).hasSize(ids.size());
        assertThat(commit.status()).isEqualTo(400);
        assertThat(commit.code()).isEqualTo("missing_blocks");
        assertThat(delta.status()).isEqualTo(400);
        assertThat(delta.code()).isEqualTo("missing_blocks");
        assertThat(accounts.liveFiles(mallory.userId())).isZero();
        assertThat(api.postJson("/blocks/check", user.bearer(), Map.of("block_hashes", ids))
                        .body()
                        .path("missing"))
                .as("the owner still sees them")
                .isEmpty();
    }

    @Test
    void shouldLetSomeoneWhoHasTheBytesUseTheBlockWithoutStoringItTwice() {
        byte[] common = RandomContent.bytes(501, 2 * 1024 * 1024);
        uploadAndCommit(user, "/common.bin", null, common);
        long objects = blocks.count();
        TestUser other = accounts.create();

        Api.Response theirs = uploadAndCommit(other, "/mine-too.bin", null, common);

        assertThat(theirs.status()).isEqualTo(200);
        assertThat(blocks.count()).isEqualTo(objects);
        assertThat(contentOf(theirs.text("version_id"))).isEqualTo(common);
    }
}
