package dev.syncbox.client;

import dev.syncbox.client.api.ServerClient;
import dev.syncbox.client.config.Credentials;
import dev.syncbox.client.local.LocalFolder;
import dev.syncbox.client.plan.Paths;
import dev.syncbox.client.state.StateDb;
import dev.syncbox.client.sync.RemoteSide.Refused;
import dev.syncbox.core.error.SyncboxException;
import dev.syncbox.core.path.SyncPath;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/** The commands that act on the account through the server, and pause/resume of a folder's sync. */
final class Commands {

    private Commands() {}

    /** What every server command shares: the signed-in account and the answers' printing. */
    abstract static class ServerCommand implements Callable<Integer> {
        @CommandLine.ParentCommand
        Main main;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        ServerClient server;
        Credentials account;

        @Override
        public final Integer call() throws IOException {
            account = main.account(spec);
            if (account == null) {
                return Main.NOT_SIGNED_IN;
            }
            server = new ServerClient(account.server(), account.accessToken());
            try {
                return run();
            } catch (Refused e) {
                spec.commandLine().getErr().println("syncbox: " + e.getMessage());
                return e.status() == 401 ? Main.NOT_SIGNED_IN : Main.FAILED;
            }
        }

        abstract int run() throws IOException;

        void print(String human, Object fields) {
            PrintWriter out = spec.commandLine().getOut();
            out.println(main.json ? ServerClient.JSON.writeValueAsString(fields) : human);
            out.flush();
        }

        /** The file id of a path in the account, read from its parent's listing. */
        String fileId(String rawPath) throws IOException {
            String path = canonical(rawPath);
            JsonNode listing = server.get("/files/list?path=" + ServerClient.query(SyncPath.parent(path)));
            for (JsonNode entry : listing.path("entries")) {
                if (Paths.sameKey(entry.path("path").asString(), path)) {
                    return entry.path("file_id").asString();
                }
            }
            throw new Refused(404, "not_found", "nothing at " + path);
        }

        static String canonical(String raw) throws Refused {
            try {
                return SyncPath.normalize(raw.startsWith("/") ? raw : "/" + raw);
            } catch (SyncboxException e) {
                throw new Refused(400, "invalid_path", e.getMessage());
            }
        }
    }

    private static String size(long bytes) {
        return size(bytes, 1024, "KiB", "MiB", "GiB", "TiB");
    }

    /** {@code bytes} in the largest of {@code units} (each {@code step} times the one before) that keeps it >= 1. */
    static String size(long bytes, int step, String... units) {
        if (bytes < step) {
            return bytes + " B";
        }
        double value = bytes;
        int unit = -1;
        while (value >= step && unit < units.length - 1) {
            value /= step;
            unit++;
        }
        return String.format(java.util.Locale.ROOT, "%.1f %s", value, units[unit]);
    }

    @Command(name = "ls", description = "Lists a folder of the account (default: the root).")
    static final class Ls extends ServerCommand {
        @Parameters(index = "0", arity = "0..1", paramLabel = "PATH", defaultValue = "/")
        String path;

        @Override
        int run() throws IOException {
            JsonNode listing = server.get("/files/list?path=" + ServerClient.query(canonical(path)));
            StringBuilder human = new StringBuilder();
            for (JsonNode e : listing.path("entries")) {
                boolean dir = e.path("is_dir").asBoolean();
                human.append(dir ? "d " : "- ")
                        .append(String.format(
                                "%10s  ", dir ? "" : size(e.path("size").asLong())))
                        .append(e.path("modified_at").asString(""))
                        .append("  ")
                        .append(e.path("name").asString())
                        .append(dir ? "/" : "")
                        .append('\n');
            }
            print(human.toString().stripTrailing(), listing);
            return 0;
        }
    }

    @Command(name = "versions", description = "The versions of a file, newest first.")
    static final class Versions extends ServerCommand {
        @Parameters(index = "0", paramLabel = "PATH")
        String path;

