package dev.syncbox.system;

import dev.syncbox.core.hash.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import net.sf.jsqlparser.JSQLParserException;
import net.sf.jsqlparser.expression.AnyComparisonExpression;
import net.sf.jsqlparser.expression.CastExpression;
import net.sf.jsqlparser.expression.DoubleValue;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.ExpressionVisitorAdapter;
import net.sf.jsqlparser.expression.Function;
import net.sf.jsqlparser.expression.JdbcNamedParameter;
import net.sf.jsqlparser.expression.JdbcParameter;
import net.sf.jsqlparser.expression.LongValue;
import net.sf.jsqlparser.expression.OracleNamedFunctionParameter;
import net.sf.jsqlparser.expression.StringValue;
import net.sf.jsqlparser.expression.operators.conditional.AndExpression;
import net.sf.jsqlparser.expression.operators.relational.EqualsTo;
import net.sf.jsqlparser.expression.operators.relational.ExpressionList;
import net.sf.jsqlparser.expression.operators.relational.ParenthesedExpressionList;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.delete.Delete;
import net.sf.jsqlparser.statement.delete.ParenthesedDelete;
import net.sf.jsqlparser.statement.insert.Insert;
import net.sf.jsqlparser.statement.insert.ParenthesedInsert;
import net.sf.jsqlparser.statement.select.FromItem;
import net.sf.jsqlparser.statement.select.Join;
import net.sf.jsqlparser.statement.select.LateralSubSelect;
import net.sf.jsqlparser.statement.select.OrderByElement;
import net.sf.jsqlparser.statement.select.ParenthesedFromItem;
import net.sf.jsqlparser.statement.select.ParenthesedSelect;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.statement.select.SelectItem;
import net.sf.jsqlparser.statement.select.SetOperationList;
import net.sf.jsqlparser.statement.select.Values;
import net.sf.jsqlparser.statement.select.WithItem;
import net.sf.jsqlparser.statement.update.ParenthesedUpdate;
import net.sf.jsqlparser.statement.update.Update;
import net.sf.jsqlparser.statement.update.UpdateSet;
import net.sf.jsqlparser.util.deparser.ExpressionDeParser;
import net.sf.jsqlparser.util.deparser.SelectDeParser;
import net.sf.jsqlparser.util.deparser.StatementDeParser;

/**
 * Whether Citus would run a statement on one shard, were the metadata distributed as planned (the
 * plan below). Statements are parsed with JSqlParser; a statement it cannot parse is an error.
 *
 * <p>A statement is {@link Route#ROUTED} when every distributed table it reads or writes has its
 * distribution column equal to one bound value or literal ({@code col = ?}), directly or through an
 * equality with another such column (a join of colocated tables on their distribution columns, a
 * correlated subquery), in the conjunction of its WHERE and JOIN conditions; an INSERT names the
 * column (VALUES) or selects it from such a column. {@code = ANY(?)}, {@code IN (…)} or a condition
 * under OR pins nothing.
 */
final class ShardRouting {

    /**
     * Where a table lives once distributed: its colocation group (named after the table that started
     * it) and its distribution column. Tables of one group share shard placements.
     */
    record Placement(String group, String column) {}

    /** The distribution of the metadata over Citus that the schema ships (docs/scale-out.md). */
    static final String CITUS_SCRIPT = "/db/citus/V1000__distribute_metadata.sql";

    /** The plan: each table's placement, as the Citus script's {@code create_distributed_table} calls set it. */
    static final Map<String, Placement> PLAN = planOf(CITUS_SCRIPT);

