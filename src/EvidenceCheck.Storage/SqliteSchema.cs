using System.Globalization;
using Microsoft.Data.Sqlite;

namespace EvidenceCheck.Storage;

/// <summary>
/// Opens the database and brings its schema to the current version. Versions are numbered
/// (PRAGMA user_version); each migration runs once, in its own transaction, at start.
/// </summary>
public static class SqliteSchema
{
    /// <summary>Migration N takes the schema from version N to N+1. Append only: never edit a shipped one.</summary>
    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE reports (
            seq            INTEGER PRIMARY KEY,
            report_id      TEXT NOT NULL UNIQUE,
            content_hash   TEXT NOT NULL,
            received_at    TEXT NOT NULL,
            category       TEXT,
            subject        TEXT,
            reporter_id    TEXT,
            campaign_id    TEXT,
            score          REAL,
            level          TEXT,
            flagged        INTEGER NOT NULL DEFAULT 0,
            model_version  TEXT,
            scored_at      TEXT,
            decision       TEXT,
            report_json    TEXT NOT NULL,
            observed_json  TEXT NOT NULL
        );
        CREATE INDEX ix_reports_queue ON reports (flagged, decision, score DESC, seq);
        CREATE INDEX ix_reports_campaign ON reports (campaign_id, seq) WHERE campaign_id IS NOT NULL;

        CREATE TABLE evidence_facts (
            report_seq  INTEGER NOT NULL,
            idx         INTEGER NOT NULL,
            sha256      TEXT,
            facts_json  TEXT NOT NULL,
            PRIMARY KEY (report_seq, idx)
        ) WITHOUT ROWID;

        CREATE TABLE scores (
            id             INTEGER PRIMARY KEY,
            report_seq     INTEGER NOT NULL,
            scored_at      TEXT NOT NULL,
            score          REAL NOT NULL,
            level          TEXT NOT NULL,
            flagged        INTEGER NOT NULL,
            model_version  TEXT NOT NULL,
            campaign_id    TEXT,
            cause          TEXT NOT NULL,
            result_json    TEXT NOT NULL
        );
        CREATE INDEX ix_scores_report ON scores (report_seq, id);

        CREATE TABLE decisions (
            id          INTEGER PRIMARY KEY,
            report_seq  INTEGER NOT NULL,
            decided_at  TEXT NOT NULL,
            decision    TEXT NOT NULL,
            note        TEXT,
            reviewer    TEXT NOT NULL,
            score       REAL,
            model_version TEXT
        );
        CREATE INDEX ix_decisions_report ON decisions (report_seq, id);

