package dev.platform.etl.testkit.postgres;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/** One database: where a test or the demo keeps its state. */
public record TestDatabase(String jdbcUrl, String username, String password) {
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, username, password);
    }

    @Override
    public String toString() {
        return "TestDatabase[" + jdbcUrl + " as " + username + "]";
    }
}
