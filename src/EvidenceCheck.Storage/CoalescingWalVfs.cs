using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace EvidenceCheck.Storage;

/// <summary>
/// An SQLite VFS that is the platform's own (unix) in every respect but the number of system calls its two busiest paths
/// make. On this virtual machine each call costs more than copying the 4 KB page it carries (measured: 3.7–4.2 µs per
/// page as two calls, 0.4 µs gathered into large writes), and SQLite makes one or two per page:
/// <list type="bullet">
/// <item><b>Appends to the write-ahead log</b> are gathered and written with one call per transaction (or per
/// <see cref="BufferBytes"/>, ~128 KB) instead of two per page (a frame's 24-byte header, then its page): a batch commit of
/// ~2,700 pages made ~5,400 calls, and pwrite was a third of the writer thread's time by perf.</item>
/// <item><b>A checkpoint's copies</b> (the log's pages written back into the database, in page order) are gathered into
/// one write per run of neighbouring pages, and while a checkpoint reads frames of the log one after the other (a run of
/// neighbouring pages one transaction wrote) it reads ahead, twice as far at each step: the background checkpointer was
/// ~90% system calls, a read and a write per page. Frames it asks for out of order are read alone: a window of 31 frames
/// read at every such frame had the checkpointer reading 1.24 GB of log to copy 58 MB in a batch load (strace, 4 s),
/// most of its time copying pages it did not use.</item>
/// </list>
/// <para>
/// What SQLite sees does not change. Everything a transaction wrote is in the log file before SQLite goes on to publish it
/// (the page after a commit frame's header is the transaction's last write, and the buffer is written with it), so
/// readers on other connections, the log flush on its own thread (<see cref="LogSync"/>) and recovery after a crash see
/// what they would have. A checkpoint's pages are in the database file before it tells the VFS it is done (SQLite syncs
/// the database and records the copy only after that). Any other use of a file (a read, a sync, its size, truncation, a
/// file control, a write that does not append: checksums rewritten, a page rewritten in place, the log's own header)
/// writes what is buffered first, or goes straight through. Read-ahead serves only reads inside the same checkpoint, of
/// frames it is copying, which nothing changes while it runs. A failed write is returned to SQLite from the call that
/// made it, which fails the transaction or the checkpoint.
/// </para>
/// </summary>
internal static unsafe class CoalescingWalVfs
{
    /// <summary>The name connections ask for (<c>SqliteConnectionStringBuilder.Vfs</c>).</summary>
    public const string Name = "evidencecheck-coalescing-wal";

    /// <summary>
    /// A file's write buffer and a log's read-ahead window: 31 pages of 4 KB. It is the largest write the platform's VFS
    /// makes in one call: it writes <c>amount &amp; 0x1FFFF</c> bytes a call, so a write of exactly 128 KiB or 1 MiB would
    /// write nothing and report the disk full.
    /// </summary>
    public const int BufferBytes = 0x1FFFF;

    private const int SqliteOk = 0, SqliteOpenMainDb = 0x00000100, SqliteOpenWal = 0x00080000, FrameHeaderBytes = 24;
    private const int FileControlCheckpointDone = 37, FileControlCheckpointStart = 39;

