package dev.syncbox.sync.nextcloud;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /status.php}: the first thing a Nextcloud client asks of a server URL, without credentials. A client
 * that does not get {@code installed: true} and {@code maintenance: false} stops there; {@code version} decides which
 * of its features it uses ({@link NextcloudServer}). syncbox has no install step and no maintenance mode (a service
 * that cannot reach PostgreSQL fails its readiness check and leaves the gateway's rotation), so both are constant.
 */
@RestController
class NextcloudStatusController {

    @GetMapping(value = "/status.php", produces = MediaType.APPLICATION_JSON_VALUE)
    Map<String, Object> status() {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("installed", true);
        status.put("maintenance", false);
        status.put("needsDbUpgrade", false);
        status.put("version", NextcloudServer.VERSION);
        status.put("versionstring", NextcloudServer.VERSION_STRING);
        status.put("edition", "");
        status.put("productname", NextcloudServer.PRODUCT_NAME);
        status.put("extendedSupport", false);
        return status;
    }
}
