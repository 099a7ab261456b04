package dev.platform.etl.runner.sink;

import java.sql.SQLException;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/** A {@code COPY ... FROM STDIN} of bytes already encoded, cancelled if anything fails on the way. */
final class CopyStatement {
    private CopyStatement() {
    }

    static void send(PGConnection session, String copy, byte[] copyData) throws SQLException {
        CopyIn in = session.getCopyAPI().copyIn(copy);
        try {
            in.writeToCopy(copyData, 0, copyData.length);
            in.endCopy();
        } finally {
            if (in.isActive()) {
                in.cancelCopy();
            }
        }
    }
}
