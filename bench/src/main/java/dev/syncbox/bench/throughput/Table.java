package dev.syncbox.bench.throughput;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The one Markdown table: each figure beside the limit measured in the same run, the ratio, the target. */
final class Table {

    static final String NA_MISSING = "n/a (endpoint missing)";

    record Row(String name, String measured, String limit, String ratio, String target, String met) {}

    private final List<Row> rows = new ArrayList<>();

    void add(String name, String measured, String limit, String ratio, String target, String met) {
        rows.add(new Row(name, measured, limit, ratio, target, met));
    }

    /** A row whose endpoint is not there: printed, not fatal. */
    void missing(String name, String target) {
        add(name, NA_MISSING, "—", "—", target, "—");
    }

    void print(PrintStream out) {
        out.println("| row | measured | limit measured beside it | ratio | target | met? |");
        out.println("|---|---:|---:|---:|---|---|");
        for (Row r : rows) {
            out.println("| " + String.join(" | ", r.name(), r.measured(), r.limit(), r.ratio(), r.target(), r.met())
                    + " |");
        }
    }

    /** Whole numbers from 100 up, one decimal below; "/s" sticks to the number. */
    static String rate(double perSecond, String unit) {
        String number = String.format(Locale.ROOT, perSecond >= 100 ? "%,.0f" : "%.1f", perSecond);
        return number + (unit.startsWith("/") ? "" : " ") + unit;
    }

    static String ms(double millis) {
        return String.format(Locale.ROOT, "%.2f ms", millis);
    }

    static String ratio(double value) {
        return Double.isFinite(value) ? String.format(Locale.ROOT, "%.2f×", value) : "—";
    }

    static String met(boolean met) {
        return met ? "yes" : "**no**";
    }
}
