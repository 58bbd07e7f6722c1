package dev.syncbox.client.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.syncbox.client.local.LocalFolder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FolderBindingTest {

    @TempDir
    Path temp;

    private final Credentials ada = new Credentials("http://127.0.0.1:8080", "ada@example.test", 1, "d1", "t");

    @Test
    void shouldBindOnTheFirstSyncAndAcceptTheSameAccountAfterwards() throws Exception {
        LocalFolder folder = folder("Sync");
        FolderBinding.Marker first = FolderBinding.check(folder, ada, temp.resolve("config"));
        Files.createFile(folder.stateDir().resolve("state.db"));

        assertThat(FolderBinding.check(folder, ada, temp.resolve("config"))).isEqualTo(first);
    }

    @Test
    void shouldRefuseABoundFolderWhoseMarkerIsGone() throws Exception {
        LocalFolder folder = folder("Sync");
        FolderBinding.check(folder, ada, temp.resolve("config"));
        Files.delete(folder.stateDir().resolve("folder.json"));

        assertThatThrownBy(() -> FolderBinding.check(folder, ada, temp.resolve("config")))
                .isInstanceOf(FolderBinding.Refused.class)
                .hasMessageContaining("marker is gone");

        assertThat(FolderBinding.unbind(folder, temp.resolve("config"))).isTrue();
        assertThat(FolderBinding.check(folder, ada, temp.resolve("config"))).isNotNull();
    }

    @Test
    void shouldRefuseAFolderOfAnotherAccountOrWithoutItsDatabase() throws Exception {
        LocalFolder folder = folder("Sync");
        FolderBinding.check(folder, ada, temp.resolve("config"));
        Credentials bob = new Credentials(ada.server(), "bob@example.test", 2, "d2", "t");

        assertThatThrownBy(() -> FolderBinding.check(folder, bob, temp.resolve("other-config")))
                .isInstanceOf(FolderBinding.Refused.class)
                .hasMessageContaining("another account");
        assertThatThrownBy(() -> FolderBinding.check(folder, ada, temp.resolve("config")))
                .isInstanceOf(FolderBinding.Refused.class)
                .hasMessageContaining("state database");
    }

    @Test
    void shouldRefuseAFolderThatIsNotThere() {
        assertThatThrownBy(() ->
                        FolderBinding.check(new LocalFolder(temp.resolve("unmounted")), ada, temp.resolve("config")))
                .isInstanceOf(FolderBinding.Refused.class)
                .hasMessageContaining("not a folder");
    }

    private LocalFolder folder(String name) throws IOException {
        return new LocalFolder(Files.createDirectories(temp.resolve(name)));
    }
}