    /**
     * Reads the placements from the script's {@code SELECT create_distributed_table('t', 'col',
     * colocate_with => 'other' | 'none')} statements, each parsed by JSqlParser.
     */
    static Map<String, Placement> planOf(String resource) {
        String script;
        try (InputStream in = ShardRouting.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("no " + resource + " on the classpath");
            }
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, Placement> plan = new LinkedHashMap<>();
        for (String line : script.lines().toList()) {
            if (!line.startsWith("SELECT create_distributed_table(")) {
                continue;
            }
            Function call;
            try {
                call = (Function) ((PlainSelect) CCJSqlParserUtil.parse(line))
                        .getSelectItems()
                        .get(0)
                        .getExpression();
            } catch (JSQLParserException e) {
                throw new IllegalStateException("JSqlParser cannot parse: " + line, e);
            }
            List<?> args = call.getParameters();
            String table = ((StringValue) args.get(0)).getValue();
            String column = ((StringValue) args.get(1)).getValue();
            String colocateWith = "none";
            for (Object arg : args.subList(2, args.size())) {
                if (arg instanceof OracleNamedFunctionParameter named
                        && named.getName().equals("colocate_with")) {
                    colocateWith = ((StringValue) named.getExpression()).getValue();
                }
            }
            String group =
                    colocateWith.equals("none") ? table : plan.get(colocateWith).group();
            plan.put(table, new Placement(group, column));
        }
        if (plan.isEmpty()) {
            throw new IllegalStateException("no create_distributed_table call in " + resource);
        }
        return Map.copyOf(plan);
    }

    /**
     * Statements JSqlParser 5.3 does not parse, handled here by their exact text: session settings,
     * which name no table.
     */
    static final Set<String> UNPARSED_SESSION_STATEMENTS = Set.of("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");

    /** Tables that are not data: never distributed. */
    static final Set<String> NOT_DATA = Set.of("flyway_schema_history");

    enum Route {
        ROUTED,
        MULTI_SHARD,
        CROSS_GROUP,
        NONE
    }

    /** The verdict on one statement: its route, its normalized text and its hash, and why. */
    record Verdict(Route route, String fingerprint, String hash, Set<String> tables, String detail) {}

    private final Map<String, Set<String>> columns;
    private final Set<String> sequenced;

    ShardRouting(Schema schema) {
        this.columns = schema.columns();
        this.sequenced = schema.sequenced();
    }

    Verdict classify(String sql) {
        if (UNPARSED_SESSION_STATEMENTS.contains(sql.strip())) {
            String text = sql.strip();
            return new Verdict(
                    Route.NONE,
                    text,
                    Sha256.hex(text.getBytes(StandardCharsets.UTF_8)).substring(0, 12),
                    Set.of(),
                    "session setting");
        }
        Statement statement;
        try {
            statement = CCJSqlParserUtil.parse(sql);
        } catch (JSQLParserException e) {
            throw new IllegalArgumentException("JSqlParser cannot parse: " + sql, e);
        }
        String fingerprint = fingerprint(statement);
        Analysis analysis = new Analysis();
        analysis.statement(statement);

        Set<String> tables = new TreeSet<>();
        Set<String> groups = new LinkedHashSet<>();
        List<String> unpinned = new ArrayList<>();
        for (Ref ref : analysis.refs) {
            if (ref.virtual || NOT_DATA.contains(ref.table) || isCatalog(ref.table)) {
                continue;
            }
            Placement placement = PLAN.get(ref.table);
            if (placement == null) {
                throw new IllegalStateException(
                        "Table " + ref.table + " has no place in the distribution plan (ShardRouting.PLAN): " + sql);
            }
            tables.add(ref.table);
            groups.add(placement.group());
            if (!columnsOf(ref.table).contains(placement.column())) {
                unpinned.add(ref.table + " has no " + placement.column());
            } else if (!analysis.pinned(ref.key(placement.column()))) {
                unpinned.add(ref.table + "." + placement.column() + " not pinned");
            }
        }
        String hash = Sha256.hex(fingerprint.getBytes(StandardCharsets.UTF_8)).substring(0, 12);
        if (groups.isEmpty()) {
            return new Verdict(Route.NONE, fingerprint, hash, tables, "no distributed table");
        }
        if (groups.size() > 1) {
            return new Verdict(
                    Route.CROSS_GROUP,
                    fingerprint,
                    hash,
                    tables,
                    "groups " + String.join("+", groups) + ": " + tables
                            + (unpinned.isEmpty()
                                    ? " (each pinned)"
                                    : "; " + String.join("; ", new LinkedHashSet<>(unpinned))));
        }
        if (unpinned.isEmpty()) {
            return new Verdict(Route.ROUTED, fingerprint, hash, tables, "");
        }
        return new Verdict(
                Route.MULTI_SHARD, fingerprint, hash, tables, String.join("; ", new LinkedHashSet<>(unpinned)));
    }

