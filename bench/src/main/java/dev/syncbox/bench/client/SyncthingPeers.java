package dev.syncbox.bench.client;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Two Syncthing instances (the apt package's {@code syncthing}) on loopback sharing one folder: keys and config made
 * with {@code syncthing generate}, discovery, relays, NAT and reporting off, each listening on a free loopback port and
 * knowing the other's address; the folder watched with the given watcher delay (Syncthing's default is 10 s).
 */
final class SyncthingPeers implements AutoCloseable {

    private static final Pattern DEVICE_ID = Pattern.compile("Device ID: ([A-Z0-9-]{63})");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private record Peer(Path home, Path folder, String id, int gui, int listen, String apiKey, Process process) {}

    private final List<Peer> peers = new ArrayList<>();

    private SyncthingPeers() {}

    static SyncthingPeers start(Path work, int watcherDelaySeconds) throws IOException, InterruptedException {
        SyncthingPeers pair = new SyncthingPeers();
        try {
            List<Peer> made = new ArrayList<>();
            for (String name : List.of("A", "B")) {
                Path home = work.resolve("home-" + name);
                Path folder = Files.createDirectories(work.resolve(name));
                Process generate = new ProcessBuilder(
                                "syncthing", "generate", "--home=" + home, "--no-default-folder", "--skip-port-probing")
                        .redirectErrorStream(true)
                        .start();
                String out = new String(generate.getInputStream().readAllBytes());
                generate.waitFor(60, TimeUnit.SECONDS);
                Matcher id = DEVICE_ID.matcher(out);
                if (!id.find()) {
                    throw new IOException("syncthing generate printed no device id:\n" + out);
                }
                made.add(new Peer(home, folder, id.group(1), freePort(), freePort(), "bench-" + name, null));
            }
            for (int i = 0; i < 2; i++) {
                Peer self = made.get(i);
                Peer other = made.get(1 - i);
                // Only B dials: two peers dialling each other at once can both wait on the other's Hello until it times
                // out (seen here, 20 s a round), so A is told B's address is learnt from its connection.
                configure(self, other, watcherDelaySeconds, i == 1);
                ProcessBuilder serve = new ProcessBuilder(
                                "syncthing",
                                "serve",
                                "--home=" + self.home(),
                                "--no-browser",
                                "--no-restart",
                                "--no-upgrade")
                        .redirectErrorStream(true)
                        .redirectOutput(self.home().resolve("syncthing.log").toFile());
                serve.environment().put("STNODEFAULTFOLDER", "1");
                serve.environment().put("STNOUPGRADE", "1");
                pair.peers.add(new Peer(
                        self.home(),
                        self.folder(),
                        self.id(),
                        self.gui(),
                        self.listen(),
                        self.apiKey(),
                        serve.start()));
            }
            for (Peer peer : pair.peers) {
                pair.await(peer, "up", () -> pair.get(peer, "/rest/system/ping").contains("pong"));
            }
            Peer a = pair.peers.get(0);
            Peer b = pair.peers.get(1);
            // A knows one device, B: a connection up is B's.
            pair.await(a, "connected to " + b.id(), () -> connected(pair.get(a, "/rest/system/connections")));
            if (!pair.awaitInSync(Duration.ofSeconds(60))) {
                throw new IOException(
                        "the folder did not become idle; see " + a.home().resolve("syncthing.log"));
            }
            return pair;
        } catch (IOException | InterruptedException | RuntimeException e) {
            pair.close();
            throw e;
        }
    }

    Path folderA() {
        return peers.get(0).folder();
    }

    Path folderB() {
        return peers.get(1).folder();
    }

    /** The two Syncthing processes (each with its children). */
    List<ProcessHandle> processes() {
        return peers.stream().map(p -> p.process().toHandle()).toList();
    }

    /** Bytes in and out over A's connection to B so far, by Syncthing's own counters. */
    long wireBytes() throws IOException, InterruptedException {
        String json = get(peers.get(0), "/rest/system/connections").replaceAll("\\s", "");
        String total = json.substring(json.indexOf("\"total\":"));
        return number(total, "inBytesTotal") + number(total, "outBytesTotal");
    }

    /** Until both sides report the folder idle and the peer complete, or the timeout. */
    boolean awaitInSync(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            boolean done = true;
            for (int i = 0; i < 2 && done; i++) {
                Peer self = peers.get(i);
                Peer other = peers.get(1 - i);
                String status = get(self, "/rest/db/status?folder=bench").replaceAll("\\s", "");
                String completion = get(self, "/rest/db/completion?folder=bench&device=" + other.id())
                        .replaceAll("\\s", "");
                done = status.contains("\"state\":\"idle\"") && completion.contains("\"completion\":100");
            }
            if (done) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }

