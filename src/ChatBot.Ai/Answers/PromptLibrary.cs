using Microsoft.SemanticKernel;

namespace ChatBot.Ai.Answers;

/// <summary>The prompt templates of the prompts folder, read once at start-up; a missing one stops start-up naming it.</summary>
public sealed class PromptLibrary
{
    public static readonly string[] Required = ["answer.md", "summary.md", "digest.md", "rewrite-query.md"];

    private readonly Dictionary<string, string> _templates = new(StringComparer.Ordinal);

    public PromptLibrary(string folder)
    {
        foreach (var name in Required)
        {
            var path = Path.Combine(folder, name);
            if (!File.Exists(path))
                throw new FileNotFoundException($"The prompt template '{path}' is missing. Restore it or point ChatBot:Ai:PromptsPath at the prompts folder.", path);
            _templates[Path.GetFileNameWithoutExtension(name)] = File.ReadAllText(path);
        }
    }

    public string Template(string name) => _templates[name];

    public KernelFunction Function(Kernel kernel, string name, PromptExecutionSettings settings)
    {
        var config = new PromptTemplateConfig(Template(name)) { Name = name.Replace('-', '_') };
        config.AddExecutionSettings(settings);
        return kernel.CreateFunctionFromPrompt(config);
    }
}
