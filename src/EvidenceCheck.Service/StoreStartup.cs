using EvidenceCheck.Storage;

namespace EvidenceCheck.Service;

/// <summary>
/// Opens the store on a thread of its own, so the service can listen while it does. Most starts open it in well under a
/// second; a migration that derives the campaign counters again reads every stored report (about a minute at a million),
/// and a service that answered nothing meanwhile would be restarted by an orchestrator's liveness probe, which starts the
/// work over. Until the store is open, <c>/healthz</c> says "starting" and what is being done, and every endpoint that
/// needs the store answers 503 with Retry-After (<see cref="UseStoreGate"/>).
/// </summary>
public sealed class StoreStartup : IDisposable
{
    private readonly Func<Action<string>, ReportLedger> _open;
    private readonly List<Action<ReportLedger>> _whenOpen = [];
    private readonly Lock _lock = new();
    private Task? _opening;
    private volatile ReportLedger? _ledger;
    private volatile string _status = "opening the store";
    private volatile Exception? _failure;

    /// <param name="open">Opens the store, telling what it does (a rebuild, its progress) through the action it is given.</param>
    public StoreStartup(Func<Action<string>, ReportLedger> open) => _open = open;

    /// <summary>Whether the store is open and every endpoint can be answered.</summary>
    public bool Ready => _ledger is not null;

    /// <summary>What opening the store is doing now (its last message), for <c>/healthz</c> and the 503 answers.</summary>
    public string Status => _failure is { } e ? "the store could not be opened: " + e.Message : _status;

    /// <summary>Why the store could not be opened; null while opening or once open.</summary>
    public Exception? Failure => _failure;

    /// <summary>The open store. Only where <see cref="Ready"/> is true (the gate keeps requests away before).</summary>
    public ReportLedger Ledger => _ledger ?? throw new InvalidOperationException("The store is not open yet: " + Status);

    /// <summary>Starts opening the store; the returned task ends when it is open or has failed (it does not throw).</summary>
    public Task Start()
    {
        lock (_lock)
        {
            return _opening ??= Task.Factory.StartNew(() =>
            {
                try
                {
                    var ledger = _open(message => _status = message);
                    Action<ReportLedger>[] then;
                    lock (_lock)
                    {
                        _ledger = ledger;
                        then = [.. _whenOpen];
                        _whenOpen.Clear();
                    }
                    foreach (var action in then) action(ledger);
                }
                catch (Exception e)
                {
                    _failure = e;
                }
            }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        }
    }

    /// <summary>Runs <paramref name="action"/> once the store is open: now, on this thread, if it already is.</summary>
    public void WhenOpen(Action<ReportLedger> action)
    {
        ReportLedger? ledger;
        lock (_lock)
        {
            ledger = _ledger;
            if (ledger is null) { _whenOpen.Add(action); return; }
        }
        action(ledger);
    }

    /// <summary>Waits for the opening to end (a service stopped while its store opens waits for it, then closes it).</summary>
    public void Dispose()
    {
        _opening?.Wait();
        _ledger?.Dispose();
    }

    /// <summary>Paths answered while the store opens: the health check and the API's description.</summary>
    private static bool AnsweredWhileOpening(PathString path) =>
        path.StartsWithSegments("/healthz") || path.StartsWithSegments("/openapi");

    /// <summary>Until the store is open, every request that needs it gets 503, saying what is being done, and when to retry.</summary>
    public static void UseStoreGate(WebApplication app)
    {
        var startup = app.Services.GetRequiredService<StoreStartup>();
        app.Use(async (http, next) =>
        {
            if (startup.Ready || AnsweredWhileOpening(http.Request.Path))
            {
                await next(http);
                return;
            }
            http.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            http.Response.Headers.RetryAfter = "10";
            await http.Response.WriteAsJsonAsync(new
            {
                type = "https://tools.ietf.org/html/rfc9110#section-15.6.4", title = "The service is starting", status = 503,
                detail = $"The store is being opened ({startup.Status}); nothing was stored. Retry shortly.",
            }, (System.Text.Json.JsonSerializerOptions?)null, "application/problem+json");
        });
    }
}
