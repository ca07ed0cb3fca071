#include "cli/discovery.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace flow::cli {
namespace {

namespace fs = std::filesystem;

class DiscoveryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "flowtest-discovery-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    root_ = pattern;
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(root_, ec);
  }

  void Write(const std::string& relative, const std::string& text = "steps: []\n") {
    const fs::path path = root_ / relative;
    fs::create_directories(path.parent_path());
    std::ofstream(path) << text;
  }
  std::string At(const std::string& relative) const { return (root_ / relative).generic_string(); }

  // Paths of the result, relative to root_ when below it.
  std::vector<std::string> Relative(const std::vector<DiscoveredFile>& files) const {
    std::vector<std::string> out;
    const std::string prefix = root_.generic_string() + "/";
    for (const DiscoveredFile& f : files) {
      out.push_back(f.path.rfind(prefix, 0) == 0 ? f.path.substr(prefix.size()) : f.path);
    }
    return out;
  }

  std::vector<std::string> Found(const std::vector<std::string>& paths,
                                 const core::Config& config = core::Config{}) {
    core::Result<std::vector<DiscoveredFile>> files = DiscoverSuites(paths, config);
    EXPECT_TRUE(files.has_value()) << (files ? "" : files.error().message);
    return files ? Relative(*files) : std::vector<std::string>{};
  }

  fs::path root_;
};

using Paths = std::vector<std::string>;

TEST_F(DiscoveryTest, DefaultPatternsFindYamlYmlAndJsonAtAnyDepth) {
  Write("b.yaml");
  Write("a.yml");
  Write("sub/deeper/c.json", "{}");
  Write("sub/notes.txt");
  Write("sub/README.md");
  EXPECT_EQ(Found({root_.string()}), (Paths{"a.yml", "b.yaml", "sub/deeper/c.json"}));
}

TEST_F(DiscoveryTest, DefaultExcludesSkipNodeModulesDraftsAndResults) {
  Write("keep.yaml");
  Write("node_modules/pkg/x.yaml");
  Write("web/node_modules/y.yaml");
  Write("drafts/wip.yaml");
  Write("results/latest.json", "{}");
  EXPECT_EQ(Found({root_.string()}), (Paths{"keep.yaml"}));
}

TEST_F(DiscoveryTest, HiddenDirectoriesAndFilesAreSkipped) {
  Write(".github/workflows/ci.yml");
  Write(".hidden.yaml");
  Write("visible.yaml");
  EXPECT_EQ(Found({root_.string()}), (Paths{"visible.yaml"}));
}

TEST_F(DiscoveryTest, ConfigFilesAndSchemasAreNeverSuitesInADirectory) {
  Write("flow-test.config.yml");
  Write("flow-test.yaml");
  Write("flow-test.config.json", "{}");
  Write("sub/suite.schema.json", "{}");
  Write("suite.yaml");
  EXPECT_EQ(Found({root_.string()}), (Paths{"suite.yaml"}));
  EXPECT_TRUE(IsNeverASuite("flow-test.config.yaml"));
  EXPECT_TRUE(IsNeverASuite("a.schema.json"));
  EXPECT_FALSE(IsNeverASuite("a.json"));
}

TEST_F(DiscoveryTest, AnExplicitFileIsTakenWhateverItsExtension) {
  Write("suite.txt");
  Write("flow-test.config.yml");
  core::Result<std::vector<DiscoveredFile>> files =
      DiscoverSuites({At("suite.txt"), At("flow-test.config.yml")}, core::Config{});
  ASSERT_TRUE(files.has_value());
  EXPECT_EQ(Relative(*files), (Paths{"flow-test.config.yml", "suite.txt"}));
  EXPECT_TRUE((*files)[0].explicit_path);
  EXPECT_TRUE((*files)[1].explicit_path);
}

TEST_F(DiscoveryTest, WalkedFilesAreNotExplicit) {
  Write("a.yaml");
  core::Result<std::vector<DiscoveredFile>> files = DiscoverSuites({root_.string()}, {});
  ASSERT_TRUE(files.has_value());
  ASSERT_EQ(files->size(), 1u);
  EXPECT_FALSE((*files)[0].explicit_path);
}

