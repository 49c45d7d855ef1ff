package clf.queue.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;

import clf.queue.StoreException;
import clf.queue.StoreException.Reason;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.sql.SQLException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/** How failures are named: the reason callers decide by, and the text an operator reads. */
class StoreFailureTest {
    @Test
    void sqliteResultCodesMapToReasons() {
        Map<SQLiteErrorCode, Reason> expected = Map.of(
                SQLiteErrorCode.SQLITE_FULL, Reason.DISK_FULL,
                SQLiteErrorCode.SQLITE_BUSY, Reason.LOCKED,
                SQLiteErrorCode.SQLITE_BUSY_SNAPSHOT, Reason.LOCKED,
                SQLiteErrorCode.SQLITE_NOTADB, Reason.CORRUPT,
                SQLiteErrorCode.SQLITE_CORRUPT, Reason.CORRUPT,
                SQLiteErrorCode.SQLITE_READONLY, Reason.READ_ONLY,
                SQLiteErrorCode.SQLITE_CANTOPEN, Reason.READ_ONLY,
                SQLiteErrorCode.SQLITE_IOERR_WRITE, Reason.OTHER,
                SQLiteErrorCode.SQLITE_CONSTRAINT, Reason.OTHER);
        expected.forEach((code, reason) -> assertEquals(reason,
                Database.translate("write to /x", new SQLiteException("[" + code.name() + "]", code)).reason(), code.name()));
    }

    @Test
    void sqliteFullSaysTheDiskIsFull() {
        StoreException e = Database.translate("write to /var/lib/clf/state.sqlite",
                new SQLiteException("[SQLITE_FULL] Insertion failed because database is full (database or disk is full)",
                        SQLiteErrorCode.SQLITE_FULL));

        assertEquals("failed to write to /var/lib/clf/state.sqlite: the disk is full", e.getMessage());
    }

    @Test
    void aPlainSqlExceptionKeepsItsMessage() {
        StoreException e = Database.translate("read from /x", new SQLException("no such table: jobs"));

        assertEquals(Reason.OTHER, e.reason());
        assertEquals("failed to read from /x: no such table: jobs", e.getMessage());
    }

    @Test
    void enospcFromAFileOperationIsADiskFullAndOtherErrorsAreNot() {
        StoreException full = PrivateFiles.failure("failed to secure database file /s/state.sqlite",
                new FileSystemException("/s/state.sqlite", null, "No space left on device"));
        StoreException denied = PrivateFiles.failure("failed to secure database file /s/state.sqlite",
                new AccessDeniedException("/s/state.sqlite"));
        StoreException written = PrivateFiles.failure("failed to write /s/x", new IOException("No space left on device"));

        assertEquals(Reason.DISK_FULL, full.reason());
        assertEquals("failed to secure database file /s/state.sqlite: the disk is full "
                + "(/s/state.sqlite: No space left on device)", full.getMessage());
        assertEquals(Reason.OTHER, denied.reason());
        assertEquals("failed to secure database file /s/state.sqlite: /s/state.sqlite", denied.getMessage());
        assertEquals(Reason.DISK_FULL, written.reason());
    }
}
