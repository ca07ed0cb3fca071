#include "cli/suite_files.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace flow::cli {
namespace {

namespace fs = std::filesystem;

class TempTree {
 public:
  TempTree() {
    char pattern[] = "/tmp/flowtest-suite-files-XXXXXX";
    root_ = mkdtemp(pattern);
  }
  ~TempTree() {
    std::error_code ec;
    fs::remove_all(root_, ec);
  }
  std::string Write(const std::string& relative, const std::string& text) const {
    const fs::path path = fs::path(root_) / relative;
    fs::create_directories(path.parent_path());
    std::ofstream(path) << text;
    return path.string();
  }
  std::string Path(const std::string& relative) const { return (fs::path(root_) / relative).string(); }

 private:
  std::string root_;
};

constexpr const char* kSuite = "suite_name: H\nnode_id: helper\nsteps:\n  - name: s\n    request: {method: GET, url: 'http://x/'}\n";

TEST(FileSuiteSource, LoadsOnceAndRefusesFilesOutsideTheTestDirectory) {
  TempTree tree;
  tree.Write("tests/h.yaml", kSuite);
  tree.Write("secret.yaml", kSuite);
  FileSuiteSource source(tree.Path("tests"));
  core::Result<const core::Suite*> first = source.Load(tree.Path("tests/h.yaml"));
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ((*first)->node_id, "helper");
  core::Result<const core::Suite*> again = source.Load(tree.Path("tests/./h.yaml"));
  ASSERT_TRUE(again);
  EXPECT_EQ(*first, *again);  // cached

  core::Result<const core::Suite*> outside = source.Load(tree.Path("tests/../secret.yaml"));
  ASSERT_FALSE(outside);
  EXPECT_EQ(outside.error().code, core::ErrorCode::kPermissionDenied);
  EXPECT_NE(outside.error().message.find("outside the test directory"), std::string::npos);
}

TEST(FileSuiteSource, ASymbolicLinkCannotLeadOutOfTheTestDirectory) {
  TempTree tree;
  tree.Write("tests/in.yaml", kSuite);
  tree.Write("elsewhere/out.yaml", kSuite);
  fs::create_symlink(tree.Path("elsewhere/out.yaml"), tree.Path("tests/link.yaml"));
  FileSuiteSource source(tree.Path("tests"));
  core::Result<const core::Suite*> linked = source.Load(tree.Path("tests/link.yaml"));
  ASSERT_FALSE(linked);
  EXPECT_EQ(linked.error().code, core::ErrorCode::kPermissionDenied);
}

TEST(FileSuiteSource, MissingAndInvalidFilesAreErrors) {
  TempTree tree;
  tree.Write("tests/bad.yaml", "suite_name: x\n");
  FileSuiteSource source(tree.Path("tests"));
  core::Result<const core::Suite*> missing = source.Load(tree.Path("tests/none.yaml"));
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, core::ErrorCode::kNotFound);
  core::Result<const core::Suite*> bad = source.Load(tree.Path("tests/bad.yaml"));
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("missing required key 'node_id'"), std::string::npos)
      << bad.error().message;
}

TEST(IndexSuitesByNodeId, FindsSuiteFilesAndSkipsOthers) {
  TempTree tree;
  tree.Write("a/one.yaml", kSuite);
  tree.Write("b/config.yml", "project_name: p\n");
  tree.Write("node_modules/x.yaml", "suite_name: X\nnode_id: hidden\nsteps: []\n");
  tree.Write("c/broken.yaml", "steps: [\n");
  const auto index = IndexSuitesByNodeId(tree.Path(""));
  ASSERT_EQ(index.size(), 1u);
  EXPECT_EQ(index.begin()->first, "helper");
  EXPECT_NE(index.begin()->second.find("a/one.yaml"), std::string::npos);
}

}  // namespace
}  // namespace flow::cli
