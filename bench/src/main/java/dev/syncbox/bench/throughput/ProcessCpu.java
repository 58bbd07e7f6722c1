package dev.syncbox.bench.throughput;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * CPU time of the stack's processes from {@code /proc/<pid>/stat}, in clock ticks. A tracked process counts with
 * every live descendant (PostgreSQL's backends, nginx's workers) and with the children it has already reaped
 * ({@code cutime + cstime}): a backend that exits between two snapshots moves its time from the live sum into the
 * postmaster's reaped sum, so a difference of snapshots loses nothing.
 */
final class ProcessCpu {

    /** A process to account for: a display name and the root of its process tree. */
    record Tracked(String name, long pid) {}

    private record Stat(long ppid, long ownTicks, long reapedTicks) {}

    private final List<Tracked> tracked;
    private final long ticksPerSecond;

    ProcessCpu(List<Tracked> tracked, long ticksPerSecond) {
        this.tracked = tracked;
        this.ticksPerSecond = ticksPerSecond;
    }

    List<Tracked> tracked() {
        return tracked;
    }

    /** CPU milliseconds used so far by each tracked tree, by name, in the order given. */
    Map<String, Double> snapshotMillis() {
        Map<Long, Stat> all = readAll();
        Map<Long, List<Long>> children = new HashMap<>();
        all.forEach((pid, stat) ->
                children.computeIfAbsent(stat.ppid(), k -> new ArrayList<>()).add(pid));
        Map<String, Double> millis = new LinkedHashMap<>();
        for (Tracked t : tracked) {
            long ticks = 0;
            List<Long> todo = new ArrayList<>(List.of(t.pid()));
            while (!todo.isEmpty()) {
                long pid = todo.remove(todo.size() - 1);
                Stat stat = all.get(pid);
                if (stat != null) {
                    ticks += stat.ownTicks() + stat.reapedTicks();
                    todo.addAll(children.getOrDefault(pid, List.of()));
                }
            }
            millis.put(t.name(), ticks * 1000.0 / ticksPerSecond);
        }
        return millis;
    }

    private static Map<Long, Stat> readAll() {
        Map<Long, Stat> all = new HashMap<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
                    .forEach(p -> {
                        Stat stat = read(p.resolve("stat"));
                        if (stat != null) {
                            all.put(Long.parseLong(p.getFileName().toString()), stat);
                        }
                    });
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc", e);
        }
        return all;
    }

    /** Fields after the command name (which may hold spaces and parentheses): state, ppid, …, utime is field 14. */
    private static Stat read(Path stat) {
        String line;
        try {
            line = Files.readString(stat);
        } catch (IOException e) {
            return null; // the process exited while we listed
        }
        String[] f = line.substring(line.lastIndexOf(')') + 2).trim().split(" ");
        return new Stat(
                Long.parseLong(f[1]),
                Long.parseLong(f[11]) + Long.parseLong(f[12]),
                Long.parseLong(f[13]) + Long.parseLong(f[14]));
    }
}
