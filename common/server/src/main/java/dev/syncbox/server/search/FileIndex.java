package dev.syncbox.server.search;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.FieldValue;
import co.elastic.clients.elasticsearch._types.SortOrder;
import co.elastic.clients.elasticsearch._types.query_dsl.Operator;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import co.elastic.clients.elasticsearch.core.BulkRequest;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.elasticsearch.core.MgetResponse;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.bulk.BulkResponseItem;
import co.elastic.clients.elasticsearch.core.mget.MultiGetResponseItem;
import co.elastic.clients.elasticsearch.core.search.HighlighterEncoder;
import co.elastic.clients.elasticsearch.core.search.Hit;
import co.elastic.clients.elasticsearch.indices.GetAliasResponse;
import co.elastic.clients.json.JsonData;
import dev.syncbox.core.search.IndexTerms;
import dev.syncbox.server.metadata.PathKeys;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * The files index (docs/search.md), always read and written through its alias: a mapping change is a new index built
 * beside the old one and the alias moved to it in one step.
 */
@Component
@ConditionalOnProperty("syncbox.search.url")
public class FileIndex {

    /** The name every reader and writer uses. */
    public static final String ALIAS = "syncbox-files";

    /** The mapping and analyzers this code writes and queries; raised with every change to {@code files-v*.json}. */
    public static final int MAPPING_VERSION = 1;

    private static final String MAPPING = "/search/files-v" + MAPPING_VERSION + ".json";
    private static final String PREFIX = ALIAS + "-v";
    private static final float NAME = 100;
    private static final float PATH = 10;
    private static final float CONTENT = 1;

    private final ElasticsearchClient client;

    FileIndex(ElasticsearchClient client) {
        this.client = client;
    }

    /** The index behind the alias and the mapping version it was made with, if the alias exists. */
    public Optional<Current> current() {
        return call("read the alias", () -> {
            if (!client.indices().existsAlias(a -> a.name(ALIAS)).value()) {
                return Optional.empty();
            }
            GetAliasResponse alias = client.indices().getAlias(a -> a.name(ALIAS));
            String index = alias.result().keySet().iterator().next();
            var mapping =
                    client.indices().getMapping(m -> m.index(index)).result().get(index);
            Map<String, JsonData> meta = mapping == null || mapping.mappings().meta() == null
                    ? Map.of()
                    : mapping.mappings().meta();
            int version = meta.containsKey("mapping_version")
                    ? meta.get("mapping_version").to(Integer.class)
                    : 0;
            return Optional.of(new Current(index, version));
        });
    }

    /** The index behind the alias, and the version of the mapping it was created with. */
    public record Current(String index, int mappingVersion) {}

    /** Creates a new, empty index with this code's mapping, not yet behind the alias; returns its name. */
    public String create(int replicas) {
        String index = PREFIX + MAPPING_VERSION + "-" + System.currentTimeMillis();
        call("create " + index, () -> {
            try (InputStream mapping = FileIndex.class.getResourceAsStream(MAPPING)) {
                client.indices().create(c -> c.index(index).withJson(mapping));
            }
            client.indices()
                    .putSettings(s -> s.index(index).settings(t -> t.numberOfReplicas(String.valueOf(replicas))));
            return null;
        });
        return index;
    }

    /** Moves the alias to {@code index} in one step and deletes the indexes it leaves. */
    public void promote(String index) {
        call("move the alias to " + index, () -> {
            List<String> old = new ArrayList<>();
            if (client.indices().existsAlias(a -> a.name(ALIAS)).value()) {
                old.addAll(
                        client.indices().getAlias(a -> a.name(ALIAS)).result().keySet());
            }
            old.remove(index);
            client.indices().updateAliases(u -> {
                u.actions(a -> a.add(add -> add.index(index).alias(ALIAS)));
                for (String each : old) {
                    u.actions(a -> a.remove(remove -> remove.index(each).alias(ALIAS)));
                }
                return u;
            });
            for (String each : old) {
                client.indices().delete(d -> d.index(each));
            }
            return null;
        });
    }

    /** Deletes an index that never got the alias (a rebuild that failed). */
    public void drop(String index) {
        call(
                "delete " + index,
                () -> client.indices().delete(d -> d.index(index).ignoreUnavailable(true)));
    }

    /** Writes documents and deletes ids in one bulk request to {@code target} (an index, or the alias). */
    public void write(String target, List<FileDocument> documents, List<String> deletes) {
        if (documents.isEmpty() && deletes.isEmpty()) {
            return;
        }
        // Through the alias, never a write that makes an index of that name (with a guessed mapping) when it is gone.
        BulkRequest.Builder bulk = new BulkRequest.Builder().index(target).requireAlias(ALIAS.equals(target));
        for (FileDocument document : documents) {
            bulk.operations(op -> op.index(i -> i.id(document.fileId()).document(source(document))));
        }
        for (String id : deletes) {
            bulk.operations(op -> op.delete(d -> d.id(id)));
        }
        BulkResponse response = call("write " + target, () -> client.bulk(bulk.build()));
        if (response.errors()) {
            for (BulkResponseItem item : response.items()) {
                if (item.error() != null) {
                    throw new SearchIndexException("Elasticsearch refused " + item.id() + ": "
                            + item.error().reason());
                }
            }
        }
    }

