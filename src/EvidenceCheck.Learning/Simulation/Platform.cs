using EvidenceCheck.Core.Contract;

namespace EvidenceCheck.Learning.Simulation;

/// <summary>A simulated account: what the platform knows about it, plus what only the simulator knows (its time zone).</summary>
internal sealed class SimAccount
{
    public required string Id { get; init; }
    public required string DisplayName { get; init; }
    public required string Email { get; init; }
    public bool EmailVerified { get; init; }
    public required string Country { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public int MeetingsAttended { get; init; }
    public int ReportsFiled { get; init; }
    public int ReportsUpheld { get; init; }
    public required string SignupIp { get; init; }
    /// <summary>The address the account usually connects from (same network as signup for most people).</summary>
    public required string UsualIp { get; init; }
    public required List<string> Devices { get; init; }
    public required TimeSpan UtcOffset { get; init; }
    public required string UserAgent { get; init; }

    /// <summary>The platform's snapshot of this account; a few fields go missing at random, as records do.</summary>
    public Account ToContract(Random random, double missing = 0.03) => new()
    {
        AccountId = Id,
        CreatedAt = random.NextDouble() < missing ? null : Platform.Seconds(CreatedAt),
        DisplayName = DisplayName,
        Email = random.NextDouble() < missing ? null : Email,
        EmailVerified = random.NextDouble() < missing ? null : EmailVerified,
        Country = random.NextDouble() < missing ? null : Country,
        MeetingsAttended = random.NextDouble() < missing ? null : MeetingsAttended,
        ReportsFiled = random.NextDouble() < missing ? null : ReportsFiled,
        ReportsUpheld = random.NextDouble() < missing ? null : Math.Min(ReportsUpheld, ReportsFiled),
        SignupIp = random.NextDouble() < missing ? null : SignupIp,
        DeviceIds = random.NextDouble() < missing ? null : [.. Devices],
    };
}

/// <summary>One stretch of presence in a meeting.</summary>
internal sealed record SimStretch(SimAccount Account, DateTimeOffset Joined, DateTimeOffset Left, string Ip, string Country);

internal sealed class SimMeeting
{
    public required string Id { get; init; }
    public required string Title { get; init; }
    public List<string>? Tags { get; init; }
    public required SimAccount Host { get; init; }
    public DateTimeOffset? ScheduledAt { get; init; }
    public required DateTimeOffset Start { get; init; }
    public required DateTimeOffset End { get; init; }
    public bool AtRisk { get; init; }
    public List<SimStretch> Stretches { get; } = [];
    public List<ChatMessage> Chat { get; } = [];
    /// <summary>Noise: the platform lost this meeting's attendance or chat record.</summary>
    public bool AttendanceLost { get; init; }
    public bool ChatNotKept { get; init; }

    public IEnumerable<SimAccount> Attendees => Stretches.Select(s => s.Account).Distinct();

    public IEnumerable<SimStretch> StretchesOf(SimAccount a) => Stretches.Where(s => s.Account == a);

    public bool PresentAt(SimAccount a, DateTimeOffset t) => Stretches.Any(s => s.Account == a && t >= s.Joined && t <= s.Left);

    /// <summary>A moment inside one of the account's stretches (the meeting start when it never attended).</summary>
    public DateTimeOffset MomentPresent(SimAccount a, Random random)
    {
        var stretches = StretchesOf(a).ToArray();
        if (stretches.Length == 0) return Start;
        var s = stretches[random.Next(stretches.Length)];
        var span = (s.Left - s.Joined).TotalSeconds;
        return s.Joined + TimeSpan.FromSeconds(span * (0.1 + 0.8 * random.NextDouble()));
    }

    public void Say(SimAccount a, DateTimeOffset at, string text) => Chat.Add(new ChatMessage { AccountId = a.Id, SentAt = at, Text = text });

