namespace EvidenceCheck.Cli.Commands;

/// <summary>Small, strict argument reading: --flag, --option VALUE, positionals. Unknown options are usage errors.</summary>
internal sealed class ArgReader
{
    private readonly List<string> _args;

    public ArgReader(string[] args) => _args = [.. args];

    public bool Flag(string name) => _args.Remove(name);

    public string? Option(string name)
    {
        var i = _args.IndexOf(name);
        if (i < 0) return null;
        if (i + 1 >= _args.Count || _args[i + 1].StartsWith("--", StringComparison.Ordinal)) throw new UsageException($"{name} needs a value");
        var value = _args[i + 1];
        _args.RemoveRange(i, 2);
        return value;
    }

    public int IntOption(string name, int fallback, int min, int max)
    {
        if (Option(name) is not { } text) return fallback;
        if (!int.TryParse(text, out var value) || value < min || value > max)
            throw new UsageException($"{name} must be a whole number from {min} to {max} (got '{text}')");
        return value;
    }

    /// <summary>What is left once options are taken; anything starting with -- is an unknown option.</summary>
    public List<string> Positionals()
    {
        if (_args.FirstOrDefault(a => a.StartsWith("--", StringComparison.Ordinal)) is { } unknown) throw new UsageException($"unknown option {unknown}");
        return _args;
    }
}
