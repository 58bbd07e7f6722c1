package dev.syncbox.bench.throughput;

import java.util.ArrayList;
import java.util.List;

/**
 * Row (a): 1 KiB uploads ({@code POST /files/upload}, fresh bytes each) by N concurrent clients spread over U users.
 * Clients of one user share its namespace, whose commits are serialised; over 16 users they are not.
 */
final class SmallUploads {

    private SmallUploads() {}

    /** Client i is a new connection of user {@code i % users}; each writes into a folder of its own. */
    static LoadRun.Result run(Plan plan, List<Api> accounts, int clients, int users, String tag) {
        List<Api> apis = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            apis.add(accounts.get(c % users).copy());
        }
        return LoadRun.run(
                clients,
                plan.warmUp(),
                plan.measure(),
                (client, seq) -> apis.get(client)
                        .upload(
                                "/tp/" + tag + "/c" + client + "/f" + seq + ".bin",
                                SmallFile.random().data()));
    }

    /** The bare authenticated no-op ({@code GET /auth/check}) by N clients of one user: the HTTP path's ceiling. */
    static LoadRun.Result noOp(Plan plan, Api account, int clients) {
        return plain(plan, account, clients, "/auth/check");
    }

    static LoadRun.Result plain(Plan plan, Api account, int clients, String path) {
        List<Api> apis = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            apis.add(account.copy());
        }
        return LoadRun.run(
                clients,
                plan.warmUp(),
                plan.measure(),
                (client, seq) -> apis.get(client).get(path));
    }
}
