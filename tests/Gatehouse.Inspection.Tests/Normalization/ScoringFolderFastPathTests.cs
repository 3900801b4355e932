using System.Text;
using Gatehouse.Inspection.Normalization;
using Xunit;

namespace Gatehouse.Inspection.Tests.Normalization;

/// <summary>
/// The scoring folder's vectorized path (16 characters at a time while they fold one to one) must fold every text as
/// the character-by-character loop does: random texts dense in the cases that stop it (whitespace runs, leetspeak next
/// to letters, spaced-out letters, characters beyond ASCII), every ASCII character in every neighbourhood, and the
/// tuning set.
/// </summary>
public class ScoringFolderFastPathTests
{
    // Letters, whitespace of every ASCII kind, the separators of spaced-out runs, leetspeak digits and symbols, other
    // ASCII, and beyond ASCII: a letter, an upper-case letter, a dash, a no-break space, a lone surrogate.
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyzIGNORE     \t\n\r\v\f.-_*0123456789!$+@#|/\\\x1c\x1f\x7féÉ—\u00A0\uD83D";

    [Fact]
    public void Random_texts_fold_as_character_by_character()
    {
        var random = new Random(20261127);
        for (var n = 0; n < 20_000; n++)
        {
            var text = new StringBuilder();
            var length = n % 50 == 0 ? random.Next(500, 3_000) : random.Next(0, 120);
            while (text.Length < length)
            {
                // Runs of plain words now and then, so the fast path runs long enough to stop anywhere in a block.
                if (random.Next(4) == 0)
                {
                    text.Append("plain words in a row ");
                }
                else if (random.Next(8) == 0)
                {
                    text.Append("i g n o r e ");
                }
                else
                {
                    text.Append(Alphabet[random.Next(Alphabet.Length)]);
                }
            }

            Check(text.ToString());
        }
    }

    [Fact]
    public void Every_ascii_char_folds_as_character_by_character_between_any_neighbours()
    {
        const string neighbours = "aZ 0!.\t\n-x";
        for (var c = 0; c < 128; c++)
        {
            foreach (var before in neighbours)
            {
                foreach (var after in neighbours)
                {
                    // At every offset in a 16-character block, and as the character read past a block.
                    for (var offset = 0; offset < 18; offset++)
                    {
                        Check(new string('w', offset) + before + (char)c + after + " words after it to fill a block");
                    }
                }
            }
        }
    }

    [Fact]
    public void The_tuning_set_folds_as_character_by_character()
    {
        var root = Secrets.SecretsDetectorTests.RepoRoot();
        foreach (var text in Gatehouse.Inspection.Injection.InjectionDataset.Load(Path.Combine(root, "eval", "injection-tune.jsonl")))
        {
            Check(TextNormalizer.Normalize(text.Text).Text);
        }
    }

    private static void Check(string text) => Assert.Equal(Reference(text), ScoringFolder.Fold(text));

    // The folding loop as it was before the vectorized path, one character (or one word) at a time.
    private static string Reference(string text)
    {
        var folded = new StringBuilder();
        var previousSpace = true;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsAsciiLetter(c))
            {
                if ((i == 0 || !char.IsAsciiLetter(text[i - 1])) && ScoringFolder.IsSpacedLetterRun(text, i, out var end))
                {
                    for (var j = i; j < end; j += 2)
                    {
                        folded.Append((char)(text[j] | 0x20));
                    }

                    i = end - 1;
                }
                else
                {
                    folded.Append((char)(c | 0x20));
                }

                previousSpace = false;
            }
            else if (char.IsWhiteSpace(c))
            {
                if (!previousSpace)
                {
                    folded.Append(' ');
                    previousSpace = true;
                }
            }
            else
            {
                folded.Append(ScoringFolder.FoldChar(text, i));
                previousSpace = false;
            }
        }

        return folded.ToString();
    }
}
