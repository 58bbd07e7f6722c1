package dev.syncbox.bench.sync;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a consistent first sync costs: a new device's first {@code /files/sync} page (which stores the
 * complete listing when it is larger than the page), the rest of the listing, and a later page, in
 * namespaces of 10 thousand to 1 million files. The storing itself is read from the
 * {@code syncbox.sync.listing.materialize} timer, so rows per second exclude HTTP and JSON.
 *
 * <p>Usage: {@code ListingBench <sync-service-or-gateway-url> <psql-connection-uri> [sizes...]}.
 * Files are inserted straight into PostgreSQL, as in {@link SyncBench}.
 */
public final class ListingBench {

    private ListingBench() {}

    public static void main(String[] args) throws Exception {
        String base = args.length > 0 ? args[0] : "http://127.0.0.1:8080";
        String psql = args.length > 1 ? args[1] : "postgresql://postgres@127.0.0.1:15432/syncbox";
        List<Integer> sizes = new ArrayList<>();
        for (int i = 2; i < args.length; i++) {
            sizes.add(Integer.parseInt(args[i]));
        }
        if (sizes.isEmpty()) {
            sizes = List.of(10_000, 100_000, 1_000_000);
        }
        System.out.println("| files | first page (2,000 entries) | storing the listing | rows/s stored"
                + " | whole first sync | later listing page (median) |");
        System.out.println("|---:|---:|---:|---:|---:|---:|");
        for (int files : sizes) {
            run(base, psql, files);
        }
    }

    private static void run(String base, String psql, int files) throws Exception {
        String email = "listing-bench-" + files + "-" + System.nanoTime() + "@example.test";
        SyncBench.Device a = SyncBench.signUp(base, email, true);
        SyncBench.psql(
                psql,
                "INSERT INTO files (file_id, namespace_id, owner_id, file_path, path_key, parent_dir_path,"
                        + " parent_key, size_bytes, current_version_id, content_hash)"
                        + " SELECT substr(md5(u.user_id::text || '-' || g), 1, 26), u.root_namespace_id, u.user_id,"
                        + " '/bulk/d' || (g % 100) || '/f' || lpad(g::text, 7, '0'),"
                        + " '/bulk/d' || (g % 100) || '/f' || lpad(g::text, 7, '0'), '/bulk/d' || (g % 100),"
                        + " '/bulk/d' || (g % 100), 1000, NULL, md5(g::text) || md5(g::text)"
                        + " FROM users u, generate_series(1, " + files + ") g WHERE u.email = '" + email + "'");
        SyncBench.psql(psql, "ANALYZE files");
        SyncBench.Device b = SyncBench.login(base, email, "device-b");
        double storedBefore = materializeSeconds(base, a);

        long start = System.nanoTime();
        String page = SyncBench.get(base, b, "/files/sync?limit=2000");
        double first = (System.nanoTime() - start) / 1e9;
        double stored = materializeSeconds(base, a) - storedBefore;
        List<Double> later = new ArrayList<>();
        while (page.contains("\"has_more\":true")) {
            String cursor = SyncBench.field(page, "next_cursor");
            long t = System.nanoTime();
            page = SyncBench.get(base, b, "/files/sync?limit=2000&cursor=" + cursor);
            later.add((System.nanoTime() - t) / 1e6);
        }
        double whole = (System.nanoTime() - start) / 1e9;
        Collections.sort(later);
        System.out.printf(
                "| %,d | %.2f s | %.2f s | %,.0f | %.1f s | %.1f ms |%n",
                files, first, stored, files / stored, whole, later.isEmpty() ? 0 : SyncBench.pct(later, 50));
    }

    /** Total seconds spent storing listings so far, from the service's metrics. */
    private static double materializeSeconds(String base, SyncBench.Device device) throws IOException {
        String body = SyncBench.get(base, device, "/actuator/metrics/syncbox.sync.listing.materialize");
        Matcher m = Pattern.compile("\"statistic\"\\s*:\\s*\"TOTAL_TIME\"\\s*,\\s*\"value\"\\s*:\\s*([0-9.Ee+-]+)")
                .matcher(body);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }
}
