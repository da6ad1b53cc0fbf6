using EvidenceCheck.Core.Contract;

namespace EvidenceCheck.Learning.Simulation;

/// <summary>
/// One method per report family: each plays out one incident on the platform (a meeting, the people
/// in it, what happened) and returns the reports it produced. Genuine incidents carry the noise real
/// reports have (clock skew, missing fields, stripped screenshots, severe categories); fabricated ones
/// follow the threat model of the seed case (DESIGN.md).
/// </summary>
internal sealed class ReportFamilies
{
    private readonly Platform _p;
    private readonly EvidenceMaker _files;
    private readonly List<SimAccount> _staff = [];
    private readonly SimAccount _insider;
    private int _incidents;

    public ReportFamilies(Platform platform)
    {
        _p = platform;
        _files = new EvidenceMaker(platform);
        foreach (var country in new[] { "US", "US", "IE", "SG", "CN", "CN", "IN", "US" })
            _staff.Add(_p.NewAccount(AccountKind.Staff, _p.Epoch, country: country));
        // The liaison of the seed case: a real, long-standing staff account with a good record.
        _insider = _p.NewAccount(AccountKind.Staff, _p.Epoch, country: "CN");
    }

    public IReadOnlyList<LabelledReport> Play(string family) => family switch
    {
        Families.Established => Established(AccountKind.Established, Families.Established),
        Families.Newcomer => Established(AccountKind.Newcomer, Families.Newcomer),
        Families.Raid => Raid(),
        Families.ImpersonationVictim => ImpersonationVictim(),
        Families.StaffEscalation => StaffEscalation(),
        Families.HonestMistake => HonestMistake(),
        Families.ScreenPhoto => ScreenPhoto(),
        Families.FreshBatch => FreshBatch(),
        Families.FakeProfile => FakeProfile(),
        Families.Infiltrator => Infiltrator(),
        Families.Sleeper => Sleeper(),
        Families.DoctoredScreenshot => DoctoredScreenshot(),
        Families.ForgedEmail => ForgedEmail(),
        Families.ReusedFile => ReusedFile(),
        Families.InternalPressure => InternalPressure(),
        _ => throw new ArgumentOutOfRangeException(nameof(family), family, "unknown family"),
    };

    // ---------------------------------------------------------------- genuine

    /// <summary>
    /// A participant who was there reports real abuse by another participant, at about the time it
    /// happened. Established accounts, or newcomers (hours or days old) who really attended.
    /// </summary>
    private IReadOnlyList<LabelledReport> Established(AccountKind reporterKind, string family)
    {
        var incident = RealIncident(reporterKind, _p.Chance(0.25));
        var evidence = new List<Evidence>();
        if (_p.Chance(0.55))
        {
            var software = _p.Chance(0.04) ? _p.Pick(["GIMP 2.10.18", EvidenceMaker.EditorSoftware[0], "Paint.NET v4.2"]) : null; // annotated, innocently
            evidence.Add(_files.Screenshot(incident.Reporter, incident.At + TimeSpan.FromSeconds(_p.Uniform(2, 60)), _p.Chance(0.35), software));
        }
        else if (_p.Chance(0.08)) evidence.Add(_files.ScreenPhoto(incident.Reporter, incident.At + TimeSpan.FromSeconds(_p.Uniform(5, 90)), _p.Chance(0.2)));
        return [Genuine(family, incident, evidence)];
    }

    /// <summary>Like an established report, with an honest mistake: the time off by minutes, the wrong speaker, or a paraphrase.</summary>
    private IReadOnlyList<LabelledReport> HonestMistake()
    {
        var incident = RealIncident(_p.Chance(0.8) ? AccountKind.Established : AccountKind.Newcomer, _p.Chance(0.25));
        switch (_p.Random.Next(3))
        {
            case 0: incident.ClaimedAt = incident.At + TimeSpan.FromMinutes(_p.Uniform(4, 20) * (_p.Chance(0.5) ? 1 : -1)); break;
            case 1:
                var others = incident.Meeting.Attendees.Where(a => a != incident.Accused && a != incident.Reporter).ToArray();
                if (others.Length > 0) incident.ClaimedSpeaker = _p.Pick(others);
                break;
            default: incident.Quote = "something like: " + incident.Quote.ToUpperInvariant(); break;
        }
        var evidence = new List<Evidence>();
        if (_p.Chance(0.4)) evidence.Add(_files.Screenshot(incident.Reporter, incident.At + TimeSpan.FromSeconds(_p.Uniform(2, 60)), _p.Chance(0.35)));
        return [Genuine(Families.HonestMistake, incident, evidence)];
    }

