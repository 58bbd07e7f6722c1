package dev.syncbox.client;

import dev.syncbox.client.api.Push;
import dev.syncbox.client.api.ServerClient;
import dev.syncbox.client.config.ConfigDir;
import dev.syncbox.client.config.Credentials;
import dev.syncbox.client.config.FolderBinding;
import dev.syncbox.client.engine.DeleteGuard;
import dev.syncbox.client.engine.FolderSync;
import dev.syncbox.client.engine.SyncEngine;
import dev.syncbox.client.engine.Wakeup;
import dev.syncbox.client.local.FolderWatcher;
import dev.syncbox.client.local.LocalFolder;
import dev.syncbox.client.plan.Op;
import dev.syncbox.client.plan.Plan;
import dev.syncbox.client.sync.Reconciler;
import dev.syncbox.client.sync.RemoteSide.Refused;
import java.io.Console;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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

/** {@code syncbox}: the desktop client's commands. Exit codes are listed in {@code --help} and docs/desktop-client.md. */
@Command(
        name = "syncbox",
        mixinStandardHelpOptions = true,
        version = "syncbox 0.1.0",
        description = "Keeps a local folder in two-way sync with a syncbox server.",
        subcommands = {
            Main.Register.class,
            Main.Login.class,
            Main.Logout.class,
            Main.Sync.class,
            Main.Status.class,
            Commands.Pause.class,
            Commands.Resume.class,
            Main.Unbind.class,
            Commands.Ls.class,
            Commands.Versions.class,
            Commands.Restore.class,
            Commands.Trash.class,
            Commands.Share.class,
            Commands.Conflicts.class,
            Commands.SelectiveSync.class
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:done",
            "1:failed (the server could not be reached, a file could not be written, ...)",
            "2:wrong usage",
            "3:not signed in, or the server refused the sign-in",
            "4:a mass delete was refused; nothing was done (see --allow-mass-delete)",
            "5:the folder was refused (not bound to this account, or its state is missing)",
            "6:synced, but some entries could not be (see status)"
        })
public final class Main {

    /** How long a local change is left to settle before a pass reads it. */
    static final Duration SETTLE = Duration.ofMillis(100);

    /** How often a running sync scans the folder and reads the feed with nothing telling it to. */
    static final Duration IDLE_SCAN = Duration.ofMinutes(5);

    /** The same while the watcher cannot watch every folder, or steps wait to be retried. */
    static final Duration RETRY_SCAN = Duration.ofSeconds(30);

    static final int FAILED = 1;
    static final int NOT_SIGNED_IN = 3;
    static final int MASS_DELETE = 4;
    static final int FOLDER_REFUSED = 5;
    static final int PARTLY = 6;

    @Option(names = "--config-dir", description = "Where the account is kept (env SYNCBOX_CONFIG_DIR).")
    Path configDir;

    @Option(names = "--json", description = "Machine-readable output: one JSON object per line.")
    boolean json;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit code. */
    public static int run(String... args) {
        return run(null, null, args);
    }