        -- Campaign counters: one row per key (a network range on a subject, a device, a file, a MinHash band, a signup-day cohort).
        CREATE TABLE campaign_keys (
            k              INTEGER PRIMARY KEY,
            reports        INTEGER NOT NULL,
            reporters      INTEGER NOT NULL,
            campaign_id    TEXT,
            first_report   TEXT,
            last_report    TEXT,
            last_reporter  TEXT
        );
        -- Which reporters were counted on which key: the hash of (key, reporter).
        CREATE TABLE campaign_key_reporters (kr INTEGER PRIMARY KEY) ;
        CREATE TABLE subject_days (
            subject           INTEGER NOT NULL,
            day               INTEGER NOT NULL,
            reports           INTEGER NOT NULL,
            reporters         INTEGER NOT NULL,
            age_known         INTEGER NOT NULL,
            new_reporters     INTEGER NOT NULL,
            attendance_known  INTEGER NOT NULL,
            attended          INTEGER NOT NULL,
            PRIMARY KEY (subject, day)
        ) WITHOUT ROWID;
        CREATE TABLE campaigns (
            campaign_id       TEXT PRIMARY KEY,
            created_at        TEXT NOT NULL,
            reports           INTEGER NOT NULL,
            reporters         INTEGER NOT NULL,
            merged_into       TEXT,
            rescored_at_size  INTEGER NOT NULL,
            links_json        TEXT NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE campaign_links (
            id                INTEGER PRIMARY KEY,
            campaign_id       TEXT NOT NULL,
            report_id         TEXT NOT NULL,
            linked_report_id  TEXT NOT NULL,
            kind              TEXT NOT NULL,
            detail            TEXT NOT NULL
        );
        CREATE INDEX ix_campaign_links_report ON campaign_links (report_id);
        """,
        // 2: the queue reads only flagged reports without a decision; an index of just those is not written for the
        // (many) reports that are not flagged.
        """
        DROP INDEX ix_reports_queue;
        CREATE INDEX ix_reports_queue ON reports (score DESC, seq) WHERE flagged = 1 AND decision IS NULL;
        """,
        // 3: a key's first reporters live in its own row, and the keys about one subject are neighbours (CampaignEngine
        // lays them out so): a report dirties a few pages, not one per key and one per reporter. The counters of a store
        // written by an earlier version are derived again from its reports at the next start (ReportLedger).
        """
        ALTER TABLE campaign_keys ADD COLUMN reporter_set BLOB;
        ALTER TABLE campaign_keys ADD COLUMN spilled INTEGER NOT NULL DEFAULT 0;
        CREATE TABLE store_state (name TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
        INSERT INTO store_state (name, value) SELECT 'rebuild_campaigns', 'campaign keys laid out by subject (schema 3)' WHERE EXISTS (SELECT 1 FROM reports);
        """,
        // First sightings of devices and files, appended in arrival order (KeySightings is their index, in memory): most are
        // never seen again, and in campaign_keys each cost a random page of its own in the write-ahead log and the
        // checkpoint. A key seen again moves to campaign_keys. Keys stored before stay where they are.
        """
        CREATE TABLE key_sightings (
            id         INTEGER PRIMARY KEY,
            k          INTEGER NOT NULL,
            report_id  TEXT NOT NULL,
            reporter   TEXT NOT NULL
        );
        """,
        // 5: subjects numbered in the order they are first reported; the number is the high half of the keys about the
        // subject (SqliteCampaignStore.SubjectPrefix), so a new subject's keys are written next to the other recent
        // subjects' instead of on a random page of campaign_keys. The keys of a store written before are laid out by the
        // subject's hash: they are derived again at the next start.
        """
        CREATE TABLE subject_ordinals (
            ordinal  INTEGER PRIMARY KEY,
            subject  INTEGER NOT NULL
        );
        INSERT OR REPLACE INTO store_state (name, value) SELECT 'rebuild_campaigns', 'subjects numbered in arrival order (schema 5)' WHERE EXISTS (SELECT 1 FROM reports);
        """,
    ];

    public static int CurrentVersion => Migrations.Length;

    /// <summary>
    /// Process-wide SQLite settings, made once before this process opens its first connection (SQLite refuses them after;
    /// then the defaults stay, which are safe, only slower):
    /// <list type="bullet">
    /// <item>no memory statistics: with them, every allocation SQLite makes took a global mutex to count itself, and nothing
    /// here reads them;</item>
    /// <item>multi-thread mode instead of serialized: no mutex around every call on a connection or a statement. Every
    /// connection of the store is used by one thread at a time (the writer's by the writer, the checkpointer's by its own
    /// thread under its lock, the others opened and closed within one call), which is what this mode asks.</item>
    /// </list>
    /// Measured on the writer's thread (perf, batch phase): mutex lock and unlock were ~5% of its time, malloc and free ~4%.
    /// </summary>
    internal static readonly (int MemoryStatistics, int Threading) Configured = ConfigureSqlite();

    private static (int, int) ConfigureSqlite()
    {
        SQLitePCL.Batteries_V2.Init();
        return (SQLitePCL.raw.sqlite3_config(SQLitePCL.raw.SQLITE_CONFIG_MEMSTATUS, 0), SQLitePCL.raw.sqlite3_config(SQLitePCL.raw.SQLITE_CONFIG_MULTITHREAD));
    }

    /// <summary>Opens a connection with the pragmas every connection needs.</summary>
    /// <param name="coalesceLogIo">Its log appends and checkpoint copies are gathered into few large writes and reads (<see cref="CoalescingWalVfs"/>): for the writer and the checkpointer.</param>
    /// <param name="cacheMegabytes">Its page cache; null for <see cref="StorageOptions.CacheMegabytes"/>.</param>
    public static SqliteConnection Open(StorageOptions options, bool readOnly = false, bool coalesceLogIo = false, int? cacheMegabytes = null)
    {
        _ = Configured;
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = options.DatabasePath,
            Mode = readOnly ? SqliteOpenMode.ReadOnly : SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        };
        if (coalesceLogIo)
        {
            CoalescingWalVfs.EnsureRegistered();
            builder.Vfs = CoalescingWalVfs.Name;
        }
        var connection = new SqliteConnection(builder.ToString());
        connection.Open();
        Execute(connection, $"""
            PRAGMA busy_timeout = 10000;
            PRAGMA synchronous = FULL;
            PRAGMA foreign_keys = OFF;
            PRAGMA temp_store = MEMORY;
            PRAGMA cache_size = -{(cacheMegabytes ?? options.CacheMegabytes) * 1024};
            """);
        return connection;
    }

    /// <summary>Creates the folder and file if needed, switches to WAL, and applies pending migrations.</summary>
    public static void Migrate(StorageOptions options)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(options.DatabasePath)!);
        using var connection = Open(options);
        // WAL: readers never block the writer, and a commit is one append + fsync of the log.
        Execute(connection, "PRAGMA journal_mode = WAL;");
        MigrateInSteps(connection, "PRAGMA user_version;", Migrations, v => $"PRAGMA user_version = {v}",
            v => $"The database at {options.DatabasePath} has schema version {v}, newer than this build knows ({Migrations.Length}). Use a newer build.");
    }

    /// <summary>
    /// Applies pending migrations one at a time, each in a transaction begun IMMEDIATE that reads the version inside it:
    /// two processes starting on one fresh store at once take turns, and the second finds the work done instead of
    /// running a step again ("table already exists"). Reading the version before the transaction left that gap open.
    /// </summary>
    internal static void MigrateInSteps(SqliteConnection connection, string readVersion, IReadOnlyList<string> migrations,
        Func<int, string> stampVersion, Func<int, string> tooNew)
    {
        while (true)
        {
            using var tx = connection.BeginTransaction(deferred: false);
            using var cmd = connection.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = readVersion;
            var version = Convert.ToInt32(cmd.ExecuteScalar(), CultureInfo.InvariantCulture);
            if (version > migrations.Count) throw new InvalidOperationException(tooNew(version));
            if (version == migrations.Count) return;
            cmd.CommandText = migrations[version] + "\n" + stampVersion(version + 1) + ";";
            cmd.ExecuteNonQuery();
            tx.Commit();
        }
    }

    internal static void Execute(SqliteConnection connection, string sql)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    internal static object? Scalar(SqliteConnection connection, string sql)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        return cmd.ExecuteScalar();
    }
}