    /// <summary>A phone photo of the screen: its Exif time is the reporter's local time, which only looks wrong if read as UTC.</summary>
    private IReadOnlyList<LabelledReport> ScreenPhoto()
    {
        var incident = RealIncident(_p.Chance(0.85) ? AccountKind.Established : AccountKind.Newcomer, _p.Chance(0.2));
        var evidence = new List<Evidence> { _files.ScreenPhoto(incident.Reporter, incident.At + TimeSpan.FromSeconds(_p.Uniform(5, 120)), _p.Chance(0.1)) };
        return [Genuine(Families.ScreenPhoto, incident, evidence)];
    }

    /// <summary>
    /// A raid: new accounts join together and post abuse; many real participants report within
    /// minutes, with look-alike texts. Campaign-shaped, and genuine.
    /// </summary>
    private IReadOnlyList<LabelledReport> Raid()
    {
        var campaign = NextCampaign();
        var atRisk = _p.Chance(0.3);
        var meeting = _p.NewMeeting(_p.MeetingStart(atRisk), atRisk, attendees: 6 + _p.Random.Next(12));
        var raidAt = meeting.Start + (meeting.End - meeting.Start) * _p.Uniform(0.15, 0.7);
        var farm = _p.IpIn(_p.Country());
        var raiders = Enumerable.Range(0, 3 + _p.Random.Next(4)).Select(_ =>
            _p.NewAccount(AccountKind.Fresh, raidAt, signupIp: _p.Chance(0.5) ? _p.SameRange(farm) : null)).ToList();
        var category = _p.Chance(0.3) ? _p.Pick(["child_safety", "child_safety", "violent_extremism"]) : _p.Pick(["hate", "harassment", "other", "hate"]);
        var posts = new List<(SimAccount Raider, DateTimeOffset At, string Text)>();
        foreach (var r in raiders)
        {
            var joined = raidAt + _p.Minutes(0, 2);
            _p.Attend(meeting, r, joined, joined + _p.Minutes(3, 15), allowDrop: false);
            for (var i = 0; i < 1 + _p.Random.Next(3); i++)
            {
                var post = (r, joined + _p.Minutes(0.2, 3), _p.Pick(Names.RealAbuse[category]));
                meeting.Say(r, post.Item2, post.Item3);
                posts.Add(post);
            }
        }
        var template = _p.Pick(Names.RaidTexts);
        var reporters = meeting.Attendees.Where(a => a != meeting.Host && !raiders.Contains(a) && meeting.PresentAt(a, raidAt)).ToList();
        if (_p.Chance(0.5)) reporters.Add(meeting.Host);
        var count = Math.Min(reporters.Count, 4 + _p.Random.Next(8));
        var result = new List<LabelledReport>();
        foreach (var reporter in reporters.OrderBy(_ => _p.Random.Next()).Take(count))
        {
            var post = _p.Pick(posts);
            var at = raidAt + _p.Minutes(1, 20);
            var text = Names.Perturb(string.Format(template, category == "child_safety" ? "sexual images of children" : "abusive messages"), _p.Random);
            var evidence = _p.Chance(0.4) ? new List<Evidence> { _files.Screenshot(reporter, post.At + _p.Minutes(0, 2), _p.Chance(0.35)) } : [];
            var accused = raiders.OrderBy(_ => _p.Random.Next()).Take(1 + _p.Random.Next(3)).ToList();
            if (!accused.Contains(post.Raider)) accused[0] = post.Raider;
            result.Add(Labelled(Families.Raid, campaign, Build(at, GenuineChannel(), category, text, reporter, meeting, "meeting", accused,
                HonestClaims(post.At, post.Raider, post.Text), evidence)));
        }
        return result;
    }

    /// <summary>The real person reports a new account made in their own name (often in a meeting they host).</summary>
    private IReadOnlyList<LabelledReport> ImpersonationVictim()
    {
        var atRisk = _p.Chance(0.3);
        var meeting = _p.NewMeeting(_p.MeetingStart(atRisk), atRisk);
        var victim = meeting.Host;
        var impostor = _p.NewAccount(_p.Chance(0.7) ? AccountKind.Fresh : AccountKind.Newcomer, meeting.Start, name: Names.Imitation(victim.DisplayName, _p.Random));
        DateTimeOffset seen;
        if (_p.Chance(0.6))
        {
            var joined = meeting.Start + (meeting.End - meeting.Start) * _p.Uniform(0.1, 0.6);
            _p.Attend(meeting, impostor, joined, joined + _p.Minutes(5, 30), allowDrop: false);
            seen = joined + _p.Minutes(1, 4);
            if (_p.Chance(0.5)) meeting.Say(impostor, seen, _p.Pick(Names.ChatLines));
        }
        else seen = meeting.End + _p.Minutes(30, 600);
        var at = seen + TimeSpan.FromMinutes(Math.Min(2000, _p.LogNormal(30, 1.2)));
        var evidence = _p.Chance(0.5) ? new List<Evidence> { _files.Screenshot(victim, seen + _p.Minutes(0, 5), _p.Chance(0.35)) } : [];
        var text = $"Someone created an account pretending to be me ({victim.DisplayName}). It uses my name and photo. Please remove it.";
        return [Labelled(Families.ImpersonationVictim, NextCampaign(), Build(at, GenuineChannel(), "impersonation", text, victim,
            _p.Chance(0.6) ? meeting : null, "account", [impostor], _p.Chance(0.5) ? HonestClaims(seen, impostor, null) : null, evidence))];
    }

