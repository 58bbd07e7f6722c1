package dev.syncbox.sync.search;

import dev.syncbox.server.web.CurrentUser;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
class SearchController {

    private final FileSearch search;

    SearchController(FileSearch search) {
        this.search = search;
    }

    @GetMapping("/files/search")
    FileSearch.Page search(
            CurrentUser user,
            @RequestParam(name = "q", required = false) String q,
            @RequestParam(name = "path", required = false) String path,
            @RequestParam(name = "type", required = false) String type,
            @RequestParam(name = "modified_after", required = false) String modifiedAfter,
            @RequestParam(name = "limit", required = false) String limit,
            @RequestParam(name = "cursor", required = false) String cursor) {
        return search.search(user, new FileSearch.Request(q, path, type, modifiedAfter, limit, cursor));
    }
}