    private static boolean isCatalog(String table) {
        return table.startsWith("pg_") || table.startsWith("information_schema.");
    }

    private Set<String> columnsOf(String table) {
        return columns.getOrDefault(table, Set.of());
    }

    /** The statement re-printed by JSqlParser with every literal and parameter as {@code ?}. */
    static String fingerprint(Statement statement) {
        StringBuilder out = new StringBuilder();
        ExpressionDeParser expressions = new ExpressionDeParser() {
            @Override
            public <S> StringBuilder visit(LongValue value, S context) {
                return builder.append('?');
            }

            @Override
            public <S> StringBuilder visit(StringValue value, S context) {
                return builder.append('?');
            }

            @Override
            public <S> StringBuilder visit(DoubleValue value, S context) {
                return builder.append('?');
            }

            @Override
            public <S> StringBuilder visit(JdbcParameter parameter, S context) {
                return builder.append('?');
            }

            @Override
            public <S> StringBuilder visit(JdbcNamedParameter parameter, S context) {
                return builder.append('?');
            }
        };
        SelectDeParser selects = new SelectDeParser(expressions, out);
        expressions.setSelectVisitor(selects);
        expressions.setBuilder(out);
        statement.accept(new StatementDeParser(expressions, selects, out));
        return out.toString().replaceAll("\\s+", " ").trim();
    }

    /** One table (or a CTE, derived table, function) named in a FROM, a JOIN or as a target. */
    private static final class Ref {
        private static int next;

        final String id = "r" + next++;
        final String table;
        final String name;
        final boolean virtual;

        Ref(String table, String name, boolean virtual) {
            this.table = table;
            this.name = name;
            this.virtual = virtual;
        }

        String key(String column) {
            return id + "." + column;
        }
    }

    /** The names visible in one query block, and the blocks around it (correlation). */
    private static final class Scope {
        final Scope parent;
        final List<Ref> refs = new ArrayList<>();
        final Set<String> ctes = new LinkedHashSet<>();

        Scope(Scope parent) {
            this.parent = parent;
        }

        boolean isCte(String name) {
            for (Scope s = this; s != null; s = s.parent) {
                if (s.ctes.contains(name)) {
                    return true;
                }
            }
            return false;
        }
    }

    /** Walks a statement's blocks and joins the columns the conditions make equal (union-find). */
    private final class Analysis {
        private static final String PIN = "#value";

        final List<Ref> refs = new ArrayList<>();
        private final Map<String, String> parent = new HashMap<>();

        boolean pinned(String key) {
            return find(key).equals(find(PIN));
        }

        private String find(String key) {
            String p = parent.getOrDefault(key, key);
            if (p.equals(key)) {
                return key;
            }
            String root = find(p);
            parent.put(key, root);
            return root;
        }

        private void union(String a, String b) {
            String ra = find(a);
            String rb = find(b);
            if (!ra.equals(rb)) {
                parent.put(ra, rb);
            }
        }

        void statement(Statement statement) {
            Scope top = new Scope(null);
            if (statement instanceof Select select) {
                select(select, top);
            } else if (statement instanceof Insert insert) {
                insert(insert, top);
            } else if (statement instanceof Update update) {
                update(update, top);
            } else if (statement instanceof Delete delete) {
                delete(delete, top);
            }
            // Anything else (SET, SHOW, a DDL statement) names no table of the plan's data.
        }

