using Microsoft.Data.Sqlite;

namespace EvidenceCheck.Storage.Tests;

/// <summary>The writer's statements bind and read values as SQLite stores them (they call it directly, not through SQLitePCL).</summary>
public sealed class StatementTests : IDisposable
{
    private readonly SqliteConnection _connection = new("Data Source=:memory:");

    public StatementTests()
    {
        _connection.Open();
        SqliteSchema.Execute(_connection, "CREATE TABLE t (id INTEGER PRIMARY KEY, v ANY)");
    }

    /// <summary>Stores a value bound by <paramref name="bind"/>, then reads back its SQL type and the value as the writer reads it.</summary>
    private (string Type, T Value) RoundTrip<T>(Action<Statement> bind, Func<Statement, T> read)
    {
        using var insert = new Statement(_connection, "INSERT INTO t (v) VALUES (?1)");
        bind(insert);
        insert.Execute();
        using var select = new Statement(_connection, "SELECT typeof(v), v FROM t WHERE id = ?1");
        select.Bind(1, Statement.LastInsertRowId(_connection));
        try
        {
            Assert.True(select.Read());
            return (select.Text(0)!, read(select));
        }
        finally { select.Reset(); }
    }

    [Fact]
    public void EmptyTextAndEmptyBlob_AreStoredEmpty_NotNull()
    {
        Assert.Equal(("text", ""), RoundTrip(s => s.Bind(1, ""), s => s.Text(1)));
        Assert.Equal(("text", ""), RoundTrip(s => s.BindUtf8(1, []), s => s.Text(1)));
        Assert.Equal(("blob", 0), RoundTrip(s => s.Bind(1, ReadOnlySpan<byte>.Empty), s => s.Blob(1).Length));
        Assert.Equal(("null", (string?)null), RoundTrip(s => s.Bind(1, (string?)null), s => s.Text(1)));
    }

    [Fact]
    public void Text_IsStoredAsUtf8_WithALoneSurrogateAsReplacement_ShortAndLong()
    {
        Assert.Equal(("text", "Tiananmen 天安门 — ok"), RoundTrip(s => s.Bind(1, "Tiananmen 天安门 — ok"), s => s.Text(1)));
        Assert.Equal(("text", "r-\uFFFD"), RoundTrip(s => s.Bind(1, "r-\ud800"), s => s.Text(1)));
        var longText = string.Concat(Enumerable.Repeat("démocratie ", 500));
        Assert.Equal(("text", longText), RoundTrip(s => s.Bind(1, longText), s => s.Text(1)));
    }

    [Fact]
    public void NumbersAndBlobs_RoundTrip()
    {
        Assert.Equal(("integer", long.MinValue), RoundTrip(s => s.Bind(1, long.MinValue), s => s.Long(1)));
        Assert.Equal(("real", 0.1 + 0.2), RoundTrip(s => s.Bind(1, 0.1 + 0.2), s => s.Double(1)));
        byte[] bytes = [0, 1, 2, 255];
        var (type, stored) = RoundTrip(s => s.Bind(1, bytes), s => s.Blob(1).ToArray());
        Assert.Equal("blob", type);
        Assert.Equal(bytes, stored);
    }

    public void Dispose() => _connection.Dispose();
}
