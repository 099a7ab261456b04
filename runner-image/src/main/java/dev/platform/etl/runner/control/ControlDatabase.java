package dev.platform.etl.runner.control;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * The database that holds the control schema {@code etl}, and its transactions. What is stored
 * there has a class per concern: the lease ({@code lease.LeaseStore}), the checkpoint and the
 * run's progress ({@code commit.BatchCommit}), the run rows ({@link RunRows}), the pause
 * flag ({@link PauseRequests}) and the status view ({@link PipelineStatus}).
 */
public final class ControlDatabase {
    private final DataSource dataSource;

    public ControlDatabase(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    @FunctionalInterface
    public interface TransactionWork<T> {
        T run(Connection connection) throws Exception;
    }

    /** Runs the work in one transaction of the control database: all of it commits, or none. */
    public <T> T inTransaction(TransactionWork<T> work) throws Exception {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (Exception | Error e) {
                rollbackQuietly(connection);
                throw e;
            }
        }
    }

    private static void rollbackQuietly(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // the connection is broken; the server rolls the transaction back
        }
    }
}
