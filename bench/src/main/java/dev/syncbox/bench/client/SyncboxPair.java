package dev.syncbox.bench.client;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Two devices of one new account, each a {@code syncbox sync} process of the client jar with a config dir and a folder
 * of its own, talking to the gateway. Returns once both have made their first pass.
 */
final class SyncboxPair implements AutoCloseable {

    private static final String PASSWORD = "client bench password";

    private final Path folderA;
    private final Path folderB;
    private final List<Process> processes = new ArrayList<>();

    private SyncboxPair(Path folderA, Path folderB) {
        this.folderA = folderA;
        this.folderB = folderB;
    }

    static SyncboxPair start(String gateway, Path jar, Path work) throws IOException, InterruptedException {
        Files.createDirectories(work);
        String email = "client-bench-" + UUID.randomUUID() + "@example.test";
        run(jar, work, "register", "--server", gateway, "--email", email, "--name", "Bench");
        SyncboxPair pair =
                new SyncboxPair(Files.createDirectories(work.resolve("A")), Files.createDirectories(work.resolve("B")));
        try {
            for (String device : List.of("A", "B")) {
                Path config = work.resolve("config-" + device);
                run(
                        jar,
                        work,
                        "--config-dir",
                        config.toString(),
                        "login",
                        "--server",
                        gateway,
                        "--email",
                        email,
                        "--device-name",
                        "bench-" + device);
                Path log = work.resolve("sync-" + device + ".log");
                pair.processes.add(command(
                                jar,
                                "--config-dir",
                                config.toString(),
                                "sync",
                                work.resolve(device).toString())
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile())
                        .start());
                awaitLine(log, "up to date");
            }
            return pair;
        } catch (IOException | InterruptedException | RuntimeException e) {
            pair.close();
            throw e;
        }
    }

    Path folderA() {
        return folderA;
    }

    Path folderB() {
        return folderB;
    }

    /** The two {@code syncbox sync} processes. */
    List<ProcessHandle> processes() {
        return processes.stream().map(Process::toHandle).toList();
    }

    private static ProcessBuilder command(Path jar, String... args) {
        List<String> command = new ArrayList<>(
                List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        // The JVM settings bin/syncbox gives the client, kept beside its module.
        try {
            command.addAll(
                    List.of(Files.readString(jar.toAbsolutePath().getParent().resolveSibling("jvm.options"))
                            .trim()
                            .split("\\s+")));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        command.addAll(List.of("-jar", jar.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("SYNCBOX_PASSWORD", PASSWORD);
        // And the malloc setting bin/syncbox exports for it.
        builder.environment().putIfAbsent("MALLOC_ARENA_MAX", "2");
        return builder;
    }

    private static void run(Path jar, Path work, String... args) throws IOException, InterruptedException {
        Process p = command(jar, args).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("syncbox " + String.join(" ", args) + " failed:\n" + output);
        }
    }

    private static void awaitLine(Path log, String text) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (Files.exists(log) && Files.readString(log).contains(text)) {
                return;
            }
            Thread.sleep(50);
        }
        throw new IOException("no '" + text + "' in " + log + " within 120 s:\n" + Files.readString(log));
    }

    @Override
    public void close() {
        for (Process p : processes) {
            p.destroy();
        }
        for (Process p : processes) {
            try {
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
