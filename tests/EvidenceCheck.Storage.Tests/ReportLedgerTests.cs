using EvidenceCheck.Core.Campaigns;
using EvidenceCheck.Core.Contract;
using Microsoft.Data.Sqlite;

namespace EvidenceCheck.Storage.Tests;

/// <summary>The store on a real SQLite file.</summary>
public class ReportLedgerTests
{
    [Fact]
    public async Task Submit_SameReportTwice_IsStoredOnceWithOneScore()
    {
        using var store = new TempStore();
        var report = Some.Report("r-idem");

        var first = await store.Ledger.SubmitAsync(report);
        var second = await store.Ledger.SubmitAsync(Some.Report("r-idem"));

        Assert.Equal(SubmitStatus.Scored, first.Status);
        Assert.Equal(SubmitStatus.Unchanged, second.Status);
        Assert.Equal(first.Score!.Score, second.Score!.Score);
        Assert.Single(store.Queries.GetReport("r-idem")!.Scores);
        Assert.Equal(1, store.Queries.CountReports());
    }

    [Fact]
    public async Task Submit_SameReportTwiceInOneBatch_IsStoredOnce_AndBothAnswersCarryItsScore()
    {
        // Both land in one group: the second meets the first's row before its score is written.
        using var store = new TempStore();

        var outcomes = await store.Ledger.SubmitManyAsync([Some.Report("r-dup"), Some.Report("r-dup"), Some.Report("r-dup", r => r.Text = "a different story")]);

        Assert.Equal([SubmitStatus.Scored, SubmitStatus.Unchanged, SubmitStatus.Conflict], outcomes.Select(o => o.Status));
        Assert.NotNull(outcomes[0].Score);
        Assert.Same(outcomes[0].ScoreJson, outcomes[1].ScoreJson);
        Assert.Null(outcomes[2].Score);
        Assert.Single(store.Queries.GetReport("r-dup")!.Scores);
        Assert.Equal(1, store.Queries.CountReports());
    }

    [Fact]
    public async Task Submit_SameIdDifferentContent_IsRefusedAndTheStoredReportStands()
    {
        using var store = new TempStore();
        await store.Ledger.SubmitAsync(Some.Report("r-twice", r => r.Text = "first version of the story"));

        var outcome = await store.Ledger.SubmitAsync(Some.Report("r-twice", r => r.Text = "another story entirely"));

        Assert.Equal(SubmitStatus.Conflict, outcome.Status);
        Assert.Contains("first version", store.Queries.GetReport("r-twice")!.ReportJson);
    }

    [Fact]
    public async Task Submit_ManyConcurrently_AllDurableAfterRestart()
    {
        using var store = new TempStore();
        var submissions = Enumerable.Range(0, 300).Select(i => store.Ledger.SubmitAsync(Some.Report($"r-{i}"))).ToArray();
        await Task.WhenAll(submissions);

        store.Reopen();

        Assert.Equal(300, store.Queries.CountReports());
        Assert.All(submissions, s => Assert.Equal(SubmitStatus.Scored, s.Result.Status));
    }

    [Fact]
    public async Task NearDuplicateText_IsFoundAcrossARestart()
    {
        // The text index lives in memory: a restart refills it from the stored reports.
        using var store = new TempStore();
        const string story = "the host shared a video praising the attack and told everyone to join the fight tonight";
        await store.Ledger.SubmitAsync(Some.Report("r-before", r => { r.Text = story; r.Reporter!.AccountId = "u-first"; }));

        store.Reopen();
        var after = await store.Ledger.SubmitAsync(Some.Report("r-after", r => { r.Text = story + " now"; r.Reporter!.AccountId = "u-second"; }));

        Assert.NotNull(after.Score!.Campaign);
        Assert.Contains(CampaignEngine.NearDuplicateText, after.Score.Campaign!.Links);
    }

    [Fact]
    public async Task Stats_CountCommitsAndReportsPerCommit()
    {
        using var store = new TempStore();
        await store.Ledger.SubmitManyAsync(Enumerable.Range(0, 10).Select(i => Some.Report($"r-stats-{i}")).ToArray());

        var stats = store.Ledger.Stats;

        Assert.InRange(stats.Commits, 1, 10);
        Assert.True(stats.ReportsPerCommit >= 1);
        Assert.True(stats.MeanCommitMilliseconds > 0);
        // The answers came back, so the log holding them was flushed first.
        Assert.True(stats.Flushes >= 1);
        // Every new report was looked up, recorded, written and scored on the writer; nothing was re-scored.
        var stages = stats.Stages;
        Assert.All(new[] { stages.Lookup, stages.Campaign, stages.Rows, stages.Scores, stages.Commit }, ms => Assert.True(ms > 0));
        Assert.True(stages.FirstScoreWait >= 0);
        Assert.Equal(0, stages.Rescores);
        // The mean is rounded to 0.01 ms, so the product is off by up to 0.005 ms a commit.
        Assert.Equal(stats.MeanCommitMilliseconds * stats.Commits, stages.Commit, 0.005 * stats.Commits + 0.001);
    }

