package dev.syncbox.server.jobs;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Makes a background job run on exactly one instance at a time (docs/architecture.md): a
 * PostgreSQL transaction-level advisory lock, released when the job's transaction ends, also when
 * its instance dies.
 */
@Component
public class JobLock {

    private final JdbcTemplate jdbc;

    JobLock(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Takes the lock named {@code job} for the current transaction; false if another holds it. */
    @Transactional(propagation = Propagation.MANDATORY)
    public boolean tryLock(String job) {
        return Boolean.TRUE.equals(
                jdbc.queryForObject("SELECT pg_try_advisory_xact_lock(hashtext(?))", Boolean.class, "syncbox." + job));
    }
}
