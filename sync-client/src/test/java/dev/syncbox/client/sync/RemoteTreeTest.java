package dev.syncbox.client.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.syncbox.client.plan.RemoteEntry;
import java.util.List;
import org.junit.jupiter.api.Test;

class RemoteTreeTest {

    private static RemoteEntry dir(String id, String path) {
        return new RemoteEntry(id, path, true, null, null, 0);
    }

    private static RemoteEntry file(String id, String path) {
        return new RemoteEntry(id, path, false, "v" + id, "h" + id, 1);
    }

    private static String pathOf(RemoteTree tree, String id) {
        return tree.get(id).path();
    }

    @Test
    void aMovedFolderTakesAlongWhatIsUnderIt() {
        RemoteTree tree = new RemoteTree(List.of(), RemoteTree.Store.NONE);
        tree.put(dir("d", "/a"));
        tree.put(file("f", "/a/x"));

        tree.put(dir("d", "/b"), "/a");

        assertThat(pathOf(tree, "f")).isEqualTo("/b/x");
    }

    @Test
    void aMoveReadASecondTimeTakesAlongWhatCameAgainAtTheOldPath() {
        RemoteTree tree = new RemoteTree(List.of(), RemoteTree.Store.NONE);
        tree.put(dir("d", "/a"));
        tree.put(file("f", "/a/x"));
        tree.put(dir("d", "/b"), "/a");

        // The same two changes again: the file made before the move, then the move.
        tree.put(file("f", "/a/x"));
        tree.put(dir("d", "/b"), "/a");

        assertThat(pathOf(tree, "f")).isEqualTo("/b/x");
    }

    @Test
    void aCaseRenameTakesAlongWhatIsUnderIt() {
        RemoteTree tree = new RemoteTree(List.of(), RemoteTree.Store.NONE);
        tree.put(dir("d", "/a"));
        tree.put(file("f", "/a/x"));

        tree.put(dir("d", "/A"), "/a");

        assertThat(pathOf(tree, "f")).isEqualTo("/A/x");
    }
}