TEST_F(DiscoveryTest, SameFileTwiceCountsOnceAndStaysExplicit) {
  Write("a.yaml");
  Write("b.yaml");
  Write("sub/notes.txt");
  core::Result<std::vector<DiscoveredFile>> files = DiscoverSuites(
      {root_.string(), At("a.yaml"), At("sub/../a.yaml"), root_.string() + "/./"}, {});
  ASSERT_TRUE(files.has_value());
  EXPECT_EQ(Relative(*files), (Paths{"a.yaml", "b.yaml"}));
  EXPECT_TRUE((*files)[0].explicit_path);
  EXPECT_FALSE((*files)[1].explicit_path);
}

TEST_F(DiscoveryTest, MissingPathIsAnErrorNamingIt) {
  const std::string missing = At("nope");
  core::Result<std::vector<DiscoveredFile>> files = DiscoverSuites({missing}, {});
  ASSERT_FALSE(files.has_value());
  EXPECT_EQ(files.error().code, core::ErrorCode::kNotFound);
  EXPECT_EQ(files.error().message, "path '" + missing + "' does not exist");
}

TEST_F(DiscoveryTest, NoPathsMeansTheTestDirectory) {
  Write("tests/a.yaml");
  Write("other/b.yaml");
  core::Config config;
  config.test_directory = At("tests");
  EXPECT_EQ(Found({}, config), (Paths{"tests/a.yaml"}));
}

TEST_F(DiscoveryTest, MissingTestDirectoryIsAnErrorWithAHint) {
  core::Config config;
  config.test_directory = At("tests");
  core::Result<std::vector<DiscoveredFile>> files = DiscoverSuites({}, config);
  ASSERT_FALSE(files.has_value());
  EXPECT_EQ(files.error().message, "test directory '" + At("tests") + "' does not exist");
  EXPECT_EQ(files.error().hint, "set 'test_directory' in the configuration, or give a path");
}

TEST_F(DiscoveryTest, PatternsAreRelativeToTheGivenDirectory) {
  Write("tests/a.test.yaml");
  Write("tests/b.yaml");
  Write("tests/deep/c.test.yaml");
  Write("d.test.yaml");
  core::Config config;
  config.discovery.patterns = {"tests/*.test.yaml"};
  EXPECT_EQ(Found({root_.string()}, config), (Paths{"tests/a.test.yaml"}));
  config.discovery.patterns = {"*.test.yaml"};
  EXPECT_EQ(Found({At("tests")}, config), (Paths{"tests/a.test.yaml"}));
  config.discovery.patterns = {"**/*.test.{yaml,yml}"};
  EXPECT_EQ(Found({root_.string()}, config),
            (Paths{"d.test.yaml", "tests/a.test.yaml", "tests/deep/c.test.yaml"}));
}

TEST_F(DiscoveryTest, NestedRootsUseTheirOwnRelativePaths) {
  Write("tests/sub/deeper/x.yaml");
  core::Config config;
  config.discovery.patterns = {"deeper/*.yaml"};
  EXPECT_EQ(Found({At("tests"), At("tests/sub")}, config), (Paths{"tests/sub/deeper/x.yaml"}));
}

TEST_F(DiscoveryTest, ConfiguredExcludeReplacesTheDefaults) {
  Write("drafts/a.yaml");
  Write("temp/b.yaml");
  Write("c.yaml");
  core::Config config;
  config.discovery.exclude = {"**/temp/**", "c.*"};
  EXPECT_EQ(Found({root_.string()}, config), (Paths{"drafts/a.yaml"}));
}

TEST_F(DiscoveryTest, NonRecursiveLooksAtTheDirectoryOnly) {
  Write("top.yaml");
  Write("sub/inner.yaml");
  core::Config config;
  config.discovery.recursive = false;
  EXPECT_EQ(Found({root_.string()}, config), (Paths{"top.yaml"}));
}

TEST_F(DiscoveryTest, SymlinkLoopsAreWalkedOnce) {
  Write("a/x.yaml");
  fs::create_directory_symlink(root_ / "a", root_ / "a" / "loop");
  fs::create_directory_symlink(root_, root_ / "a" / "up");
  EXPECT_EQ(Found({root_.string()}), (Paths{"a/x.yaml"}));
}

TEST_F(DiscoveryTest, SymlinkedDirectoriesAndFilesAreFollowed) {
  Write("real/x.yaml");
  Write("elsewhere/y.yaml");
  fs::create_directories(root_ / "tests");
  fs::create_directory_symlink(root_ / "elsewhere", root_ / "tests" / "linked");
  fs::create_symlink(root_ / "real" / "x.yaml", root_ / "tests" / "alias.yaml");
  EXPECT_EQ(Found({At("tests")}), (Paths{"tests/alias.yaml", "tests/linked/y.yaml"}));
}

