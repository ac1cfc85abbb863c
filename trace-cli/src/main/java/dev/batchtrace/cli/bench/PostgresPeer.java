package dev.batchtrace.cli.bench;

import java.io.IOException;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * The same history in PostgreSQL and the same questions as recursive CTEs: the peer a plant would
 * otherwise build. Everything lives in a schema of its own, dropped on close.
 */
public final class PostgresPeer implements AutoCloseable {
    /** Where the benchmark looks when no --pg-url is given. */
    public static final String DEFAULT_URL =
            "jdbc:postgresql://127.0.0.1:5432/postgres?user=batchtrace&password=batchtrace";

    static final String CREATE_TABLES =
            """
            CREATE TABLE receipts (lot_code text NOT NULL, supplier_id text NOT NULL,
                                   supplier_lot_code text NOT NULL);
            CREATE TABLE edges (parent text NOT NULL, child text NOT NULL);
            CREATE TABLE dispatch_lines (dispatch_id text NOT NULL, customer_id text NOT NULL,
                                         lot_code text NOT NULL);
            """;

    static final String CREATE_INDEXES =
            """
            CREATE INDEX ON receipts (supplier_id, supplier_lot_code);
            CREATE INDEX ON receipts (lot_code);
            CREATE INDEX ON edges (parent);
            CREATE INDEX ON edges (child);
            CREATE INDEX ON dispatch_lines (lot_code);
            ANALYZE;
            """;

    /** Customers (shipments) that received product made from a supplier's lot. */
    public static final String CUSTOMERS_OF_SUPPLIER_LOT =
            """
            WITH RECURSIVE down(lot) AS (
                SELECT lot_code FROM receipts WHERE supplier_id = ? AND supplier_lot_code = ?
              UNION
                SELECT e.child FROM edges e JOIN down d ON e.parent = d.lot)
            SELECT DISTINCT s.dispatch_id, s.customer_id
              FROM dispatch_lines s JOIN down d ON s.lot_code = d.lot
             ORDER BY s.dispatch_id
            """;

    /**
     * Backward: every lot upstream of a lot (never the lot itself, also in a cycle of bad data),
     * with supplier and supplier lot where purchased.
     */
    public static final String BACKWARD =
            """
            WITH RECURSIVE start(lot) AS (SELECT ?::text),
            up(lot) AS (
                SELECT e.parent FROM edges e JOIN start s ON e.child = s.lot
              UNION
                SELECT e.parent FROM edges e JOIN up u ON e.child = u.lot)
            SELECT u.lot, r.supplier_id, r.supplier_lot_code
              FROM up u LEFT JOIN receipts r ON r.lot_code = u.lot
             WHERE u.lot <> (SELECT lot FROM start)
             ORDER BY u.lot
            """;

    /** Forward: every lot made from a lot, and every shipment that carried one of them or it. */
    public static final String FORWARD =
            """
            WITH RECURSIVE down(lot) AS (
                SELECT ?::text
              UNION
                SELECT e.child FROM edges e JOIN down d ON e.parent = d.lot)
            SELECT d.lot, s.dispatch_id, s.customer_id
              FROM down d LEFT JOIN dispatch_lines s ON s.lot_code = d.lot
             ORDER BY d.lot, s.dispatch_id
            """;

    private final Connection connection;
    private final String schema;

    private PostgresPeer(Connection connection, String schema) {
        this.connection = connection;
        this.schema = schema;
    }

    /** Connects and creates an empty schema {@code schema}; fails with the driver's reason. */
    public static PostgresPeer open(String url, String schema) throws SQLException {
        if (!schema.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("not a plain schema name: " + schema);
        }
        DriverManager.setLoginTimeout(5);
        Connection connection = DriverManager.getConnection(url);
        try (Statement st = connection.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            st.execute("CREATE SCHEMA " + schema);
            st.execute("SET search_path TO " + schema);
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
        return new PostgresPeer(connection, schema);
    }

    /** What was loaded and how long it took (COPY, then indexes and statistics). */
    public record Load(
            long receipts, long edges, long dispatchLines, long copyMillis, long indexMillis) {
        public long totalMillis() {
            return copyMillis + indexMillis;
        }
    }

    public Load load(HistoryGraph graph) throws SQLException, IOException {
        long started = System.nanoTime();
        try (Statement st = connection.createStatement()) {
            st.execute(CREATE_TABLES);
        }
        CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
        long receipts =
                copy(
                        copy,
                        "receipts",
                        graph.receipts().entrySet(),
                        e ->
                                List.of(
                                        e.getKey(),
                                        e.getValue().supplierId(),
                                        e.getValue().supplierLotCode()));
        long edges = copy(copy, "edges", graph.edges(), e -> List.of(e[0], e[1]));
        long lines =
                copy(
                        copy,
                        "dispatch_lines",
                        graph.shippedLines(),
                        l -> List.of(l.dispatchId(), l.customerId(), l.lotCode()));
        long copied = System.nanoTime();
        try (Statement st = connection.createStatement()) {
            st.execute(CREATE_INDEXES);
        }
        long indexed = System.nanoTime();
        return new Load(
                receipts,
                edges,
                lines,
                (copied - started) / 1_000_000,
                (indexed - copied) / 1_000_000);
    }

    private <T> long copy(
            CopyManager copy, String table, Iterable<T> rows, Function<T, List<String>> columns)
            throws SQLException, IOException {
        StringBuilder text = new StringBuilder();
        for (T row : rows) {
            text.append(copyLine(columns.apply(row)));
        }
        return copy.copyIn("COPY " + table + " FROM STDIN", new StringReader(text.toString()));
    }

    /**
     * One row in COPY's text format: tab-separated, {@code \N} for null, and backslash, tab and
     * line breaks escaped so that a lot code can hold anything.
     */
    public static String copyLine(List<String> values) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                line.append('\t');
            }
            String value = values.get(i);
            if (value == null) {
                line.append("\\N");
                continue;
            }
            for (char c : value.toCharArray()) {
                switch (c) {
                    case '\\' -> line.append("\\\\");
                    case '\t' -> line.append("\\t");
                    case '\n' -> line.append("\\n");
                    case '\r' -> line.append("\\r");
                    default -> line.append(c);
                }
            }
        }
        return line.append('\n').toString();
    }

    /** The rows of one question, each row's columns joined by '|'. */
    public List<String> query(String sql, String... parameters) throws SQLException {
        try (PreparedStatement st = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                st.setString(i + 1, parameters[i]);
            }
            List<String> rows = new ArrayList<>();
            try (ResultSet rs = st.executeQuery()) {
                int columns = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    StringBuilder row = new StringBuilder();
                    for (int c = 1; c <= columns; c++) {
                        if (c > 1) {
                            row.append('|');
                        }
                        row.append(rs.getString(c));
                    }
                    rows.add(row.toString());
                }
            }
            return rows;
        }
    }

    /** The server's version string, for the report. */
    public String serverVersion() throws SQLException {
        return connection.getMetaData().getDatabaseProductVersion();
    }

    @Override
    public void close() throws SQLException {
        try (Statement st = connection.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        } finally {
            connection.close();
        }
    }

    /** Questions per kind, for tests: name -> SQL. */
    static Map<String, String> questions() {
        return Map.of(
                "customers", CUSTOMERS_OF_SUPPLIER_LOT, "backward", BACKWARD, "forward", FORWARD);
    }
}
