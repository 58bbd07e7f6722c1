package dev.syncbox.upload.commit;

import dev.syncbox.conflict.engine.commit.BatchCommitter;
import dev.syncbox.conflict.engine.commit.CommitRequest;
import dev.syncbox.core.error.ErrorCode;
import dev.syncbox.core.error.SyncboxException;
import dev.syncbox.server.content.BlockAccess;
import dev.syncbox.server.content.BlockRegistry;
import dev.syncbox.server.dav.DavLocks;
import dev.syncbox.server.share.Sharing;
import dev.syncbox.server.web.CurrentUser;
import dev.syncbox.server.web.Problems;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

/**
 * {@code POST /files/commit_batch}: many {@code /files/commit} bodies in one request, as Dropbox's
 * {@code upload_session/finish_batch}. Each entry is answered in place with what {@code /files/commit}
 * would have answered for it; a failing entry does not stop the others. The blocks of all entries are
 * checked in two queries, the commits go through the {@link BatchCommitter} (docs/uploads.md).
 */
@Service
class BatchCommits {

    static final int MAX_ENTRIES = 1000;

    private final FileCommits commits;
    private final BlockAccess access;
    private final BlockRegistry registry;
    private final BatchCommitter committer;
    private final Validator validator;
    private final Sharing sharing;
    private final DavLocks locks;
    private final JdbcTemplate jdbc;

    BatchCommits(
            FileCommits commits,
            BlockAccess access,
            BlockRegistry registry,
            BatchCommitter committer,
            Validator validator,
            Sharing sharing,
            DavLocks locks,
            JdbcTemplate jdbc) {
        this.sharing = sharing;
        this.locks = locks;
        this.jdbc = jdbc;
        this.commits = commits;
        this.access = access;
        this.registry = registry;
        this.committer = committer;
        this.validator = validator;
    }

    /** The answers in the entries' order: {@link CommitController.CommitResponse}s and problem details. */
    List<Object> commit(CurrentUser user, List<CommitController.CommitBody> bodies) {
        Object[] answers = new Object[bodies.size()];
        List<FileCommits.Parsed> parsed = new ArrayList<>();
        List<Integer> parsedAt = new ArrayList<>();
        Function<String, Sharing.Location> locator = sharing.writeLocator(user.userId());
        for (int i = 0; i < bodies.size(); i++) {
            try {
                parsed.add(commits.parse(user, valid(bodies.get(i)), locator));
                parsedAt.add(i);
            } catch (SyncboxException e) {
                answers[i] = Problems.of(e);
            }
        }
        Set<String> blocks = new LinkedHashSet<>();
        parsed.forEach(p -> blocks.addAll(p.body().blocks()));
        Set<String> permitted = access.permitted(user.userId(), blocks);
        Map<String, Integer> stored = registry.sizes(blocks);

        List<CommitRequest> requests = new ArrayList<>();
        List<Sharing.Location> locations = new ArrayList<>();
        List<Integer> requestedAt = new ArrayList<>();
        Set<Long> locked = lockedNamespaces(parsed);
        for (int k = 0; k < parsed.size(); k++) {
            try {
                Sharing.Location location = parsed.get(k).location();
                if (locked.contains(location.namespaceId())) {
                    locks.requireNotLockedByOthers(
                            user.userId(), location.namespaceId(), location.path(), false, false);
                }
                requests.add(commits.request(user, parsed.get(k), commits.content(parsed.get(k), permitted, stored)));
                locations.add(parsed.get(k).location());
                requestedAt.add(parsedAt.get(k));
            } catch (SyncboxException e) {
                answers[parsedAt.get(k)] = Problems.of(e);
            }
        }
        List<BatchCommitter.Outcome> outcomes = committer.commit(requests, locations);
        for (int k = 0; k < outcomes.size(); k++) {
            BatchCommitter.Outcome outcome = outcomes.get(k);
            answers[requestedAt.get(k)] = outcome instanceof BatchCommitter.Success s
                    ? CommitController.CommitResponse.of(s.committed())
                    : Problems.of(((BatchCommitter.Failure) outcome).problem());
        }
        return List.of(answers);
    }

    /**
     * The namespaces among the entries' that hold a live WebDAV lock, in one query: only their entries are checked
     * against the locks (another user's lock on the file or above it refuses the entry with {@code locked}).
     */
    private Set<Long> lockedNamespaces(List<FileCommits.Parsed> parsed) {
        Long[] namespaces =
                parsed.stream().map(p -> p.location().namespaceId()).distinct().toArray(Long[]::new);
        if (namespaces.length == 0) {
            return Set.of();
        }
        return Set.copyOf(jdbc.queryForList(
                "SELECT DISTINCT namespace_id FROM dav_locks WHERE namespace_id = ANY(?) AND expires_at > now()",
                Long.class,
                (Object) namespaces));
    }

    /** An entry as {@code @Valid} would check a {@code /files/commit} body: a 400 problem otherwise. */
    private CommitController.CommitBody valid(CommitController.CommitBody body) {
        if (body == null) {
            throw new SyncboxException(ErrorCode.INVALID_REQUEST, "An entry must be a commit body, not null");
        }
        Set<ConstraintViolation<CommitController.CommitBody>> violations = validator.validate(body);
        if (!violations.isEmpty()) {
            throw new SyncboxException(
                    ErrorCode.INVALID_REQUEST,
                    violations.stream()
                            .sorted(Comparator.comparing(
                                    v -> v.getPropertyPath().toString()))
                            .map(v -> snakeCase(v.getPropertyPath().toString()) + ": " + v.getMessage())
                            .collect(Collectors.joining("; ")));
        }
        return body;
    }

    private static String snakeCase(String property) {
        return property.replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
    }
}
