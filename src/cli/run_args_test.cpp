#include "cli/run_args.hpp"

#include <gtest/gtest.h>

namespace flow::cli {
namespace {

TEST(RunArgs, ParsesFlagsListsAndPaths) {
  const core::Result<RunArgs> a =
      ParseRunArgs({"tests/", "-c", "cfg.yml", "--suite=A, B", "--tag", "smoke", "--step",
                    "n::s1,s2", "--dry-run", "--verbose", "--connect-to", "localhost:8080:127.0.0.1:9",
                    "--timeout", "500", "x.yaml"});
  ASSERT_TRUE(a) << a.error().message;
  EXPECT_EQ(a->paths, (std::vector<std::string>{"tests/", "x.yaml"}));
  EXPECT_EQ(a->config, "cfg.yml");
  EXPECT_EQ(a->suites, (std::vector<std::string>{"A", "B"}));
  EXPECT_EQ(a->tags, std::vector<std::string>{"smoke"});
  EXPECT_EQ(a->steps, (std::vector<std::string>{"n::s1", "s2"}));
  EXPECT_TRUE(a->dry_run);
  EXPECT_EQ(a->verbosity, Verbosity::kVerbose);
  EXPECT_EQ(a->connect_to, std::vector<std::string>{"localhost:8080:127.0.0.1:9"});
  EXPECT_EQ(a->timeout_ms, 500);
}

TEST(RunArgs, UnknownFlagIsAnErrorWithSuggestion) {
  const core::Result<RunArgs> a = ParseRunArgs({"--dryrun"});
  ASSERT_FALSE(a);
  EXPECT_EQ(a.error().message, "unknown option '--dryrun'");
  EXPECT_EQ(a.error().hint, "did you mean '--dry-run'?");
}

TEST(RunArgs, MissingValueAndBadValuesAreErrors) {
  EXPECT_EQ(ParseRunArgs({"--config"}).error().message, "option '--config' needs a value");
  EXPECT_FALSE(ParseRunArgs({"--timeout", "soon"}));
  EXPECT_FALSE(ParseRunArgs({"--connect-to", "a:1"}));
  EXPECT_FALSE(ParseRunArgs({"--unresolved", "maybe"}));
}

TEST(RunArgs, NoEffectFlagsAreNoted) {
  const core::Result<RunArgs> a = ParseRunArgs({"-e", "staging", "--no-log"});
  ASSERT_TRUE(a);
  EXPECT_EQ(a->notes.size(), 2u);
}

}  // namespace
}  // namespace flow::cli

namespace flow::cli {
namespace {

TEST(RunArgs, ParallelAndInputOptions) {
  core::Result<RunArgs> a = ParseRunArgs({"--parallel", "8", "--input-file=answers.yaml",
                                          "--input-policy", "auto", "--runner-interactive-inputs"});
  ASSERT_TRUE(a) << a.error().message;
  EXPECT_EQ(a->parallel, 8);
  EXPECT_EQ(a->input_file, "answers.yaml");
  EXPECT_EQ(a->input_policy, "auto");
  EXPECT_TRUE(a->runner_inputs);
  EXPECT_FALSE(ParseRunArgs({"--parallel", "0"}));
  EXPECT_FALSE(ParseRunArgs({"--parallel", "many"}));
  core::Result<RunArgs> bad = ParseRunArgs({"--input-policy", "ask"});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().message, "--input-policy must be auto, fail or prompt, got 'ask'");
}

}  // namespace
}  // namespace flow::cli

namespace flow::cli {
namespace {

TEST(RunArgs, JavaScriptAndFakerOptions) {
  core::Result<RunArgs> a = ParseRunArgs({"--no-js", "--faker-seed", "42", "--faker-locale=pt_BR"});
  ASSERT_TRUE(a) << a.error().message;
  EXPECT_TRUE(a->no_js);
  EXPECT_EQ(a->faker_seed, 42);
  EXPECT_EQ(a->faker_locale, "pt_BR");
  EXPECT_FALSE(ParseRunArgs({"--faker-seed", "-1"}));
  EXPECT_FALSE(ParseRunArgs({"--faker-seed", "x"}));
  core::Result<RunArgs> locale = ParseRunArgs({"--faker-locale", "fr"});
  ASSERT_FALSE(locale);
  EXPECT_NE(locale.error().message.find("en or pt_BR"), std::string::npos);
}

}  // namespace
}  // namespace flow::cli

namespace flow::cli {
namespace {

TEST(RunArgs, OptionalValuesTakeTheNextArgumentOnlyWhenItCannotBeASuitePath) {
  core::Result<RunArgs> a = ParseRunArgs({"--html-output", "pages", "--live-events", "x.yaml"});
  ASSERT_TRUE(a) << a.error().message;
  EXPECT_EQ(a->html_output, "pages");
  EXPECT_EQ(a->live_events, "");  // x.yaml is a suite to run
  EXPECT_EQ(a->paths, std::vector<std::string>{"x.yaml"});
  // A directory (".") and a flag are not values either; '=' always gives one.
  a = ParseRunArgs({"--live-events", ".", "--html-output", "--dry-run", "--live-events=ev.jsonl"});
  ASSERT_TRUE(a) << a.error().message;
  EXPECT_EQ(a->html_output, "");
  EXPECT_TRUE(a->dry_run);
  EXPECT_EQ(a->live_events, "ev.jsonl");
  EXPECT_EQ(a->paths, std::vector<std::string>{"."});
  a = ParseRunArgs({"--html-output"});
  ASSERT_TRUE(a) << a.error().message;
  EXPECT_EQ(a->html_output, "");
  EXPECT_FALSE(a->live_events);
}

TEST(RunArgs, DoubleDashMakesTheRestPaths) {
  const core::Result<RunArgs> a = ParseRunArgs({"a.yaml", "--", "--dry-run", "-", "--"});
  ASSERT_TRUE(a) << a.error().message;
  EXPECT_FALSE(a->dry_run);
  EXPECT_EQ(a->paths, (std::vector<std::string>{"a.yaml", "--dry-run", "-", "--"}));
}

TEST(RunArgs, SecretsAreNamesWithOrWithoutAValue) {
  const core::Result<RunArgs> a = ParseRunArgs({"--secret", "TOKEN=a=b", "--secret=API_KEY"});
  ASSERT_TRUE(a) << a.error().message;
  ASSERT_EQ(a->secrets.size(), 2u);
  EXPECT_EQ(a->secrets[0].first, "TOKEN");
  EXPECT_EQ(a->secrets[0].second, "a=b");
  EXPECT_EQ(a->secrets[1].first, "API_KEY");
  EXPECT_EQ(a->secrets[1].second, std::nullopt);
  const core::Result<RunArgs> bad = ParseRunArgs({"--secret", "a.b=1"});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().message, "--secret needs NAME=VALUE or NAME (a variable name), got 'a.b'");
}

}  // namespace
}  // namespace flow::cli
