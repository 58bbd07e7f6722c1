package dev.syncbox.server.dav;

import dev.syncbox.core.error.ErrorCode;
import dev.syncbox.core.error.SyncboxException;
import dev.syncbox.server.web.CurrentUser;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** The caller's account email: the user segment of Nextcloud's routes, which {@link DavPaths} checks. */
@Component
public class DavAccounts {

    private final JdbcTemplate jdbc;

    DavAccounts(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The email of the signed-in account; {@code unauthorized} if the account is gone. */
    public String email(CurrentUser user) {
        List<String> emails =
                jdbc.queryForList("SELECT email FROM users WHERE user_id = ?", String.class, user.userId());
        if (emails.isEmpty()) {
            throw new SyncboxException(ErrorCode.UNAUTHORIZED, "Unknown user");
        }
        return emails.get(0);
    }
}
