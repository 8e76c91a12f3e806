namespace SweepRunner.Deploy.Tests.Grafana;

/// <summary>
/// Finds the metric selectors of a PromQL expression, with the function each is an argument of: a small scanner that
/// knows strings, label matchers, ranges, function calls, aggregations with by/without, vector matching (on, ignoring,
/// group_left/right) and offsets: enough to check dashboard queries, not a parser (it accepts invalid PromQL; the
/// tests that run the queries on Prometheus catch that).
/// </summary>
public static class PromQlSelectors
{
    private static readonly HashSet<string> Aggregations =
        ["sum", "min", "max", "avg", "group", "stddev", "stdvar", "count", "count_values", "bottomk", "topk", "quantile"];

    // Keywords followed by a parenthesised list of label names.
    private static readonly HashSet<string> LabelLists = ["by", "without", "on", "ignoring", "group_left", "group_right"];

    private static readonly HashSet<string> Keywords = ["and", "or", "unless", "bool", "inf", "nan"];

    public static IReadOnlyList<PromQlSelector> Find(string expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        var selectors = new List<PromQlSelector>();
        // The function of each open parenthesis; null for a plain one.
        var functions = new Stack<string?>();
        int i = 0;
        while (i < expression.Length)
        {
            char c = expression[i];
            if (c is '"' or '\'' or '`')
            {
                i = SkipString(expression, i);
            }
            else if (c == '(')
            {
                functions.Push(null);
                i++;
            }
            else if (c == ')')
            {
                if (functions.Count > 0) functions.Pop();
                i++;
            }
            else if (c == '{')
            {
                i = ReadSelector(expression, "", i, functions, selectors);
            }
            else if (char.IsAsciiDigit(c) || c == '.')
            {
                i = SkipWord(expression, i);
            }
            else if (IsNameStart(c))
            {
                int end = SkipWord(expression, i);
                string word = expression[i..end];
                int next = SkipSpace(expression, end);
                if (LabelLists.Contains(word))
                {
                    i = At(expression, next, '(') ? SkipBalanced(expression, next, '(', ')') : next;
                }
                else if (word == "offset")
                {
                    i = SkipWord(expression, SkipSpace(expression, next));
                }
                else if (Keywords.Contains(word))
                {
                    i = end;
                }
                else if (Aggregations.Contains(word))
                {
                    // sum by (le) (…) or sum (…) by (le): the grouping may come first.
                    int open = next;
                    int afterGrouping = SkipWord(expression, next);
                    if (LabelLists.Contains(expression[next..afterGrouping]))
                        open = SkipSpace(expression, SkipBalanced(expression, SkipSpace(expression, afterGrouping), '(', ')'));
                    functions.Push(word);
                    i = At(expression, open, '(') ? open + 1 : open;
                }
                else if (At(expression, next, '('))
                {
                    functions.Push(word);
                    i = next + 1;
                }
                else
                {
                    i = ReadSelector(expression, word, next, functions, selectors);
                }
            }
            else
            {
                i++;
            }
        }
        return selectors;
    }

    // Reads the optional {matchers} at i and an optional [range] after them; returns the index after the selector.
    private static int ReadSelector(string expression, string metric, int i, Stack<string?> functions, List<PromQlSelector> selectors)
    {
        string matchers = "";
        if (At(expression, i, '{'))
        {
            int close = SkipBalanced(expression, i, '{', '}');
            matchers = expression[(i + 1)..(close - 1)].Trim();
            i = close;
        }
        string? range = null;
        int next = SkipSpace(expression, i);
        if (At(expression, next, '['))
        {
            int close = SkipBalanced(expression, next, '[', ']');
            range = expression[(next + 1)..(close - 1)].Trim();
            i = close;
        }
        selectors.Add(new PromQlSelector(metric, matchers, functions.Count > 0 ? functions.Peek() : null, range));
        return i;
    }

    private static bool IsNameStart(char c) => char.IsAsciiLetter(c) || c is '_' or ':';

    private static bool At(string expression, int i, char c) => i < expression.Length && expression[i] == c;

    private static int SkipSpace(string expression, int i)
    {
        while (i < expression.Length && char.IsWhiteSpace(expression[i])) i++;
        return i;
    }

    // A name, number or duration: letters, digits, _, :, and . (in numbers).
    private static int SkipWord(string expression, int i)
    {
        while (i < expression.Length && (char.IsAsciiLetterOrDigit(expression[i]) || expression[i] is '_' or ':' or '.')) i++;
        return i;
    }

    private static int SkipString(string expression, int i)
    {
        char quote = expression[i++];
        while (i < expression.Length && expression[i] != quote) i += expression[i] == '\\' && quote != '`' ? 2 : 1;
        return Math.Min(i + 1, expression.Length);
    }

    // From an opening bracket at i to just after its closing one, skipping strings.
    private static int SkipBalanced(string expression, int i, char open, char close)
    {
        int depth = 0;
        while (i < expression.Length)
        {
            char c = expression[i];
            if (c is '"' or '\'' or '`')
            {
                i = SkipString(expression, i);
                continue;
            }
            i++;
            if (c == open) depth++;
            else if (c == close && --depth == 0) return i;
        }
        return i;
    }
}
