using System.Runtime.InteropServices;

namespace EvidenceCheck.Storage;

/// <summary>
/// An SQLite VFS that is the platform's own (unix) in every respect but one: a connection's appends to its write-ahead log
/// are gathered in a buffer and written with one system call per transaction (or per <see cref="BufferBytes"/>, ~128 KB), instead of
/// two per page. SQLite writes each frame of the log as its 24-byte header and then its page, each with its own pwrite;
/// a batch commit of ~2,700 pages made ~5,400 calls, and on this virtual machine each call costs more than copying the
/// page (measured: 3.7–4.2 µs per frame as two calls, 0.44 µs per frame gathered into large writes; by perf, pwrite was a
/// third of the writer thread's time).
/// <para>
/// What SQLite sees does not change. Everything a transaction wrote is in the file before SQLite goes on to publish it
/// (the page after a commit frame's header is the transaction's last write, and the buffer is written with it), so
/// readers on other connections, the log flush on its own thread (<see cref="LogSync"/>) and recovery after a crash see
/// what they would have. Any other use of the file (a read, a sync, its size, truncation, a write that does not append:
/// checksums rewritten, a page rewritten in place, the log's own header) writes the buffer first, or goes straight
/// through. A failed write is returned to SQLite from the call that made it, which fails the transaction.
/// </para>
/// </summary>
internal static unsafe class CoalescingWalVfs
{
    /// <summary>The name connections ask for (<c>SqliteConnectionStringBuilder.Vfs</c>).</summary>
    public const string Name = "evidencecheck-coalescing-wal";

    /// <summary>
    /// A log's buffer: a transaction larger than this goes out in pieces of this size (31 frames of 4 KB pages). It is the
    /// largest write the platform's VFS makes in one call: it writes <c>amount &amp; 0x1FFFF</c> bytes a call, so a write of
    /// exactly 128 KiB or 1 MiB would write nothing and report the disk full.
    /// </summary>
    public const int BufferBytes = 0x1FFFF;

    private const int SqliteOk = 0, SqliteOpenWal = 0x00080000, FrameHeaderBytes = 24;

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

    /// <summary>A log file's buffer, kept in native memory after the platform's file structure.</summary>
    private struct LogBuffer
    {
        public IoMethods* Platform;
        public byte* Bytes;
        public int Length;
        public long Offset;
        /// <summary>The last write appended a commit frame's header: its page ends the transaction.</summary>
        public bool CommitHeaderLast;
        // Counters for tests: writes SQLite made, and writes the file received.
        public long WritesAsked, WritesMade;
    }