        @Override
        int run() throws IOException {
            JsonNode page = server.get("/files/" + fileId(path) + "/versions?limit=100");
            StringBuilder human = new StringBuilder();
            for (JsonNode v : page.path("versions")) {
                human.append(v.path("id").asString())
                        .append("  ")
                        .append(v.path("created_at").asString())
                        .append(String.format("  %10s", size(v.path("size").asLong())))
                        .append(v.path("is_conflict").asBoolean() ? "  (conflict)" : "")
                        .append('\n');
            }
            print(human.toString().stripTrailing(), page);
            return 0;
        }
    }

    @Command(name = "restore", description = "Makes an earlier version of a file the current one (a new version).")
    static final class Restore extends ServerCommand {
        @Parameters(index = "0", paramLabel = "PATH")
        String path;

        @Option(names = "--version", required = true, paramLabel = "V", description = "The version id (see versions).")
        String version;

        @Override
        int run() throws IOException {
            JsonNode restored = server.post("/files/" + fileId(path) + "/restore", Map.of("version_id", version));
            print(
                    "restored " + canonical(path) + " from " + version + " as "
                            + restored.path("version_id").asString(),
                    restored);
            return 0;
        }
    }

    @Command(name = "trash", description = "Lists the trash; `trash restore PATH` brings an entry back.")
    static final class Trash extends ServerCommand {
        @Parameters(index = "0", arity = "0..1", paramLabel = "restore")
        String action;

        @Parameters(index = "1", arity = "0..1", paramLabel = "PATH")
        String path;

        @Override
        int run() throws IOException {
            JsonNode trash = server.get("/trash");
            if (action == null) {
                StringBuilder human = new StringBuilder();
                for (JsonNode e : trash.path("entries")) {
                    human.append(e.path("path").asString())
                            .append(e.path("is_dir").asBoolean() ? "/" : "")
                            .append("  deleted ")
                            .append(e.path("deleted_at").asString())
                            .append(", restorable until ")
                            .append(e.path("recovery_deadline").asString())
                            .append('\n');
                }
                print(human.isEmpty() ? "the trash is empty" : human.toString().stripTrailing(), trash);
                return 0;
            }
            if (!action.equals("restore") || path == null) {
                throw new CommandLine.ParameterException(spec.commandLine(), "usage: syncbox trash [restore PATH]");
            }
            String wanted = canonical(path);
            for (JsonNode e : trash.path("entries")) {
                if (Paths.sameKey(e.path("path").asString(), wanted)) {
                    JsonNode restored =
                            server.post("/trash/" + e.path("file_id").asString() + "/restore", Map.of());
                    print("restored " + restored.path("path").asString(), restored);
                    return 0;
                }
            }
            throw new Refused(404, "not_found", "nothing at " + wanted + " in the trash");
        }
    }

    @Command(name = "share", description = "Shares a file or folder with another account.")
    static final class Share extends ServerCommand {
        @Parameters(index = "0", paramLabel = "PATH")
        String path;

        @Option(names = "--with", required = true, paramLabel = "EMAIL")
        String email;

        @Option(names = "--permission", defaultValue = "READ", paramLabel = "READ|READ_WRITE")
        String permission;

        @Override
        int run() throws IOException {
            JsonNode shared =
                    server.post("/files/" + fileId(path) + "/share", Map.of("email", email, "permission", permission));
            print("shared " + canonical(path) + " with " + email + " (" + permission + ")", shared);
            return 0;
        }
    }

    @Command(
            name = "conflicts",
            description = "The conflicts of a file (with PATH), or every conflicted copy in the account.")
    static final class Conflicts extends ServerCommand {
        @Parameters(index = "0", arity = "0..1", paramLabel = "PATH")
        String path;