    [StructLayout(LayoutKind.Sequential)]
    private struct Vfs
    {
        public int Version, OsFileBytes, MaxPathname;
        public Vfs* Next;
        public byte* ZName;
        public void* AppData;
        public delegate* unmanaged<Vfs*, byte*, File*, int, int*, int> Open;
        // xDelete … xNextSystemCall: taken over from the platform's VFS as they are.
        public fixed long Rest[15];
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct File
    {
        public IoMethods* Methods;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct IoMethods
    {
        public int Version;
        public delegate* unmanaged<File*, int> Close;
        public delegate* unmanaged<File*, byte*, int, long, int> Read;
        public delegate* unmanaged<File*, byte*, int, long, int> Write;
        public delegate* unmanaged<File*, long, int> Truncate;
        public delegate* unmanaged<File*, int, int> Sync;
        public delegate* unmanaged<File*, long*, int> FileSize;
        public nint Lock, Unlock, CheckReservedLock;
        public delegate* unmanaged<File*, int, void*, int> FileControl;
        // xSectorSize … xUnfetch: the platform's own.
        public fixed long Rest[8];
    }

    /// <summary>A log's or a database's buffers, kept in native memory after the platform's file structure.</summary>
    private struct Buffers
    {
        public IoMethods* Platform;
        /// <summary>Writes not yet made: appends to a log, or a checkpoint's neighbouring pages to a database.</summary>
        public byte* Bytes;
        public int Length;
        public long Offset;
        /// <summary>Log: the last write appended a commit frame's header, so its page ends the transaction.</summary>
        public bool CommitHeaderLast;
        /// <summary>Database: between the start and the end of a checkpoint's copying.</summary>
        public bool Checkpointing;
        /// <summary>Log: the window read ahead, valid only in the checkpoint that read it.</summary>
        public byte* Window;
        public int WindowLength;
        public long WindowOffset, WindowCheckpoint, SizeCheckpoint, Size;
        /// <summary>Log: where the frame after the checkpoint's last read starts, and how many frames the next read takes.</summary>
        public long NextOffset, NextCheckpoint;
        public int AheadFrames;
        // Counters for tests: what SQLite asked of the file, and what the file received.
        public long WritesAsked, WritesMade, ReadsAsked, ReadsMade, BytesRead;
    }

    /// <summary>The checkpoint the calling thread is copying (each has its own number), 0 outside one.</summary>
    [ThreadStatic] private static long _checkpoint;
    private static long _checkpoints;

    private static readonly object Gate = new();
    private static Vfs* _platform;
    private static IoMethods* _platformLogMethods, _platformDatabaseMethods, _logMethods, _databaseMethods;
    private static int _buffersSlot;
    private static bool _registered;

    /// <summary>Registers the VFS once per process (not as the default: only connections that ask for it use it).</summary>
    public static void EnsureRegistered()
    {
        if (Volatile.Read(ref _registered)) return;
        lock (Gate)
        {
            if (_registered) return;
            _ = SqliteSchema.Configured;
            var platform = (Vfs*)sqlite3_vfs_find(null);
            if (platform is null) throw new InvalidOperationException("SQLite has no default VFS.");
            var vfs = (Vfs*)NativeMemory.AllocZeroed((nuint)sizeof(Vfs));
            *vfs = *platform;
            vfs->Next = null;
            // The buffers' pointer follows the platform's file structure, 8-byte aligned.
            _buffersSlot = (platform->OsFileBytes + 7) & ~7;
            vfs->OsFileBytes = _buffersSlot + sizeof(Buffers*);
            vfs->ZName = (byte*)Marshal.StringToCoTaskMemUTF8(Name);
            vfs->Open = &Open;
            _platform = platform;
            var rc = sqlite3_vfs_register(vfs, 0);
            if (rc != SqliteOk) throw new InvalidOperationException($"SQLite refused the {Name} VFS (error {rc}).");
            Volatile.Write(ref _registered, true);
        }
    }

    private static ref Buffers* BuffersOf(File* file) => ref *(Buffers**)((byte*)file + _buffersSlot);

    [UnmanagedCallersOnly]
    private static int Open(Vfs* vfs, byte* name, File* file, int flags, int* outFlags)
    {
        // The platform's file structure sits at the start of ours, so its own methods work on our files unchanged.
        var rc = _platform->Open(_platform, name, file, flags, outFlags);
        var log = (flags & SqliteOpenWal) != 0;
        if (rc != SqliteOk || file->Methods is null || !log && (flags & SqliteOpenMainDb) == 0) return rc;
        IoMethods* methods;
        lock (Gate)
        {
            // Our methods forward the platform's, which differ for a log (no locking) and a database. A file the platform
            // handles with yet other methods (its finder chooses per file system) is left as the platform opened it.
            ref var platform = ref log ? ref _platformLogMethods : ref _platformDatabaseMethods;
            ref var ours = ref log ? ref _logMethods : ref _databaseMethods;
            if (platform is null)
            {
                platform = file->Methods;
                ours = log ? LogMethods(file->Methods) : DatabaseMethods(file->Methods);
            }
            else if (platform != file->Methods) return SqliteOk;
            methods = ours;
        }
        var buffers = (Buffers*)NativeMemory.AllocZeroed((nuint)sizeof(Buffers));
        Paths[(nint)buffers] = Marshal.PtrToStringUTF8((nint)name) ?? "";
        buffers->Platform = file->Methods;
        buffers->Bytes = (byte*)NativeMemory.Alloc(BufferBytes);
        BuffersOf(file) = buffers;
        file->Methods = methods;
        return SqliteOk;
    }

    private static IoMethods* LogMethods(IoMethods* platform)
    {
        var log = ForwardingMethods(platform);
        log->Read = &ReadLog;
        log->Write = &WriteLog;
        log->FileControl = &FileControl;
        return log;
    }

    private static IoMethods* DatabaseMethods(IoMethods* platform)
    {
        var database = ForwardingMethods(platform);
        database->Read = &ReadDatabase;
        database->Write = &WriteDatabase;
        database->FileControl = &DatabaseFileControl;
        return database;
    }

    /// <summary>The platform's methods, but for those that must write the buffer out first.</summary>
    private static IoMethods* ForwardingMethods(IoMethods* platform)
    {
        var methods = (IoMethods*)NativeMemory.AllocZeroed((nuint)sizeof(IoMethods));
        *methods = *platform;
        methods->Close = &Close;
        methods->Truncate = &Truncate;
        methods->Sync = &Sync;
        methods->FileSize = &FileSize;
        return methods;
    }

    /// <summary>Writes out what is buffered; the buffer is empty afterwards, whether or not the write succeeded.</summary>
    private static int Flush(File* file, Buffers* b)
    {
        if (b->Length == 0) return SqliteOk;
        var rc = b->Platform->Write(file, b->Bytes, b->Length, b->Offset);
        b->WritesMade++;
        b->Length = 0;
        b->CommitHeaderLast = false;
        return rc;
    }

    private static int Direct(File* file, Buffers* b, byte* data, int amount, long offset)
    {
        b->WritesMade++;
        return b->Platform->Write(file, data, amount, offset);
    }

    private static void Append(Buffers* b, byte* data, int amount)
    {
        new ReadOnlySpan<byte>(data, amount).CopyTo(new Span<byte>(b->Bytes + b->Length, amount));
        b->Length += amount;
    }

    [UnmanagedCallersOnly]
    private static int WriteLog(File* file, byte* data, int amount, long offset)
    {
        var b = BuffersOf(file);
        b->WritesAsked++;
        var appends = b->Length > 0 && offset == b->Offset + b->Length;
        if (!appends || b->Length + amount > BufferBytes)
        {
            var rc = Flush(file, b);
            if (rc != SqliteOk) return rc;
            // Only a frame header starts a buffer; anything else goes straight to the file. A commit frame's header that
            // does not append to one is a rewrite of checksums or a one-frame transaction: nothing would follow it.
            if (amount != FrameHeaderBytes || !appends && IsCommitHeader(data)) return Direct(file, b, data, amount, offset);
            b->Offset = offset;
        }
        var endsTransaction = b->CommitHeaderLast;
        Append(b, data, amount);
        b->CommitHeaderLast = amount == FrameHeaderBytes && IsCommitHeader(data);
        // The commit frame's page is the transaction's last write: SQLite publishes the transaction right after it.
        return endsTransaction ? Flush(file, b) : SqliteOk;
    }

    /// <summary>A frame header's second field is the database's size after a commit, and 0 in every other frame.</summary>
    private static bool IsCommitHeader(byte* header) => *(uint*)(header + 4) != 0;

    [UnmanagedCallersOnly]
    private static int WriteDatabase(File* file, byte* data, int amount, long offset)
    {
        var b = BuffersOf(file);
        b->WritesAsked++;
        // Outside a checkpoint's copying the database is written rarely (schema changes before the log exists): as it comes.
        if (b->Length > 0 && offset == b->Offset + b->Length && b->Length + amount <= BufferBytes)
        {
            Append(b, data, amount);
            return SqliteOk;
        }
        var rc = Flush(file, b);
        if (rc != SqliteOk) return rc;
        if (!b->Checkpointing || amount > BufferBytes) return Direct(file, b, data, amount, offset);
        b->Offset = offset;
        Append(b, data, amount);
        return SqliteOk;
    }

    [UnmanagedCallersOnly]
    private static int ReadLog(File* file, byte* data, int amount, long offset)
    {
        var b = BuffersOf(file);
        var rc = Flush(file, b);
        if (rc != SqliteOk) return rc;
        b->ReadsAsked++;
        var checkpoint = _checkpoint;
        if (checkpoint != 0 && amount <= BufferBytes)
        {
            // A checkpoint reads a page's data, the frame's header skipped: the next frame's starts a header further on.
            var following = b->NextCheckpoint == checkpoint && offset == b->NextOffset;
            (b->NextOffset, b->NextCheckpoint) = (offset + amount + FrameHeaderBytes, checkpoint);
            if (b->WindowCheckpoint == checkpoint && offset >= b->WindowOffset && offset + amount <= b->WindowOffset + b->WindowLength)
            {
                new ReadOnlySpan<byte>(b->Window + (offset - b->WindowOffset), amount).CopyTo(new Span<byte>(data, amount));
                return SqliteOk;
            }
            b->AheadFrames = following ? Math.Min(2 * b->AheadFrames, MaxAheadFrames) : 1;
            // The log's size once per checkpoint: the frames it copies were all written before it began.
            if (b->SizeCheckpoint != checkpoint)
            {
                long size;
                rc = b->Platform->FileSize(file, &size);
                if (rc != SqliteOk) return rc;
                (b->Size, b->SizeCheckpoint) = (size, checkpoint);
            }
            var wanted = (long)b->AheadFrames * (amount + FrameHeaderBytes) - FrameHeaderBytes;
            var length = (int)Math.Min(Math.Min(BufferBytes, wanted), b->Size - offset);
            if (length > amount)
            {
                if (b->Window is null) b->Window = (byte*)NativeMemory.Alloc(BufferBytes);
                b->ReadsMade++;
                b->BytesRead += length;
                b->WindowCheckpoint = 0;
                rc = b->Platform->Read(file, b->Window, length, offset);
                if (rc != SqliteOk) return rc;
                (b->WindowOffset, b->WindowLength, b->WindowCheckpoint) = (offset, length, checkpoint);
                new ReadOnlySpan<byte>(b->Window, amount).CopyTo(new Span<byte>(data, amount));
                return SqliteOk;
            }
        }
        b->ReadsMade++;
        b->BytesRead += amount;
        return b->Platform->Read(file, data, amount, offset);
    }

    /// <summary>
    /// Where the doubling stops: more frames than <see cref="BufferBytes"/> holds at any page size (512 bytes and up). The
    /// window's size is what bounds a read; this only keeps the count from growing without end along a long run.
    /// </summary>
    private const int MaxAheadFrames = 256;

    [UnmanagedCallersOnly]
    private static int ReadDatabase(File* file, byte* data, int amount, long offset)
    {
        var b = BuffersOf(file);
        var rc = Flush(file, b);
        return rc != SqliteOk ? rc : b->Platform->Read(file, data, amount, offset);
    }

    [UnmanagedCallersOnly]
    private static int DatabaseFileControl(File* file, int op, void* arg)
    {
        var b = BuffersOf(file);
        if (op == FileControlCheckpointStart)
        {
            b->Checkpointing = true;
            _checkpoint = Interlocked.Increment(ref _checkpoints);
        }
        else
        {
            var rc = Flush(file, b);
            if (rc != SqliteOk) return rc;
            if (op == FileControlCheckpointDone)
            {
                b->Checkpointing = false;
                _checkpoint = 0;
            }
        }
        return b->Platform->FileControl(file, op, arg);
    }

    [UnmanagedCallersOnly]
    private static int FileControl(File* file, int op, void* arg)
    {
        var b = BuffersOf(file);
        var rc = Flush(file, b);
        return rc != SqliteOk ? rc : b->Platform->FileControl(file, op, arg);
    }

    [UnmanagedCallersOnly]
    private static int Truncate(File* file, long size)
    {
        var b = BuffersOf(file);
        var rc = Flush(file, b);
        return rc != SqliteOk ? rc : b->Platform->Truncate(file, size);
    }

    [UnmanagedCallersOnly]
    private static int Sync(File* file, int flags)
    {
        var b = BuffersOf(file);
        var rc = Flush(file, b);
        return rc != SqliteOk ? rc : b->Platform->Sync(file, flags);
    }

    [UnmanagedCallersOnly]
    private static int FileSize(File* file, long* size)
    {
        var b = BuffersOf(file);
        var rc = Flush(file, b);
        return rc != SqliteOk ? rc : b->Platform->FileSize(file, size);
    }

    [UnmanagedCallersOnly]
    private static int Close(File* file)
    {
        var b = BuffersOf(file);
        var flushed = Flush(file, b);
        if (Paths.TryRemove((nint)b, out var path))
        {
            var calls = new FileCalls(b->WritesAsked, b->WritesMade, b->ReadsAsked, b->ReadsMade, b->BytesRead);
            Closed.AddOrUpdate(path, calls, (_, sum) => sum + calls);
        }
        if (b->Checkpointing) _checkpoint = 0;
        var platform = b->Platform;
        NativeMemory.Free(b->Bytes);
        if (b->Window is not null) NativeMemory.Free(b->Window);
        NativeMemory.Free(b);
        BuffersOf(file) = null;
        var rc = platform->Close(file);
        return flushed != SqliteOk ? flushed : rc;
    }

    /// <summary>Reads and writes SQLite asked of a file, those the file received, and the bytes it read.</summary>
    internal readonly record struct FileCalls(long WritesAsked, long WritesMade, long ReadsAsked, long ReadsMade, long BytesRead)
    {
        public static FileCalls operator +(FileCalls a, FileCalls b) => new(a.WritesAsked + b.WritesAsked, a.WritesMade + b.WritesMade,
            a.ReadsAsked + b.ReadsAsked, a.ReadsMade + b.ReadsMade, a.BytesRead + b.BytesRead);
    }

    // For tests: the file each buffer belongs to, and the calls of closed files.
    private static readonly ConcurrentDictionary<nint, string> Paths = new();
    private static readonly ConcurrentDictionary<string, FileCalls> Closed = new();

    /// <summary>
    /// Calls on a file opened through this VFS (a database or its log), summed over the times it was closed since start.
    /// </summary>
    internal static FileCalls ClosedFileCalls(string path) => Closed.GetValueOrDefault(Path.GetFullPath(path));

    [DllImport("e_sqlite3")]
    private static extern void* sqlite3_vfs_find(byte* name);

    [DllImport("e_sqlite3")]
    private static extern int sqlite3_vfs_register(void* vfs, int makeDefault);
}