    [Fact]
    public async Task Stats_CampaignRescores_AreTimedAsRescores()
    {
        using var store = new TempStore();
        var reports = Some.SeedCampaign(3, "m-stages");
        await store.Ledger.SubmitAsync(reports[0]);
        Assert.Equal(0, store.Ledger.Stats.Stages.Rescores);

        // The campaign becomes visible: its earlier member is scored again, and that time is counted as re-scoring.
        foreach (var r in reports.Skip(1)) await store.Ledger.SubmitAsync(r);
        Assert.True(store.Queries.GetReport(reports[0].ReportId)!.Scores.Count > 1);
        Assert.True(store.Ledger.Stats.Stages.Rescores > 0);
    }

    [Fact]
    public async Task QueueMany_WhileTheWriterIsBusy_ReadsOnlyTheReportsItsBudgetHasRoomFor_ThenAll()
    {
        // A busy writer must not make the service hold every waiting request's reports at once: a submission reads its
        // reports a slice at a time, only when the writer's budget of reports in hand has room for them.
        using var store = new TempStore(o => o.QueueCapacity = 100);
        var read = 0;
        IEnumerable<Report> Reports()
        {
            for (var i = 0; i < 300; i++)
            {
                Interlocked.Increment(ref read);
                yield return Some.Report($"r-budget-{i}");
            }
        }

        Task<Task<SubmitOutcome[]>> queued;
        using (var holder = new SqliteConnection($"Data Source={store.Options.DatabasePath}"))
        {
            // The writer waits for this transaction with the first slice (64 reports) in hand; the next slice does not fit.
            holder.Open();
            SqliteSchema.Execute(holder, "PRAGMA busy_timeout = 10000; BEGIN IMMEDIATE;");
            queued = store.Ledger.QueueManyAsync(Reports());
            await Task.Delay(500);
            Assert.False(queued.IsCompleted);
            Assert.Equal(64, Volatile.Read(ref read));
            SqliteSchema.Execute(holder, "ROLLBACK;");
        }

        var outcomes = await await queued;
        Assert.Equal(300, read);
        Assert.Equal(300, outcomes.Length);
        Assert.All(outcomes, o => Assert.Equal(SubmitStatus.Scored, o.Status));
        Assert.Equal(300, store.Queries.CountReports());
    }

    [Fact]
    public async Task QueueMany_WhoseReportsFailToBeRead_GivesBackItsShareOfTheBudget()
    {
        // A submission that fails midway must not keep the room it took: with it kept, the budget fills up for good and
        // every later submission waits forever.
        using var store = new TempStore(o => o.QueueCapacity = 100);
        IEnumerable<Report> Failing()
        {
            for (var i = 0; i < 10; i++) yield return Some.Report($"r-fails-{i}");
            throw new InvalidDataException("the eleventh report could not be read");
        }

        for (var attempt = 0; attempt < 3; attempt++)
            await Assert.ThrowsAsync<InvalidDataException>(() => store.Ledger.QueueManyAsync(Failing()).WaitAsync(TimeSpan.FromSeconds(30)));

        var outcomes = await store.Ledger.SubmitManyAsync(Enumerable.Range(0, 100).Select(i => Some.Report($"r-after-{i}")).ToList())
            .WaitAsync(TimeSpan.FromSeconds(30));
        Assert.All(outcomes, o => Assert.Equal(SubmitStatus.Scored, o.Status));
    }

    [Fact]
    public async Task Open_NewStore_IsWalAtCurrentSchemaVersion()
    {
        using var store = new TempStore();
        await store.Ledger.SubmitAsync(Some.Report("r-schema"));

        using var c = new SqliteConnection($"Data Source={store.Options.DatabasePath}");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "PRAGMA journal_mode; ";
        Assert.Equal("wal", cmd.ExecuteScalar());
        cmd.CommandText = "PRAGMA user_version;";
        Assert.Equal((long)SqliteSchema.CurrentVersion, cmd.ExecuteScalar());
    }