    /// <summary>The platform's record of the meeting as it stood when a report arrived.</summary>
    public Meeting Snapshot(DateTimeOffset at) => new()
    {
        MeetingId = Id,
        Title = Title,
        Tags = Tags is null ? null : [.. Tags],
        HostAccountId = Host.Id,
        ScheduledAt = ScheduledAt is { } scheduled ? Platform.Seconds(scheduled) : null,
        StartedAt = Start <= at ? Platform.Seconds(Start) : null,
        EndedAt = End <= at ? Platform.Seconds(End) : null,
        Participants = AttendanceLost ? null :
            Stretches.Where(s => s.Joined <= at).OrderBy(s => s.Joined).Select(s => new Participant
            {
                AccountId = s.Account.Id, DisplayName = s.Account.DisplayName, JoinedAt = Platform.Seconds(s.Joined),
                LeftAt = s.Left <= at ? Platform.Seconds(s.Left) : null, Ip = s.Ip, Country = s.Country,
            }).ToList(),
        Chat = ChatNotKept ? null : Chat.Where(c => c.SentAt <= at).OrderBy(c => c.SentAt)
            .Select(c => new ChatMessage { AccountId = c.AccountId, SentAt = c.SentAt is { } sent ? Platform.Seconds(sent) : null, Text = c.Text }).ToList(),
    };
}

/// <summary>What kind of person an account belongs to; sets its age, activity and mail domain.</summary>
internal enum AccountKind { Established, Newcomer, Fresh, Sleeper, Staff }

/// <summary>
/// The simulated platform: makes accounts and meetings with realistic ages, activity, countries,
/// networks and attendance. All randomness comes from the one seeded <see cref="Random"/>.
/// </summary>
internal sealed class Platform(Random random, DateTimeOffset epoch, int days)
{
    private int _accounts, _meetings;
    private readonly Dictionary<string, int> _countryNetwork = [];

    public Random Random { get; } = random;
    public DateTimeOffset Epoch { get; } = epoch;
    public int Days { get; } = days;

    public const string StaffDomain = "corp.meetly.example";

    private static readonly (string Code, double Weight, double Offset)[] Countries =
    [
        ("US", 30, -5), ("CA", 6, -5), ("GB", 8, 1), ("DE", 6, 2), ("FR", 4, 2), ("NL", 3, 2), ("AU", 4, 10),
        ("TW", 8, 8), ("HK", 7, 8), ("JP", 5, 9), ("CN", 6, 8), ("SG", 3, 8), ("KR", 3, 9), ("IN", 4, 5.5), ("BR", 3, -3),
    ];

    private static readonly string[] UserAgents =
    [
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/83.0.4103.61 Safari/537.36",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/13.1.1 Safari/605.1.15",
        "Mozilla/5.0 (X11; Linux x86_64; rv:77.0) Gecko/20100101 Firefox/77.0",
        "Meetly/5.0.4 (iPhone; iOS 13.5; Scale/3.00)",
        "Meetly/5.0.4 (Android 10; SM-G973F)",
        "Meetly-Desktop/5.0.2 (Windows 10)",
    ];

    /// <summary>Platform records keep whole seconds.</summary>
    public static DateTimeOffset Seconds(DateTimeOffset t) => new(t.Ticks - t.Ticks % TimeSpan.TicksPerSecond, t.Offset);

    public T Pick<T>(IReadOnlyList<T> items) => items[Random.Next(items.Count)];
    public bool Chance(double p) => Random.NextDouble() < p;
    public double Uniform(double a, double b) => a + (b - a) * Random.NextDouble();
    public TimeSpan Minutes(double a, double b) => TimeSpan.FromMinutes(Uniform(a, b));

    /// <summary>Log-normal draw: account ages and activity are heavy-tailed.</summary>
    public double LogNormal(double median, double sigma)
    {
        var u1 = 1.0 - Random.NextDouble();
        var u2 = Random.NextDouble();
        var normal = Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
        return median * Math.Exp(sigma * normal);
    }

    public int Poisson(double mean)
    {
        // Knuth's method is fine for the small means used here; large means use a normal approximation.
        if (mean > 30) return Math.Max(0, (int)Math.Round(mean + Math.Sqrt(mean) * NormalDraw()));
        var l = Math.Exp(-mean);
        var k = 0;
        var p = 1.0;
        do { k++; p *= Random.NextDouble(); } while (p > l);
        return k - 1;
    }

