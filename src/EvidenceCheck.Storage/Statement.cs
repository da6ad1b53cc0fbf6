using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace EvidenceCheck.Storage;

/// <summary>
/// One prepared SQLite statement on the writer's connection, bound by position and stepped directly.
/// The writer runs a dozen small statements per report; through SqliteCommand each pays for
/// parameter lookup by name, a data reader and statement enumeration, which cost more than the
/// B-tree work itself. Parameters are numbered from 1, as in SQLite. Not thread-safe.
/// </summary>
internal sealed unsafe class Statement : IDisposable
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _stmt;
    // The native handles, called directly: through SQLitePCL each call took and released the safe handle, went through a
    // marshalling stub, and bound a string by allocating its UTF-8 copy (~4% of the writer's time by perf, at ~90 calls
    // per report). The safe handles above keep them alive until Dispose.
    private readonly nint _handle, _dbHandle;

    public Statement(SqliteConnection connection, string sql)
    {
        _db = connection.Handle ?? throw new InvalidOperationException("The connection is not open.");
        Check(raw.sqlite3_prepare_v2(_db, sql, out _stmt));
        _handle = _stmt.DangerousGetHandle();
        _dbHandle = _db.DangerousGetHandle();
    }

    public Statement Bind(int index, long value)
    {
        Check(sqlite3_bind_int64(_handle, index, value));
        return this;
    }

    public Statement Bind(int index, double value)
    {
        Check(sqlite3_bind_double(_handle, index, value));
        return this;
    }

    public Statement Bind(int index, ReadOnlySpan<byte> value)
    {
        byte none = 0;
        // An empty span pins as null, which SQLite would bind as NULL, not as an empty value.
        fixed (byte* p = value) Check(sqlite3_bind_blob(_handle, index, p == null ? &none : p, value.Length, Transient));
        return this;
    }

    /// <summary>Text already encoded as UTF-8 (stored as TEXT, like <see cref="Bind(int, string?)"/>).</summary>
    public Statement BindUtf8(int index, ReadOnlySpan<byte> utf8)
    {
        byte none = 0;
        fixed (byte* p = utf8) Check(sqlite3_bind_text(_handle, index, p == null ? &none : p, utf8.Length, Transient));
        return this;
    }

    /// <summary>Text as UTF-8 (a lone surrogate becomes U+FFFD, as SQLitePCL's own conversion made it), copied by SQLite.</summary>
    public Statement Bind(int index, string? value)
    {
        if (value is null)
        {
            Check(sqlite3_bind_null(_handle, index));
            return this;
        }
        var most = Encoding.UTF8.GetMaxByteCount(value.Length);
        byte[]? rented = null;
        var buffer = most <= 512 ? stackalloc byte[512] : (rented = System.Buffers.ArrayPool<byte>.Shared.Rent(most));
        try { return BindUtf8(index, buffer[..Encoding.UTF8.GetBytes(value, buffer)]); }
        finally { if (rented is not null) System.Buffers.ArrayPool<byte>.Shared.Return(rented); }
    }

    /// <summary>Runs a statement that returns no rows; the number of rows it changed.</summary>
    public int Execute()
    {
        try
        {
            var rc = sqlite3_step(_handle);
            if (rc != raw.SQLITE_DONE && rc != raw.SQLITE_ROW) Check(rc);
            return sqlite3_changes(_dbHandle);
        }
        finally { Reset(); }
    }

    /// <summary>Steps to the next row; false at the end. Call <see cref="Reset"/> when done reading (also on early exit).</summary>
    public bool Read()
    {
        var rc = sqlite3_step(_handle);
        if (rc == raw.SQLITE_ROW) return true;
        if (rc == raw.SQLITE_DONE) return false;
        Reset();
        Check(rc);
        return false;
    }

    public bool IsNull(int column) => sqlite3_column_type(_handle, column) == raw.SQLITE_NULL;
    public long Long(int column) => sqlite3_column_int64(_handle, column);
    public double Double(int column) => sqlite3_column_double(_handle, column);

    public ReadOnlySpan<byte> Blob(int column)
    {
        var p = sqlite3_column_blob(_handle, column);
        return p == null ? default : new ReadOnlySpan<byte>(p, sqlite3_column_bytes(_handle, column));
    }

    public string? Text(int column)
    {
        var p = sqlite3_column_text(_handle, column);
        return p == null ? null : Encoding.UTF8.GetString(p, sqlite3_column_bytes(_handle, column));
    }

    /// <summary>Makes the statement ready to run again (bindings cleared).</summary>
    public void Reset()
    {
        sqlite3_reset(_handle);
        sqlite3_clear_bindings(_handle);
    }

    /// <summary>The rowid of the last row this connection inserted.</summary>
    public static long LastInsertRowId(SqliteConnection connection) => raw.sqlite3_last_insert_rowid(connection.Handle);

    private void Check(int rc)
    {
        if (rc != raw.SQLITE_OK) SqliteException.ThrowExceptionForRC(rc, _db);
    }

    public void Dispose() => _stmt.Dispose();

    /// <summary>SQLITE_TRANSIENT: SQLite copies the value before the call returns.</summary>
    private static readonly nint Transient = -1;

    // Calls that neither block nor call back into managed code (the VFS is only reached through step and reset) skip the
    // GC transition.
    [DllImport("e_sqlite3"), SuppressGCTransition] private static extern int sqlite3_bind_int64(nint stmt, int index, long value);
    [DllImport("e_sqlite3"), SuppressGCTransition] private static extern int sqlite3_bind_double(nint stmt, int index, double value);
    [DllImport("e_sqlite3"), SuppressGCTransition] private static extern int sqlite3_bind_null(nint stmt, int index);
    [DllImport("e_sqlite3"), SuppressGCTransition] private static extern int sqlite3_bind_blob(nint stmt, int index, byte* value, int bytes, nint destructor);
    [DllImport("e_sqlite3"), SuppressGCTransition] private static extern int sqlite3_bind_text(nint stmt, int index, byte* value, int bytes, nint destructor);
    [DllImport("e_sqlite3"), SuppressGCTransition] private static extern int sqlite3_column_type(nint stmt, int column);
    [DllImport("e_sqlite3"), SuppressGCTransition] private static extern long sqlite3_column_int64(nint stmt, int column);
    [DllImport("e_sqlite3"), SuppressGCTransition] private static extern double sqlite3_column_double(nint stmt, int column);
    [DllImport("e_sqlite3"), SuppressGCTransition] private static extern byte* sqlite3_column_blob(nint stmt, int column);
    [DllImport("e_sqlite3"), SuppressGCTransition] private static extern byte* sqlite3_column_text(nint stmt, int column);
    [DllImport("e_sqlite3"), SuppressGCTransition] private static extern int sqlite3_column_bytes(nint stmt, int column);
    [DllImport("e_sqlite3"), SuppressGCTransition] private static extern int sqlite3_changes(nint db);
    [DllImport("e_sqlite3"), SuppressGCTransition] private static extern int sqlite3_clear_bindings(nint stmt);
    [DllImport("e_sqlite3")] private static extern int sqlite3_step(nint stmt);
    [DllImport("e_sqlite3")] private static extern int sqlite3_reset(nint stmt);
}
