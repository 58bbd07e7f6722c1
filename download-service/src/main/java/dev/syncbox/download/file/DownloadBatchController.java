package dev.syncbox.download.file;

import dev.syncbox.core.error.ErrorCode;
import dev.syncbox.core.error.SyncboxException;
import dev.syncbox.server.content.BlockRegistry;
import dev.syncbox.server.content.ContentReader;
import dev.syncbox.server.content.ContentReader.BlockSpan;
import dev.syncbox.server.metadata.FileVersionEntity;
import dev.syncbox.server.metadata.FileVersionRepository;
import dev.syncbox.server.metrics.Latency;
import dev.syncbox.server.share.Sharing;
import dev.syncbox.server.web.CurrentUser;
import dev.syncbox.server.web.Problems;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code POST /files/download_batch}: the content of many files in one answer, for a client bringing down a folder
 * of small files, where one request each would cost more than the bytes. The body names up to {@value #MAX_ENTRIES}
 * files ({@code {"entries": [{"file_id", "version_id"}]}}, the current version when {@code version_id} is absent);
 * the answer is {@code multipart/mixed} with one part per entry, in order. A part is the content ({@code
 * application/octet-stream}) with {@code Content-Length}, {@code X-Syncbox-File-Id}, {@code X-Syncbox-Version-Id} and
 * {@code X-Syncbox-Checksum} (the content hash), or, for an entry that cannot be read, the problem a single download
 * would have answered ({@code application/problem+json}, 404 {@code not_found} alike for a file that does not exist
 * and one the caller may not read). Looked up in three queries whatever the number of entries; the blocks of all of
 * them are read from the store as one stream, with the download read-ahead.
 */
@RestController
class DownloadBatchController {

    static final int MAX_ENTRIES = 1_000;

    private static final byte[] CRLF = {'\r', '\n'};

    record Entry(@NotBlank String fileId, String versionId) {}

    record BatchBody(
            @NotNull @Size(min = 1, max = MAX_ENTRIES) List<@NotNull @Valid Entry> entries) {}

    /** One entry's answer: the version and its block layout, or why it cannot be read. */
    private record Outcome(FileVersionEntity version, List<BlockSpan> spans, SyncboxException problem) {}

    private final Sharing sharing;
    private final FileVersionRepository versions;
    private final BlockRegistry registry;
    private final ContentReader reader;
    private final JsonMapper json;

    DownloadBatchController(
            Sharing sharing,
            FileVersionRepository versions,
            BlockRegistry registry,
            ContentReader reader,
            JsonMapper json) {
        this.sharing = sharing;
        this.versions = versions;
        this.registry = registry;
        this.reader = reader;
        this.json = json;
    }

    @Latency("syncbox.download.latency")
    @PostMapping("/files/download_batch")
    void downloadBatch(CurrentUser user, @Valid @RequestBody BatchBody body, HttpServletResponse response)
            throws IOException {
        List<Outcome> outcomes = outcomes(user, body.entries());
        List<BlockSpan> all = new ArrayList<>();
        long total = 0;
        for (Outcome o : outcomes) {
            if (o.problem() == null) {
                for (BlockSpan span : o.spans()) {
                    all.add(new BlockSpan(span.blockId(), total + span.offset(), span.size()));
                }
                total += o.version().sizeBytes();
            }
        }
        String boundary = "syncbox-" + UUID.randomUUID();
        response.setContentType("multipart/mixed; boundary=" + boundary);
        OutputStream out = response.getOutputStream();
        try (InputStream content = reader.open(all, 0, total)) {
            for (int i = 0; i < outcomes.size(); i++) {
                Outcome o = outcomes.get(i);
                String fileId = body.entries().get(i).fileId();
                ascii(out, "--" + boundary + "\r\n");
                if (o.problem() == null) {
                    FileVersionEntity v = o.version();
                    ascii(
                            out,
                            "Content-Type: application/octet-stream\r\n"
                                    + "Content-Length: " + v.sizeBytes() + "\r\n"
                                    + "X-Syncbox-File-Id: " + fileId + "\r\n"
                                    + "X-Syncbox-Version-Id: " + v.getId() + "\r\n"
                                    + "X-Syncbox-Checksum: " + v.contentHash() + "\r\n\r\n");
                    copy(content, out, v.sizeBytes());
                } else {
                    byte[] problem = json.writeValueAsBytes(problem(o.problem()));
                    ascii(
                            out,
                            "Content-Type: application/problem+json\r\n"
                                    + "Content-Length: " + problem.length + "\r\n"
                                    + "X-Syncbox-File-Id: " + fileId + "\r\n\r\n");
                    out.write(problem);
                }
                out.write(CRLF);
            }
            ascii(out, "--" + boundary + "--\r\n");
        }
    }

    /** Each entry's version and layout, or its problem: the files, their versions and the block sizes, a query each. */
    private List<Outcome> outcomes(CurrentUser user, List<Entry> entries) {
        Map<String, Sharing.Visible> visible = sharing.findAll(
                user.userId(), entries.stream().map(Entry::fileId).toList());
        List<String> wanted = new ArrayList<>(entries.size());
        for (Entry e : entries) {
            Sharing.Visible v = visible.get(e.fileId());
            boolean readable = v != null && !v.file().isDeleted() && !v.file().isDir();
            wanted.add(
                    !readable
                            ? null
                            : e.versionId() == null || e.versionId().isBlank()
                                    ? v.file().currentVersionId()
                                    : e.versionId());
        }
        Map<String, FileVersionEntity> byId = new HashMap<>();
        for (FileVersionEntity v : versions.findByIdIn(
                wanted.stream().filter(Objects::nonNull).distinct().toList())) {
            byId.put(v.getId(), v);
        }
        Map<String, Integer> sizes = registry.sizes(byId.values().stream()
                .flatMap(v -> v.blockIds().stream())
                .distinct()
                .toList());
        List<Outcome> outcomes = new ArrayList<>(entries.size());
        for (int i = 0; i < entries.size(); i++) {
            String fileId = entries.get(i).fileId();
            FileVersionEntity version = wanted.get(i) == null ? null : byId.get(wanted.get(i));
            if (wanted.get(i) == null) {
                outcomes.add(new Outcome(null, null, Sharing.notFound(fileId)));
            } else if (version == null || !version.fileId().equals(fileId)) {
                outcomes.add(new Outcome(
                        null,
                        null,
                        new SyncboxException(ErrorCode.NOT_FOUND, "No version " + wanted.get(i) + " of " + fileId)));
            } else {
                outcomes.add(new Outcome(version, ContentReader.layout(version, sizes), null));
            }
        }
        return outcomes;
    }

    private static Map<String, Object> problem(SyncboxException e) {
        ProblemDetail detail = Problems.of(e);
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", detail.getType().toString());
        problem.put("title", detail.getTitle());
        problem.put("status", detail.getStatus());
        problem.put("detail", detail.getDetail());
        if (detail.getProperties() != null) {
            problem.putAll(detail.getProperties());
        }
        return problem;
    }

    private static void ascii(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.US_ASCII));
    }

    /** Exactly {@code length} bytes of {@code in}; content that ends early breaks the answer off. */
    private static void copy(InputStream in, OutputStream out, long length) throws IOException {
        byte[] buffer = new byte[(int) Math.min(64 * 1024, Math.max(1, length))];
        for (long left = length; left > 0; ) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (n < 0) {
                throw new IOException("the stored blocks ended " + left + " bytes early");
            }
            out.write(buffer, 0, n);
            left -= n;
        }
    }
}
