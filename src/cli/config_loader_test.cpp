#include "cli/config_loader.hpp"
#include "tests/support/shared_data.hpp"

#include <gtest/gtest.h>
#include <stdlib.h>  // NOLINT: setenv

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

namespace flow::cli {
namespace {

namespace fs = std::filesystem;

class ConfigLoaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "flowtest-config-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    root_ = pattern;
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(root_, ec);
  }

  void Write(const std::string& relative, const std::string& text) {
    const fs::path path = root_ / relative;
    fs::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << text;
  }
  std::string At(const std::string& relative) const { return (root_ / relative).generic_string(); }

  ConfigLoadOptions Options(EnvironmentPairs environment = {}) const {
    return ConfigLoadOptions{.working_directory = root_.string(),
                             .environment = std::move(environment)};
  }

  LoadedConfig Loaded(const ConfigLoadOptions& options) {
    core::Result<LoadedConfig> loaded = LoadConfig(options);
    EXPECT_TRUE(loaded.has_value()) << (loaded ? "" : FormatLoadError(loaded.error()));
    return loaded ? *loaded : LoadedConfig{};
  }

  core::Error Failed(const ConfigLoadOptions& options) {
    core::Result<LoadedConfig> loaded = LoadConfig(options);
    EXPECT_FALSE(loaded.has_value());
    return loaded ? core::Error{} : loaded.error();
  }

  fs::path root_;
};

TEST_F(ConfigLoaderTest, NoConfigFileGivesDefaultsNamedAfterTheDirectory) {
  const LoadedConfig loaded = Loaded(Options());
  EXPECT_EQ(loaded.config_path, "");
  EXPECT_EQ(loaded.config.project_name, root_.filename().string());
  EXPECT_EQ(loaded.config.test_directory, root_.generic_string());
  EXPECT_EQ(loaded.config.reporting.output_dir, At("results"));
  EXPECT_TRUE(loaded.warnings.empty());
}

TEST_F(ConfigLoaderTest, CallerMayNameTheProject) {
  ConfigLoadOptions options = Options();
  options.default_project_name = "given";
  EXPECT_EQ(Loaded(options).config.project_name, "given");
}

TEST_F(ConfigLoaderTest, FindsTheConfigInTheWorkingDirectory) {
  Write("flow-test.config.yml", "project_name: found\n");
  const LoadedConfig loaded = Loaded(Options());
  EXPECT_EQ(loaded.config_path, At("flow-test.config.yml"));
  EXPECT_EQ(loaded.config_source, "project_name: found\n");
  EXPECT_EQ(loaded.config.project_name, "found");
}

TEST_F(ConfigLoaderTest, SearchOrderIsFixed) {
  Write("flow-test.config.json", R"({"project_name": "json"})");
  EXPECT_EQ(Loaded(Options()).config.project_name, "json");
  Write("flow-test.yaml", "project_name: plain-yaml\n");
  EXPECT_EQ(Loaded(Options()).config.project_name, "plain-yaml");
  Write("flow-test.yml", "project_name: plain-yml\n");
  EXPECT_EQ(Loaded(Options()).config.project_name, "plain-yml");
  Write("flow-test.config.yaml", "project_name: config-yaml\n");
  EXPECT_EQ(Loaded(Options()).config.project_name, "config-yaml");
  Write("flow-test.config.yml", "project_name: config-yml\n");
  EXPECT_EQ(Loaded(Options()).config.project_name, "config-yml");
}

TEST_F(ConfigLoaderTest, ADirectoryWithAConfigNameIsNotAConfig) {
  fs::create_directories(root_ / "flow-test.config.yml");
  Write("flow-test.yml", "project_name: file\n");
  EXPECT_EQ(Loaded(Options()).config.project_name, "file");
}

TEST_F(ConfigLoaderTest, ExplicitConfigMustExist) {
  ConfigLoadOptions options = Options();
  options.config_path = "missing.yml";
  const core::Error error = Failed(options);
  EXPECT_EQ(error.code, core::ErrorCode::kNotFound);
  EXPECT_EQ(error.message, "configuration file 'missing.yml' does not exist");
  EXPECT_EQ(error.hint, "check the path given to -c/--config");
}

TEST_F(ConfigLoaderTest, ExplicitConfigIsRelativeToTheWorkingDirectory) {
  Write("flow-test.config.yml", "project_name: ignored\n");
  Write("ci/other.yml", "project_name: ci\n");
  ConfigLoadOptions options = Options();
  options.config_path = "ci/other.yml";
  const LoadedConfig loaded = Loaded(options);
  EXPECT_EQ(loaded.config_path, At("ci/other.yml"));
  EXPECT_EQ(loaded.config.project_name, "ci");
  EXPECT_EQ(loaded.base_directory, At("ci"));
}

TEST_F(ConfigLoaderTest, ExplicitConfigThatIsADirectoryIsAnError) {
  fs::create_directories(root_ / "conf");
  ConfigLoadOptions options = Options();
  options.config_path = "conf";
  EXPECT_EQ(Failed(options).message,
            "configuration file '" + At("conf") + "' is a directory, not a file");
}

