using Gatehouse.Fuzz;
using Xunit;

namespace Gatehouse.Protocol.Tests.Fuzz;

/// <summary>Runs every seed-corpus file (fuzz/corpus/&lt;target&gt;/) through its fuzz target, as libFuzzer would.</summary>
public sealed class CorpusTests
{
    private static readonly string CorpusRoot = Path.Combine(AppContext.BaseDirectory, "FuzzCorpus");

    public static TheoryData<string, string> Inputs()
    {
        var inputs = new TheoryData<string, string>();
        foreach (var target in FuzzTargets.Names)
        {
            foreach (var file in Directory.EnumerateFiles(Path.Combine(CorpusRoot, target)).Order(StringComparer.Ordinal))
            {
                inputs.Add(target, Path.GetFileName(file));
            }
        }

        return inputs;
    }

    [Theory]
    [MemberData(nameof(Inputs))]
    public void Corpus_input_passes_its_target(string target, string file)
    {
        FuzzTargets.Run(target, File.ReadAllBytes(Path.Combine(CorpusRoot, target, file)));
    }

    [Fact]
    public void Every_target_has_a_seed_corpus_of_10_to_30_files()
    {
        Assert.Equal(
            FuzzTargets.Names.Order(StringComparer.Ordinal),
            Directory.EnumerateDirectories(CorpusRoot).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.All(FuzzTargets.Names, target => Assert.InRange(Directory.EnumerateFiles(Path.Combine(CorpusRoot, target)).Count(), 10, 30));
    }

    [Fact]
    public void Unknown_target_is_an_argument_error()
    {
        var ex = Assert.Throws<ArgumentException>(() => FuzzTargets.Run("xml", []));

        Assert.StartsWith("Unknown fuzz target 'xml'; use one of sse, openai-request,", ex.Message, StringComparison.Ordinal);
    }
}