        private void withItems(List<WithItem<?>> items, Scope scope) {
            if (items == null) {
                return;
            }
            for (WithItem<?> item : items) {
                scope.ctes.add(unquote(item.getAliasName()));
                Object body = item.getParenthesedStatement();
                if (body instanceof ParenthesedSelect select) {
                    select(select, scope);
                } else if (body instanceof ParenthesedInsert insert) {
                    insert(insert.getInsert(), scope);
                } else if (body instanceof ParenthesedUpdate update) {
                    update(update.getUpdate(), scope);
                } else if (body instanceof ParenthesedDelete delete) {
                    delete(delete.getDelete(), scope);
                } else {
                    throw new IllegalStateException("Unhandled WITH query: " + item);
                }
            }
        }

        void select(Select select, Scope outer) {
            if (select == null) {
                return;
            }
            Scope scope = new Scope(outer);
            withItems(select.getWithItemsList(), scope);
            if (select instanceof ParenthesedSelect parenthesed) {
                select(parenthesed.getSelect(), scope);
            } else if (select instanceof SetOperationList union) {
                union.getSelects().forEach(s -> select(s, scope));
            } else if (select instanceof Values values) {
                scan(values.getExpressions(), scope);
            } else if (select instanceof PlainSelect plain) {
                plainSelect(plain, scope);
            } else {
                throw new IllegalStateException(
                        "Unhandled query: " + select.getClass().getSimpleName() + " " + select);
            }
        }

        private void plainSelect(PlainSelect plain, Scope scope) {
            from(plain.getFromItem(), scope);
            joins(plain.getJoins(), scope);
            if (plain.getSelectItems() != null) {
                for (SelectItem<?> item : plain.getSelectItems()) {
                    scan(item.getExpression(), scope);
                }
            }
            conditions(plain.getWhere(), scope);
            scan(plain.getHaving(), scope);
            if (plain.getOrderByElements() != null) {
                for (OrderByElement order : plain.getOrderByElements()) {
                    scan(order.getExpression(), scope);
                }
            }
        }

        private void joins(List<Join> joins, Scope scope) {
            if (joins == null) {
                return;
            }
            for (Join join : joins) {
                from(join.getRightItem(), scope);
                Collection<Expression> on = join.getOnExpressions();
                if (on != null) {
                    on.forEach(condition -> conditions(condition, scope));
                }
                if (join.getUsingColumns() != null) {
                    Ref right = scope.refs.get(scope.refs.size() - 1);
                    for (Column using : join.getUsingColumns()) {
                        String column = unquote(using.getColumnName());
                        for (Ref left : scope.refs) {
                            if (left != right && columnsOf(left.table).contains(column)) {
                                union(left.key(column), right.key(column));
                            }
                        }
                    }
                }
            }
        }

        private void from(FromItem item, Scope scope) {
            if (item == null) {
                return;
            }
            String alias =
                    item.getAlias() == null ? null : unquote(item.getAlias().getName());
            if (item instanceof Table table) {
                String name = tableName(table);
                boolean cte = table.getSchemaName() == null && scope.isCte(name);
                Ref ref = new Ref(name, alias == null ? unquote(table.getName()) : alias, cte);
                scope.refs.add(ref);
                refs.add(ref);
            } else if (item instanceof LateralSubSelect lateral) {
                select(lateral.getSelect(), scope);
                scope.refs.add(new Ref("(lateral)", alias, true));
            } else if (item instanceof ParenthesedSelect derived) {
                select(derived, scope);
                scope.refs.add(new Ref("(derived)", alias, true));
            } else if (item instanceof ParenthesedFromItem parenthesed) {
                from(parenthesed.getFromItem(), scope);
                joins(parenthesed.getJoins(), scope);
            } else {
                // A table function (unnest(?), generate_series): rows of no table.
                scan(item instanceof Expression e ? e : null, scope);
                scope.refs.add(new Ref("(function)", alias, true));
            }
        }