    [Fact]
    public async Task ARequestFailingInTheGroup_AfterItsCampaignReadTheEarlierRequestsRows_LeavesTheEarlierOneStoredAndScored()
    {
        // New rows wait for their first score and are written with it; a campaign joined by a later request of the same
        // group writes them sooner, inside that request's savepoint. When that request then fails, its savepoint takes them
        // back: they must still be stored, with their scores, and the failed request's reports not at all.
        using var store = new TempStore();
        var reports = Some.SeedCampaign(8, "m-slices");
        var (earlier, later) = (reports.Take(1).ToList(), reports.Skip(1).ToList());
        var failing = later[^1].ReportId;
        store.Ledger.WritingReport = id => { if (id == failing) throw new InvalidOperationException("failing on purpose"); };

        Task<SubmitOutcome[]> first, second;
        using (var holder = new SqliteConnection($"Data Source={store.Options.DatabasePath}"))
        {
            // The writer waits for this transaction with its first group (one report), while both requests queue as the next.
            holder.Open();
            SqliteSchema.Execute(holder, "PRAGMA busy_timeout = 10000; BEGIN IMMEDIATE;");
            var blocker = store.Ledger.SubmitAsync(Some.Report("r-blocker"));
            await Task.Delay(300);
            first = store.Ledger.SubmitManyAsync(earlier);
            second = store.Ledger.SubmitManyAsync(later);
            SqliteSchema.Execute(holder, "ROLLBACK;");
            await blocker;
        }

        var outcomes = await first;
        await Assert.ThrowsAsync<InvalidOperationException>(() => second);
        Assert.True(store.Ledger.Stats.Commits == 2, "the two requests were not written in one group");
        for (var i = 0; i < earlier.Count; i++)
        {
            Assert.Equal(SubmitStatus.Scored, outcomes[i].Status);
            var stored = store.Queries.GetReport(earlier[i].ReportId)!;
            Assert.NotNull(stored.Score);
            Assert.Equal("submitted", stored.Scores[0].Cause);
            Assert.Equal(outcomes[i].Score!.Score, stored.Scores[0].Score);
        }
        Assert.All(later, r => Assert.Null(store.Queries.GetReport(r.ReportId)));

        // The store goes on, and the failed request's reports, sent again, join the campaign of the earlier ones.
        store.Ledger.WritingReport = null;
        var again = await store.Ledger.SubmitManyAsync(later);
        // Nothing of the failed attempt is counted (the writer's caches forgot it with the rollback): the same first
        // scores as a file of these reports gives.
        var firstFromFile = new List<ScoreResult>();
        CampaignEngineTests.ScoreFile([Some.Report("r-blocker"), .. reports], firstFromFile);
        Assert.Equal(firstFromFile.Skip(2).Select(s => s.Score), again.Select(o => o.Score!.Score));
        var members = reports.Select(r => store.Queries.GetReport(r.ReportId)!).ToArray();
        Assert.Single(members.Select(m => m.CampaignId).Distinct());
        Assert.NotNull(members[0].CampaignId);
        // Every row numbered once, none skipped: the failed request's numbers were given again.
        using var check = new SqliteConnection($"Data Source={store.Options.DatabasePath};Mode=ReadOnly");
        check.Open();
        using var cmd = check.CreateCommand();
        cmd.CommandText = "SELECT count(*), max(seq) FROM reports";
        using var r = cmd.ExecuteReader();
        Assert.True(r.Read());
        Assert.Equal((reports.Count + 1L, reports.Count + 1L), (r.GetInt64(0), r.GetInt64(1)));
    }

    [Fact]
    public async Task SeedPattern_OneAtATime_AllMembersFlaggedLinkedAndQueued()
    {
        using var store = new TempStore();
        var reports = Some.SeedCampaign(8, "m-ledger");
        foreach (var r in reports) await store.Ledger.SubmitAsync(r);

        var stored = reports.Select(r => store.Queries.GetReport(r.ReportId)!).ToArray();
        Assert.All(stored, s => Assert.True(s.Score!.Flagged, $"{s.ReportId} scored {s.Score.Score}"));
        var campaignId = Assert.Single(stored.Select(s => s.CampaignId).Distinct());
        Assert.NotNull(campaignId);
        // The first report was scored alone, then again each time the campaign grew.
        Assert.Null(stored[0].Scores[0].CampaignId);
        Assert.Contains(stored[0].Scores, s => s.Cause == "campaign" && s.Flagged);

        var queue = store.Queries.Queue(new QueueFilter(CampaignId: campaignId));
        Assert.Equal(8, queue.Items.Count);
        var campaign = store.Queries.GetCampaign(campaignId!)!;
        Assert.Equal(8, campaign.Reports);
        Assert.Equal(8, campaign.Reporters);
        Assert.NotEmpty(campaign.LinksBetween);
    }