    /// <summary>Support staff escalate a real user complaint through the internal channel, with what the user sent.</summary>
    private IReadOnlyList<LabelledReport> StaffEscalation()
    {
        var incident = RealIncident(AccountKind.Established, _p.Chance(0.25), severeShare: 0.35);
        var staff = _p.Pick(_staff);
        var evidence = new List<Evidence>();
        var roll = _p.Random.NextDouble();
        if (roll < 0.45) evidence.Add(_files.Screenshot(incident.Reporter, incident.At + TimeSpan.FromSeconds(_p.Uniform(2, 60)), _p.Chance(0.35)));
        else if (roll < 0.75)
            evidence.Add(_files.HonestEmail(incident.Reporter, "support@meetly.example", incident.At + _p.Minutes(5, 120),
                "Abuse in meeting " + incident.Meeting.Id, $"Hello,\n{incident.Accused.DisplayName} wrote \"{incident.Quote}\" in our meeting.\nPlease help."));
        var at = incident.At + TimeSpan.FromHours(_p.Uniform(1, 48));
        var text = string.Format(_p.Pick(Names.StaffTexts), $"{incident.Accused.DisplayName} wrote \"{incident.Quote}\"");
        return [Labelled(Families.StaffEscalation, NextCampaign(), Build(at, "internal", incident.Category, text, staff, incident.Meeting, "meeting",
            [incident.Accused], HonestClaims(incident.At, incident.Accused, incident.Quote), evidence, session: StaffSession(staff)))];
    }

    // ---------------------------------------------------------------- fabricated

    /// <summary>
    /// A batch of fresh accounts, made after the commemoration was announced, often on one network,
    /// report it within minutes with the same severe category and near-identical texts. Most never joined.
    /// </summary>
    private IReadOnlyList<LabelledReport> FreshBatch()
    {
        var campaign = NextCampaign();
        var meeting = _p.NewMeeting(_p.MeetingStart(_p.Chance(0.9)), atRisk: true);
        var category = FabricatedCategory(0.75);
        var claim = _p.Pick(Names.FabricatedClaims[category]);
        var template = _p.Pick(Names.BatchTexts);
        var farm = _p.IpIn(_p.Pick(["US", "HK", "JP", "SG", "CN"]));
        var sharedDevice = _p.NewDevice();
        var networkShare = _p.Uniform(0, 1);
        var madeFrom = (meeting.ScheduledAt ?? meeting.Start - TimeSpan.FromDays(3));
        var madeAt = madeFrom + (meeting.Start - madeFrom) * _p.Uniform(0.3, 1.0);
        var baseAt = meeting.Start + _p.Minutes(10, (meeting.End - meeting.Start).TotalMinutes + 60);
        var shared = _p.Chance(0.25) ? _files.Doctored(_p.NewAccount(AccountKind.Fresh, madeAt), baseAt, madeAt, baseAt - _p.Minutes(5, 60), _p.Chance(0.3)) : null;
        var result = new List<LabelledReport>();
        var n = 4 + _p.Random.Next(9);
        for (var i = 0; i < n; i++)
        {
            var reporter = _p.NewAccount(AccountKind.Fresh, baseAt, createdAt: madeAt + _p.Minutes(0, 180),
                signupIp: _p.Random.NextDouble() < networkShare ? _p.SameRange(farm) : null,
                device: _p.Chance(networkShare * 0.5) ? sharedDevice : null);
            if (_p.Chance(0.3))
            {
                var joined = meeting.Start + _p.Minutes(0, 20);
                _p.Attend(meeting, reporter, joined, joined + _p.Minutes(0.5, 4), allowDrop: false);
            }
            var at = baseAt + _p.Minutes(0, 40);
            var claimedAt = _p.Chance(0.8) ? meeting.Start + (meeting.End - meeting.Start) * _p.Uniform(0, 1) : meeting.Start - _p.Minutes(10, 120);
            var evidence = new List<Evidence>();
            if (shared is not null) evidence.Add(_files.Reuse(shared, claimedAt));
            else if (_p.Chance(0.15)) evidence.Add(_files.Doctored(reporter, claimedAt, madeAt - _p.Minutes(0, 600), at - _p.Minutes(1, 30), _p.Chance(0.3)));
            var session = FarmSession(reporter, _p.Random.NextDouble() < networkShare ? farm : null);
            result.Add(Labelled(Families.FreshBatch, campaign, Build(at, FabricatedChannel(), _p.Chance(0.85) ? category : FabricatedCategory(0.75),
                Names.Perturb(string.Format(template, claim), _p.Random), reporter, meeting, "meeting", [meeting.Host],
                FabricatedClaims(claimedAt, _p.Chance(0.8) ? meeting.Host : null, claim), evidence, session)));
        }
        return result;
    }

