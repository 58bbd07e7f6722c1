package dev.syncbox.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.dropbox.core.DbxRequestConfig;
import com.dropbox.core.http.HttpRequestor;
import com.dropbox.core.http.StandardHttpRequestor;
import com.dropbox.core.v2.DbxClientV2;
import dev.syncbox.core.id.Ids;
import dev.syncbox.server.testing.Api;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;

/**
 * The official Dropbox Java SDK pointed at syncbox: its requestor sends what it would send to {@code
 * https://api.dropboxapi.com}, {@code content.dropboxapi.com} and {@code notify.dropboxapi.com} to one local address
 * instead (the gateway), as a user would configure it (docs/dropbox-api.md). Nothing else about the SDK changes.
 */
final class DropboxSdk {

    /** A registered user: their email, a syncbox bearer token, and an SDK client using that token. */
    record Account(String email, String token, DbxClientV2 client) {

        String bearer() {
            return "Bearer " + token;
        }
    }

    private DropboxSdk() {}

    /** An SDK client for {@code token} against {@code base} ({@code http://127.0.0.1:port}). */
    static DbxClientV2 client(String base, String token) {
        DbxRequestConfig config = DbxRequestConfig.newBuilder("syncbox-it/1.0")
                .withHttpRequestor(new LocalRequestor(base))
                .build();
        return new DbxClientV2(config, token);
    }

    /** Registers a new user through {@code sync} and logs them in as device {@code device}. */
    static Account account(Api sync, String base, String name) {
        String email = "dbx-" + Ids.newId().toLowerCase() + "@example.test";
        assertThat(sync.postJson(
                                "/auth/register",
                                null,
                                Map.of("email", email, "password", "a long password", "name", name))
                        .status())
                .isEqualTo(201);
        Api.Response login = sync.postJson(
                "/auth/login", null, Map.of("email", email, "password", "a long password", "device_name", "sdk"));
        assertThat(login.status()).isEqualTo(200);
        String token = login.text("access_token");
        return new Account(email, token, client(base, token));
    }

    /**
     * The SDK's own requestor (HttpURLConnection), with every {@code https://<dropbox host>} replaced by {@code base}
     * and a read timeout long enough for {@code files/list_folder/longpoll} (up to 480 s plus Dropbox's jitter).
     */
    static final class LocalRequestor extends HttpRequestor {

        private final String base;
        private final HttpRequestor delegate = new StandardHttpRequestor(StandardHttpRequestor.Config.builder()
                .withReadTimeout(Duration.ofMinutes(10).toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
                .build());

        LocalRequestor(String base) {
            this.base = base;
        }

        private String local(String url) {
            return url.replaceFirst("^https://[^/]+", base);
        }

        @Override
        public Response doGet(String url, Iterable<Header> headers) throws IOException {
            return delegate.doGet(local(url), headers);
        }

        @Override
        public Uploader startPost(String url, Iterable<Header> headers) throws IOException {
            return delegate.startPost(local(url), headers);
        }

        @Override
        public Uploader startPut(String url, Iterable<Header> headers) throws IOException {
            return delegate.startPut(local(url), headers);
        }

        @Override
        public Uploader startPostInStreamingMode(String url, Iterable<Header> headers) throws IOException {
            return delegate.startPostInStreamingMode(local(url), headers);
        }
    }
}
