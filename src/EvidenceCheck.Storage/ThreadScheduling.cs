using System.Runtime.InteropServices;

namespace EvidenceCheck.Storage;

/// <summary>The calling thread's scheduling priority, on Linux (elsewhere nothing is changed).</summary>
internal static class ThreadScheduling
{
    /// <summary>Sets the calling thread's nice value; null when done, otherwise why not (no permission, not Linux).</summary>
    public static string? TrySetNice(int nice)
    {
        if (!OperatingSystem.IsLinux()) return "thread priorities are only set on Linux";
        if (CurrentThreadId() is not (> 0 and var tid)) return "the C library does not give thread ids (gettid)";
        // PRIO_PROCESS with a thread id sets that thread alone (Linux keeps nice values per thread).
        if (setpriority(0, tid, nice) == 0) return null;
        var errno = Marshal.GetLastPInvokeError();
        return errno == 13 /* EACCES */ || errno == 1 /* EPERM */
            ? "lowering a nice value needs root or CAP_SYS_NICE"
            : $"setpriority failed (errno {errno})";
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int setpriority(int which, int who, int prio);

    /// <summary>The calling thread's id as the kernel knows it (Linux), as in /proc/self/task.</summary>
    /// <returns>0 where there is none to give (not Linux, or a C library older than glibc 2.30).</returns>
    public static int CurrentThreadId()
    {
        if (!OperatingSystem.IsLinux()) return 0;
        try { return gettid(); }
        catch (EntryPointNotFoundException) { return 0; }
    }

    [DllImport("libc")]
    private static extern int gettid();
}
