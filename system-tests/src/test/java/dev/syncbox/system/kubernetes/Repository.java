package dev.syncbox.system.kubernetes;

import java.nio.file.Files;
import java.nio.file.Path;

/** Files of the repository, found from wherever the tests run (Maven runs them in system-tests/). */
final class Repository {

    private Repository() {}

    static Path root() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("deploy/k8s")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no deploy/k8s above " + Path.of("").toAbsolutePath());
    }

    static Path file(String relative) {
        return root().resolve(relative);
    }
}
