package dev.syncbox.server.dav;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.syncbox.core.error.ErrorCode;
import dev.syncbox.core.error.SyncboxException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

/** Request URIs to paths and paths to hrefs, checked against the JDK's own URI parsing on random names. */
class DavPathsTest {

    /** An encoded segment is a valid URI path segment that the JDK decodes back to the name. */
    @Property
    void anEncodedSegmentDecodesBackAsTheJdkReadsIt(@ForAll @StringLength(min = 1, max = 40) String name) {
        String wellFormed = new String(name.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
        String encoded = DavPaths.encode(wellFormed);

        assertThat(encoded).matches("[A-Za-z0-9\\-._~!$'()*,=:@%]*");
        assertThat(URI.create("/x/" + encoded).getPath()).isEqualTo("/x/" + wellFormed);
        assertThat(DavPaths.decode(encoded)).isEqualTo(wellFormed);
    }

    @Test
    void resolvesEachRouteToThePathInTheCallersTree() {
        assertThat(DavPaths.target("/remote.php/dav/files/alice%40example.com/a%20b/c.txt", "alice@example.com"))
                .isEqualTo(new DavPaths.Target("/remote.php/dav/files/alice%40example.com", "/a b/c.txt"));
        assertThat(DavPaths.target("/remote.php/dav/files/Alice@Example.com/", "alice@example.com"))
                .isEqualTo(new DavPaths.Target("/remote.php/dav/files/Alice@Example.com", "/"));
        assertThat(DavPaths.target("/remote.php/dav/files/alice@example.com", "alice@example.com")
                        .path())
                .isEqualTo("/");
        assertThat(DavPaths.target("/remote.php/webdav/docs/", "alice@example.com"))
                .isEqualTo(new DavPaths.Target("/remote.php/webdav", "/docs"));
        assertThat(DavPaths.target("/dav/%C3%A9t%C3%A9?x=1", "alice@example.com"))
                .isEqualTo(new DavPaths.Target("/dav", "/été"));
        assertThat(DavPaths.target("/dav", "alice@example.com").path()).isEqualTo("/");
    }

    @Test
    void anotherUsersSegmentIsNotFound() {
        assertThatThrownBy(() -> DavPaths.target("/remote.php/dav/files/bob@example.com/a", "alice@example.com"))
                .isInstanceOfSatisfying(
                        SyncboxException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
        assertThatThrownBy(() -> DavPaths.target("/davx/a", "alice@example.com"))
                .isInstanceOfSatisfying(
                        SyncboxException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
    }

    @Test
    void badEncodingsAndPathsAreInvalidPaths() {
        for (String uri : new String[] {"/dav/a%2", "/dav/a%zz", "/dav/%C3%28", "/dav/a/../b", "/dav/a//b"}) {
            assertThatThrownBy(() -> DavPaths.target(uri, "alice@example.com"))
                    .as(uri)
                    .isInstanceOfSatisfying(
                            SyncboxException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PATH));
        }
    }

    @Test
    void hrefsUseTheClientsPrefixAndMarkCollections() {
        assertThat(DavPaths.href("/remote.php/dav/files/a%40b.c", "/", true))
                .isEqualTo("/remote.php/dav/files/a%40b.c/");
        assertThat(DavPaths.href("/dav", "/a b/ü#?.txt", false)).isEqualTo("/dav/a%20b/%C3%BC%23%3F.txt");
        assertThat(DavPaths.href("/dav", "/folder", true)).isEqualTo("/dav/folder/");
    }

    @Test
    void destinationsAreUrlsOnThisHostOrPaths() {
        assertThat(DavPaths.destination("http://127.0.0.1:8080/dav/x%20y", "127.0.0.1:8080", "a@b.c"))
                .isEqualTo(new DavPaths.Target("/dav", "/x y"));
        assertThat(DavPaths.destination("/remote.php/webdav/z", "127.0.0.1:8080", "a@b.c")
                        .path())
                .isEqualTo("/z");
        for (String bad : new String[] {"http://elsewhere:8080/dav/x", "", "http://[bad"}) {
            assertThatThrownBy(() -> DavPaths.destination(bad, "127.0.0.1:8080", "a@b.c"))
                    .as(bad)
                    .isInstanceOfSatisfying(
                            SyncboxException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST));
        }
    }
}