TEST_F(ConfigLoaderTest, PathsInTheFileAreRelativeToIt) {
  Write(
      "proj/flow-test.config.yml",
      "test_directory: ./suites\nreporting:\n  output_dir: out/\ntest_directories: [../shared]\n");
  ConfigLoadOptions options = Options();
  options.config_path = "proj/flow-test.config.yml";
  const LoadedConfig loaded = Loaded(options);
  EXPECT_EQ(loaded.config.test_directory, At("proj/suites"));
  EXPECT_EQ(loaded.config.reporting.output_dir, At("proj/out"));
  EXPECT_EQ(loaded.config.extra_test_directories, (std::vector<std::string>{At("shared")}));
  EXPECT_EQ(loaded.config.project_name, "proj");
}

TEST_F(ConfigLoaderTest, AbsolutePathsStayAsWritten) {
  Write("flow-test.config.yml", "test_directory: /var/suites\n");
  EXPECT_EQ(Loaded(Options()).config.test_directory, "/var/suites");
}

TEST_F(ConfigLoaderTest, RelativeWorkingDirectoryGivesRelativePaths) {
  Write("flow-test.config.yml", "test_directory: ./\nreporting:\n  output_dir: ./results\n");
  const fs::path previous = fs::current_path();
  fs::current_path(root_);
  core::Result<LoadedConfig> loaded =
      LoadConfig(ConfigLoadOptions{.environment = EnvironmentPairs{}});
  fs::current_path(previous);
  ASSERT_TRUE(loaded.has_value());
  EXPECT_EQ(loaded->config_path, "flow-test.config.yml");
  EXPECT_EQ(loaded->base_directory, ".");
  EXPECT_EQ(loaded->config.test_directory, ".");
  EXPECT_EQ(loaded->config.reporting.output_dir, "results");
  EXPECT_EQ(loaded->config.project_name, root_.filename().string());
}

TEST_F(ConfigLoaderTest, InvalidConfigIsAnErrorLocatedInTheFile) {
  Write("flow-test.config.yml", "project_name: x\nexecution:\n  mode: paralel\n");
  const core::Error error = Failed(Options());
  EXPECT_EQ(error.message, "'execution.mode' must be one of sequential, parallel, not 'paralel'");
  ASSERT_TRUE(error.where.has_value());
  EXPECT_EQ(error.where->file, At("flow-test.config.yml"));
  EXPECT_EQ(error.where->line, 3);
  const std::string rendered = FormatLoadError(error);
  EXPECT_NE(rendered.find(At("flow-test.config.yml") + ":3:"), std::string::npos) << rendered;
  EXPECT_NE(rendered.find("error: 'execution.mode'"), std::string::npos) << rendered;
  EXPECT_NE(rendered.find("  mode: paralel"), std::string::npos) << rendered;
  EXPECT_NE(rendered.find("hint: did you mean 'parallel'?"), std::string::npos) << rendered;
}

TEST_F(ConfigLoaderTest, YamlSyntaxErrorIsAnError) {
  Write("flow-test.config.yml", "project_name: [unclosed\n");
  const core::Error error = Failed(Options());
  EXPECT_EQ(error.code, core::ErrorCode::kInvalidArgument);
  ASSERT_TRUE(error.where.has_value());
  EXPECT_EQ(error.where->file, At("flow-test.config.yml"));
}

TEST_F(ConfigLoaderTest, FormatLoadErrorWithoutAFileHasNoExcerpt) {
  EXPECT_EQ(FormatLoadError(core::NotFound("configuration file 'x' does not exist")),
            "error: configuration file 'x' does not exist\n");
}

TEST_F(ConfigLoaderTest, ConfigWarningsCarryTheFileText) {
  const std::string text = "reporting:\n  aggregate: true\n";
  Write("flow-test.config.yml", text);
  const LoadedConfig loaded = Loaded(Options());
  ASSERT_EQ(loaded.warnings.size(), 1u);
  EXPECT_EQ(loaded.warnings[0].source, text);
  const std::string rendered = loaded.warnings[0].Render();
  EXPECT_NE(rendered.find(":2:3: warning: 'reporting.aggregate' has no effect"), std::string::npos)
      << rendered;
  EXPECT_NE(rendered.find("  aggregate: true"), std::string::npos) << rendered;
}

TEST_F(ConfigLoaderTest, EnvFilesAreReadRelativeToTheConfigAndMerged) {
  Write("proj/flow-test.config.yml", "globals:\n  env_files: [.env, .env.local]\n");
  Write("proj/.env", "API_KEY=from-env\nFLOW_TEST_HOST=h1\nSHARED=env\n");
  Write("proj/.env.local", "SHARED=local\nLOCAL_ONLY=1\n");
  ConfigLoadOptions options = Options({{"PATH", "/bin"}, {"API_KEY", "from-process"}});
  options.config_path = "proj/flow-test.config.yml";
  const LoadedConfig loaded = Loaded(options);
  EXPECT_EQ(loaded.env_files_loaded,
            (std::vector<std::string>{At("proj/.env"), At("proj/.env.local")}));
  EXPECT_EQ(loaded.environment, (EnvironmentPairs{{"API_KEY", "from-process"},
                                                  {"FLOW_TEST_HOST", "h1"},
                                                  {"LOCAL_ONLY", "1"},
                                                  {"PATH", "/bin"},
                                                  {"SHARED", "local"}}));
  EXPECT_TRUE(loaded.warnings.empty());
}

