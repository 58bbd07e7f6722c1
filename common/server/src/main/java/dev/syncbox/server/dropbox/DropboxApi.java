package dev.syncbox.server.dropbox;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.web.bind.annotation.RestController;

/**
 * A controller of Dropbox API v2 routes: its errors leave as Dropbox sends them ({@link DropboxAdvice}), not as
 * problem details.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@RestController
public @interface DropboxApi {}