    /** Runs the command line with its output going to {@code out} and {@code err} (null: the console's). */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new Main());
        if (out != null) {
            cli.setOut(out);
        }
        if (err != null) {
            cli.setErr(err);
        }
        cli.setExecutionExceptionHandler((e, line, parse) -> {
            line.getErr().println("syncbox: " + e.getMessage());
            return FAILED;
        });
        return cli.execute(args);
    }

    Path config() {
        return ConfigDir.resolve(configDir, System.getenv(), System.getProperty("user.home"));
    }

    void print(CommandLine.Model.CommandSpec spec, String human, Map<String, Object> fields) {
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(ServerClient.JSON.writeValueAsString(fields));
        } else if (human != null) {
            out.println(human);
        }
        out.flush();
    }

    Credentials account(CommandLine.Model.CommandSpec spec) throws IOException {
        Credentials account = Credentials.load(config());
        if (account == null) {
            spec.commandLine()
                    .getErr()
                    .println("syncbox: not signed in; run `syncbox login --server URL --email E` first");
        }
        return account;
    }

    static String password() {
        String env = System.getenv("SYNCBOX_PASSWORD");
        if (env != null && !env.isEmpty()) {
            return env;
        }
        Console console = System.console();
        if (console == null) {
            throw new CommandLine.ParameterException(
                    new CommandLine(new Main()), "no terminal to ask the password on: set SYNCBOX_PASSWORD");
        }
        return new String(console.readPassword("Password: "));
    }

    static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "desktop";
        }
    }

    @Command(name = "register", description = "Creates an account on the server (then run login).")
    static final class Register implements Callable<Integer> {
        @CommandLine.ParentCommand
        Main main;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--server", required = true, description = "The server, e.g. http://127.0.0.1:8080")
        String server;

        @Option(names = "--email", required = true)
        String email;

        @Option(names = "--name", description = "Your name as others see it.", defaultValue = "")
        String name;

        @Override
        public Integer call() throws IOException {
            ServerClient client = new ServerClient(server, null);
            String shown = name.isBlank() ? email : name;
            try {
                JsonNode created =
                        client.post("/auth/register", Map.of("email", email, "password", password(), "name", shown));
                main.print(
                        spec,
                        "registered " + email,
                        Map.of("user_id", created.path("user_id").asLong(), "email", email));
                return 0;
            } catch (Refused e) {
                spec.commandLine().getErr().println("syncbox: the server refused: " + e.getMessage());
                return FAILED;
            }
        }
    }

    @Command(name = "login", description = "Signs this device in; the token is kept in the config dir (mode 0600).")
    static final class Login implements Callable<Integer> {
        @CommandLine.ParentCommand
        Main main;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--server", required = true, description = "The server, e.g. http://127.0.0.1:8080")
        String server;

        @Option(names = "--email", required = true)
        String email;

        @Option(names = "--device-name", description = "How this device is listed (default: the host name).")
        String deviceName;

        @Override
        public Integer call() throws IOException {
            ServerClient anonymous = new ServerClient(server, null);
            String device = deviceName == null ? hostName() : deviceName;
            JsonNode login;
            try {
                login = anonymous.post(
                        "/auth/login", Map.of("email", email, "password", password(), "device_name", device));
            } catch (Refused e) {
                spec.commandLine().getErr().println("syncbox: sign-in refused: " + e.getMessage());
                return NOT_SIGNED_IN;
            }
            String token = login.path("access_token").asString();
            JsonNode check = new ServerClient(server, token).get("/auth/check");
            Credentials account = new Credentials(
                    anonymous.base().toString(),
                    email,
                    check.path("user_id").asLong(),
                    login.path("device_id").asString(),
                    token);
            account.save(main.config());
            main.print(
                    spec,
                    "signed in as " + email + " (device " + account.deviceId() + ")",
                    Map.of("email", email, "user_id", account.userId(), "device_id", account.deviceId()));
            return 0;
        }
    }

    @Command(name = "logout", description = "Forgets this device's token.")
    static final class Logout implements Callable<Integer> {
        @CommandLine.ParentCommand
        Main main;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            boolean was = Credentials.delete(main.config());
            main.print(spec, was ? "signed out" : "was not signed in", Map.of("signed_out", was));
            return 0;
        }
    }

    @Command(name = "unbind", description = "Forgets that this config dir synced DIR, so it syncs as a new folder.")
    static final class Unbind implements Callable<Integer> {
        @CommandLine.ParentCommand
        Main main;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "DIR")
        Path dir;

        @Override
        public Integer call() throws IOException {
            boolean was = FolderBinding.unbind(new LocalFolder(dir), main.config());
            main.print(spec, was ? "unbound " + dir : dir + " was not bound", Map.of("unbound", was));
            return 0;
        }
    }

    @Command(name = "sync", description = "Syncs DIR, then keeps it in sync (watches the folder, waits on the server).")
    static final class Sync implements Callable<Integer> {
        @CommandLine.ParentCommand
        Main main;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "DIR")
        Path dir;

        @Option(names = "--once", description = "Sync until both sides agree, then exit.")
        boolean once;

        @Option(names = "--allow-mass-delete", description = "Go on with a plan that deletes much of the folder.")
        boolean allowMassDelete;

        @Override
        public Integer call() throws Exception {
            Credentials account = main.account(spec);
            if (account == null) {
                return NOT_SIGNED_IN;
            }
            LocalFolder folder = new LocalFolder(dir);
            try {
                FolderBinding.check(folder, account, main.config());
            } catch (FolderBinding.Refused e) {
                spec.commandLine().getErr().println("syncbox: " + e.getMessage());
                return FOLDER_REFUSED;
            }
            ConsoleProgress bars = !main.json && System.console() != null
                    ? new ConsoleProgress(spec.commandLine().getErr(), System::nanoTime)
                    : null;
            try (FolderSync sync = new FolderSync(folder, account, hostName(), Clock.systemUTC())) {
                if (bars != null) {
                    sync.progress(bars);
                }
                sync.tidy();
                if (once) {
                    if ("true".equals(sync.state().meta("paused"))) {
                        main.print(spec, folder.root() + " is paused; nothing was synced", Map.of("event", "paused"));
                        return 0;
                    }
                    return pass(sync);
                }
                return loop(sync);
            } finally {
                if (bars != null) {
                    bars.close();
                }
            }
        }

        private int pass(FolderSync sync) throws IOException {
            SyncEngine.Result result;
            try {
                result = sync.syncOnce(allowMassDelete);
            } catch (DeleteGuard.MassDelete e) {
                spec.commandLine().getErr().println("syncbox: " + e.getMessage());
                return MASS_DELETE;
            } catch (Refused e) {
                if (e.status() == 401) {
                    spec.commandLine()
                            .getErr()
                            .println("syncbox: the server no longer accepts this device; sign in again");
                    return NOT_SIGNED_IN;
                }
                throw e;
            }
            report(result);
            if (result.settled()) {
                sync.state().meta("last_synced", Instant.now().toString());
            }
            return result.failures().isEmpty() && result.problems().isEmpty() ? 0 : PARTLY;
        }

        private void report(SyncEngine.Result result) {
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("event", "synced");
            fields.put("at", Instant.now().toString());
            fields.put("done", result.done());
            fields.put("settled", result.settled());
            List<Map<String, Object>> failures = new ArrayList<>();
            for (Reconciler.Failure f : result.failures()) {
                failures.add(Map.of("path", f.path(), "reason", f.reason(), "retried", f.retry()));
            }
            fields.put("failures", failures);
            fields.put(
                    "problems",
                    result.problems().stream()
                            .map(p -> Map.of("path", p.path(), "reason", p.reason()))
                            .toList());
            StringBuilder human = new StringBuilder();
            if (result.done() > 0
                    || !result.failures().isEmpty()
                    || !result.problems().isEmpty()) {
                human.append(Instant.now()).append(": ").append(result.done()).append(" change(s) synced");
                result.failures()
                        .forEach(f -> human.append("\n  not synced: ")
                                .append(f.path())
                                .append(" — ")
                                .append(f.reason()));
                result.problems()
                        .forEach(p -> human.append("\n  not synced: ")
                                .append(p.path())
                                .append(" — ")
                                .append(p.reason()));
            } else {
                human.append(Instant.now()).append(": up to date");
            }
            main.print(spec, human.toString(), fields);
        }

        private int loop(FolderSync sync) throws Exception {
            Wakeup wakeup = new Wakeup();
            try (Push push = new Push(sync.server(), sync.state()::cursor, wakeup::signal);
                    FolderWatcher watcher = new FolderWatcher(sync.folder(), wakeup::signalLocal)) {
                watcher.start();
                push.start();
                if (watcher.degraded() != null) {
                    spec.commandLine().getErr().println("syncbox: " + watcher.degraded());
                }
                Duration backoff = Duration.ofSeconds(1);
                boolean saidPaused = false;
                while (true) {
                    if ("true".equals(sync.state().meta("paused"))) {
                        if (!saidPaused) {
                            main.print(
                                    spec,
                                    Instant.now() + ": paused (syncbox resume " + dir + ")",
                                    Map.of("event", "paused"));
                            saidPaused = true;
                        }
                        wakeup.await(Duration.ofSeconds(2));
                        continue;
                    }
                    saidPaused = false;
                    int code;
                    try {
                        code = pass(sync);
                        backoff = Duration.ofSeconds(1);
                    } catch (IOException e) {
                        spec.commandLine()
                                .getErr()
                                .println("syncbox: " + e.getMessage() + "; trying again in " + backoff.toSeconds()
                                        + " s");
                        Thread.sleep(backoff.toMillis());
                        backoff = backoff.multipliedBy(2).compareTo(Duration.ofMinutes(5)) > 0
                                ? Duration.ofMinutes(5)
                                : backoff.multipliedBy(2);
                        continue;
                    }
                    if (code == NOT_SIGNED_IN || code == MASS_DELETE) {
                        return code;
                    }
                    push.at(sync.state().cursor());
                    // Changes come from the watcher and the server's push; a scan on a timer is the safety net for
                    // what they miss: every 30 s while the watcher cannot watch everything or steps are waiting to be
                    // retried, else every 5 minutes, so an idle client with a large folder costs next to nothing.
                    // A local change waits a moment to settle (a file still being written is also caught by its hash
                    // read, and waits for the next pass).
                    Duration rescan = watcher.degraded() != null || code == PARTLY ? RETRY_SCAN : IDLE_SCAN;
                    if (wakeup.await(rescan) == Wakeup.Cause.LOCAL) {
                        Thread.sleep(SETTLE.toMillis());
                    }
                }
            }
        }
    }

    @Command(name = "status", description = "What is not yet in sync in DIR, and why.")
    static final class Status implements Callable<Integer> {
        @CommandLine.ParentCommand
        Main main;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "DIR")
        Path dir;

        @Override
        public Integer call() throws Exception {
            Credentials account = main.account(spec);
            if (account == null) {
                return NOT_SIGNED_IN;
            }
            LocalFolder folder = new LocalFolder(dir);
            try {
                FolderBinding.check(folder, account, main.config());
            } catch (FolderBinding.Refused e) {
                spec.commandLine().getErr().println("syncbox: " + e.getMessage());
                return FOLDER_REFUSED;
            }
            try (FolderSync sync = new FolderSync(folder, account, hostName(), Clock.systemUTC())) {
                Plan plan = sync.pending();
                List<Map<String, Object>> pending = new ArrayList<>();
                StringBuilder human = new StringBuilder();
                for (Op op : plan.ops()) {
                    if (op instanceof Op.Adopt || op instanceof Op.Forget) {
                        continue;
                    }
                    String what = describe(op);
                    pending.add(Map.of("path", op.subject(), "pending", what));
                    human.append(op.subject()).append(": ").append(what).append('\n');
                }
                List<Map<String, Object>> problems = new ArrayList<>();
                for (Plan.Problem p : plan.problems()) {
                    problems.add(Map.of("path", p.path(), "reason", p.reason()));
                    human.append(p.path())
                            .append(": not synced — ")
                            .append(p.reason())
                            .append('\n');
                }
                if (human.isEmpty()) {
                    human.append("up to date\n");
                }
                Map<String, Object> fields = new LinkedHashMap<>();
                fields.put("folder", folder.root().toString());
                fields.put("account", account.email());
                boolean paused = "true".equals(sync.state().meta("paused"));
                fields.put("paused", paused);
                if (paused) {
                    human.insert(0, "paused (syncbox resume " + dir + ")\n");
                }
                String lastSynced = sync.state().meta("last_synced");
                fields.put("last_synced", lastSynced);
                human.append("last synced: ").append(lastSynced == null ? "never" : lastSynced);
                fields.put("pending", pending);
                fields.put("problems", problems);
                main.print(spec, human.toString().stripTrailing(), fields);
                return 0;
            }
        }

        static String describe(Op op) {
            if (op instanceof Op.UploadNew || op instanceof Op.UploadChange) {
                return "to upload";
            } else if (op instanceof Op.Download) {
                return "to download";
            } else if (op instanceof Op.RemoteMkdir) {
                return "folder to create on the server";
            } else if (op instanceof Op.LocalMkdir) {
                return "folder to create here";
            } else if (op instanceof Op.RemoteMove m) {
                return "to move on the server to " + m.toPath();
            } else if (op instanceof Op.LocalMove m) {
                return "to move here to " + m.toPath();
            } else if (op instanceof Op.RemoteDelete) {
                return "to delete on the server (to its trash)";
            } else if (op instanceof Op.LocalDelete) {
                return "to delete here (kept in .syncbox/quarantine)";
            } else if (op instanceof Op.LocalConflictRename r) {
                return "in conflict: kept as " + r.toPath();
            }
            return op.getClass().getSimpleName();
        }
    }
}
