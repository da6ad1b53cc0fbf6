using System.Globalization;
using EvidenceCheck.Storage;

namespace EvidenceCheck.Cli.Commands;

/// <summary>Makes a reviewer password hash for the service's configuration (Reviewer:Accounts:NAME:PasswordHash).</summary>
internal sealed class HashPasswordCommand : ICliCommand
{
    public string Name => "hash-password";
    public string Summary => "Hash a reviewer password (PBKDF2-SHA256) for the service's configuration.";
    public string Usage => """
        Usage: evidencecheck hash-password [--iterations N] < password.txt

        Reads the password from the first line of standard input (so it stays out of shell history),
        prints pbkdf2-sha256$ITERATIONS$SALT$HASH for Reviewer:Accounts:NAME:PasswordHash.

          --iterations N  PBKDF2 iterations (default 600000)
        Example: read -rs P && printf '%s\n' "$P" | evidencecheck hash-password
        """;

    public async Task<int> RunAsync(string[] args, CliIo io, CancellationToken cancel)
    {
        var iterations = ReviewerPassword.DefaultIterations;
        if (args.Length == 2 && args[0] == "--iterations")
        {
            if (!int.TryParse(args[1], NumberStyles.None, CultureInfo.InvariantCulture, out iterations) || iterations < 100_000)
                throw new UsageException("--iterations must be a whole number of at least 100000.");
        }
        else if (args.Length > 0) throw new UsageException($"unknown option '{args[0]}'.");
        var password = await io.In.ReadLineAsync(cancel);
        if (string.IsNullOrEmpty(password)) throw new UsageException("no password on standard input.");
        if (password.Length < 10) throw new UsageException("a reviewer password needs at least 10 characters.");
        await io.Out.WriteLineAsync(ReviewerPassword.Hash(password, iterations));
        return 0;
    }
}
