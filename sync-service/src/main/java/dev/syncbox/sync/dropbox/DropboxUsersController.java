package dev.syncbox.sync.dropbox;

import dev.syncbox.core.error.ErrorCode;
import dev.syncbox.core.error.SyncboxException;
import dev.syncbox.server.dropbox.DropboxApi;
import dev.syncbox.server.dropbox.DropboxApiException;
import dev.syncbox.server.dropbox.DropboxArgs;
import dev.syncbox.server.dropbox.DropboxErrors;
import dev.syncbox.server.dropbox.DropboxWire;
import dev.syncbox.server.metadata.UserEntity;
import dev.syncbox.server.metadata.UserRepository;
import dev.syncbox.server.web.CurrentUser;
import jakarta.servlet.http.HttpServletRequest;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import tools.jackson.databind.json.JsonMapper;

/**
 * Dropbox's {@code users/get_current_account}, {@code users/get_account}, {@code users/get_space_usage} and {@code
 * check/user}, from syncbox's users table.
 */
@DropboxApi
class DropboxUsersController {

    private final UserRepository users;
    private final JdbcTemplate jdbc;
    private final JsonMapper json;

    DropboxUsersController(UserRepository users, JdbcTemplate jdbc, JsonMapper json) {
        this.users = users;
        this.jdbc = jdbc;
        this.json = json;
    }

    /** FullAccount. syncbox verifies no email addresses and has no teams, pairing or referrals. */
    @PostMapping("/2/users/get_current_account")
    Map<String, Object> currentAccount(
            CurrentUser user, @RequestBody(required = false) byte[] body, HttpServletRequest request) {
        DropboxArgs.body(json, body);
        UserEntity account = self(user);
        Map<String, Object> full = basics(account);
        full.put("locale", "en");
        full.put("referral_link", DropboxGateway.base(request) + "/");
        full.put("is_paired", false);
        full.put("account_type", DropboxErrors.tag("basic"));
        Map<String, Object> root = DropboxErrors.tag("user");
        root.put("root_namespace_id", Long.toString(account.rootNamespaceId()));
        root.put("home_namespace_id", Long.toString(account.rootNamespaceId()));
        full.put("root_info", root);
        return full;
    }

    /**
     * BasicAccount of the caller or of someone they share with (either way); any other id is {@code no_account}, so
     * that account ids, which are sequential, cannot be walked to collect addresses.
     */
    @PostMapping("/2/users/get_account")
    Map<String, Object> account(CurrentUser user, @RequestBody(required = false) byte[] body) {
        String accountId = DropboxArgs.body(json, body).string("account_id");
        if (accountId.length() != 40) {
            throw DropboxApiException.badInput(
                    "Error in the body: 'account_id' must be 40 characters long, not " + accountId.length());
        }
        Long other = DropboxWire.userId(accountId);
        boolean visible = other != null
                && (other == user.userId()
                        || Boolean.TRUE.equals(jdbc.queryForObject(
                                "SELECT EXISTS (SELECT 1 FROM shared_items WHERE (owner_id = ? AND shared_with_user_id"
                                        + " = ?) OR (owner_id = ? AND shared_with_user_id = ?))",
                                Boolean.class,
                                user.userId(),
                                other,
                                other,
                                user.userId())));
        UserEntity account = visible ? users.findById(other.longValue()).orElse(null) : null;
        if (account == null) {
            throw DropboxApiException.route(DropboxErrors.tag("no_account"));
        }
        Map<String, Object> basic = basics(account);
        basic.put("is_teammate", false);
        return basic;
    }

    /** SpaceUsage: what the caller's files take, of their quota. */
    @PostMapping("/2/users/get_space_usage")
    Map<String, Object> spaceUsage(CurrentUser user, @RequestBody(required = false) byte[] body) {
        DropboxArgs.body(json, body);
        UserEntity account = self(user);
        Map<String, Object> allocation = DropboxErrors.tag("individual");
        allocation.put("allocated", account.maxSpaceBytes());
        Map<String, Object> usage = new LinkedHashMap<>();
        usage.put("used", account.usedSpaceBytes());
        usage.put("allocation", allocation);
        return usage;
    }

    /** Echoes {@code query}: the token works. */
    @PostMapping("/2/check/user")
    Map<String, Object> check(CurrentUser user, @RequestBody(required = false) byte[] body) {
        DropboxArgs args = DropboxArgs.body(json, body);
        String query = args.has("query") ? args.string("query") : "";
        return Map.of("result", query);
    }

    private UserEntity self(CurrentUser user) {
        return users.findById(user.userId())
                .orElseThrow(() -> new SyncboxException(ErrorCode.UNAUTHORIZED, "Unknown user"));
    }

    /** The fields Account's every form shares. */
    private static Map<String, Object> basics(UserEntity account) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("account_id", DropboxWire.accountId(account.id()));
        out.put("name", name(account.name() == null ? "" : account.name().strip()));
        out.put("email", account.email());
        out.put("email_verified", false);
        out.put("disabled", false);
        return out;
    }

    /** Name: the first word is the given name, the rest the surname. */
    static Map<String, Object> name(String display) {
        int space = display.indexOf(' ');
        String given = space < 0 ? display : display.substring(0, space);
        String surname = space < 0 ? "" : display.substring(space + 1).strip();
        StringBuilder initials = new StringBuilder();
        for (String word : display.split("\\s+")) {
            if (!word.isEmpty()) {
                initials.appendCodePoint(word.codePointAt(0));
            }
        }
        Map<String, Object> name = new LinkedHashMap<>();
        name.put("given_name", given);
        name.put("surname", surname);
        name.put("familiar_name", given);
        name.put("display_name", display);
        name.put("abbreviated_name", initials.toString().toUpperCase(Locale.ROOT));
        return name;
    }
}