    /** Makes what was written searchable now, rather than at the next periodic refresh. */
    public void refresh(String target) {
        call("refresh " + target, () -> client.indices().refresh(r -> r.index(target)));
    }

    /** The text content held for these ids with the content hash it was extracted from, for those that have any. */
    public Map<String, Extracted> contents(String target, List<String> ids) {
        if (ids.isEmpty()) {
            return Map.of();
        }
        @SuppressWarnings({"unchecked", "rawtypes"})
        MgetResponse<Map> response = call(
                "read contents",
                () -> client.mget(
                        m -> m.index(target).ids(ids).sourceIncludes(List.of("content_hash", "content")), Map.class));
        Map<String, Extracted> contents = new HashMap<>();
        for (@SuppressWarnings("rawtypes") MultiGetResponseItem<Map> item : response.docs()) {
            if (item.isResult() && item.result().found() && item.result().source() != null) {
                Object hash = item.result().source().get("content_hash");
                Object content = item.result().source().get("content");
                if (hash != null && content != null) {
                    contents.put(item.result().id(), new Extracted((String) hash, (String) content));
                }
            }
        }
        return contents;
    }

    /** Text extracted from the content with this hash. */
    public record Extracted(String contentHash, String content) {}

    /** The ids of every entry of a namespace under the folder with this key (not the folder itself). */
    public List<String> idsUnder(String target, long namespaceId, String folderKey) {
        Query query = Query.of(q ->
                q.bool(b -> b.filter(f -> f.term(t -> t.field("namespace_id").value(namespaceId)))
                        .filter(f -> f.term(t -> t.field("folders").value(folderKey)))));
        return ids(target, query);
    }

    /** The ids of every entry of a namespace. */
    public List<String> idsIn(String target, long namespaceId) {
        return ids(target, Query.of(q -> q.term(t -> t.field("namespace_id").value(namespaceId))));
    }

    private List<String> ids(String target, Query query) {
        List<String> ids = new ArrayList<>();
        String after = null;
        while (true) {
            String from = after;
            @SuppressWarnings("rawtypes")
            SearchResponse<Map> page = call(
                    "list ids",
                    () -> client.search(
                            s -> {
                                s.index(target)
                                        .query(query)
                                        .size(1000)
                                        .source(src -> src.fetch(false))
                                        .sort(o ->
                                                o.field(f -> f.field("file_id").order(SortOrder.Asc)));
                                if (from != null) {
                                    s.searchAfter(FieldValue.of(from));
                                }
                                return s;
                            },
                            Map.class));
            page.hits().hits().forEach(hit -> ids.add(hit.id()));
            if (page.hits().hits().size() < 1000) {
                return ids;
            }
            after = ids.get(ids.size() - 1);
        }
    }

