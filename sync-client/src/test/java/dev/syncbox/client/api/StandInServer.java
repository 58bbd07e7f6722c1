package dev.syncbox.client.api;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A stand-in for the server's HTTP contract on a free loopback port, answering every path with one handler (on as
 * many threads as requests come at once); started before each test and stopped after it.
 */
final class StandInServer implements BeforeEachCallback, AfterEachCallback {

    private final HttpHandler handler;
    private HttpServer server;
    private boolean stopped;

    StandInServer(HttpHandler handler) {
        this.handler = handler;
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", handler);
        server.setExecutor(Executors.newCachedThreadPool());
        server.start();
        stopped = false;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        stop();
    }

    /** A client of it, as the desktop client talks to the real server. */
    ServerClient client() {
        return new ServerClient("http://127.0.0.1:" + server.getAddress().getPort(), "token");
    }

    /** Stops answering (a test of a server that is gone calls it early); once is enough. */
    void stop() {
        if (!stopped) {
            stopped = true;
            server.stop(0);
        }
    }
}
