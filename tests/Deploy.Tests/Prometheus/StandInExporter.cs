using System.Globalization;
using System.Net;
using System.Text;
using SweepRunner.TestSupport;

namespace SweepRunner.Deploy.Tests.Prometheus;

/// <summary>
/// A loopback HTTP server that stands in for a SweepRunner process towards Prometheus: it answers fixed documents by
/// path (a /metrics exposition, the coordinator's service discovery list) and 404 for anything else.
/// </summary>
public sealed class StandInExporter : IAsyncDisposable
{
    private const int StartAttempts = 5;

    private readonly HttpListener listener;
    private readonly IReadOnlyDictionary<string, (string ContentType, string Body)> documents;
    private readonly Task serving;

    private StandInExporter(HttpListener listener, int port, IReadOnlyDictionary<string, (string ContentType, string Body)> documents)
    {
        this.listener = listener;
        this.documents = documents;
        Port = port;
        serving = ServeAsync();
    }

    public int Port { get; }

    /// <summary>host:port, as a Prometheus target.</summary>
    public string Target => string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{Port}");

    public Uri Address => new($"http://{Target}/");

    /// <summary>Starts serving <paramref name="documents"/> (absolute path → content type and body) on a free loopback port.</summary>
    public static StandInExporter Start(IReadOnlyDictionary<string, (string ContentType, string Body)> documents)
    {
        for (int attempt = 1; ; attempt++)
        {
            int port = FreePort.Pick();
            var listener = new HttpListener();
            listener.Prefixes.Add(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}/"));
            try
            {
                listener.Start();
                return new StandInExporter(listener, port, documents);
            }
            catch (HttpListenerException) when (attempt < StartAttempts)
            {
                // Taken between picking and binding: another port.
                listener.Close();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        listener.Stop();
        listener.Close();
        await serving;
    }

    private async Task ServeAsync()
    {
        while (true)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
            {
                return; // Stopped.
            }
            using var response = context.Response;
            if (documents.TryGetValue(context.Request.Url!.AbsolutePath, out var document))
            {
                response.ContentType = document.ContentType;
                var body = Encoding.UTF8.GetBytes(document.Body);
                await response.OutputStream.WriteAsync(body);
            }
            else
            {
                response.StatusCode = (int)HttpStatusCode.NotFound;
            }
        }
    }
}