        @Override
        int run() throws IOException {
            if (path != null) {
                JsonNode conflicts = server.get("/files/" + fileId(path) + "/conflicts");
                StringBuilder human = new StringBuilder();
                for (JsonNode c : conflicts.path("conflicts")) {
                    human.append(c.path("conflict_id").asString())
                            .append("  ")
                            .append(c.path("diverged_at").asString())
                            .append("  ")
                            .append(c.path("status").asString())
                            .append(" ")
                            .append(c.path("resolution").asString(""))
                            .append('\n');
                }
                print(human.isEmpty() ? "no conflicts" : human.toString().stripTrailing(), conflicts);
                return 0;
            }
            List<String> copies = new ArrayList<>();
            collectCopies("/", copies);
            print(
                    copies.isEmpty() ? "no conflicted copies" : String.join("\n", copies),
                    Map.of("conflicted_copies", copies));
            return 0;
        }

        private void collectCopies(String folder, List<String> copies) throws IOException {
            JsonNode listing = server.get("/files/list?path=" + ServerClient.query(folder));
            for (JsonNode e : listing.path("entries")) {
                String entryPath = e.path("path").asString();
                if (e.path("is_dir").asBoolean()) {
                    collectCopies(entryPath, copies);
                } else if (e.path("name").asString().contains(" (conflicted copy ")) {
                    copies.add(entryPath);
                }
            }
        }
    }

    @Command(
            name = "selective-sync",
            description = "The folders this device leaves out: --exclude takes one out (its local copy goes to the"
                    + " quarantine at the next pass), --include brings it back.")
    static final class SelectiveSync extends ServerCommand {
        @Option(names = "--exclude", paramLabel = "PATH")
        List<String> exclude = new ArrayList<>();

        @Option(names = "--include", paramLabel = "PATH")
        List<String> include = new ArrayList<>();

        @Override
        int run() throws IOException {
            String at = "/devices/" + account.deviceId() + "/selective-sync";
            List<String> excluded = new ArrayList<>();
            server.get(at).path("excluded").forEach(n -> excluded.add(n.asString()));
            for (String path : include) {
                String canonical = canonical(path);
                excluded.removeIf(p -> Paths.sameKey(p, canonical));
            }
            for (String path : exclude) {
                String canonical = canonical(path);
                if (excluded.stream().noneMatch(p -> Paths.sameKey(p, canonical))) {
                    excluded.add(canonical);
                }
            }
            JsonNode now = include.isEmpty() && exclude.isEmpty()
                    ? server.get(at)
                    : server.put(at, Map.of("excluded", excluded));
            List<String> left = new ArrayList<>();
            now.path("excluded").forEach(n -> left.add(n.asString()));
            print(left.isEmpty() ? "every folder is synced" : "left out: " + String.join(", ", left), now);
            return 0;
        }
    }

    /** Pause and resume write a flag in the folder's state database, which a running sync reads before each pass. */
    abstract static class PauseFlag implements Callable<Integer> {
        @CommandLine.ParentCommand
        Main main;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "DIR")
        Path dir;

        Integer set(boolean paused) throws IOException {
            LocalFolder folder = new LocalFolder(dir);
            Path db = folder.stateDir().resolve("state.db");
            if (!Files.exists(db)) {
                spec.commandLine().getErr().println("syncbox: " + folder.root() + " has not been synced");
                return Main.FOLDER_REFUSED;
            }
            try (StateDb state = StateDb.open(db)) {
                state.meta("paused", paused ? "true" : null);
            }
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("folder", folder.root().toString());
            fields.put("paused", paused);
            main.print(spec, (paused ? "paused " : "resumed ") + folder.root(), fields);
            return 0;
        }
    }

    @Command(name = "pause", description = "Pauses the sync of DIR (a running `sync` waits until resumed).")
    static final class Pause extends PauseFlag {
        @Override
        public Integer call() throws IOException {
            return set(true);
        }
    }

    @Command(name = "resume", description = "Resumes the sync of DIR.")
    static final class Resume extends PauseFlag {
        @Override
        public Integer call() throws IOException {
            return set(false);
        }
    }
}