        private void insert(Insert insert, Scope outer) {
            Scope scope = new Scope(outer);
            withItems(insert.getWithItemsList(), scope);
            Ref target = new Ref(
                    tableName(insert.getTable()), unquote(insert.getTable().getName()), false);
            refs.add(target);
            List<String> names = new ArrayList<>();
            if (insert.getColumns() != null) {
                insert.getColumns().forEach(c -> names.add(unquote(c.getColumnName())));
            }
            Placement placement = PLAN.get(target.table);
            if (placement != null
                    && !names.contains(placement.column())
                    && sequenced.contains(target.table + "." + placement.column())) {
                union(target.key(placement.column()), PIN);
            }
            Select source = insert.getSelect();
            if (source instanceof Values || (source == null && insert.getValues() != null)) {
                // One row or many, each with its own values: each row goes to its shard.
                names.forEach(n -> union(target.key(n), PIN));
                scan(source == null ? insert.getValues().getExpressions() : ((Values) source).getExpressions(), scope);
            } else if (source != null) {
                Select body = source instanceof ParenthesedSelect p ? p.getSelect() : source;
                if (body instanceof PlainSelect plain && plain.getWithItemsList() == null) {
                    Scope selectScope = new Scope(scope);
                    plainSelect(plain, selectScope);
                    for (int i = 0;
                            i < names.size() && i < plain.getSelectItems().size();
                            i++) {
                        String key = operand(plain.getSelectItems().get(i).getExpression(), selectScope);
                        if (key != null) {
                            union(target.key(names.get(i)), key);
                        }
                    }
                } else {
                    select(source, scope);
                }
            }
            if (insert.getConflictAction() != null) {
                Scope conflict = new Scope(scope);
                conflict.refs.add(target);
                conflict.refs.add(new Ref("(excluded)", "excluded", true));
                updateSets(insert.getConflictAction().getUpdateSets(), conflict);
                scan(insert.getConflictAction().getWhereExpression(), conflict);
            }
            if (insert.getReturningClause() != null) {
                Scope returning = new Scope(scope);
                returning.refs.add(target);
                insert.getReturningClause().forEach(item -> scan(item.getExpression(), returning));
            }
        }

        private void update(Update update, Scope outer) {
            Scope scope = new Scope(outer);
            withItems(update.getWithItemsList(), scope);
            from(update.getTable(), scope);
            joins(update.getStartJoins(), scope);
            from(update.getFromItem(), scope);
            joins(update.getJoins(), scope);
            updateSets(update.getUpdateSets(), scope);
            conditions(update.getWhere(), scope);
            if (update.getReturningClause() != null) {
                update.getReturningClause().forEach(item -> scan(item.getExpression(), scope));
            }
        }

        private void delete(Delete delete, Scope outer) {
            Scope scope = new Scope(outer);
            withItems(delete.getWithItemsList(), scope);
            from(delete.getTable(), scope);
            if (delete.getUsingList() != null) {
                delete.getUsingList().forEach(t -> from(t, scope));
            }
            joins(delete.getJoins(), scope);
            conditions(delete.getWhere(), scope);
            if (delete.getReturningClause() != null) {
                delete.getReturningClause().forEach(item -> scan(item.getExpression(), scope));
            }
        }

        private void updateSets(List<UpdateSet> sets, Scope scope) {
            if (sets != null) {
                sets.forEach(set -> scan(set.getValues(), scope));
            }
        }

        /** A WHERE or ON condition: the equalities of its top-level conjunction join columns. */
        private void conditions(Expression condition, Scope scope) {
            if (condition == null) {
                return;
            }
            scan(condition, scope);
            for (Expression conjunct : conjuncts(condition, new ArrayList<>())) {
                if (conjunct instanceof EqualsTo equals) {
                    String left = operand(equals.getLeftExpression(), scope);
                    String right = operand(equals.getRightExpression(), scope);
                    if (left != null && right != null) {
                        union(left, right);
                    }
                }
            }
        }

        private List<Expression> conjuncts(Expression expression, List<Expression> into) {
            if (expression instanceof AndExpression and) {
                conjuncts(and.getLeftExpression(), into);
                conjuncts(and.getRightExpression(), into);
            } else if (expression instanceof ParenthesedExpressionList<?> list && list.size() == 1) {
                conjuncts(list.get(0), into);
            } else {
                into.add(expression);
            }
            return into;
        }

