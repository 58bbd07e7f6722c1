package dev.syncbox.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.syncbox.system.ShardRouting.Placement;
import dev.syncbox.system.ShardRouting.Route;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The classifier behind ShardRoutingIT, on statements whose answer is known, and the plan it reads. */
class ShardRoutingTest {

    private final ShardRouting routing = new ShardRouting(new ShardRouting.Schema(
            Map.of(
                    "files", Set.of("file_id", "namespace_id", "path_key", "owner_id"),
                    "file_versions", Set.of("version_id", "file_id", "namespace_id"),
                    "namespaces", Set.of("namespace_id", "owner_id", "last_seq"),
                    "users", Set.of("user_id", "email", "used_space_bytes"),
                    "devices", Set.of("device_id", "user_id"),
                    "shared_items", Set.of("share_id", "shared_with_user_id", "namespace_id", "file_id"),
                    "file_blocks", Set.of("block_id", "refcount")),
            Set.of("namespaces.namespace_id", "users.user_id", "shared_items.share_id")));

    @Test
    void shouldReadThePlanFromTheCitusScript() {
        assertThat(ShardRouting.PLAN)
                .containsEntry("files", new Placement("namespaces", "namespace_id"))
                .containsEntry("journal", new Placement("namespaces", "namespace_id"))
                .containsEntry("shared_items", new Placement("users", "shared_with_user_id"))
                .containsEntry("file_blocks", new Placement("file_blocks", "block_id"))
                .doesNotContainKey("flyway_schema_history");
    }

    @Test
    void shouldRouteAStatementThatPinsItsDistributionColumn() {
        assertThat(route("SELECT path_key FROM files WHERE namespace_id = ? AND file_id = ?"))
                .isEqualTo(Route.ROUTED);
        assertThat(route("UPDATE files SET path_key = ? WHERE file_id = ? AND namespace_id = 42"))
                .isEqualTo(Route.ROUTED);
        assertThat(route("SELECT f.path_key FROM files f JOIN file_versions v ON v.namespace_id = f.namespace_id"
                        + " AND v.file_id = f.file_id WHERE f.namespace_id = ?"))
                .isEqualTo(Route.ROUTED);
        assertThat(route("INSERT INTO namespaces (owner_id) VALUES (?)")).isEqualTo(Route.ROUTED);
        assertThat(route("SELECT share_id FROM shared_items WHERE shared_with_user_id = ?"))
                .isEqualTo(Route.ROUTED);
    }

    @Test
    void shouldNotRouteWhatLeavesTheColumnOpen() {
        assertThat(route("SELECT path_key FROM files WHERE file_id = ?")).isEqualTo(Route.MULTI_SHARD);
        assertThat(route("SELECT last_seq FROM namespaces WHERE namespace_id = ANY(?)"))
                .isEqualTo(Route.MULTI_SHARD);
        assertThat(route("SELECT path_key FROM files WHERE namespace_id = ? OR file_id = ?"))
                .isEqualTo(Route.MULTI_SHARD);
        assertThat(route("SELECT path_key FROM files WHERE namespace_id IN (?, ?)"))
                .isEqualTo(Route.MULTI_SHARD);
        assertThat(route("SELECT f.path_key FROM files f JOIN file_versions v ON v.file_id = f.file_id"
                        + " WHERE f.namespace_id = ?"))
                .isEqualTo(Route.MULTI_SHARD);
    }

    @Test
    void shouldSeeTwoGroupsInOneStatement() {
        assertThat(route("SELECT u.email FROM users u JOIN files f ON f.owner_id = u.user_id"
                        + " WHERE u.user_id = ? AND f.namespace_id = ?"))
                .isEqualTo(Route.CROSS_GROUP);
    }

    @Test
    void shouldSayWhenNoDistributedTableIsTouched() {
        assertThat(route("SELECT 1")).isEqualTo(Route.NONE);
    }

    @Test
    void shouldRefuseATableOutsideThePlan() {
        assertThatThrownBy(() -> route("SELECT * FROM mystery WHERE id = ?"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("mystery");
    }

    private Route route(String sql) {
        return routing.classify(sql).route();
    }
}
