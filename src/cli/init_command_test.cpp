#include "cli/init_command.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "cli/init_templates.hpp"
#include "core/config/config.hpp"
#include "core/input/input_test_support.hpp"
#include "core/model/suite.hpp"
#include "core/parse/document.hpp"

namespace flow::cli {
namespace {

using testing::ScriptedInputProvider;

InitSettings Settings(std::string name = "shop", std::string url = "http://localhost:3000",
                      std::string tpl = "basic") {
  return InitSettings{
      .project_name = std::move(name), .base_url = std::move(url), .template_name = std::move(tpl)};
}

TEST(InitTemplates, EveryTemplateHasSuitesThatLoadAndEveryFileBelongsToOne) {
  std::set<std::string_view> claimed;
  for (const InitTemplate& t : InitTemplates()) {
    const std::vector<EmbeddedFile> files = TemplateFiles(t.name);
    EXPECT_FALSE(files.empty()) << t.name;
    for (const EmbeddedFile& f : files) {
      EXPECT_TRUE(f.path.substr(0, 6) == "tests/") << t.name << ": " << f.path;
      const core::SuiteLoad load = core::LoadSuite(f.text, std::string(f.path));
      std::string errors;
      for (const core::Error& e : load.errors) errors += core::FormatErrorLine(e) + "\n";
      EXPECT_TRUE(load.suite) << t.name << "/" << f.path << ":\n" << errors;
      EXPECT_TRUE(load.warnings.empty()) << t.name << "/" << f.path;
      if (load.suite) {
        EXPECT_NE(load.suite->base_url, nullptr) << f.path << " should send to {{base_url}}";
      }
    }
  }
  for (const EmbeddedFile& f : EmbeddedTemplateFiles()) {
    const std::string_view name = f.path.substr(0, f.path.find('/'));
    EXPECT_NE(FindInitTemplate(name), nullptr) << f.path << " belongs to no template";
  }
  EXPECT_EQ(InitTemplates().front().name, "basic");
  EXPECT_EQ(FindInitTemplate("nope"), nullptr);
}

TEST(InitCommand, TheConfigLoadsWithTheGivenNameAndBaseUrl) {
  const std::string name = "Shop \"API\" \\ ação: #1\t[x]";
  const std::string text = ConfigText(Settings(name, "https://api.example.com/v1"));
  core::Result<core::Document> doc = core::ParseDocument(text, "flow-test.config.yml");
  ASSERT_TRUE(doc) << doc.error().message;
  const core::Result<core::Config> config = core::ParseConfig(*doc);
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_TRUE(config->warnings.empty()) << config->warnings.front().message;
  EXPECT_EQ(config->project_name, name);
  EXPECT_EQ(config->test_directory, "./tests");
  EXPECT_EQ(config->globals.variables["base_url"], "https://api.example.com/v1");
  EXPECT_EQ(config->reporting.output_dir, "./results");
  EXPECT_EQ(config->discovery.patterns, (std::vector<std::string>{"**/*.yaml", "**/*.yml"}));
}

TEST(InitCommand, YamlQuoteEscapesWhatYamlWouldRead) {
  EXPECT_EQ(YamlQuote("plain"), "\"plain\"");
  EXPECT_EQ(YamlQuote("a \"b\" \\c"), "\"a \\\"b\\\" \\\\c\"");
  EXPECT_EQ(YamlQuote("l1\nl2\x01"), "\"l1\\nl2\\x01\"");
  EXPECT_EQ(YamlQuote("ação"), "\"ação\"");
}

TEST(InitCommand, BaseUrlsAreCheckedAndTrimmed) {
  EXPECT_EQ(*CheckBaseUrl(" http://localhost:3000/ "), "http://localhost:3000");
  EXPECT_EQ(*CheckBaseUrl("https://api.example.com/v1//"), "https://api.example.com/v1");
  EXPECT_EQ(*CheckBaseUrl("{{$env.API_URL}}"), "{{$env.API_URL}}");
  EXPECT_EQ(CheckBaseUrl("localhost:3000").error().message,
            "'localhost:3000' is not an http(s) URL");
  EXPECT_FALSE(CheckBaseUrl("ftp://x.org").has_value());
  EXPECT_FALSE(CheckBaseUrl("http://").has_value());
  EXPECT_FALSE(CheckBaseUrl("http://a b").has_value());
  EXPECT_FALSE(CheckBaseUrl("").has_value());
  EXPECT_NE(CheckBaseUrl("http://x/?q=1").error().message.find("no query"), std::string::npos);
}

TEST(InitCommand, APlanHasTheConfigTheTemplateAndAGitignore) {
  const std::vector<ProjectFile> files =
      PlanProject(Settings("shop", "http://h", "auth"), std::nullopt);
  std::vector<std::string> paths;
  for (const ProjectFile& f : files) paths.push_back(f.path);
  EXPECT_EQ(paths, (std::vector<std::string>{"flow-test.config.yml", "tests/auth/login.yaml",
                                             "tests/profile.yaml", ".gitignore"}));
  EXPECT_FALSE(files.back().append);
  EXPECT_EQ(files.back().text,
            "# flowtest: reports, local state, secrets\nresults/\n.flowtest/\n.env\n");
}

TEST(InitCommand, AnExistingGitignoreGetsOnlyTheMissingLines) {
  std::vector<ProjectFile> files = PlanProject(Settings(), std::string("node_modules\n/results\n"));
  ASSERT_EQ(files.back().path, ".gitignore");
  EXPECT_TRUE(files.back().append);
  EXPECT_EQ(files.back().text, "\n# flowtest: reports, local state, secrets\n.flowtest/\n.env\n");
  files = PlanProject(Settings(), std::string("x"));  // no final newline
  EXPECT_EQ(files.back().text.substr(0, 3), "\n\n#");
  files = PlanProject(Settings(), std::string("results/\n .flowtest \n.env\n"));
  EXPECT_NE(files.back().path, ".gitignore");  // nothing to add: not touched
}

TEST(InitCommand, AsksNameUrlAndTemplateWithDefaults) {
  ScriptedInputProvider ask;
  ask.PressEnter();  // name: the default
  ask.Say("http://127.0.0.1:8080/");
  ask.Say("crud");
  const core::Result<InitSettings> s =
      AskInitSettings(ask, Settings("dirname", "https://httpbin.org"));
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(s->project_name, "dirname");
  EXPECT_EQ(s->base_url, "http://127.0.0.1:8080");
  EXPECT_EQ(s->template_name, "crud");
  ASSERT_EQ(ask.requests.size(), 3u);
  EXPECT_EQ(ask.requests[0].default_value, "dirname");
  EXPECT_EQ(ask.requests[1].default_value, "https://httpbin.org");
  EXPECT_EQ(ask.requests[2].type, "select");
  EXPECT_EQ(ask.requests[2].options.size(), InitTemplates().size());
  EXPECT_EQ(ask.requests[2].options[0].label.substr(0, 7), "basic: ");
}

TEST(InitCommand, AnInvalidUrlIsAskedAgainWithTheReason) {
  ScriptedInputProvider ask;
  ask.reprompt = true;
  ask.Say("my api");
  ask.Say("localhost");
  ask.Say("http://localhost:3000");
  ask.Say("4");  // a select answered by number
  const core::Result<InitSettings> s = AskInitSettings(ask, Settings());
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(s->project_name, "my api");
  EXPECT_EQ(s->base_url, "http://localhost:3000");
  EXPECT_EQ(s->template_name, "data-driven");
  ASSERT_EQ(ask.requests.size(), 4u);
  EXPECT_EQ(ask.requests[2].previous_error, "'localhost' is not an http(s) URL");
}

TEST(InitCommand, AnUnansweredOrBrokenTerminalIsAnError) {
  ScriptedInputProvider ask;
  const core::Result<std::optional<core::InputAnswer>> broken =
      core::Unavailable("the terminal went away");
  ask.replies.push_back(broken);
  const core::Result<InitSettings> s = AskInitSettings(ask, Settings());
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().message, "the terminal went away");
}

}  // namespace
}  // namespace flow::cli
