using System.Buffers.Binary;
using System.Diagnostics;
using System.Security.Cryptography;
using EvidenceCheck.Core.Evidence;
using EvidenceCheck.Forensics;

namespace EvidenceCheck.Benchmarks;

/// <summary>
/// Single-thread throughput of reading evidence files into facts (no pixel is decoded), on the
/// image fixtures of the Forensics tests: as committed (1–8 KB), and padded to typical sizes
/// (screenshots ~600 KB, photos ~3 MB) by growing the compressed image data, which is what a
/// real file of that size carries after the same headers. Three stages are timed apart: the
/// metadata parsers alone, SHA-256 alone, and the whole inspection (type, hash, metadata, time limit).
///   dotnet run -c Release --project tests/EvidenceCheck.Benchmarks -- inspect [rounds] [repeat]
/// </summary>
public static class InspectBenchmark
{
    private static readonly string[] Images =
    [
        "photo-hongkong.jpg", "photo-offset.jpg", "photo-resaved.jpg", "photo.webp", "photo.heic",
        "screenshot-after-meeting.png", "screenshot-stripped.png", "real-gnome-screenshot.png", "real-photoshop-export.png",
    ];

    public static Task<int> Run(string[] args)
    {
        var rounds = args.Length > 0 ? int.Parse(args[0]) : 7;
        var repeats = args.Length > 1 ? int.Parse(args[1]) : 400;
        var folder = Path.Combine(EvidenceCheck.Testing.RepositoryRoot.Folder, "tests", "EvidenceCheck.Forensics.Tests", "Files");
        var small = Images.Select(n => (Name: n, Bytes: File.ReadAllBytes(Path.Combine(folder, n)))).ToArray();
        var typical = small.Select(f => (f.Name, Bytes: Pad(f.Bytes, f.Name.Contains("screenshot") ? 600_000 : 3_000_000))).ToArray();
        var inspector = new FileEvidenceInspector();

        Console.WriteLine($"inspect benchmark: {small.Length} image files × {repeats} per round ({repeats / 20} at typical sizes), {rounds} rounds, 1 thread (medians)");
        // Tiered compilation promotes hot code in the background (slower on a busy machine): run every
        // path for a few seconds first so the first stage timed is not measured at tier 0.
        for (var warm = Stopwatch.StartNew(); warm.Elapsed < TimeSpan.FromSeconds(5);)
            foreach (var (name, bytes) in small.Concat(typical.Take(2)))
            {
                inspector.InspectBytes(bytes, name);
                if (MediaTypeSniffer.Detect(bytes) is { } type) ImageFactsReader.Read(bytes, type, new EvidenceFacts());
            }
        foreach (var (label, files, times) in new[] { ("as committed", small, repeats), ("typical sizes", typical, Math.Max(1, repeats / 20)) })
        {
            var repeat = times;
            var perRound = files.Length * repeat;
            var meanKb = files.Average(f => f.Bytes.Length) / 1024;
            Console.WriteLine($"  {label} (mean {meanKb:N0} KB):");
            Report("metadata parsers only", perRound, rounds, () =>
            {
                for (var r = 0; r < repeat; r++)
                    foreach (var (_, bytes) in files)
                    {
                        var facts = new EvidenceFacts();
                        if (MediaTypeSniffer.Detect(bytes) is { } type) ImageFactsReader.Read(bytes, type, facts);
                    }
            });
            Report("SHA-256 only", perRound, rounds, () =>
            {
                for (var r = 0; r < repeat; r++)
                    foreach (var (_, bytes) in files) SHA256.HashData(bytes);
            });
            Report("inspect (type + hash + metadata)", perRound, rounds, () =>
            {
                for (var r = 0; r < repeat; r++)
                    foreach (var (name, bytes) in files)
                        if (!inspector.InspectBytes(bytes, name).Readable) throw new InvalidOperationException(name + " unreadable");
            });
        }
        return Task.FromResult(0);
    }

    private static void Report(string name, int files, int rounds, Action body)
    {
        // Warm up for a second, so tiered compilation has promoted the hot paths before anything is timed.
        for (var warm = Stopwatch.StartNew(); warm.Elapsed < TimeSpan.FromSeconds(1);) body();
        var wall = new List<double>();
        var cpu = new List<double>();
        for (var i = 0; i < rounds; i++)
        {
            GC.Collect();
            var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            // At least half a second per round: process CPU time is counted in 10 ms ticks.
            var done = 0L;
            do { body(); done += files; } while (clock.Elapsed < TimeSpan.FromSeconds(0.5));
            wall.Add(done / clock.Elapsed.TotalSeconds);
            cpu.Add(done / (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds);
        }
        wall.Sort();
        cpu.Sort();
        // Per CPU-second of this process (all its threads): what one core does, whatever else the machine is running.
        Console.WriteLine($"    {name,-36} {cpu[cpu.Count / 2],10:N0} files per CPU-second   ({wall[wall.Count / 2],8:N0} files/s wall clock)");
    }

    /// <summary>
    /// Grows a file to about <paramref name="size"/> bytes where its image data lies: inside a JPEG's
    /// entropy-coded scan (no 0xFF, so no marker appears), as an extra PNG IDAT chunk, or an extra
    /// chunk at the end of a RIFF or ISO-BMFF file. Headers and metadata stay where they were.
    /// </summary>
    private static byte[] Pad(byte[] file, int size)
    {
        var padding = new byte[Math.Max(0, size - file.Length)];
        new Random(7).NextBytes(padding);
        if (file[0] == 0xFF && file[1] == 0xD8)
        {
            for (var i = 0; i < padding.Length; i++) if (padding[i] == 0xFF) padding[i] = 0xFE;
            return [.. file.AsSpan(0, file.Length - 2), .. padding, 0xFF, 0xD9];
        }
        if (file[0] == 0x89 && file[1] == (byte)'P')
        {
            var iend = file.Length - 12;
            var chunk = new byte[12 + padding.Length];
            BinaryPrimitives.WriteInt32BigEndian(chunk, padding.Length);
            "IDAT"u8.CopyTo(chunk.AsSpan(4));
            padding.CopyTo(chunk.AsSpan(8));
            return [.. file.AsSpan(0, iend), .. chunk, .. file.AsSpan(iend)];
        }
        // RIFF (WebP) and ISO-BMFF (HEIC) readers walk chunk by chunk; a trailing "free"/"JUNK" box is skipped by size.
        var box = new byte[8 + padding.Length];
        if (file.AsSpan(0, 4).SequenceEqual("RIFF"u8))
        {
            "JUNK"u8.CopyTo(box);
            BinaryPrimitives.WriteInt32LittleEndian(box.AsSpan(4), padding.Length);
            var grown = new byte[file.Length + box.Length];
            file.CopyTo(grown, 0);
            padding.CopyTo(box, 8);
            box.CopyTo(grown, file.Length);
            BinaryPrimitives.WriteInt32LittleEndian(grown.AsSpan(4), grown.Length - 8);
            return grown;
        }
        BinaryPrimitives.WriteInt32BigEndian(box, box.Length);
        "free"u8.CopyTo(box.AsSpan(4));
        return [.. file, .. box];
    }
}