TEST_F(DiscoveryTest, DanglingSymlinksAreSkipped) {
  Write("ok.yaml");
  fs::create_symlink(root_ / "missing.yaml", root_ / "dangling.yaml");
  EXPECT_EQ(Found({root_.string()}), (Paths{"ok.yaml"}));
}

TEST_F(DiscoveryTest, AFifoIsNeitherFileNorDirectory) {
  const std::string fifo = At("pipe.yaml");
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  core::Result<std::vector<DiscoveredFile>> files = DiscoverSuites({fifo}, {});
  ASSERT_FALSE(files.has_value());
  EXPECT_EQ(files.error().message, "path '" + fifo + "' is neither a file nor a directory");
  Write("ok.yaml");
  EXPECT_EQ(Found({root_.string()}), (Paths{"ok.yaml"}));  // skipped inside a directory
}

// The checks of UnreadableDirectoryIsAnErrorUnlessExcluded; returns "" or what went wrong.
std::string CheckUnreadableDirectory(const fs::path& root) {
  core::Result<std::vector<DiscoveredFile>> files = DiscoverSuites({root.string()}, {});
  if (files.has_value()) return "an unreadable directory was walked without an error";
  if (files.error().message.find("cannot read directory") == std::string::npos) {
    return "unexpected message: " + files.error().message;
  }
  core::Config config;
  config.discovery.exclude = {"locked/**"};
  core::Result<std::vector<DiscoveredFile>> excluded = DiscoverSuites({root.string()}, config);
  if (!excluded.has_value()) return "an excluded unreadable directory failed: " + excluded.error().message;
  if (excluded->size() != 1 || fs::path(excluded->front().path).filename() != "ok.yaml") {
    return "the excluded walk did not find exactly ok.yaml";
  }
  return "";
}

TEST_F(DiscoveryTest, UnreadableDirectoryIsAnErrorUnlessExcluded) {
  Write("ok.yaml");
  fs::create_directories(root_ / "locked");
  fs::permissions(root_ / "locked", fs::perms::none);
  std::string problem;
  if (geteuid() != 0) {
    problem = CheckUnreadableDirectory(root_);
  } else {
    // Root reads every directory: run the checks in a child that has dropped to 'nobody'.
    fs::permissions(root_, fs::perms::owner_all | fs::perms::others_read | fs::perms::others_exec);
    const pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      if (setgid(65534) != 0 || setuid(65534) != 0) _exit(3);
      _exit(CheckUnreadableDirectory(root_).empty() ? 0 : 1);
    }
    int status = 0;
    ASSERT_EQ(waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFEXITED(status));
    ASSERT_NE(WEXITSTATUS(status), 3) << "could not drop to the user nobody";
    if (WEXITSTATUS(status) != 0) problem = "the checks failed as the user nobody";
  }
  fs::permissions(root_ / "locked", fs::perms::owner_all);
  EXPECT_EQ(problem, "");
}

TEST_F(DiscoveryTest, ResultIsSortedAndDeterministic) {
  for (const char* name : {"z.yaml", "m/b.yaml", "A.yaml", "m/a.yaml", "b.yaml"}) Write(name);
  const Paths first = Found({root_.string()});
  EXPECT_EQ(first, (Paths{"A.yaml", "b.yaml", "m/a.yaml", "m/b.yaml", "z.yaml"}));
  EXPECT_EQ(Found({root_.string()}), first);
}

TEST_F(DiscoveryTest, RelativePathsStayRelativeAndNormalised) {
  Write("tests/a.yaml");
  const fs::path previous = fs::current_path();
  fs::current_path(root_);
  core::Result<std::vector<DiscoveredFile>> files = DiscoverSuites({"./tests/../tests/"}, {});
  core::Result<std::vector<DiscoveredFile>> from_dot = DiscoverSuites({"."}, {});
  fs::current_path(previous);
  ASSERT_TRUE(files.has_value());
  ASSERT_EQ(files->size(), 1u);
  EXPECT_EQ((*files)[0].path, "tests/a.yaml");
  ASSERT_TRUE(from_dot.has_value());
  ASSERT_EQ(from_dot->size(), 1u);
  EXPECT_EQ((*from_dot)[0].path, "tests/a.yaml");
}

TEST_F(DiscoveryTest, EmptyDirectoryGivesNoFilesAndNoError) {
  EXPECT_EQ(Found({root_.string()}), Paths{});
}

}  // namespace
}  // namespace flow::cli
