#include "core/config/glob.hpp"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

namespace flow::core {
namespace {

TEST(Glob, DoubleStarMatchesAnyNumberOfDirectoriesIncludingNone) {
  EXPECT_TRUE(GlobMatch("**/*.yaml", "a.yaml"));
  EXPECT_TRUE(GlobMatch("**/*.yaml", "x/a.yaml"));
  EXPECT_TRUE(GlobMatch("**/*.yaml", "x/y/z/a.yaml"));
  EXPECT_FALSE(GlobMatch("**/*.yaml", "x/a.yml"));
  EXPECT_TRUE(GlobMatch("a/**/b", "a/b"));
  EXPECT_TRUE(GlobMatch("a/**/b", "a/x/y/b"));
  EXPECT_FALSE(GlobMatch("a/**/b", "a/x/y/c"));
  EXPECT_TRUE(GlobMatch("**", "a/b/c"));
  EXPECT_TRUE(GlobMatch("**/**/x", "x"));
}

TEST(Glob, StarStaysInsideOneSegment) {
  EXPECT_TRUE(GlobMatch("*.yaml", "login.yaml"));
  EXPECT_FALSE(GlobMatch("*.yaml", "tests/login.yaml"));
  EXPECT_TRUE(GlobMatch("tests/*.test.yaml", "tests/a.test.yaml"));
  EXPECT_FALSE(GlobMatch("tests/*.test.yaml", "tests/a.yaml"));
  EXPECT_TRUE(GlobMatch("*", "anything"));
  EXPECT_TRUE(GlobMatch("a*b*c", "aXXbYYc"));
  EXPECT_FALSE(GlobMatch("a*b*c", "aXXbYY"));
  EXPECT_TRUE(GlobMatch("a**b", "aXb"));  // '**' inside a segment is '*'
  EXPECT_FALSE(GlobMatch("a**b", "aX/Yb"));
}

TEST(Glob, QuestionMarkMatchesOneCharacterIncludingMultibyte) {
  EXPECT_TRUE(GlobMatch("v?.yaml", "v1.yaml"));
  EXPECT_FALSE(GlobMatch("v?.yaml", "v12.yaml"));
  EXPECT_FALSE(GlobMatch("v?.yaml", "v.yaml"));
  EXPECT_TRUE(GlobMatch("caf?.yaml", "caf\xC3\xA9.yaml"));  // é is one character
  EXPECT_FALSE(GlobMatch("a?b", "a/b"));
}

TEST(Glob, ClassesRangesAndNegation) {
  EXPECT_TRUE(GlobMatch("[abc].yaml", "b.yaml"));
  EXPECT_FALSE(GlobMatch("[abc].yaml", "d.yaml"));
  EXPECT_TRUE(GlobMatch("v[0-9].yaml", "v7.yaml"));
  EXPECT_FALSE(GlobMatch("v[0-9].yaml", "vx.yaml"));
  EXPECT_TRUE(GlobMatch("[!a]*", "b.yaml"));
  EXPECT_FALSE(GlobMatch("[!a]*", "a.yaml"));
  EXPECT_TRUE(GlobMatch("[^a]*", "b.yaml"));
  EXPECT_TRUE(GlobMatch("[]x]", "]"));
  EXPECT_TRUE(GlobMatch("[a-]", "-"));
  EXPECT_TRUE(GlobMatch("[\xC3\xA9]", "\xC3\xA9"));
}

TEST(Glob, BracesGiveAlternativesThatMayNestAndCrossSegments) {
  EXPECT_TRUE(GlobMatch("**/*.{yaml,yml}", "a/b.yml"));
  EXPECT_TRUE(GlobMatch("**/*.{yaml,yml}", "a/b.yaml"));
  EXPECT_FALSE(GlobMatch("**/*.{yaml,yml}", "a/b.json"));
  EXPECT_TRUE(GlobMatch("{a,b/{c,d}}/x", "b/d/x"));
  EXPECT_TRUE(GlobMatch("{a,b/{c,d}}/x", "a/x"));
  EXPECT_FALSE(GlobMatch("{a,b/{c,d}}/x", "b/x"));
  EXPECT_TRUE(GlobMatch("{single}.yaml", "single.yaml"));
  EXPECT_TRUE(GlobMatch("a{,.test}.yaml", "a.yaml"));
  EXPECT_TRUE(GlobMatch("a{,.test}.yaml", "a.test.yaml"));
}

TEST(Glob, EscapesMakeSpecialCharactersLiteral) {
  EXPECT_TRUE(GlobMatch("a\\*.yaml", "a*.yaml"));
  EXPECT_FALSE(GlobMatch("a\\*.yaml", "ab.yaml"));
  EXPECT_TRUE(GlobMatch("\\{x\\}", "{x}"));
  EXPECT_TRUE(GlobMatch("a\\?", "a?"));
  EXPECT_FALSE(GlobMatch("a\\?", "ab"));
}

TEST(Glob, WildcardsSkipHiddenFilesAndDirectories) {
  EXPECT_FALSE(GlobMatch("**/*.yml", ".github/workflows/ci.yml"));
  EXPECT_FALSE(GlobMatch("*.yml", ".gitlab-ci.yml"));
  EXPECT_FALSE(GlobMatch("?gitlab-ci.yml", ".gitlab-ci.yml"));
  EXPECT_TRUE(GlobMatch(".github/**/*.yml", ".github/workflows/ci.yml"));
  EXPECT_TRUE(GlobMatch("**/.*.yml", "x/.hidden.yml"));
  EXPECT_TRUE(GlobMatch("\\.hidden", ".hidden"));
}

TEST(Glob, LeadingDotSlashAndRepeatedSlashesAreIgnored) {
  EXPECT_TRUE(GlobMatch("./tests/*.yaml", "tests/a.yaml"));
  EXPECT_TRUE(GlobMatch("tests//*.yaml", "tests/a.yaml"));
  EXPECT_TRUE(GlobMatch("tests/*.yaml", "./tests/a.yaml"));
}

TEST(Glob, RealConfigExcludesMatchWhatTheyName) {
  EXPECT_TRUE(GlobMatch("**/node_modules/**", "node_modules/x/a.yaml"));
  EXPECT_TRUE(GlobMatch("**/node_modules/**", "web/node_modules/a.yaml"));
  EXPECT_FALSE(GlobMatch("**/node_modules/**", "web/modules/a.yaml"));
  EXPECT_TRUE(GlobMatch("**/*.schema.json", "a/b.schema.json"));
  EXPECT_TRUE(GlobMatch("**/schema-catalog.json", "schema-catalog.json"));
  EXPECT_TRUE(GlobMatch("**/tests/**/*.yaml", "tests/a.yaml"));
  EXPECT_TRUE(GlobMatch("**/tests/**/*.yaml", "x/tests/y/a.yaml"));
}

TEST(Glob, InvalidPatternsNeverCrashAndTakeBracketsLiterally) {
  EXPECT_TRUE(GlobMatch("a[b", "a[b"));
  EXPECT_TRUE(GlobMatch("a{b", "a{b"));
  EXPECT_TRUE(GlobMatch("a}b", "a}b"));
  EXPECT_TRUE(GlobMatch("a\\", "a\\"));
  EXPECT_FALSE(GlobMatch("", "a"));
  EXPECT_TRUE(GlobMatch("", ""));
  const std::string deep(5000, '{');
  EXPECT_FALSE(GlobMatch(deep, "x"));
  std::string many_groups;
  for (int i = 0; i < 20; ++i) many_groups += "{a,b}";
  EXPECT_FALSE(GlobMatch(many_groups, std::string(20, 'a')));  // over the alternatives limit
}

TEST(Glob, ManyDoubleStarsStayFast) {
  std::string pattern;
  for (int i = 0; i < 200; ++i) pattern += "**/";
  pattern += "z";
  std::string path;
  for (int i = 0; i < 200; ++i) path += "d/";
  EXPECT_FALSE(GlobMatch(pattern, path + "y"));
  EXPECT_TRUE(GlobMatch(pattern, path + "z"));
  EXPECT_FALSE(GlobMatch(std::string(3000, '*') + "b", std::string(3000, 'a')));
}

TEST(Glob, MayMatchUnderTellsWhichDirectoriesAreWorthEntering) {
  EXPECT_TRUE(GlobMatch("**/*.yaml", "a.yaml"));
  EXPECT_TRUE(GlobMayMatchUnder("**/*.yaml", ""));
  EXPECT_TRUE(GlobMayMatchUnder("**/*.yaml", "x/y"));
  EXPECT_FALSE(GlobMayMatchUnder("**/*.yaml", ".git"));
  EXPECT_TRUE(GlobMayMatchUnder("tests/*.yaml", "tests"));
  EXPECT_FALSE(GlobMayMatchUnder("tests/*.yaml", "other"));
  EXPECT_FALSE(GlobMayMatchUnder("tests/*.yaml", "tests/deeper"));
  EXPECT_FALSE(GlobMayMatchUnder("*.yaml", "sub"));
  EXPECT_TRUE(GlobMayMatchUnder(".github/**/*.yml", ".github"));
  EXPECT_TRUE(GlobMayMatchUnder("{a,b}/*.yaml", "b"));
}

TEST(Glob, MatchesAllUnderOnlyForPatternsEndingInDoubleStar) {
  EXPECT_TRUE(GlobMatchesAllUnder("**/node_modules/**", "node_modules"));
  EXPECT_TRUE(GlobMatchesAllUnder("**/node_modules/**", "web/node_modules"));
  EXPECT_FALSE(GlobMatchesAllUnder("**/node_modules/**", "web"));
  EXPECT_FALSE(GlobMatchesAllUnder("**/node_modules/*.yaml", "node_modules"));
  EXPECT_TRUE(GlobMatchesAllUnder("drafts/**", "drafts"));
  EXPECT_FALSE(GlobMatchesAllUnder("drafts/**", "x/drafts"));
}

TEST(Glob, CheckAcceptsValidPatterns) {
  EXPECT_TRUE(CheckGlob("**/*.yaml").has_value());
  EXPECT_TRUE(CheckGlob("**/*.{yaml,yml}").has_value());
  EXPECT_TRUE(CheckGlob("[]x]").has_value());
  EXPECT_TRUE(CheckGlob("a\\{").has_value());
}

TEST(Glob, CheckRejectsBrokenPatternsWithTheReason) {
  auto message = [](std::string_view pattern) {
    const Result<void> result = CheckGlob(pattern);
    return result ? std::string("ok") : result.error().message;
  };
  EXPECT_EQ(message(""), "empty glob pattern");
  EXPECT_EQ(message("  "), "empty glob pattern");
  EXPECT_EQ(message("a[bc"), "unclosed '[' in glob pattern 'a[bc'");
  EXPECT_EQ(message("{a,b"), "unclosed '{' in glob pattern '{a,b'");
  EXPECT_EQ(message("a}"), "unmatched '}' in glob pattern 'a}'");
  EXPECT_EQ(message("a\\"), "glob pattern 'a\\' ends with '\\'");
  std::string many_groups;
  for (int i = 0; i < 9; ++i) many_groups += "{a,b}";
  EXPECT_EQ(message(many_groups),
            "glob pattern '" + many_groups + "' expands to more than 256 alternatives");
  EXPECT_EQ(message(std::string(5000, 'a')), "glob pattern longer than 4096 characters");
  EXPECT_EQ(CheckGlob("a[").error().code, ErrorCode::kInvalidArgument);
}

// The walker prunes with GlobMayMatchUnder (skip a directory no pattern can reach) and
// GlobMatchesAllUnder (skip an excluded directory whole). Neither may disagree with GlobMatch,
// for any pattern: random ones (fixed seed) check that, and that garbage never crashes.
TEST(Glob, PruningAgreesWithMatchingOnRandomPatterns) {
  std::mt19937 random(20240607);
  const std::vector<std::string> tokens = {"d",    "x", "*", "**", "?", "/", "/", "{d,x}", "[dx]",
                                           "[!a]", ".", "{", "}",  ",", "[", "]", "\\",    "a"};
  const std::vector<std::string> paths = {"d/x",   "d/d/x", "d/.x",  "a/d/x", "d/ab",
                                          "d/x/x", "d/{x}", "d/[x]", "d/*"};
  int matched = 0;
  for (int round = 0; round < 5000; ++round) {
    std::string pattern;
    const int length = 1 + static_cast<int>(random() % 6);
    for (int i = 0; i < length; ++i) pattern += tokens[random() % tokens.size()];
    (void)CheckGlob(pattern);
    for (const std::string& path : paths) {
      const std::string parent = path.substr(0, path.rfind('/'));
      if (GlobMatch(pattern, path)) {
        ++matched;
        EXPECT_TRUE(GlobMayMatchUnder(pattern, parent)) << pattern << " vs " << path;
      }
      if (GlobMatchesAllUnder(pattern, parent) && path.find("/.") == std::string::npos) {
        EXPECT_TRUE(GlobMatch(pattern, path)) << pattern << " vs " << path;
      }
    }
  }
  EXPECT_GT(matched, 500);  // the random patterns did exercise matching
}

}  // namespace
}  // namespace flow::core
