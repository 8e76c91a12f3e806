using System.Text.RegularExpressions;
using SweepRunner.TestSupport;

namespace SweepRunner.Cli.Tests.BadInputs;

/// <summary>
/// The bad-input catalogue of docs/reliability.md and its tests agree: every row names a test class whose source
/// holds the row's message and exit code or status, so a message changed in the product fails its test, and a row
/// changed in the docs fails here.
/// </summary>
public sealed partial class BadInputCatalogueTests
{
    private const int MinimumRows = 30;

    [Fact]
    public void Every_row_of_the_catalogue_names_a_test_that_asserts_its_message()
    {
        var rows = CatalogueRows();
        var sources = Directory.GetFiles(RepositoryFiles.Find("tests"), "*.cs", SearchOption.AllDirectories)
            .Where(path => !path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToDictionary(path => path, File.ReadAllText);

        Assert.True(rows.Count >= MinimumRows, $"the catalogue has {rows.Count} rows; expected at least {MinimumRows}");
        foreach (var row in rows)
        {
            var test = sources.Where(source => Regex.IsMatch(source.Value, $@"\bclass {Regex.Escape(row.Test)}\b")).Select(source => source.Value).SingleOrDefault();
            Assert.True(test is not null, $"row '{row.Input}': no test class {row.Test}");
            Assert.True(test.Contains(row.Message, StringComparison.Ordinal), $"row '{row.Input}': {row.Test} does not assert `{row.Message}`");
            Assert.True(Regex.Split(row.Code, @"\W+").Where(code => code.Length > 0).Any(code => test.Contains(CodeInSource(code), StringComparison.Ordinal)), $"row '{row.Input}': {row.Test} does not check {row.Code}");
        }
    }

    [Fact]
    public void Every_row_is_a_different_bad_input()
    {
        var rows = CatalogueRows();

        Assert.Equal(rows.Count, rows.Select(row => row.Input).Distinct(StringComparer.Ordinal).Count());
    }

    /// <summary>How the source of a test names an exit code (<c>2</c>) or an HTTP status (<c>415</c>).</summary>
    private static string CodeInSource(string code) => code switch
    {
        "2" => nameof(ExitCodes.BadInput),
        "3" => nameof(ExitCodes.NotFound),
        "400" => "BadRequest",
        "401" => "Unauthorized",
        "403" => "Forbidden",
        "404" => "NotFound",
        "409" => "Conflict",
        "413" => "RequestEntityTooLarge",
        "415" => "UnsupportedMediaType",
        _ => code,
    };

    /// <summary>The table under "## Bad input catalogue": | Where | Bad input | Message | Exit code or status | Test |.</summary>
    private static List<CatalogueRow> CatalogueRows()
    {
        string docs = File.ReadAllText(RepositoryFiles.Find("docs/reliability.md"));
        int start = docs.IndexOf("\n## Bad input catalogue", StringComparison.Ordinal);
        Assert.True(start >= 0, "docs/reliability.md has no '## Bad input catalogue' section");
        int end = docs.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        string section = end < 0 ? docs[start..] : docs[start..end];
        return [.. section.Split('\n')
            .Select(line => Row().Match(line))
            .Where(match => match.Success)
            .Select(match => new CatalogueRow(match.Groups["input"].Value.Trim(), Unquote(match.Groups["message"].Value), match.Groups["code"].Value.Trim(), Unquote(match.Groups["test"].Value)))];
    }

    /// <summary>A cell's text without the backticks of its code span (one or two, the latter around text with a backtick).</summary>
    private static string Unquote(string cell)
    {
        string trimmed = cell.Trim();
        string fence = trimmed.StartsWith("``", StringComparison.Ordinal) ? "``" : "`";
        return trimmed.StartsWith(fence, StringComparison.Ordinal) && trimmed.EndsWith(fence, StringComparison.Ordinal)
            ? trimmed[fence.Length..^fence.Length].Trim()
            : trimmed;
    }

    // A data row: five cells, the message and the test in code spans. Header and rule rows do not match.
    [GeneratedRegex(@"^\|(?<where>[^|]+)\|(?<input>[^|]+)\|(?<message>\s*`[^|]+`\s*)\|(?<code>[^|]+)\|(?<test>\s*`[^|`]+`\s*)\|\s*$")]
    private static partial Regex Row();

    private sealed record CatalogueRow(string Input, string Message, string Code, string Test);
}
