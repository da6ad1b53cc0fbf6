using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace EvidenceCheck.Storage;

/// <summary>
/// One prepared SQLite statement on the writer's connection, bound by position and stepped directly.
/// The writer runs a dozen small statements per report; through SqliteCommand each pays for
/// parameter lookup by name, a data reader and statement enumeration, which cost more than the
/// B-tree work itself. Parameters are numbered from 1, as in SQLite. Not thread-safe.
/// </summary>
internal sealed class Statement : IDisposable
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _stmt;

    public Statement(SqliteConnection connection, string sql)
    {
        _db = connection.Handle ?? throw new InvalidOperationException("The connection is not open.");
        Check(raw.sqlite3_prepare_v2(_db, sql, out _stmt));
    }

    public Statement Bind(int index, long value)
    {
        Check(raw.sqlite3_bind_int64(_stmt, index, value));
        return this;
    }

    public Statement Bind(int index, double value)
    {
        Check(raw.sqlite3_bind_double(_stmt, index, value));
        return this;
    }

    public Statement Bind(int index, ReadOnlySpan<byte> value)
    {
        Check(raw.sqlite3_bind_blob(_stmt, index, value));
        return this;
    }

    /// <summary>Text already encoded as UTF-8 (stored as TEXT, like <see cref="Bind(int, string?)"/>).</summary>
    public Statement BindUtf8(int index, ReadOnlySpan<byte> utf8)
    {
        Check(raw.sqlite3_bind_text(_stmt, index, utf8));
        return this;
    }

    public Statement Bind(int index, string? value)
    {
        Check(value is null ? raw.sqlite3_bind_null(_stmt, index) : raw.sqlite3_bind_text(_stmt, index, value));
        return this;
    }

    /// <summary>Runs a statement that returns no rows; the number of rows it changed.</summary>
    public int Execute()
    {
        try
        {
            var rc = raw.sqlite3_step(_stmt);
            if (rc != raw.SQLITE_DONE && rc != raw.SQLITE_ROW) Check(rc);
            return raw.sqlite3_changes(_db);
        }
        finally { Reset(); }
    }

    /// <summary>Steps to the next row; false at the end. Call <see cref="Reset"/> when done reading (also on early exit).</summary>
    public bool Read()
    {
        var rc = raw.sqlite3_step(_stmt);
        if (rc == raw.SQLITE_ROW) return true;
        if (rc == raw.SQLITE_DONE) return false;
        Reset();
        Check(rc);
        return false;
    }

    public bool IsNull(int column) => raw.sqlite3_column_type(_stmt, column) == raw.SQLITE_NULL;
    public long Long(int column) => raw.sqlite3_column_int64(_stmt, column);
    public double Double(int column) => raw.sqlite3_column_double(_stmt, column);
    public ReadOnlySpan<byte> Blob(int column) => raw.sqlite3_column_blob(_stmt, column);
    public string? Text(int column) => IsNull(column) ? null : raw.sqlite3_column_text(_stmt, column).utf8_to_string();

    /// <summary>Makes the statement ready to run again (bindings cleared).</summary>
    public void Reset()
    {
        raw.sqlite3_reset(_stmt);
        raw.sqlite3_clear_bindings(_stmt);
    }

    /// <summary>The rowid of the last row this connection inserted.</summary>
    public static long LastInsertRowId(SqliteConnection connection) => raw.sqlite3_last_insert_rowid(connection.Handle);

    private void Check(int rc)
    {
        if (rc != raw.SQLITE_OK) SqliteException.ThrowExceptionForRC(rc, _db);
    }

    public void Dispose() => _stmt.Dispose();
}
