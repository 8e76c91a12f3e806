using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Dom.Events;
using AngleSharp.Html.Parser;

namespace SweepRunner.Tests.Reports;

/// <summary>
/// A sweep report's page parsed by an HTML5 parser, with every parse error it reported, and the checks the report
/// tests make on it (linked into each test project that writes reports).
/// </summary>
public sealed class ReportPage : IDisposable
{
    private ReportPage(string folder, IHtmlDocument document, IReadOnlyList<string> parseErrors)
    {
        Folder = folder;
        Document = document;
        ParseErrors = parseErrors;
    }

    public string Folder { get; }

    public IHtmlDocument Document { get; }

    /// <summary>"line:column: message" for each error the parser recovered from; a well-formed page has none.</summary>
    public IReadOnlyList<string> ParseErrors { get; }

    /// <summary>The trial table's body rows, in the page's order.</summary>
    public IReadOnlyList<IElement> TrialRows => [.. Document.QuerySelectorAll("#trial-table tbody tr")];

    /// <summary>The trial numbers of <see cref="TrialRows"/>.</summary>
    public IReadOnlyList<int> TrialNumbers => [.. TrialRows.Select(row => int.Parse(row.GetAttribute("data-trial")!, System.Globalization.CultureInfo.InvariantCulture))];

    /// <summary>Every src and href the page refers to, but in-page anchors.</summary>
    public IReadOnlyList<string> References =>
        [.. Document.QuerySelectorAll("[src]").Select(e => e.GetAttribute("src")!)
            .Concat(Document.QuerySelectorAll("[href]").Select(e => e.GetAttribute("href")!))
            .Where(reference => !reference.StartsWith('#'))];

    public static ReportPage Load(string pagePath)
    {
        var errors = new List<string>();
        var parser = new HtmlParser();
        parser.Error += (_, e) => errors.Add(e is HtmlErrorEvent error ? $"{error.Position.Line}:{error.Position.Column}: {error.Message}" : e.Type);
        var document = parser.ParseDocument(File.ReadAllText(pagePath));
        return new ReportPage(Path.GetDirectoryName(Path.GetFullPath(pagePath))!, document, errors);
    }

    /// <summary>Asserts the page parsed without errors and that each file it refers to is in its folder (and not outside it).</summary>
    public void AssertWellFormedWithEveryReferenceOnDisk()
    {
        Assert.Empty(ParseErrors);
        Assert.NotEmpty(References);
        foreach (var reference in References)
        {
            Assert.False(Uri.TryCreate(reference, UriKind.Absolute, out _), $"{reference} is not relative: the report folder must stand alone");
            string path = Path.GetFullPath(Path.Combine(Folder, reference));
            Assert.StartsWith(Folder + Path.DirectorySeparatorChar, path, StringComparison.Ordinal);
            Assert.True(File.Exists(path), $"the page refers to {reference}, which is not there");
        }
    }

    public void Dispose() => Document.Dispose();
}