    @Override
    public void close() {
        for (Peer peer : peers) {
            try {
                post(peer, "/rest/system/shutdown");
            } catch (IOException | InterruptedException | RuntimeException e) {
                // Gone already: destroyed below.
            }
        }
        for (Peer peer : peers) {
            try {
                if (!peer.process().waitFor(10, TimeUnit.SECONDS)) {
                    peer.process().destroyForcibly();
                }
            } catch (InterruptedException e) {
                peer.process().destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void configure(Peer self, Peer other, int delay, boolean dial) throws IOException {
        Path file = self.home().resolve("config.xml");
        String xml = Files.readString(file);
        xml = xml.replaceFirst(
                        "<address>127\\.0\\.0\\.1:\\d+</address>", "<address>127.0.0.1:" + self.gui() + "</address>")
                .replaceFirst("<apikey>[^<]*</apikey>", "<apikey>" + self.apiKey() + "</apikey>")
                .replaceFirst(
                        "<listenAddress>[^<]*</listenAddress>",
                        "<listenAddress>tcp://127.0.0.1:" + self.listen() + "</listenAddress>")
                .replace("<globalAnnounceEnabled>true", "<globalAnnounceEnabled>false")
                .replace("<localAnnounceEnabled>true", "<localAnnounceEnabled>false")
                .replace("<relaysEnabled>true", "<relaysEnabled>false")
                .replace("<natEnabled>true", "<natEnabled>false")
                .replace("<startBrowser>true", "<startBrowser>false")
                .replace("<crashReportingEnabled>true", "<crashReportingEnabled>false")
                .replaceFirst("<urAccepted>[^<]*</urAccepted>", "<urAccepted>-1</urAccepted>")
                .replaceFirst(
                        "<autoUpgradeIntervalH>[^<]*</autoUpgradeIntervalH>",
                        "<autoUpgradeIntervalH>0</autoUpgradeIntervalH>");
        String peer =
                "    <device id=\"" + other.id() + "\" name=\"peer\" compression=\"metadata\" introducer=\"false\""
                        + " skipIntroductionRemovals=\"false\" introducedBy=\"\">\n"
                        + "        <address>" + (dial ? "tcp://127.0.0.1:" + other.listen() : "dynamic")
                        + "</address>\n"
                        + "        <paused>false</paused>\n        <autoAcceptFolders>false</autoAcceptFolders>\n"
                        + "    </device>\n";
        String folder = "    <folder id=\"bench\" label=\"bench\" path=\"" + self.folder() + "\" type=\"sendreceive\""
                + " rescanIntervalS=\"3600\" fsWatcherEnabled=\"true\" fsWatcherDelayS=\"" + delay + "\""
                + " ignorePerms=\"false\" autoNormalize=\"true\">\n"
                + "        <device id=\"" + self.id() + "\" introducedBy=\"\"></device>\n"
                + "        <device id=\"" + other.id() + "\" introducedBy=\"\"></device>\n"
                + "    </folder>\n";
        int firstDevice = xml.indexOf("    <device id=");
        xml = xml.substring(0, firstDevice) + folder + peer + xml.substring(firstDevice);
        Files.writeString(file, xml);
    }

    private static boolean connected(String json) {
        return json.replaceAll("\\s", "").contains("\"connected\":true");
    }

    private static long number(String json, String field) {
        Matcher m = Pattern.compile("\"" + field + "\":(\\d+)").matcher(json);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    interface Check {
        boolean ok() throws IOException, InterruptedException;
    }

    private void await(Peer peer, String what, Check check) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            try {
                if (check.ok()) {
                    return;
                }
            } catch (IOException e) {
                // Not answering yet.
            }
            Thread.sleep(100);
        }
        throw new IOException(
                "syncthing not " + what + " within 60 s; see " + peer.home().resolve("syncthing.log"));
    }

    private String get(Peer peer, String path) throws IOException, InterruptedException {
        return HTTP.send(request(peer, path).GET().build(), HttpResponse.BodyHandlers.ofString())
                .body();
    }

    private static void post(Peer peer, String path) throws IOException, InterruptedException {
        HTTP.send(
                request(peer, path).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.discarding());
    }

    private static HttpRequest.Builder request(Peer peer, String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + peer.gui() + path))
                .timeout(Duration.ofSeconds(10))
                .header("X-API-Key", peer.apiKey());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