    [Fact]
    public async Task SameReports_FileAndStore_GiveTheSameScores()
    {
        var reports = Some.GenuineRaid(12, "m-parity").Concat(Some.SeedCampaign(7, "m-parity")).ToList();
        var fromFile = CampaignEngineTests.ScoreFile(reports).Final.ToDictionary(s => s.ReportId);

        using var store = new TempStore();
        foreach (var r in reports) await store.Ledger.SubmitAsync(r);

        foreach (var r in reports)
        {
            var stored = store.Queries.GetReport(r.ReportId)!.Score!;
            Assert.Equal(fromFile[r.ReportId].Score, stored.Score);
            Assert.Equal(fromFile[r.ReportId].Campaign?.CampaignId, stored.Campaign?.CampaignId);
            Assert.Equal(fromFile[r.ReportId].Reasons.Select(x => x.Signal), stored.Reasons.Select(x => x.Signal));
        }
    }

    [Fact]
    public async Task SameReports_FileAndOneBatch_GiveTheSameScores_AndEachHistoryStartsWithItsOwnScore()
    {
        // One request, one group: first scores are computed off the writer and written before the commit, while the
        // campaign re-scores its earlier members in between; the answers and the histories must not tell.
        var reports = Some.GenuineRaid(12, "m-batch").Concat(Some.SeedCampaign(7, "m-batch")).ToList();
        var firstFromFile = new List<ScoreResult>();
        var finalFromFile = CampaignEngineTests.ScoreFile(reports, firstFromFile).Final.ToDictionary(s => s.ReportId);

        using var store = new TempStore();
        var outcomes = await store.Ledger.SubmitManyAsync(reports);

        for (var i = 0; i < reports.Count; i++)
        {
            Assert.Equal(SubmitStatus.Scored, outcomes[i].Status);
            Assert.Equal(firstFromFile[i].Score, outcomes[i].Score!.Score);
            var stored = store.Queries.GetReport(reports[i].ReportId)!;
            Assert.Equal(finalFromFile[reports[i].ReportId].Score, stored.Score!.Score);
            Assert.Equal("submitted", stored.Scores[0].Cause);
            Assert.Equal(firstFromFile[i].Score, stored.Scores[0].Score);
            Assert.All(stored.Scores.Skip(1), s => Assert.Equal("campaign", s.Cause));
        }
        Assert.Contains(reports, r => store.Queries.GetReport(r.ReportId)!.Scores.Count > 1);
    }

    [Fact]
    public async Task ManyReportersOnOneSubject_BeyondTheInlineSet_AreCountedOnceEach_AsInAFile()
    {
        // More reporters than a key row holds (the rest spill to their own table), and every one of them reporting
        // again later: distinct-reporter counts must not double, in the store as in a file.
        var first = Some.GenuineRaid(SqliteCampaignStore.InlineReporters + 8, "m-crowd");
        var again = first.Select(r => Some.GenuineRaid(first.Count, "m-crowd", seed: 11)[first.IndexOf(r)]).ToList();
        foreach (var r in again) { r.ReportId += "-again"; r.ReceivedAt = r.ReceivedAt!.Value.AddHours(3); }
        var reports = first.Concat(again).ToList();
        using var store = new TempStore();
        await store.Ledger.SubmitManyAsync(reports);

        AssertScoredAsInAFile(store, reports);
        using var c = new SqliteConnection($"Data Source={store.Options.DatabasePath}");
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT total(reports), total(reporters) FROM subject_days WHERE subject = $s";
        cmd.Parameters.AddWithValue("$s", CampaignEngine.Key("subject", "meeting:m-crowd"));
        using var totals = cmd.ExecuteReader();
        totals.Read();
        Assert.Equal(reports.Count, (int)totals.GetDouble(0));
        Assert.Equal(first.Count, (int)totals.GetDouble(1));
    }