    /// <summary>
    /// A fake profile in the victim's name (new, imitating the host, made from the attackers' own
    /// network or device) is what the reports point at; sometimes it really joined and posted the content itself.
    /// </summary>
    private IReadOnlyList<LabelledReport> FakeProfile()
    {
        var campaign = NextCampaign();
        var meeting = _p.NewMeeting(_p.MeetingStart(_p.Chance(0.8)), atRisk: _p.Chance(0.8));
        var victim = meeting.Host;
        var attackerIp = _p.IpIn(_p.Pick(["US", "HK", "CN", "SG"]));
        var attackerDevice = _p.NewDevice();
        var fake = _p.NewAccount(AccountKind.Fresh, meeting.Start, name: Names.Imitation(victim.DisplayName, _p.Random),
            signupIp: _p.SameRange(attackerIp), device: attackerDevice);
        var category = _p.Pick(Names.SevereCategories);
        var claim = _p.Pick(Names.FabricatedClaims[category]);
        DateTimeOffset claimedAt = meeting.Start + (meeting.End - meeting.Start) * _p.Uniform(0.1, 0.9);
        string? posted = null;
        if (_p.Chance(0.5))
        {
            var joined = meeting.Start + (meeting.End - meeting.Start) * _p.Uniform(0.1, 0.6);
            _p.Attend(meeting, fake, joined, joined + _p.Minutes(1, 8), allowDrop: false);
            claimedAt = joined + _p.Minutes(0.3, 1);
            if (_p.Chance(0.6)) meeting.Say(fake, claimedAt, posted = _p.Pick(Names.RealAbuse[category]));
        }
        var result = new List<LabelledReport>();
        if (_p.Chance(0.15))
        {
            // The reversed frame-up: the fake profile itself reports the real host as the impostor.
            var at = meeting.End + _p.Minutes(10, 600);
            var text = $"This account is impersonating me ({fake.DisplayName}). It uses my name to spread lies. Please suspend it.";
            result.Add(Labelled(Families.FakeProfile, campaign, Build(at, FabricatedChannel(), "impersonation", text, fake,
                _p.Chance(0.5) ? meeting : null, "account", [victim], null, [], FarmSession(fake, attackerIp))));
        }
        var n = 1 + _p.Random.Next(4);
        for (var i = 0; i < n; i++)
        {
            var kind = _p.Chance(0.6) ? AccountKind.Fresh : _p.Chance(0.5) ? AccountKind.Newcomer : AccountKind.Sleeper;
            var linked = _p.Chance(0.7);
            var reporter = _p.NewAccount(kind, meeting.End, signupIp: linked ? _p.SameRange(attackerIp) : null, device: linked && _p.Chance(0.5) ? attackerDevice : null);
            var at = meeting.Start + _p.Minutes(5, (meeting.End - meeting.Start).TotalMinutes + 120);
            var evidence = new List<Evidence>();
            if (_p.Chance(0.35)) evidence.Add(_files.Doctored(reporter, claimedAt, at - _p.Minutes(20, 3000), at - _p.Minutes(1, 15), false));
            else if (posted is not null && _p.Chance(0.4)) evidence.Add(_files.Screenshot(reporter, claimedAt + _p.Minutes(0, 1), _p.Chance(0.3)));
            var text = $"The host {victim.DisplayName} ({fake.DisplayName}) — {claim}. This account must be banned and the meeting shut down.";
            List<SimAccount> accused = _p.Chance(0.5) ? [fake, victim] : [fake];
            result.Add(Labelled(Families.FakeProfile, campaign, Build(at, FabricatedChannel(), category, Names.Perturb(text, _p.Random), reporter,
                meeting, _p.Chance(0.6) ? "account" : "meeting", accused, FabricatedClaims(claimedAt, fake, posted ?? claim), evidence,
                linked ? FarmSession(reporter, attackerIp) : null)));
        }
        return result;
    }

