using System.Globalization;
using System.Text.RegularExpressions;

namespace CrampSense.Bridge.Tests.Infrastructure;

/// <summary>
/// Grafana's InfluxQL interpolation, for running dashboard queries outside Grafana: <c>$timeFilter</c> becomes
/// <c>time &gt;= &lt;from&gt;ms and time &lt;= &lt;to&gt;ms</c>, <c>$__interval</c>/<c>$interval</c> the group-by
/// interval, <c>$name</c>/<c>${name}</c> a template variable (regex-escaped, as Grafana does for InfluxQL). An unknown
/// macro is an error, so a dashboard cannot use one the test does not expand.
/// </summary>
internal static partial class GrafanaMacros
{
    public static string Expand(string query, DateTimeOffset from, DateTimeOffset to, string interval, IReadOnlyDictionary<string, string> variables) =>
        Macro().Replace(query, match =>
        {
            var name = match.Groups[1].Success ? match.Groups[1].Value : match.Groups[2].Value;
            return name switch
            {
                "timeFilter" => string.Create(CultureInfo.InvariantCulture, $"time >= {from.ToUnixTimeMilliseconds()}ms and time <= {to.ToUnixTimeMilliseconds()}ms"),
                "__interval" or "interval" => interval,
                _ when variables.TryGetValue(name, out var value) => RegexSpecial().Replace(value, @"\$0"),
                _ => throw new InvalidOperationException($"Unknown Grafana macro or variable '${name}' in: {query}"),
            };
        });

    // '$' followed by a word: a macro or variable; a '$' before '/' (regex anchor) is left alone.
    [GeneratedRegex(@"\$\{(\w+)\}|\$(\w+)")]
    private static partial Regex Macro();

    [GeneratedRegex(@"[\\^$*+?.()|\[\]{}/]")]
    private static partial Regex RegexSpecial();
}
