package dev.syncbox.sync.metadata;

import dev.syncbox.server.web.CurrentUser;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

@RestController
class MetadataController {

    private final MetadataQueries queries;

    MetadataController(MetadataQueries queries) {
        this.queries = queries;
    }

    @GetMapping("/files/{fileId}/metadata")
    FileMetadata metadata(CurrentUser user, @PathVariable String fileId) {
        return queries.metadata(user, fileId);
    }
}