    /// <summary>Joins for a minute or two (to be able to say "I was there"), then reports a severe violation.</summary>
    private IReadOnlyList<LabelledReport> Infiltrator()
    {
        var meeting = _p.NewMeeting(_p.MeetingStart(_p.Chance(0.8)), atRisk: _p.Chance(0.8));
        var reporter = _p.NewAccount(_p.Chance(0.6) ? (_p.Chance(0.5) ? AccountKind.Fresh : AccountKind.Newcomer) : AccountKind.Established, meeting.Start);
        var joined = meeting.Start + (meeting.End - meeting.Start) * _p.Uniform(0.05, 0.8);
        _p.Attend(meeting, reporter, joined, joined + _p.Minutes(0.5, 4.5), allowDrop: false);
        if (_p.Chance(0.2)) { var again = joined + _p.Minutes(10, 30); _p.Attend(meeting, reporter, again, again + _p.Minutes(0.5, 2), allowDrop: false); }
        var category = FabricatedCategory(0.7);
        var claim = _p.Pick(Names.FabricatedClaims[category]);
        var claimedAt = _p.Chance(0.5) ? joined + _p.Minutes(0, 2) : meeting.Start + (meeting.End - meeting.Start) * _p.Uniform(0, 1);
        var speaker = _p.Chance(0.7) ? meeting.Host : _p.Pick(meeting.Attendees.ToArray());
        var at = meeting.End + _p.Minutes(5, 180);
        var evidence = new List<Evidence>();
        if (_p.Chance(0.3)) evidence.Add(_files.Doctored(reporter, claimedAt, at - _p.Minutes(10, 120), at - _p.Minutes(1, 10), _p.Chance(0.2)));
        var text = $"{_p.Pick(Names.GenuineOpenings)}, {claim}. I left immediately. Please shut this down.";
        return [Labelled(Families.Infiltrator, NextCampaign(), Build(at, FabricatedChannel(), category, text, reporter, meeting, "meeting",
            [speaker], FabricatedClaims(claimedAt, speaker, claim), evidence))];
    }

    /// <summary>
    /// An aged, quiet account sits through the whole meeting, then claims the accused said something
    /// at a time the platform shows the accused was not there.
    /// </summary>
    private IReadOnlyList<LabelledReport> Sleeper()
    {
        var meeting = _p.NewMeeting(_p.MeetingStart(_p.Chance(0.75)), atRisk: _p.Chance(0.75));
        var sleeper = _p.NewAccount(AccountKind.Sleeper, meeting.Start);
        _p.Attend(meeting, sleeper, meeting.Start + _p.Minutes(0, 3), meeting.End - _p.Minutes(0, 2), allowDrop: false);
        var duration = meeting.End - meeting.Start;
        // The accused: a speaker who arrived late or left early; the claim falls where they were absent.
        var accused = _p.NewAccount(AccountKind.Established, meeting.Start);
        DateTimeOffset claimedAt;
        if (_p.Chance(0.5))
        {
            var joined = meeting.Start + duration * _p.Uniform(0.35, 0.6);
            _p.Attend(meeting, accused, joined, meeting.End, allowDrop: false);
            claimedAt = meeting.Start + (joined - meeting.Start) * _p.Uniform(0.1, 0.8);
        }
        else
        {
            var left = meeting.Start + duration * _p.Uniform(0.3, 0.6);
            _p.Attend(meeting, accused, meeting.Start + _p.Minutes(0, 3), left, allowDrop: false);
            claimedAt = left + (meeting.End - left) * _p.Uniform(0.2, 0.9);
        }
        var category = FabricatedCategory(0.7);
        var claim = _p.Pick(Names.FabricatedClaims[category]);
        // Some sleepers quote a line really said in the chat, by someone else: the words check out, the speaker does not.
        var said = meeting.Chat.Where(m => m.AccountId != accused.Id).ToArray();
        if (said.Length > 0 && _p.Chance(0.3)) claim = _p.Pick(said).Text!;
        var at = meeting.End + _p.Minutes(10, 360);
        var evidence = new List<Evidence>();
        if (_p.Chance(0.25)) evidence.Add(_files.Doctored(sleeper, claimedAt, at - _p.Minutes(30, 300), at - _p.Minutes(1, 20), false));
        var text = $"I attended the whole meeting. At {claimedAt.ToOffset(sleeper.UtcOffset):HH:mm} {accused.DisplayName} — {claim}.";
        return [Labelled(Families.Sleeper, NextCampaign(), Build(at, FabricatedChannel(), category, text, sleeper, meeting, "meeting",
            [accused], FabricatedClaims(claimedAt, accused, claim), evidence))];
    }

