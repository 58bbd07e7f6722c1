package dev.syncbox.server.files;

import dev.syncbox.core.id.Ids;
import dev.syncbox.server.content.BlockRegistry;
import dev.syncbox.server.content.StoredContent;
import dev.syncbox.server.journal.Journal;
import dev.syncbox.server.journal.JournalEntry;
import dev.syncbox.server.journal.Operation;
import dev.syncbox.server.metadata.FileEntity;
import dev.syncbox.server.metadata.FileRepository;
import dev.syncbox.server.metadata.FileVersionEntity;
import dev.syncbox.server.metadata.FileVersionRepository;
import java.time.Instant;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/** The steps every commit shares: a version row with its block references, then making it current. */
@Component
public class VersionAppender {

    private final FileRepository files;
    private final FileVersionRepository versions;
    private final BlockRegistry blocks;
    private final Journal journal;
    private final ApplicationEventPublisher events;

    VersionAppender(
            FileRepository files,
            FileVersionRepository versions,
            BlockRegistry blocks,
            Journal journal,
            ApplicationEventPublisher events) {
        this.files = files;
        this.versions = versions;
        this.blocks = blocks;
        this.journal = journal;
        this.events = events;
    }

    /** A version of {@code file} holding {@code content}, not saved yet (the caller may flag it). */
    public FileVersionEntity prepare(
            FileEntity file, String parentVersionId, String deviceId, StoredContent content, Instant now) {
        return new FileVersionEntity(
                Ids.newId(),
                file.getId(),
                file.namespaceId(),
                deviceId,
                parentVersionId,
                content.contentHash(),
                content.size(),
                content.blockIds(),
                content.hashWindows(),
                now);
    }

    /** Saves a version and counts its references to its blocks ({@code missing_blocks} if one is gone). */
    @Transactional(propagation = Propagation.MANDATORY)
    public FileVersionEntity save(FileVersionEntity version) {
        FileVersionEntity saved = versions.save(version);
        blocks.reference(saved.blockIds());
        return saved;
    }

    /** Makes a saved version the file's current one, journals the change and announces it. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void advance(FileEntity file, FileVersionEntity version, Operation operation, String deviceId, Instant now) {
        file.advanceTo(version, now);
        files.save(file);
        journal.append(
                file.namespaceId(),
                new JournalEntry(
                        file.getId(),
                        operation,
                        file.path(),
                        null,
                        version.getId(),
                        version.sizeBytes(),
                        version.contentHash(),
                        false,
                        deviceId,
                        now));
        events.publishEvent(new FileCommitted(file.namespaceId(), file.getId(), version.getId()));
    }
}