    private double NormalDraw() => Math.Sqrt(-2 * Math.Log(1.0 - Random.NextDouble())) * Math.Cos(2 * Math.PI * Random.NextDouble());

    public string Country()
    {
        var total = Countries.Sum(c => c.Weight);
        var x = Random.NextDouble() * total;
        foreach (var c in Countries) { if ((x -= c.Weight) <= 0) return c.Code; }
        return "US";
    }

    public static TimeSpan OffsetOf(string country) =>
        TimeSpan.FromHours(Countries.FirstOrDefault(c => c.Code == country) is { Code: not null } c ? c.Offset : 0);

    /// <summary>An address on the country's networks; each country gets a few /16s of its own.</summary>
    public string IpIn(string country)
    {
        if (!_countryNetwork.TryGetValue(country, out var first))
            _countryNetwork[country] = first = 20 + (Math.Abs(StableHash(country)) % 180);
        return $"{first}.{Random.Next(0, 4) * 40 + Random.Next(40)}.{Random.Next(256)}.{Random.Next(1, 255)}";
    }

    /// <summary>Another address in the same /24: a household, an office, or a sock-puppet farm behind one line.</summary>
    public string SameRange(string ip) => ip[..(ip.LastIndexOf('.') + 1)] + Random.Next(1, 255);

    public string NewDevice() => "d-" + Random.Next().ToString("x8");

    public SimAccount NewAccount(AccountKind kind, DateTimeOffset now, string? name = null, string? country = null,
        DateTimeOffset? createdAt = null, string? signupIp = null, string? device = null, string? emailDomain = null)
    {
        country ??= kind == AccountKind.Staff ? "US" : Country();
        var ageDays = kind switch
        {
            AccountKind.Established => 30 + LogNormal(420, 0.9),
            AccountKind.Newcomer => Uniform(0.04, 6.5),
            AccountKind.Fresh => Uniform(0.02, 2.5),
            AccountKind.Sleeper => Uniform(200, 1500),
            _ => Uniform(400, 2500),
        };
        var created = createdAt ?? now - TimeSpan.FromDays(ageDays);
        ageDays = (now - created).TotalDays;
        name ??= Names.Person(Random);
        var domain = emailDomain ?? kind switch
        {
            AccountKind.Staff => StaffDomain,
            AccountKind.Fresh => Chance(0.55) ? Pick(Names.DisposableDomains) : Pick(Names.MailDomains),
            _ => Pick(Names.MailDomains),
        };
        var meetings = kind switch
        {
            AccountKind.Established => Poisson(Math.Min(25, 1 + ageDays / 20)) + 1,
            AccountKind.Newcomer => Random.Next(0, 3),
            AccountKind.Fresh => Random.Next(0, 2),
            AccountKind.Sleeper => Random.Next(0, 6),
            _ => Poisson(20),
        };
        var filed = kind switch
        {
            AccountKind.Established => Chance(0.6) ? 0 : Poisson(2),
            AccountKind.Staff => 20 + Poisson(60),
            _ => 0,
        };
        var upheld = filed == 0 ? 0 : (int)Math.Round(filed * Uniform(kind == AccountKind.Staff ? 0.7 : 0.3, 1.0));
        signupIp ??= IpIn(country);
        var devices = new List<string> { device ?? NewDevice() };
        if (kind is AccountKind.Established or AccountKind.Staff && Chance(0.5)) devices.Add(NewDevice());
        return new SimAccount
        {
            Id = $"u-{++_accounts}",
            DisplayName = name,
            Email = Names.Mailbox(name, Random) + "@" + domain,
            EmailVerified = kind switch { AccountKind.Fresh => Chance(0.35), AccountKind.Newcomer => Chance(0.6), _ => Chance(0.96) },
            Country = country,
            CreatedAt = created,
            MeetingsAttended = meetings,
            ReportsFiled = filed,
            ReportsUpheld = upheld,
            SignupIp = signupIp,
            UsualIp = kind == AccountKind.Established && Chance(0.3) ? IpIn(country) : SameRange(signupIp),
            Devices = devices,
            UtcOffset = OffsetOf(country),
            UserAgent = Pick(UserAgents),
        };
    }