    /// <summary>A screenshot made or edited outside the meeting (editor software in its metadata), claimed as captured during it.</summary>
    private IReadOnlyList<LabelledReport> DoctoredScreenshot()
    {
        var atRisk = _p.Chance(0.6);
        var meeting = _p.NewMeeting(_p.MeetingStart(atRisk), atRisk);
        var kind = _p.Random.NextDouble() switch { < 0.5 => AccountKind.Established, < 0.7 => AccountKind.Newcomer, _ => AccountKind.Fresh };
        var reporter = _p.NewAccount(kind, meeting.Start);
        if (_p.Chance(0.6)) _p.Attend(meeting, reporter, meeting.Start + _p.Minutes(0, 20), meeting.End - _p.Minutes(0, 30), allowDrop: true);
        var speaker = _p.Chance(0.6) ? meeting.Host : _p.Pick(meeting.Attendees.ToArray());
        var category = _p.Chance(0.6) ? _p.Pick(Names.SevereCategories) : _p.Pick(["hate", "harassment", "violence"]);
        var claim = Names.FabricatedClaims.TryGetValue(category, out var claims) ? _p.Pick(claims) : _p.Pick(Names.RealAbuse[category]);
        var claimedAt = meeting.MomentPresent(speaker, _p.Random);
        var at = meeting.End + _p.Minutes(5, 600);
        var made = _p.Chance(0.5) ? meeting.Start - TimeSpan.FromDays(_p.Uniform(0.2, 30)) : at + _p.Minutes(5, 600);
        var evidence = new List<Evidence> { _files.Doctored(reporter, claimedAt, made, made > at ? made : at - _p.Minutes(1, 30), _p.Chance(0.3)) };
        if (_p.Chance(0.1)) EvidenceMaker.BreakHash(evidence[0], _p.Random);
        var text = $"{_p.Pick(Names.GenuineOpenings)}, {claim}. Screenshot attached.";
        return [Labelled(Families.DoctoredScreenshot, NextCampaign(), Build(at, FabricatedChannel(), category, text, reporter, meeting, "meeting",
            [speaker], FabricatedClaims(claimedAt, speaker, claim), evidence))];
    }

    /// <summary>An email "from" the victim, forged: Date against Received, Message-ID and DKIM domains not the sender's.</summary>
    private IReadOnlyList<LabelledReport> ForgedEmail()
    {
        var atRisk = _p.Chance(0.7);
        var meeting = _p.NewMeeting(_p.MeetingStart(atRisk), atRisk);
        var victim = meeting.Host;
        var reporter = _p.NewAccount(_p.Random.NextDouble() switch { < 0.4 => AccountKind.Fresh, < 0.6 => AccountKind.Newcomer, _ => AccountKind.Established }, meeting.Start);
        var category = FabricatedCategory(0.65);
        var claim = _p.Pick(Names.FabricatedClaims[category]);
        var claimedAt = meeting.Start - TimeSpan.FromHours(_p.Uniform(1, 96));
        var at = meeting.End + _p.Minutes(10, 1440);
        var forgedAt = at - _p.Minutes(10, 600);
        var evidence = new List<Evidence> { _files.ForgedEmail(victim, reporter.Email, claimedAt, forgedAt, "re: the meeting", $"{claim}.\nJoin us at the meeting.") };
        var text = $"The organiser {victim.DisplayName} sent me this email before the meeting: {claim}. See the attached message.";
        return [Labelled(Families.ForgedEmail, NextCampaign(), Build(at, FabricatedChannel(), category, text, reporter, meeting, _p.Chance(0.5) ? "account" : "meeting",
            [victim], FabricatedClaims(claimedAt, victim, claim), evidence))];
    }

    /// <summary>One file attached to reports against unrelated meetings, by different reporters, over days.</summary>
    private IReadOnlyList<LabelledReport> ReusedFile()
    {
        var campaign = NextCampaign();
        var origin = _p.NewAccount(AccountKind.Fresh, _p.Epoch);
        var firstAt = _p.Epoch + TimeSpan.FromDays(_p.Uniform(0, _p.Days));
        var file = _p.Chance(0.6)
            ? _files.Doctored(origin, firstAt, firstAt - TimeSpan.FromDays(_p.Uniform(1, 200)), firstAt - TimeSpan.FromDays(_p.Uniform(0, 1)), _p.Chance(0.3))
            : _files.Screenshot(origin, firstAt - TimeSpan.FromDays(_p.Uniform(1, 200)), _p.Chance(0.5)); // someone else's old, honest screenshot
        var result = new List<LabelledReport>();
        var n = 3 + _p.Random.Next(4);
        for (var i = 0; i < n; i++)
        {
            var atRisk = _p.Chance(0.7);
            var meeting = _p.NewMeeting(_p.MeetingStart(atRisk), atRisk);
            var reporter = _p.NewAccount(_p.Chance(0.6) ? AccountKind.Fresh : AccountKind.Newcomer, meeting.Start);
            if (_p.Chance(0.3)) _p.Attend(meeting, reporter, meeting.Start + _p.Minutes(0, 30), meeting.Start + _p.Minutes(31, 40), allowDrop: false);
            var category = FabricatedCategory(0.85);
            var claim = _p.Pick(Names.FabricatedClaims[category]);
            var claimedAt = meeting.MomentPresent(meeting.Host, _p.Random);
            var at = meeting.End + _p.Minutes(5, 300);
            result.Add(Labelled(Families.ReusedFile, campaign, Build(at, FabricatedChannel(), category, $"{claim}. Proof attached.", reporter, meeting, "meeting",
                [meeting.Host], FabricatedClaims(claimedAt, meeting.Host, claim), [_files.Reuse(file, claimedAt)])));
        }
        return result;
    }

