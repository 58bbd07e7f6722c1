package dev.syncbox.sync.feed;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syncbox.server.testing.Api;
import dev.syncbox.server.testing.TestAccounts.TestUser;
import dev.syncbox.sync.SyncServiceIT;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A share made, changed or ended moves the sharee's share stamp in its own transaction, so the
 * waiters' poll finds it without the Redis announcement; changes inside the shared item move its
 * journal, not the stamp.
 */
class ShareStampIT extends SyncServiceIT {

    @Autowired
    private JournalHeads heads;

    @Test
    void shouldStampTheShareesRootOnEveryShareChangeAndOnThoseAlone() {
        String team = mkdir(deviceA, "/Stamped").text("file_id");
        TestUser sharee = accounts.create();
        long before = shares(sharee);

        Api.Response shared = api.postJson(
                "/files/" + team + "/share",
                deviceA.bearer(),
                Map.of("user_id", sharee.userId(), "permission", "READ"));
        assertThat(shared.status()).isEqualTo(201);
        assertThat(shares(sharee)).as("shared").isEqualTo(before + 1);
        assertThat(shares(deviceA)).as("the owner's stamp").isZero();

        mkdir(deviceA, "/Stamped/inside");
        assertThat(shares(sharee)).as("a change inside the item").isEqualTo(before + 1);

        String shareId = shared.text("share_id");
        Api.Response changed = api.json(api.request("/files/" + team + "/share/" + shareId)
                .header("Authorization", deviceA.bearer())
                .header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"permission\": \"READ_WRITE\"}")));
        assertThat(changed.status()).isEqualTo(200);
        assertThat(shares(sharee)).as("permission changed").isEqualTo(before + 2);

        Api.Response refused = api.postJson(
                "/files/" + team + "/share", deviceA.bearer(), Map.of("user_id", sharee.userId(), "permission", "ALL"));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(shares(sharee)).as("a refused share").isEqualTo(before + 2);

        Api.Response revoked = api.json(api.request("/files/" + team + "/share/" + shareId)
                .header("Authorization", deviceA.bearer())
                .DELETE());
        assertThat(revoked.status()).isEqualTo(204);
        assertThat(shares(sharee)).as("revoked").isEqualTo(before + 3);
    }

    private long shares(TestUser user) {
        return heads.stamps(List.of(user.namespaceId())).get(user.namespaceId()).shares();
    }
}