    private static readonly object Gate = new();
    private static Vfs* _platform;
    private static IoMethods* _logMethods, _platformLogMethods;
    private static int _bufferSlot;
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
            // The buffer's pointer follows the platform's file structure, 8-byte aligned.
            _bufferSlot = (platform->OsFileBytes + 7) & ~7;
            vfs->OsFileBytes = _bufferSlot + sizeof(LogBuffer*);
            vfs->ZName = (byte*)Marshal.StringToCoTaskMemUTF8(Name);
            vfs->Open = &Open;
            _platform = platform;
            var rc = sqlite3_vfs_register(vfs, 0);
            if (rc != SqliteOk) throw new InvalidOperationException($"SQLite refused the {Name} VFS (error {rc}).");
            Volatile.Write(ref _registered, true);
        }
    }

    private static ref LogBuffer* BufferOf(File* file) => ref *(LogBuffer**)((byte*)file + _bufferSlot);

    [UnmanagedCallersOnly]
    private static int Open(Vfs* vfs, byte* name, File* file, int flags, int* outFlags)
    {
        // The platform's file structure sits at the start of ours, so its own methods work on our files unchanged.
        var rc = _platform->Open(_platform, name, file, flags, outFlags);
        if (rc != SqliteOk || (flags & SqliteOpenWal) == 0 || file->Methods is null) return rc;
        lock (Gate)
        {
            // Our methods forward the platform's for a log. A log on a file system the platform handles with other methods
            // (its finder chooses per file) is left as the platform opened it, unbuffered.
            if (_platformLogMethods is not null && _platformLogMethods != file->Methods) return SqliteOk;
            if (_logMethods is null)
            {
                _platformLogMethods = file->Methods;
                var methods = (IoMethods*)NativeMemory.AllocZeroed((nuint)sizeof(IoMethods));
                *methods = *file->Methods;
                methods->Close = &Close;
                methods->Read = &Read;
                methods->Write = &Write;
                methods->Truncate = &Truncate;
                methods->Sync = &Sync;
                methods->FileSize = &FileSize;
                methods->FileControl = &FileControl;
                _logMethods = methods;
            }
        }
        var buffer = (LogBuffer*)NativeMemory.AllocZeroed((nuint)sizeof(LogBuffer));
        Paths[(nint)buffer] = Marshal.PtrToStringUTF8((nint)name) ?? "";
        buffer->Platform = file->Methods;
        buffer->Bytes = (byte*)NativeMemory.Alloc(BufferBytes);
        BufferOf(file) = buffer;
        file->Methods = _logMethods;
        return SqliteOk;
    }

    /// <summary>Writes out what is buffered; the buffer is empty afterwards, whether or not the write succeeded.</summary>
    private static int Flush(File* file, LogBuffer* b)
    {
        if (b->Length == 0) return SqliteOk;
        var rc = b->Platform->Write(file, b->Bytes, b->Length, b->Offset);
        b->WritesMade++;
        b->Length = 0;
        b->CommitHeaderLast = false;
        return rc;
    }

    [UnmanagedCallersOnly]
    private static int Write(File* file, byte* data, int amount, long offset)
    {
        var b = BufferOf(file);
        b->WritesAsked++;
        var appends = b->Length > 0 && offset == b->Offset + b->Length;
        if (!appends)
        {
            var rc = Flush(file, b);
            if (rc != SqliteOk) return rc;
            // Only a frame that does not commit starts a buffer; anything else goes straight to the file. (A commit frame's
            // header written on its own is a rewrite of checksums, or a one-frame transaction: nothing would follow it.)
            if (amount != FrameHeaderBytes || IsCommitHeader(data)) return Direct(file, b, data, amount, offset);
            b->Offset = offset;
        }
        else if (b->Length + amount > BufferBytes)
        {
            var rc = Flush(file, b);
            if (rc != SqliteOk) return rc;
            if (amount != FrameHeaderBytes) return Direct(file, b, data, amount, offset);
            b->Offset = offset;
        }
        var endsTransaction = b->CommitHeaderLast;
        new ReadOnlySpan<byte>(data, amount).CopyTo(new Span<byte>(b->Bytes + b->Length, amount));
        b->Length += amount;
        b->CommitHeaderLast = amount == FrameHeaderBytes && IsCommitHeader(data);
        // The commit frame's page is the transaction's last write: SQLite publishes the transaction right after it.
        return endsTransaction ? Flush(file, b) : SqliteOk;
    }

    private static int Direct(File* file, LogBuffer* b, byte* data, int amount, long offset)
    {
        b->WritesMade++;
        return b->Platform->Write(file, data, amount, offset);
    }

    /// <summary>A frame header's second field is the database's size after a commit, and 0 in every other frame.</summary>
    private static bool IsCommitHeader(byte* header) => *(uint*)(header + 4) != 0;

    [UnmanagedCallersOnly]
    private static int Read(File* file, byte* data, int amount, long offset)
    {
        var b = BufferOf(file);
        var rc = Flush(file, b);
        return rc != SqliteOk ? rc : b->Platform->Read(file, data, amount, offset);
    }

    [UnmanagedCallersOnly]
    private static int Truncate(File* file, long size)
    {
        var b = BufferOf(file);
        var rc = Flush(file, b);
        return rc != SqliteOk ? rc : b->Platform->Truncate(file, size);
    }

    [UnmanagedCallersOnly]
    private static int Sync(File* file, int flags)
    {
        var b = BufferOf(file);
        var rc = Flush(file, b);
        return rc != SqliteOk ? rc : b->Platform->Sync(file, flags);
    }

    [UnmanagedCallersOnly]
    private static int FileSize(File* file, long* size)
    {
        var b = BufferOf(file);
        var rc = Flush(file, b);
        return rc != SqliteOk ? rc : b->Platform->FileSize(file, size);
    }

    [UnmanagedCallersOnly]
    private static int FileControl(File* file, int op, void* arg)
    {
        var b = BufferOf(file);
        var rc = Flush(file, b);
        return rc != SqliteOk ? rc : b->Platform->FileControl(file, op, arg);
    }

    [UnmanagedCallersOnly]
    private static int Close(File* file)
    {
        var b = BufferOf(file);
        var flushed = Flush(file, b);
        if (Paths.TryRemove((nint)b, out var path))
            Closed.AddOrUpdate(path, (b->WritesAsked, b->WritesMade), (_, sum) => (sum.Asked + b->WritesAsked, sum.Made + b->WritesMade));
        var platform = b->Platform;
        NativeMemory.Free(b->Bytes);
        NativeMemory.Free(b);
        BufferOf(file) = null;
        var rc = platform->Close(file);
        return flushed != SqliteOk ? flushed : rc;
    }

    // For tests: the log each buffer belongs to, and the writes of closed logs.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<nint, string> Paths = new();
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, (long Asked, long Made)> Closed = new();

    /// <summary>
    /// Writes SQLite asked of a log opened through this VFS, summed over the times it was closed since start, and the writes
    /// the file received (the second is far smaller when writes are gathered).
    /// </summary>
    internal static (long Asked, long Made) ClosedLogWrites(string logPath) => Closed.GetValueOrDefault(Path.GetFullPath(logPath));

    [DllImport("e_sqlite3")]
    private static extern void* sqlite3_vfs_find(byte* name);

    [DllImport("e_sqlite3")]
    private static extern int sqlite3_vfs_register(void* vfs, int makeDefault);
}