    /// <summary>The insider pushes takedowns through the internal channel, with invented or forged evidence.</summary>
    private IReadOnlyList<LabelledReport> InternalPressure()
    {
        var campaign = NextCampaign();
        var meeting = _p.NewMeeting(_p.MeetingStart(true), atRisk: _p.Chance(0.95));
        var host = meeting.Host;
        var category = FabricatedCategory(0.85);
        var claim = _p.Pick(Names.FabricatedClaims[category]);
        var result = new List<LabelledReport>();
        var n = 1 + _p.Random.Next(4);
        var baseAt = _p.Chance(0.6) ? meeting.Start + (meeting.End - meeting.Start) * _p.Uniform(0.1, 0.8) : meeting.End + _p.Minutes(5, 300);
        for (var i = 0; i < n; i++)
        {
            var at = baseAt + _p.Minutes(0, 60);
            var claimedAt = _p.Chance(0.5) ? meeting.Start - _p.Minutes(5, 60) : meeting.Start + (meeting.End - meeting.Start) * _p.Uniform(0, 1);
            var evidence = new List<Evidence>();
            var roll = _p.Random.NextDouble();
            if (roll < 0.3) evidence.Add(_files.Doctored(_insider, claimedAt, at - _p.Minutes(60, 6000), at - _p.Minutes(1, 30), false));
            else if (roll < 0.6) evidence.Add(_files.ForgedEmail(host, "liaison@" + Platform.StaffDomain, claimedAt, at - _p.Minutes(5, 120), "meeting", claim));
            var text = string.Format(_p.Pick(Names.InternalTexts), claim);
            result.Add(Labelled(Families.InternalPressure, campaign, Build(at, "internal", category, text, _insider, meeting, "meeting", [host],
                FabricatedClaims(claimedAt, host, claim), evidence, StaffSession(_insider))));
        }
        return result;
    }

    // ---------------------------------------------------------------- shared parts

    /// <summary>What really happened in a genuine incident, and what the reporter says about it.</summary>
    private sealed class RealIncidentFacts
    {
        public required SimMeeting Meeting { get; init; }
        public required SimAccount Reporter { get; init; }
        public required SimAccount Accused { get; init; }
        public required DateTimeOffset At { get; init; }
        public required string Category { get; init; }
        public required string Quote { get; set; }
        public DateTimeOffset ClaimedAt { get; set; }
        public SimAccount? ClaimedSpeaker { get; set; }
    }

    private RealIncidentFacts RealIncident(AccountKind reporterKind, bool atRisk, double severeShare = 0.2)
    {
        var meeting = _p.NewMeeting(_p.MeetingStart(atRisk), atRisk);
        var reporter = _p.NewAccount(reporterKind, meeting.Start);
        // Some genuine reporters were never in the meeting: a parent reporting for a child, a viewer of the livestream or recording.
        var reporterAttended = _p.Chance(0.92);
        if (reporterAttended) _p.Attend(meeting, reporter, meeting.Start + _p.Minutes(0, 4), meeting.End - _p.Minutes(0, 5), allowDrop: true);
        // The abuser: usually a participant who is not the host; sometimes a newish troll account.
        var candidates = meeting.Attendees.Where(a => a != reporter && a != meeting.Host).ToArray();
        SimAccount accused;
        if (candidates.Length == 0 || _p.Chance(0.3))
        {
            accused = _p.NewAccount(_p.Chance(0.6) ? AccountKind.Established : AccountKind.Newcomer, meeting.Start);
            var joined = meeting.Start + (meeting.End - meeting.Start) * _p.Uniform(0.05, 0.6);
            _p.Attend(meeting, accused, joined, joined + _p.Minutes(10, 60), allowDrop: false);
        }
        else accused = _p.Pick(candidates);
        var at = meeting.MomentPresent(accused, _p.Random);
        if (reporterAttended && !meeting.PresentAt(reporter, at)) at = meeting.MomentPresent(reporter, _p.Random);
        if (!meeting.PresentAt(accused, at))
        {
            // Make the overlap real: the abuser is there when the reporter saw it.
            _p.Attend(meeting, accused, at - _p.Minutes(2, 10), at + _p.Minutes(2, 10), allowDrop: false);
        }
        var category = _p.Chance(severeShare) ? _p.Pick(Names.SevereCategories) : _p.Pick(Names.OrdinaryCategories);
        var quote = _p.Pick(Names.RealAbuse[category]);
        if (_p.Chance(0.35)) meeting.Say(accused, at, quote); // otherwise it was said aloud, or shown on screen
        return new RealIncidentFacts { Meeting = meeting, Reporter = reporter, Accused = accused, At = at, Category = category, Quote = quote, ClaimedAt = at, ClaimedSpeaker = accused };
    }

