namespace EvidenceCheck.Storage.Tests;

/// <summary>The writer's budget of reports in hand: who gets in, in what order, and what a cancelled wait gives back.</summary>
public class ReportBudgetTests
{
    [Fact]
    public async Task Enter_BeyondTheBudget_WaitsForRoom_AndTheLineIsServedInOrder()
    {
        var budget = new ReportBudget(100);
        await budget.EnterAsync(64, CancellationToken.None);
        var second = budget.EnterAsync(64, CancellationToken.None);
        // It would fit, but it came after one that does not: first come, first served.
        var third = budget.EnterAsync(1, CancellationToken.None);
        Assert.False(second.IsCompleted);
        Assert.False(third.IsCompleted);

        budget.Leave(64);

        await second.WaitAsync(TimeSpan.FromSeconds(5));
        await third.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(65, budget.InUse);
    }

    [Fact]
    public async Task Enter_MoreThanTheWholeBudget_GoesInAlone()
    {
        var budget = new ReportBudget(10);
        await budget.EnterAsync(3, CancellationToken.None);
        var large = budget.EnterAsync(50, CancellationToken.None);
        Assert.False(large.IsCompleted);

        budget.Leave(3);

        await large.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(50, budget.InUse);
        Assert.False(budget.EnterAsync(1, CancellationToken.None).IsCompleted);
    }

    [Fact]
    public async Task Enter_CancelledWhileWaiting_TakesNothing_AndLetsTheNextIn()
    {
        var budget = new ReportBudget(10);
        await budget.EnterAsync(8, CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        var cancelled = budget.EnterAsync(5, cancel.Token);
        var next = budget.EnterAsync(2, CancellationToken.None);
        Assert.False(next.IsCompleted);

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        await next.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(10, budget.InUse);
    }

    [Fact]
    public void Leave_MoreThanEntered_Throws()
    {
        var budget = new ReportBudget(10);
        Assert.Throws<InvalidOperationException>(() => budget.Leave(1));
    }
}
