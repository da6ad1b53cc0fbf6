namespace EvidenceCheck.Storage;

/// <summary>
/// One writer per store. The writer keeps campaign state in memory beside SQLite (the text index, the key filter);
/// a second writer on the same file would score against state that misses the first one's reports, silently. So the
/// writer holds an exclusive lock on a file beside the database for as long as it is open (an OS lock: a crashed
/// process releases it), and a second one is refused at start, naming the folder. Readers take no lock.
/// </summary>
public sealed class WriterLock : IDisposable
{
    private readonly FileStream _file;

    private WriterLock(FileStream file) => _file = file;

    public static string PathFor(StorageOptions options) => options.DatabasePath + ".writer-lock";

    /// <summary>Takes the store's writer lock, or throws naming the store and the lock file.</summary>
    public static WriterLock Acquire(StorageOptions options)
    {
        var path = PathFor(options);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        FileStream file;
        try
        {
            file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e)
        {
            // The holder's process id is in the file, for `cat`; .NET itself cannot read it while it is locked.
            throw new InvalidOperationException(
                $"The store {options.DatabasePath} is already open for writing by another process (its id is in {path}). " +
                "One writer per store: stop the other service, or give this one its own Storage:DataDirectory.", e);
        }
        file.SetLength(0);
        var pid = System.Text.Encoding.ASCII.GetBytes(Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        file.Write(pid);
        file.Flush();
        return new WriterLock(file);
    }

    public void Dispose() => _file.Dispose();
}
