package dev.syncbox.server.dav;

import jakarta.servlet.ServletResponse;
import jakarta.servlet.ServletResponseWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.lang.reflect.Field;

/**
 * The exact {@code Content-Type} of a WebDAV XML answer. Nextcloud's desktop client (3.7) takes a {@code PROPFIND}
 * answer as XML only when its type reads, to the byte, {@code application/xml; charset=utf-8} (with the space) or
 * one of three other spellings; anything else and it stops syncing. Tomcat parses every type it is given and writes
 * it back as {@code application/xml;charset=utf-8}, without the space. So the type is set on Tomcat's own
 * (coyote) response, which sends a type without a separate charset verbatim. Under another servlet container the
 * standard call is made, and that container's spelling stands.
 */
public final class DavResponses {

    /** The type Nextcloud's client accepts as written. */
    public static final String XML = "application/xml; charset=utf-8";

    private static final Field FACADE_RESPONSE = facadeField();

    private DavResponses() {}

    /** Sets {@link #XML} as the answer's type, exactly. Write the body through {@code getOutputStream()}. */
    public static void xml(HttpServletResponse response) {
        ServletResponse inner = response;
        while (inner instanceof ServletResponseWrapper wrapper) {
            inner = wrapper.getResponse();
        }
        if (FACADE_RESPONSE != null && FACADE_RESPONSE.getDeclaringClass().isInstance(inner)) {
            try {
                org.apache.catalina.connector.Response tomcat =
                        (org.apache.catalina.connector.Response) FACADE_RESPONSE.get(inner);
                tomcat.getCoyoteResponse().setContentTypeNoCharset(XML);
                return;
            } catch (IllegalAccessException | ClassCastException e) {
                // fall through to the standard call
            }
        }
        response.setContentType(XML);
    }

    private static Field facadeField() {
        try {
            Field field = Class.forName("org.apache.catalina.connector.ResponseFacade")
                    .getDeclaredField("response");
            field.setAccessible(true);
            return field;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return null;
        }
    }
}