    private LabelledReport Genuine(string family, RealIncidentFacts i, List<Evidence> evidence)
    {
        var at = i.At + TimeSpan.FromMinutes(Math.Min(3000, _p.LogNormal(12, 1.3)));
        var text = $"{_p.Pick(Names.GenuineOpenings)}, {i.Accused.DisplayName} wrote \"{i.Quote}\".";
        if (_p.Chance(0.1)) text = ""; // some people send the category and nothing else
        var kind = _p.Chance(0.8) ? "meeting" : _p.Chance(0.5) ? "message" : "account";
        return Labelled(family, NextCampaign(), Build(at, GenuineChannel(), i.Category, text, i.Reporter, i.Meeting, kind,
            [i.Accused], HonestClaims(i.ClaimedAt, i.ClaimedSpeaker, i.Quote), evidence));
    }

    /// <summary>Honest claims: the time as remembered (a minute or three off), sometimes left out.</summary>
    private Claims? HonestClaims(DateTimeOffset at, SimAccount? speaker, string? quote)
    {
        if (_p.Chance(0.08)) return null;
        return new Claims
        {
            OccurredAt = _p.Chance(0.07) ? null : Platform.Seconds(at + TimeSpan.FromSeconds(_p.Uniform(-180, 180))),
            SpeakerAccountId = _p.Chance(0.1) ? null : speaker?.Id,
            Quote = _p.Chance(0.2) ? null : quote,
        };
    }

    private Claims FabricatedClaims(DateTimeOffset at, SimAccount? speaker, string quote) => new()
    {
        OccurredAt = _p.Chance(0.05) ? null : Platform.Seconds(at + TimeSpan.FromSeconds(_p.Uniform(-60, 60))),
        SpeakerAccountId = speaker?.Id,
        Quote = _p.Chance(0.1) ? null : quote,
    };

    /// <summary>Mostly the fastest-takedown categories; otherwise racism or incitement, as in the seed case.</summary>
    private string FabricatedCategory(double severeShare) => _p.Chance(severeShare) ? _p.Pick(Names.SevereCategories) : _p.Pick(["hate", "violence"]);

    private string GenuineChannel() => _p.Random.NextDouble() switch { < 0.7 => "in_app", < 0.9 => "web_form", < 0.95 => "email", _ => "api" };
    private string FabricatedChannel() => _p.Random.NextDouble() switch { < 0.45 => "web_form", < 0.85 => "in_app", < 0.95 => "email", _ => "api" };

    private ReporterSession StaffSession(SimAccount staff) => new() { Ip = staff.UsualIp, DeviceId = staff.Devices[0], Country = staff.Country, UserAgent = "Meetly-Admin-Console/2.3" };

    private ReporterSession FarmSession(SimAccount reporter, string? farmIp) => new()
    {
        Ip = farmIp is null ? reporter.UsualIp : _p.SameRange(farmIp),
        DeviceId = reporter.Devices[0],
        Country = _p.Chance(0.7) ? reporter.Country : _p.Country(),
        UserAgent = reporter.UserAgent,
    };

    private Report Build(DateTimeOffset at, string channel, string category, string text, SimAccount reporter, SimMeeting? meeting,
        string subjectKind, IReadOnlyList<SimAccount> accused, Claims? claims, List<Evidence> evidence, ReporterSession? session = null)
    {
        session ??= new ReporterSession
        {
            Ip = _p.Chance(0.9) ? reporter.UsualIp : _p.IpIn(reporter.Country),
            DeviceId = _p.Chance(0.95) ? reporter.Devices[_p.Random.Next(reporter.Devices.Count)] : _p.NewDevice(),
            Country = _p.Chance(0.93) ? reporter.Country : _p.Country(), // travel, VPNs
            UserAgent = reporter.UserAgent,
        };
        if (_p.Chance(0.03)) session = null;
        return new Report
        {
            ReceivedAt = Platform.Seconds(at),
            Channel = _p.Chance(0.02) ? null : channel,
            Category = category,
            Text = text,
            Reporter = reporter.ToContract(_p.Random),
            ReporterSession = session,
            Subject = new Subject
            {
                Kind = subjectKind,
                Meeting = meeting?.Snapshot(at),
                Accounts = accused.Select(a => a.ToContract(_p.Random)).ToList(),
            },
            Claims = claims,
            Evidence = evidence.Count == 0 ? (_p.Chance(0.5) ? null : []) : evidence,
        };
    }

    private static LabelledReport Labelled(string family, string campaign, Report report) =>
        new(report, new ReportLabel("", Families.IsFabricated(family), family, campaign));

    private string NextCampaign() => $"c-{++_incidents}";
}
