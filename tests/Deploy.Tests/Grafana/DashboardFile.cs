using System.Text.Json.Nodes;

namespace SweepRunner.Deploy.Tests.Grafana;

/// <summary>One dashboard JSON file of deploy/grafana/dashboards, as a JSON tree: its variables and its panels.</summary>
public sealed class DashboardFile
{
    public const string Folder = "deploy/grafana/dashboards";

    public DashboardFile(string name, JsonObject root)
    {
        Name = name;
        Root = root;
    }

    /// <summary>The file's name (sweep.json), used to say where a problem is.</summary>
    public string Name { get; }

    public JsonObject Root { get; }

    /// <summary>The templating variables (templating.list).</summary>
    public IEnumerable<JsonObject> Variables => (Root["templating"]?["list"] as JsonArray ?? []).OfType<JsonObject>();

    /// <summary>Every panel, those inside rows included; rows themselves are not panels here.</summary>
    public IEnumerable<JsonObject> Panels => Flatten(Root["panels"] as JsonArray ?? []);

    /// <summary>Every *.json file of <paramref name="folder"/>, by name.</summary>
    public static IReadOnlyList<DashboardFile> LoadAll(string folder) =>
        Directory.GetFiles(folder, "*.json").Order(StringComparer.Ordinal).Select(Load).ToList();

    public static DashboardFile Load(string path) =>
        new(Path.GetFileName(path), JsonNode.Parse(File.ReadAllText(path)) as JsonObject
            ?? throw new InvalidDataException($"{Path.GetFileName(path)}: not a JSON object"));

    /// <summary>The variable <paramref name="name"/>, or null.</summary>
    public JsonObject? Variable(string name) => Variables.FirstOrDefault(variable => (string?)variable["name"] == name);

    /// <summary>How a problem names a panel: its title and id.</summary>
    public static string Describe(JsonObject panel) => $"panel \"{(string?)panel["title"]}\" (id {panel["id"]})";

    private static IEnumerable<JsonObject> Flatten(JsonArray panels)
    {
        foreach (var panel in panels.OfType<JsonObject>())
        {
            if ((string?)panel["type"] == "row")
            {
                foreach (var inner in Flatten(panel["panels"] as JsonArray ?? [])) yield return inner;
            }
            else
            {
                yield return panel;
            }
        }
    }
}
