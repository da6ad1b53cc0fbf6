namespace EvidenceCheck.Learning.Simulation;

/// <summary>Word lists the simulator draws names, titles, chat and report texts from.</summary>
internal static class Names
{
    private static readonly string[] Given =
    [
        "Wei", "Li", "Ming", "Hui", "Jun", "Fang", "Lan", "Tao", "Yan", "Chen", "Dan", "Feng", "Xin", "Ying", "Jie",
        "Emily", "James", "Sarah", "Michael", "Anna", "David", "Laura", "Daniel", "Grace", "Thomas", "Olivia", "Lukas",
        "Sophie", "Kenji", "Yuki", "Min-jun", "Priya", "Arjun", "Ana", "Pedro", "Chloe", "Ethan", "Mei", "Ka-ming", "Wing",
    ];

    private static readonly string[] Family =
    [
        "Wang", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou", "Xu", "Sun", "Ma", "Lin", "He", "Guo",
        "Smith", "Johnson", "Brown", "Miller", "Davis", "Wilson", "Taylor", "Clark", "Müller", "Schmidt", "Dubois",
        "Tanaka", "Sato", "Kim", "Park", "Sharma", "Patel", "Silva", "Santos", "Chan", "Wong", "Leung", "Cheung", "Lee",
    ];

    public static readonly string[] MailDomains =
        ["gmail.com", "gmail.com", "gmail.com", "outlook.com", "yahoo.com", "icloud.com", "proton.me", "qq.com", "163.com", "hotmail.com", "gmx.de", "naver.com"];

    public static readonly string[] DisposableDomains =
        ["mailinator.com", "yopmail.com", "guerrillamail.com", "sharklasers.com", "linshiyouxiang.net", "temp-mail.org", "maildrop.cc", "bccto.me"];

    public static readonly string[] AtRiskTitles =
    [
        "June 4th commemoration", "Tiananmen vigil — 31st anniversary", "Remembering June Fourth", "六四 31周年 纪念",
        "Hong Kong diaspora town hall", "Political prisoners: letter-writing evening", "Uyghur human rights briefing",
        "Tibet exile community gathering", "Democracy movement oral history", "Candlelight memorial for the victims of 1989",
    ];

    public static readonly string[][] AtRiskTags =
        [["commemoration", "june4"], ["vigil"], ["human rights"], ["diaspora", "hong kong"], ["memorial"], ["democracy"]];

    public static readonly string[] OrdinaryTitles =
    [
        "Weekly product sync", "Book club: The Three-Body Problem", "Python study group", "Family catch-up", "Morning yoga",
        "Community garden planning", "Chess club ladder night", "Mandarin–English language exchange", "Small group Bible study",
        "Class of 2010 alumni meetup", "Sprint retrospective", "Guitar lesson", "Neighbourhood association AGM", "Pub quiz",
        "Startup pitch practice", "Thesis defence rehearsal", "Online knitting circle", "Parents' evening", "Gaming night",
    ];

    public static readonly string[][] OrdinaryTags = [["work"], ["social"], ["study"], ["family"], ["hobby"], ["community"]];

    public static readonly string[] ChatLines =
    [
        "Can everyone hear me?", "Sorry, my connection dropped", "Thanks for organising this", "Could you share the slides?",
        "I'm muting myself, lots of noise here", "Good evening from Toronto", "Is this being recorded?", "+1", "Agreed",
        "Link to the document: shared in the invite", "Let's take a five minute break", "Great point", "Hello everyone",
        "I have to leave early, sorry", "The audio is a bit choppy", "Thank you all", "Could you repeat the last part?",
    ];

    /// <summary>What a real abuser posts or says, by category (kept abstract: the simulator models the record, not the abuse).</summary>
    public static readonly Dictionary<string, string[]> RealAbuse = new()
    {
        ["harassment"] = ["shut up nobody wants you here", "I know where you live, watch yourself", "you are pathetic, leave this call"],
        ["hate"] = ["[slur] go back to your country", "[slur] people ruin everything", "all of you [slur] should disappear"],
        ["spam"] = ["CHEAP FOLLOWERS visit my site now", "earn $5000 a week from home click here", "crypto giveaway send 1 BTC get 2"],
        ["violence"] = ["I will come and beat you up", "someone should hurt the host", "I have a knife and I know your street"],
        ["other"] = ["[screen-shared an explicit video]", "[drew obscene pictures on the whiteboard]", "[played loud music over the speaker]"],
        ["child_safety"] = ["[posted a link to sexual images of minors]", "[shared an image of child abuse]", "asked the children in the call for private photos"],
        ["terrorism"] = ["[posted an execution video]", "join the fighters, the caliphate needs you", "[shared a bomb-making manual]"],
        ["violent_extremism"] = ["[shared a manifesto calling for attacks]", "it is time to take up arms against them", "[posted extremist propaganda]"],
        ["impersonation"] = ["[the account uses my name and photo]"],
    };