        /** A column's key, {@link #PIN} for one value, {@code null} for anything else. */
        private String operand(Expression expression, Scope scope) {
            if (expression instanceof ParenthesedExpressionList<?> list && list.size() == 1) {
                return operand(list.get(0), scope);
            }
            if (expression instanceof CastExpression cast && !cast.isImplicitCast()) {
                return operand(cast.getLeftExpression(), scope);
            }
            if (expression instanceof JdbcParameter
                    || expression instanceof JdbcNamedParameter
                    || expression instanceof LongValue
                    || expression instanceof StringValue) {
                return PIN;
            }
            if (expression instanceof Column column) {
                return column(column, scope);
            }
            return null;
        }

        private String column(Column column, Scope scope) {
            String name = unquote(column.getColumnName());
            Table qualifier = column.getTable();
            String qualifierName =
                    qualifier == null || qualifier.getName() == null ? null : unquote(qualifier.getName());
            for (Scope s = scope; s != null; s = s.parent) {
                Ref match = null;
                for (Ref ref : s.refs) {
                    boolean matches = qualifierName != null
                            ? qualifierName.equals(ref.name) || qualifierName.equals(ref.table)
                            : columnsOf(ref.table).contains(name);
                    if (matches) {
                        if (match != null && match != ref) {
                            return null; // ambiguous: PostgreSQL would refuse it too
                        }
                        match = ref;
                    }
                }
                if (match != null) {
                    return match.key(name);
                }
            }
            return null;
        }

        /** Subqueries anywhere in {@code expression} are blocks of their own, inside {@code scope}. */
        private void scan(Expression expression, Scope scope) {
            if (expression == null) {
                return;
            }
            expression.accept(new SubqueryFinder(scope), null);
        }

        private void scan(ExpressionList<?> expressions, Scope scope) {
            if (expressions != null) {
                expressions.forEach(e -> scan(e, scope));
            }
        }

        private final class SubqueryFinder extends ExpressionVisitorAdapter<Void> {
            private final Scope scope;

            SubqueryFinder(Scope scope) {
                this.scope = scope;
            }

            @Override
            public <S> Void visit(ParenthesedSelect select, S context) {
                select(select, scope);
                return null;
            }

            @Override
            public <S> Void visit(Select select, S context) {
                select(select, scope);
                return null;
            }

            @Override
            public <S> Void visit(AnyComparisonExpression any, S context) {
                select(any.getSelect(), scope);
                return null;
            }
        }
    }

    private static String tableName(Table table) {
        String name = unquote(table.getName());
        String schema = table.getSchemaName() == null ? null : unquote(table.getSchemaName());
        return schema == null || schema.equals("public") ? name : schema + "." + name;
    }

    static String unquote(String identifier) {
        if (identifier == null) {
            return null;
        }
        String s = identifier.startsWith("\"") && identifier.endsWith("\"") && identifier.length() > 1
                ? identifier.substring(1, identifier.length() - 1)
                : identifier.toLowerCase(Locale.ROOT);
        return s;
    }

    /** The database's columns of each table in the public schema, and those a sequence fills. */
    static Schema schema(org.springframework.jdbc.core.JdbcTemplate jdbc) {
        Map<String, Set<String>> columns = new LinkedHashMap<>();
        Set<String> sequenced = new TreeSet<>();
        jdbc.query(
                "SELECT table_name, column_name, column_default FROM information_schema.columns"
                        + " WHERE table_schema = 'public'",
                rs -> {
                    columns.computeIfAbsent(rs.getString(1), t -> new TreeSet<>())
                            .add(rs.getString(2));
                    String fill = rs.getString(3);
                    if (fill != null && fill.startsWith("nextval(")) {
                        sequenced.add(rs.getString(1) + "." + rs.getString(2));
                    }
                });
        return new Schema(columns, sequenced);
    }

    /**
     * Columns by table, and the {@code table.column}s whose default is a sequence's next value: an
     * INSERT that leaves such a distribution column out is still routed, as Citus evaluates the
     * default on the coordinator before it picks the shard.
     */
    record Schema(Map<String, Set<String>> columns, Set<String> sequenced) {}
}
