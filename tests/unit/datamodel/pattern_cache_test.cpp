#include "pattern_cache.hpp"

#include <gtest/gtest.h>

#include <string>

namespace datamodel {
namespace {

using Outcome = CompiledPattern::Outcome;

// The outcome of matching `value` against `pattern`, which must compile.
Outcome match(const std::string& pattern, std::string_view value) {
    std::string error;
    const CompiledPattern* compiled = compiled_pattern(pattern, &error);
    if (!compiled) {
        ADD_FAILURE() << pattern << ": " << error;
        return Outcome::NoMatch;
    }
    return compiled->match(value);
}

// The error for a pattern that must be refused, or "<compiled>".
std::string refusal(const std::string& pattern) {
    std::string error;
    return compiled_pattern(pattern, &error) ? "<compiled>" : error;
}

TEST(PatternCache, MatchesTheWholeValueOnly) {
    EXPECT_EQ(match("b", "abc"), Outcome::NoMatch);
    EXPECT_EQ(match("ab", "abc"), Outcome::NoMatch);
    EXPECT_EQ(match("bc", "abc"), Outcome::NoMatch);
    EXPECT_EQ(match("abc", "abc"), Outcome::Match);
    // The first alternative matches a prefix only: the match must go on to
    // the second rather than stop there.
    EXPECT_EQ(match("a|ab", "ab"), Outcome::Match);
}

TEST(PatternCache, EmptyValues) {
    EXPECT_EQ(match("", std::string_view()), Outcome::Match);
    EXPECT_EQ(match("a*", std::string_view()), Outcome::Match);
    EXPECT_EQ(match("a", std::string_view()), Outcome::NoMatch);
}

TEST(PatternCache, AnchorCharactersAreLiterals) {
    EXPECT_EQ(match("a^b$", "a^b$"), Outcome::Match);
    EXPECT_EQ(match("^a", "a"), Outcome::NoMatch);
    EXPECT_EQ(match("a$", "a"), Outcome::NoMatch);
    EXPECT_EQ(match("[^x]", "y"), Outcome::Match);
    EXPECT_EQ(match("[^x]", "x"), Outcome::NoMatch);
}

TEST(PatternCache, LongValuesWithRepeatedGroupsMatch) {
    // Deeper than the JIT's stack and than a 1 MiB heap limit allow; the
    // old std::regex recursed per character here.
    EXPECT_EQ(match("(a|b)*", std::string(4096, 'a')), Outcome::Match);
    EXPECT_EQ(match("a*", std::string(4096, 'a')), Outcome::Match);
    std::string host;
    while (host.size() < 4090) host += "ab.";
    host += 'a';
    EXPECT_EQ(match("([A-Za-z0-9]([A-Za-z0-9\\-]{0,61}[A-Za-z0-9])?\\.)*[A-Za-z0-9]([A-Za-z0-9\\-]{"
                    "0,61}[A-Za-z0-9])?",
                    host),
              Outcome::Match);
}

TEST(PatternCache, CatastrophicBacktrackingStopsAtTheMatchLimit) {
    // About 7 million steps to fail: under PCRE2's default limit (10 million)
    // this would end as NoMatch, so LimitExceeded shows kMatchLimit applies.
    EXPECT_EQ(match("(a|aa)*[bc]", std::string(30, 'a')), Outcome::LimitExceeded);
    EXPECT_EQ(match("(a*)*[bc]", std::string(30, 'a')), Outcome::LimitExceeded);
}

TEST(PatternCache, BacktrackingStateStopsAtTheHeapLimit) {
    // About 40,000 steps (within kMatchLimit) but 5 MiB of frames: it would
    // match with PCRE2's default heap limit.
    EXPECT_EQ(match("(a|b)*", std::string(20000, 'a')), Outcome::LimitExceeded);
}

TEST(PatternCache, InvalidUtf8NeverMatches) {
    for (const char* pattern : {".*", "[^x]*", "ab.", "(.)*"}) {
        EXPECT_EQ(match(pattern, "ab\xff"), Outcome::NoMatch) << pattern;
        EXPECT_EQ(match(pattern, "ab\xc3"), Outcome::NoMatch) << pattern;  // truncated
    }
    EXPECT_EQ(match(".", "\xff"), Outcome::NoMatch);
    // Long enough for the JIT's stack to give out, so the interpreter runs:
    // with PCRE2_MATCH_INVALID_UTF it would stop at the bad byte and match.
    EXPECT_EQ(match("(a|b)*", std::string(4096, 'a') + "\xff"), Outcome::NoMatch);
    EXPECT_EQ(match(".", "\xc0\x80"), Outcome::NoMatch);  // overlong NUL
}

TEST(PatternCache, CharactersAreUtf8AndClassesAscii) {
    EXPECT_EQ(match(".", "\xc3\xa9"), Outcome::Match);  // one character, two bytes
    EXPECT_EQ(match("..", "\xc3\xa9"), Outcome::NoMatch);
    EXPECT_EQ(match("[^x]", "\xe2\x82\xac"), Outcome::Match);
    EXPECT_EQ(match("\\d", "7"), Outcome::Match);
    EXPECT_EQ(match("\\d", "\xd9\xa3"), Outcome::NoMatch);  // ARABIC-INDIC DIGIT THREE
}

TEST(PatternCache, DotExcludesLineBreaksAsInXmlSchema) {
    EXPECT_EQ(match(".", "\n"), Outcome::NoMatch);
    EXPECT_EQ(match(".", "\r"), Outcome::NoMatch);
    EXPECT_EQ(match(".", "\t"), Outcome::Match);
    EXPECT_EQ(match("[.]", "."), Outcome::Match);
    EXPECT_EQ(match("[.]", "x"), Outcome::NoMatch);
}

TEST(PatternCache, BbfLazyQuantifiersKeepTheirMeaning) {
    // TR-181 writes "{1,15}?"; for a whole-value match it is the same as
    // "{1,15}".
    EXPECT_EQ(match("([0-9]{1,15}?[BKMGT])", "15M"), Outcome::Match);
    EXPECT_EQ(match("([0-9]{1,15}?[BKMGT])", "M"), Outcome::NoMatch);
}

TEST(PatternCache, PcreOnlySyntaxIsRefused) {
    for (const char* pattern : {"(?i)a", "(?=a)a", "(*LIMIT_MATCH=1)a", "(*UCP)\\d"}) {
        EXPECT_NE(refusal(pattern), "<compiled>") << pattern;
    }
    // Possessive quantifiers would change what matches.
    for (const char* pattern : {"a*+a", "a++", "a?+", "a{2}+", "a**"}) {
        EXPECT_NE(refusal(pattern), "<compiled>") << pattern;
    }
    for (const char* pattern : {"\\b", "\\Q", "\\1", "\\x41", "\\A", "\\z", "\\h", "\\R"}) {
        EXPECT_NE(refusal(pattern).find("not an XML Schema escape"), std::string::npos) << pattern;
    }
    EXPECT_NE(refusal("[[:alpha:]]"), "<compiled>");
    EXPECT_NE(refusal("a{x}"), "<compiled>");
    EXPECT_NE(refusal("a{,3}"), "<compiled>");
}

TEST(PatternCache, XmlSchemaEscapesAndQuantifiersCompile) {
    for (const char* pattern :
         {"\\n\\r\\t\\\\\\|\\.\\?\\*\\+\\(\\)\\{\\}\\-\\[\\]\\^", "\\s\\S\\d\\D\\w\\W",
          "[\\d\\-\\]]", "a{2}", "a{2,}", "a{2,3}", "a?", "(ab)+"}) {
        EXPECT_EQ(refusal(pattern), "<compiled>") << pattern;
    }
    EXPECT_EQ(match("a{2,3}", "aaa"), Outcome::Match);
    EXPECT_EQ(match("a{2,3}", "aaaa"), Outcome::NoMatch);
    EXPECT_EQ(match("\\{\\}", "{}"), Outcome::Match);
}

TEST(PatternCache, UnsupportedXmlSchemaFeaturesAreRefused) {
    EXPECT_NE(refusal("\\p{L}").find("\\p"), std::string::npos);
    EXPECT_NE(refusal("\\i\\c*").find("\\i"), std::string::npos);
    EXPECT_NE(refusal("[a-z-[aeiou]]").find("subtraction"), std::string::npos);
    EXPECT_NE(refusal("(unclosed").find("does not compile"), std::string::npos);
    EXPECT_NE(refusal("a\\"), "<compiled>");
}

TEST(PatternCache, SamePatternIsCompiledOnce) {
    EXPECT_EQ(compiled_pattern("[0-9]+x"), compiled_pattern("[0-9]+x"));
    EXPECT_EQ(compiled_pattern("(bad"), nullptr);
}

}  // namespace
}  // namespace datamodel