    /// <summary>What fabricated reports claim: the categories that get the fastest takedowns.</summary>
    public static readonly Dictionary<string, string[]> FabricatedClaims = new()
    {
        ["child_safety"] = ["the host shared child sexual abuse material with participants", "they distributed images of minors in the chat", "the organiser offered child abuse videos"],
        ["terrorism"] = ["the host expressed support for ISIS and recruited for them", "they shared terrorist propaganda and praised attacks", "the speaker called for bombings"],
        ["violent_extremism"] = ["the meeting planned violent attacks on officials", "speakers incited violence against police", "they called on people to take up arms"],
        ["hate"] = ["the host made racist statements against Chinese people", "the speakers spread ethnic hatred"],
        ["violence"] = ["the host threatened to kill people who disagreed", "they incited riots"],
    };

    public static readonly string[] SevereCategories = ["child_safety", "terrorism", "violent_extremism"];
    public static readonly string[] OrdinaryCategories = ["harassment", "hate", "spam", "violence", "other"];

    public static readonly string[] GenuineOpenings =
    [
        "During the meeting", "In tonight's call", "While I was in the meeting", "Earlier in the session", "Just now in our meeting",
        "At our community meeting", "In the video call",
    ];

    public static readonly string[] RaidTexts =
    [
        "Zoombombers joined our meeting and posted {0}. Please ban these accounts.",
        "A group of strangers just raided our call, posting {0}. Please help.",
        "Raid in progress: new accounts are posting {0} in the chat.",
        "Several unknown people joined and started posting {0}. We had to stop the meeting.",
    ];

    public static readonly string[] BatchTexts =
    [
        "This meeting is spreading {0}. It violates the terms of service and must be shut down immediately.",
        "URGENT: {0}. This meeting breaks the law and your terms. Terminate it and suspend the host.",
        "I attended this meeting and {0}. Please terminate the meeting and ban the organiser.",
        "Report: {0}. This is illegal content, the meeting must be closed now.",
    ];

    public static readonly string[] InternalTexts =
    [
        "Escalation from the regional liaison: {0}. Terminate the meeting and suspend the host account today.",
        "Priority escalation (liaison): {0}. Legal exposure for the company; end the meeting and suspend the organisers.",
        "Per the authorities' notice, {0}. Required action: shut down meeting, suspend host.",
    ];

    public static readonly string[] StaffTexts =
    [
        "Escalating a user complaint received by support: {0}. Evidence forwarded by the user attached.",
        "Trust & Safety escalation on behalf of the meeting host: {0}. Please review.",
        "Support ticket escalated: participants report that {0}.",
    ];

    public static string Person(Random r) => $"{Given[r.Next(Given.Length)]} {Family[r.Next(Family.Length)]}";

    public static string Mailbox(string name, Random r)
    {
        var letters = new string(name.ToLowerInvariant().Where(c => c is >= 'a' and <= 'z' or ' ').ToArray()).Replace(' ', '.').Trim('.');
        if (letters.Length == 0) letters = "user";
        return r.NextDouble() < 0.5 ? letters + r.Next(1, 999) : letters;
    }

    /// <summary>A display name made to pass for someone else's at a glance.</summary>
    public static string Imitation(string name, Random r) => r.Next(6) switch
    {
        0 => name,
        1 => name + " ",
        2 => name.Replace(' ', '_'),
        3 => name + " (official)",
        4 => name.Replace('i', 'ı').Replace('o', 'о'), // look-alike letters (dotless i, Cyrillic o)
        _ => name.Replace(" ", "") + r.Next(1, 99),
    };

    /// <summary>Makes near-duplicate texts: the same template with a word or two changed, as a copy-paste campaign does.</summary>
    public static string Perturb(string text, Random r)
    {
        var swaps = new (string, string)[] { ("must", "has to"), ("immediately", "right now"), ("meeting", "call"), ("host", "organiser"), ("Please", "Kindly") };
        foreach (var (a, b) in swaps) if (r.NextDouble() < 0.3) text = text.Replace(a, b);
        if (r.NextDouble() < 0.3) text += r.NextDouble() < 0.5 ? "!!" : " Thank you.";
        return text;
    }
}
