package dev.syncbox.sync.account;

import dev.syncbox.core.error.ErrorCode;
import dev.syncbox.core.error.SyncboxException;
import dev.syncbox.core.id.Ids;
import dev.syncbox.server.auth.TokenIssuer;
import dev.syncbox.server.config.SyncboxProperties;
import dev.syncbox.server.metadata.DeviceEntity;
import dev.syncbox.server.metadata.DeviceRepository;
import dev.syncbox.server.metadata.NamespaceEntity;
import dev.syncbox.server.metadata.NamespaceRepository;
import dev.syncbox.server.metadata.UserEntity;
import dev.syncbox.server.metadata.UserRepository;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Creates accounts with their root namespace, and signs devices in. */
@Service
class Accounts {

    record Session(String accessToken, String deviceId) {}

    private static final String DEFAULT_PLAN = "free";

    private final UserRepository users;
    private final NamespaceRepository namespaces;
    private final DeviceRepository devices;
    private final PasswordEncoder passwords;
    private final TokenIssuer tokens;
    private final SyncboxProperties properties;
    private final Clock clock;
    /** Checked when the email is unknown, so both login failures take a password hash's time. */
    private final String noSuchUserHash;

    Accounts(
            UserRepository users,
            NamespaceRepository namespaces,
            DeviceRepository devices,
            PasswordEncoder passwords,
            TokenIssuer tokens,
            SyncboxProperties properties,
            Clock clock) {
        this.users = users;
        this.namespaces = namespaces;
        this.devices = devices;
        this.passwords = passwords;
        this.tokens = tokens;
        this.properties = properties;
        this.clock = clock;
        this.noSuchUserHash = passwords.encode(Ids.newId());
    }

    @Transactional
    long register(String email, String password, String name) {
        String normalizedEmail = email.trim().toLowerCase(Locale.ROOT);
        if (users.existsByEmail(normalizedEmail)) {
            throw emailTaken();
        }
        Instant now = clock.instant();
        try {
            UserEntity user = users.save(new UserEntity(
                    normalizedEmail,
                    name.trim(),
                    passwords.encode(password),
                    DEFAULT_PLAN,
                    properties.quota().forPlan(DEFAULT_PLAN),
                    now));
            users.claimEmail(normalizedEmail, user.id());
            NamespaceEntity root = namespaces.save(new NamespaceEntity(user.id(), NamespaceEntity.ROOT, now));
            user.attachRootNamespace(root.id());
            users.save(user);
            return user.id();
        } catch (DataIntegrityViolationException e) {
            throw emailTaken();
        }
    }

    @Transactional
    Session login(String email, String password, String deviceName) {
        UserEntity user =
                users.findByEmail(email.trim().toLowerCase(Locale.ROOT)).orElse(null);
        String hash = user == null ? noSuchUserHash : user.passwordHash();
        if (!passwords.matches(password, hash) || user == null) {
            throw new SyncboxException(ErrorCode.INVALID_CREDENTIALS, "Wrong email or password");
        }
        DeviceEntity device =
                devices.save(new DeviceEntity(Ids.newId(), user.id(), deviceName.trim(), clock.instant()));
        return new Session(tokens.issue(user.id(), device.getId()), device.getId());
    }

    private static SyncboxException emailTaken() {
        return new SyncboxException(ErrorCode.EMAIL_TAKEN, "An account with this email exists");
    }
}