TEST_F(ConfigLoaderTest, MissingEnvFileIsAWarningAtItsConfigLine) {
  Write("flow-test.config.yml", "globals:\n  env_files:\n    - .env\n    - .env.local\n");
  Write(".env", "A=1\n");
  const LoadedConfig loaded = Loaded(Options());
  ASSERT_EQ(loaded.warnings.size(), 1u);
  const core::Error& warning = loaded.warnings[0].error;
  EXPECT_EQ(warning.message,
            "env file '.env.local' does not exist (looked for '" + At(".env.local") + "')");
  EXPECT_EQ(warning.hint, "create it or remove it from 'globals.env_files'");
  EXPECT_EQ(warning.reason, "missing-file");
  ASSERT_TRUE(warning.where.has_value());
  EXPECT_EQ(warning.where->line, 4);
  EXPECT_EQ(loaded.environment, (EnvironmentPairs{{"A", "1"}}));
}

TEST_F(ConfigLoaderTest, MalformedEnvFileIsAnErrorWithFileAndLine) {
  Write("flow-test.config.yml", "globals:\n  env_files: [.env]\n");
  Write(".env", "GOOD=1\nBAD LINE\n");
  const core::Error error = Failed(Options());
  EXPECT_EQ(error.message, "expected '=' after 'BAD'");
  ASSERT_TRUE(error.where.has_value());
  EXPECT_EQ(error.where->file, At(".env"));
  EXPECT_EQ(error.where->line, 2);
  EXPECT_NE(FormatLoadError(error).find("BAD LINE"), std::string::npos);
}

TEST_F(ConfigLoaderTest, EnvFileThatIsADirectoryIsAnError) {
  Write("flow-test.config.yml", "globals:\n  env_files: [envdir]\n");
  fs::create_directories(root_ / "envdir");
  EXPECT_EQ(Failed(Options()).message,
            "env file '" + At("envdir") + "' is a directory, not a file");
}

TEST_F(ConfigLoaderTest, ProcessEnvironmentIsReadWhenNotGiven) {
  ASSERT_EQ(setenv("FLOWTEST_LOADER_PROBE", "probe-value", 1), 0);
  const EnvironmentPairs env = ReadProcessEnvironment();
  unsetenv("FLOWTEST_LOADER_PROBE");
  EXPECT_TRUE(std::is_sorted(env.begin(), env.end(),
                             [](const auto& a, const auto& b) { return a.first < b.first; }));
  const auto probe = std::find_if(env.begin(), env.end(),
                                  [](const auto& p) { return p.first == "FLOWTEST_LOADER_PROBE"; });
  ASSERT_NE(probe, env.end());
  EXPECT_EQ(probe->second, "probe-value");

  ASSERT_EQ(setenv("FLOWTEST_LOADER_PROBE", "kept", 1), 0);
  Write("flow-test.config.yml", "globals:\n  env_files: [.env]\n");
  Write(".env", "FLOWTEST_LOADER_PROBE=from-file\n");
  ConfigLoadOptions options;
  options.working_directory = root_.string();
  const LoadedConfig loaded = Loaded(options);
  unsetenv("FLOWTEST_LOADER_PROBE");
  const auto merged =
      std::find_if(loaded.environment.begin(), loaded.environment.end(),
                   [](const auto& p) { return p.first == "FLOWTEST_LOADER_PROBE"; });
  ASSERT_NE(merged, loaded.environment.end());
  EXPECT_EQ(merged->second, "kept");
}

TEST_F(ConfigLoaderTest, OriginalRepositoryConfigLoads) {
  const char* shared = std::getenv("FLOW_SHARED_DIR");
  const std::string dir = std::string(shared ? shared : "") + "/conformance/original-suites";
  if (!shared || !fs::exists(dir + "/flow-test.config.yml")) {
    FLOW_SKIP_OR_FAIL_MISSING_SHARED("no original suites at '" + dir + "' (FLOW_SHARED_DIR)");
  }
  const LoadedConfig loaded =
      Loaded(ConfigLoadOptions{.working_directory = dir, .environment = EnvironmentPairs{}});
  EXPECT_EQ(loaded.config.project_name, "Flow Test Demo Project");
  EXPECT_EQ(loaded.config.test_directory, fs::path(dir).lexically_normal().generic_string());
  // Its .env and .env.local are not in the repository: two warnings, not errors.
  std::size_t missing = 0;
  for (const ConfigDiagnostic& d : loaded.warnings) missing += d.error.reason == "missing-file";
  EXPECT_EQ(missing, 2u);
}

}  // namespace
}  // namespace flow::cli