    /// <summary>A meeting with its host and ordinary attendees, their comings and goings, and some chat.</summary>
    public SimMeeting NewMeeting(DateTimeOffset start, bool atRisk, SimAccount? host = null, int? attendees = null)
    {
        host ??= NewAccount(AccountKind.Established, start);
        var duration = Minutes(40, 170);
        var title = atRisk ? Pick(Names.AtRiskTitles) : Pick(Names.OrdinaryTitles);
        var meeting = new SimMeeting
        {
            Id = $"m-{++_meetings}",
            Title = title,
            Tags = Chance(0.3) ? null : atRisk ? [.. Pick(Names.AtRiskTags)] : [.. Pick(Names.OrdinaryTags)],
            Host = host,
            ScheduledAt = Chance(0.1) ? null : start - TimeSpan.FromDays(Uniform(0.5, 14)),
            Start = start,
            End = start + duration,
            AtRisk = atRisk,
            AttendanceLost = Chance(0.02),
            ChatNotKept = Chance(0.15),
        };
        Attend(meeting, host, meeting.Start, meeting.End, allowDrop: true);
        var n = attendees ?? 3 + Random.Next(0, 14);
        for (var i = 0; i < n; i++)
        {
            var a = NewAccount(Chance(0.9) ? AccountKind.Established : AccountKind.Newcomer, start);
            var joined = meeting.Start + TimeSpan.FromMinutes(Math.Min(30, LogNormal(3, 1)));
            var left = Chance(0.7) ? meeting.End - TimeSpan.FromMinutes(Math.Min(10, LogNormal(1, 1))) : joined + (meeting.End - joined) * Uniform(0.3, 0.9);
            Attend(meeting, a, joined, left, allowDrop: true);
        }
        var messages = Random.Next(0, 12);
        var present = meeting.Attendees.ToArray();
        for (var i = 0; i < messages; i++)
        {
            var who = Pick(present);
            meeting.Say(who, meeting.MomentPresent(who, Random), Pick(Names.ChatLines));
        }
        return meeting;
    }

    /// <summary>Adds the account's presence, sometimes as two stretches (a dropped connection and a rejoin).</summary>
    public void Attend(SimMeeting meeting, SimAccount a, DateTimeOffset joined, DateTimeOffset left, bool allowDrop)
    {
        if (left < joined) left = joined;
        var ip = Chance(0.9) ? a.UsualIp : IpIn(a.Country);
        if (allowDrop && Chance(0.15) && (left - joined).TotalMinutes > 20)
        {
            var drop = joined + (left - joined) * Uniform(0.2, 0.7);
            var back = drop + Minutes(0.5, 6);
            meeting.Stretches.Add(new SimStretch(a, joined, drop, ip, a.Country));
            if (back < left) meeting.Stretches.Add(new SimStretch(a, back, left, ip, a.Country));
            return;
        }
        meeting.Stretches.Add(new SimStretch(a, joined, left, ip, a.Country));
    }

    /// <summary>A time in the simulated window; commemorations cluster around the anniversary (June 4th).</summary>
    public DateTimeOffset MeetingStart(bool atRisk)
    {
        DateTimeOffset day;
        if (atRisk && Chance(0.7))
        {
            var anniversary = new DateTimeOffset(Epoch.Year, 6, 4, 0, 0, 0, TimeSpan.Zero);
            day = anniversary + TimeSpan.FromDays(Random.Next(-5, 4));
        }
        else day = Epoch + TimeSpan.FromDays(Random.Next(Days));
        return day + TimeSpan.FromMinutes(Random.Next(0, 24 * 60 / 5) * 5);
    }

    private static int StableHash(string s)
    {
        var h = 17;
        foreach (var c in s) h = unchecked(h * 31 + c);
        return h == int.MinValue ? 0 : h;
    }
}