    [Fact]
    public async Task CampaignRebuild_AskedByAMigration_DerivesTheSameCampaignsFromTheStoredReports()
    {
        using var store = new TempStore();
        var reports = Some.SeedCampaign(6, "m-rebuild");
        foreach (var r in reports.Take(5)) await store.Ledger.SubmitAsync(r);
        var campaignId = store.Queries.GetReport(reports[0].ReportId)!.Score!.Campaign!.CampaignId;
        store.Ledger.Dispose();
        // A store whose counters no longer match the key layout (as after migration 3): all derived state is unusable.
        using (var c = new SqliteConnection($"Data Source={store.Options.DatabasePath}"))
        {
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = """
                DELETE FROM campaign_keys; DELETE FROM subject_days; DELETE FROM campaigns; UPDATE reports SET campaign_id = NULL;
                INSERT INTO store_state (name, value) VALUES ('rebuild_campaigns', 'test');
                """;
            cmd.ExecuteNonQuery();
        }

        store.Reopen(disposeFirst: false);
        var sixth = await store.Ledger.SubmitAsync(reports[5]);

        Assert.Equal(campaignId, sixth.Score!.Campaign!.CampaignId);
        Assert.Equal(6, sixth.Score.Campaign.Reports);
        Assert.Equal(6, store.Queries.GetCampaign(campaignId)!.Reports);
        Assert.Equal(campaignId, store.Queries.GetReport(reports[0].ReportId)!.CampaignId);
    }

    [Fact]
    public async Task AStoreKeyedBySubjectHash_IsRenumberedAtUpgrade_AndGivesTheAnswersOfAFile()
    {
        using var store = new TempStore();
        var reports = Some.SeedCampaign(6, "m-upgrade");
        var subject = "meeting:m-upgrade";
        foreach (var r in reports.Take(5)) await store.Ledger.SubmitAsync(r);
        store.Ledger.Dispose();
        // The store as schema 4 wrote it: no subject numbers, the subject's keys under its hash.
        long numbered;
        using (var c = new SqliteConnection($"Data Source={store.Options.DatabasePath}"))
        {
            c.Open();
            numbered = (long)SqliteSchema.Scalar(c, "SELECT count(*) FROM campaign_keys WHERE k >> 32 = 1")!;
            using var cmd = c.CreateCommand();
            cmd.CommandText = """
                UPDATE campaign_keys SET k = (k & 4294967295) | $prefix WHERE k >> 32 = 1;
                DROP TABLE subject_ordinals;
                PRAGMA user_version = 4;
                """;
            cmd.Parameters.AddWithValue("$prefix", CampaignEngine.SubjectHashPrefix(subject));
            cmd.ExecuteNonQuery();
        }
        Assert.True(numbered >= 3, $"the subject's reporters, network and cohort keys; found {numbered}");

        store.Reopen(disposeFirst: false);
        await store.Ledger.SubmitAsync(reports[5]);

        AssertScoredAsInAFile(store, reports);
        using var after = new SqliteConnection($"Data Source={store.Options.DatabasePath}");
        after.Open();
        Assert.Equal(0L, SqliteSchema.Scalar(after, $"SELECT count(*) FROM campaign_keys WHERE k >> 32 = {CampaignEngine.SubjectHashPrefix(subject) >> 32}"));
        Assert.True((long)SqliteSchema.Scalar(after, "SELECT count(*) FROM campaign_keys WHERE k >> 32 = 1")! >= numbered);
        Assert.Equal(1L, SqliteSchema.Scalar(after, "SELECT count(*) FROM subject_ordinals"));
    }

    [Fact]
    public async Task Decision_IsStoredAsLabel_AndLeavesTheQueue()
    {
        using var store = new TempStore();
        var reports = Some.SeedCampaign(4, "m-decide");
        foreach (var r in reports) await store.Ledger.SubmitAsync(r);
        var before = store.Queries.Queue(new QueueFilter()).Items.Count;

        var entry = store.Queries.AddDecision(reports[0].ReportId, "fabricated", "same script, sock accounts", "alice");

        Assert.NotNull(entry);
        Assert.Equal(before - 1, store.Queries.Queue(new QueueFilter()).Items.Count);
        Assert.Equal("fabricated", store.Queries.GetReport(reports[0].ReportId)!.Decisions.Single().Decision);
        Assert.Null(store.Queries.AddDecision("unknown", "genuine", null, "alice"));
    }

    /// <summary>Every report's stored score and reasons are those the command line gives the same reports in a file.</summary>
    private static void AssertScoredAsInAFile(TempStore store, IReadOnlyList<Report> reports)
    {
        var fromFile = CampaignEngineTests.ScoreFile(reports).Final.ToDictionary(s => s.ReportId);
        foreach (var r in reports)
        {
            var stored = store.Queries.GetReport(r.ReportId)!.Score!;
            Assert.Equal(fromFile[r.ReportId].Score, stored.Score);
            Assert.Equal(fromFile[r.ReportId].Reasons.Select(x => (x.Signal, x.Value)), stored.Reasons.Select(x => (x.Signal, x.Value)));
        }
    }
}
