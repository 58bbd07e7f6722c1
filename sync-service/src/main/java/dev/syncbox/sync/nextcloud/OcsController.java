package dev.syncbox.sync.nextcloud;

import dev.syncbox.core.error.ErrorCode;
import dev.syncbox.core.error.SyncboxException;
import dev.syncbox.server.metadata.UserEntity;
import dev.syncbox.server.metadata.UserRepository;
import dev.syncbox.server.web.CurrentUser;
import jakarta.servlet.http.HttpServletRequest;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/**
 * The OCS routes Nextcloud's clients call: the capabilities (before signing in, as at Nextcloud) and the signed-in
 * user, whose {@code id} the clients put in every WebDAV path ({@code /remote.php/dav/files/{id}/}) — syncbox's
 * account email, as pinned for those paths. Errors here are syncbox's problem details: the clients only tell an
 * answer that is not a 200 from one that is.
 */
@RestController
class OcsController {

    private final UserRepository users;
    private final JsonMapper json;

    OcsController(UserRepository users, JsonMapper json) {
        this.users = users;
        this.json = json;
    }

    @GetMapping({"/ocs/v1.php/cloud/capabilities", "/ocs/v2.php/cloud/capabilities"})
    ResponseEntity<byte[]> capabilities(HttpServletRequest request) {
        return Ocs.ok(request, NextcloudCapabilities.describe(), json);
    }

    @GetMapping({"/ocs/v1.php/cloud/user", "/ocs/v2.php/cloud/user"})
    ResponseEntity<byte[]> user(CurrentUser caller, HttpServletRequest request) {
        UserEntity account = users.findById(caller.userId())
                .orElseThrow(() -> new SyncboxException(ErrorCode.UNAUTHORIZED, "Unknown user"));
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("id", account.email());
        data.put("enabled", true);
        data.put("display-name", account.name() == null ? account.email() : account.name());
        data.put("email", account.email());
        data.put("quota", quota(account.usedSpaceBytes(), account.maxSpaceBytes()));
        return Ocs.ok(request, data, json);
    }

    /**
     * Nextcloud's quota object: {@code total} is what is used plus what is free, {@code relative} the percentage
     * used with two decimals, {@code quota} the limit itself.
     */
    static Map<String, Object> quota(long used, long limit) {
        long free = Math.max(0, limit - used);
        long total = used + free;
        Map<String, Object> quota = new LinkedHashMap<>();
        quota.put("free", free);
        quota.put("used", used);
        quota.put("total", total);
        quota.put(
                "relative",
                total == 0
                        ? 0.0
                        : BigDecimal.valueOf(used * 100.0 / total)
                                .setScale(2, RoundingMode.HALF_UP)
                                .doubleValue());
        quota.put("quota", limit);
        return quota;
    }
}