    /** One page of matches, best first: a name match over a path match over a content match, then newest. */
    public FileQuery.Hits search(FileQuery query) {
        String words = String.join(" ", IndexTerms.queryWords(query.text()));
        List<Query> matches = new ArrayList<>();
        if (!words.isEmpty()) {
            matches.add(Query.of(q -> q.constantScore(c -> c.boost(NAME)
                    .filter(f -> f.matchBoolPrefix(m -> m.field("name_words")
                            .query(words)
                            .operator(Operator.And)
                            .analyzer("whitespace"))))));
            matches.add(Query.of(q -> q.constantScore(c -> c.boost(PATH)
                    .filter(f -> f.match(m -> m.field("path_words")
                            .query(words)
                            .operator(Operator.And)
                            .analyzer("whitespace"))))));
        }
        Query content = query.phrase()
                ? Query.of(q -> q.matchPhrase(m -> m.field("content").query(query.text())))
                : Query.of(
                        q -> q.match(m -> m.field("content").query(query.text()).operator(Operator.And)));
        matches.add(Query.of(q -> q.constantScore(c -> c.boost(CONTENT).filter(content))));

        List<Query> filters = new ArrayList<>();
        filters.add(Query.of(q -> q.bool(b ->
                b.should(query.access().stream().map(FileIndex::scope).toList()).minimumShouldMatch("1"))));
        if (query.within() != null) {
            filters.add(scope(query.within()));
        }
        if (query.type() != null) {
            String type = query.type().toLowerCase(Locale.ROOT);
            filters.add(Query.of(q ->
                    q.bool(b -> b.should(s -> s.term(t -> t.field("extension").value(type)))
                            .should(s -> s.term(t -> t.field("category").value(type)))
                            .minimumShouldMatch("1"))));
        }
        if (query.modifiedAfter() != null) {
            long after = query.modifiedAfter().toEpochMilli();
            filters.add(Query.of(q ->
                    q.range(r -> r.untyped(d -> d.field("modified_at").gt(JsonData.of(after))))));
        }
        Query whole = Query.of(
                q -> q.bool(b -> b.should(matches).minimumShouldMatch("1").filter(filters)));

        @SuppressWarnings("rawtypes")
        SearchResponse<Map> response = call(
                "search",
                () -> client.search(
                        s -> {
                            s.index(ALIAS)
                                    .query(whole)
                                    .size(query.limit() + 1)
                                    .trackScores(true)
                                    .trackTotalHits(t -> t.enabled(false))
                                    .source(src -> src.filter(f -> f.includes("namespace_id")))
                                    .sort(o -> o.score(sc -> sc.order(SortOrder.Desc)))
                                    .sort(o ->
                                            o.field(f -> f.field("modified_at").order(SortOrder.Desc)))
                                    .sort(o -> o.field(f -> f.field("file_id").order(SortOrder.Asc)))
                                    .highlight(h -> h.encoder(HighlighterEncoder.Html)
                                            .preTags("<mark>")
                                            .postTags("</mark>")
                                            .fields(
                                                    "content",
                                                    f -> f.fragmentSize(160)
                                                            .numberOfFragments(1)
                                                            .highlightQuery(content)));
                            if (query.after() != null) {
                                s.searchAfter(
                                        FieldValue.of(query.after().score()),
                                        FieldValue.of(query.after().modifiedAt()),
                                        FieldValue.of(query.after().fileId()));
                            }
                            return s;
                        },
                        Map.class));
        List<FileQuery.Hit> hits = new ArrayList<>();
        for (@SuppressWarnings("rawtypes") Hit<Map> hit : response.hits().hits()) {
            List<FieldValue> sort = hit.sort();
            List<String> fragments = hit.highlight().get("content");
            hits.add(new FileQuery.Hit(
                    hit.id(),
                    ((Number) hit.source().get("namespace_id")).longValue(),
                    fragments == null || fragments.isEmpty() ? null : fragments.get(0),
                    new FileQuery.After(
                            sort.get(0).doubleValue(),
                            sort.get(1).longValue(),
                            sort.get(2).stringValue())));
        }
        boolean more = hits.size() > query.limit();
        return new FileQuery.Hits(more ? hits.subList(0, query.limit()) : hits, more);
    }

    /** Whether the cluster answers, and its status ({@code green}, {@code yellow}, {@code red}). */
    public String health() {
        return call(
                "read cluster health", () -> client.cluster().health().status().jsonValue());
    }

    private static Query scope(FileQuery.Scope scope) {
        Query namespace = Query.of(q -> q.term(t -> t.field("namespace_id").value(scope.namespaceId())));
        if (scope.fileId() == null && scope.folderKey() == null) {
            return namespace;
        }
        List<Query> entries = new ArrayList<>();
        if (scope.fileId() != null) {
            entries.add(Query.of(q -> q.term(t -> t.field("file_id").value(scope.fileId()))));
        }
        if (scope.folderKey() != null) {
            entries.add(Query.of(q -> q.term(t -> t.field("folders").value(scope.folderKey()))));
        }
        return Query.of(q -> q.bool(b -> b.filter(namespace).should(entries).minimumShouldMatch("1")));
    }

    static Map<String, Object> source(FileDocument document) {
        String name = IndexTerms.name(document.path());
        String extension = document.dir() ? "" : IndexTerms.extension(name);
        Map<String, Object> source = new LinkedHashMap<>();
        source.put("file_id", document.fileId());
        source.put("namespace_id", document.namespaceId());
        source.put("owner_id", document.ownerId());
        source.put("path", document.path());
        source.put("name", name);
        source.put("name_words", String.join(" ", IndexTerms.words(name)));
        source.put("path_words", String.join(" ", IndexTerms.words(IndexTerms.parent(document.path()))));
        source.put("folders", IndexTerms.folders(PathKeys.of(document.path())));
        source.put("extension", extension);
        source.put("category", IndexTerms.category(extension, document.dir()));
        source.put("is_dir", document.dir());
        source.put("size", document.size());
        source.put("modified_at", document.modifiedAt().toEpochMilli());
        source.put("content_hash", document.contentHash());
        source.put("content", document.content());
        return source;
    }

    private interface Call<T> {
        T run() throws IOException;
    }

    private static <T> T call(String what, Call<T> call) {
        try {
            return call.run();
        } catch (IOException | ElasticsearchException | UncheckedIOException e) {
            throw new SearchIndexException("Elasticsearch could not " + what + ": " + e.getMessage(), e);
        }
    }
}
