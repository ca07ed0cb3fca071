#include "cli/jp_command.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace flow::cli {
namespace {

struct JpRun {
  int code = -1;
  std::string out;
  std::string err;
};

JpRun Jp(const std::vector<std::string>& args, const std::string& input = "") {
  std::istringstream in(input);
  std::ostringstream out;
  std::ostringstream err;
  JpRun run;
  run.code = RunJpCommand(args, in, out, err);
  run.out = out.str();
  run.err = err.str();
  return run;
}

// A file in the test's temporary folder, removed at the end of the test.
class TempFile {
 public:
  TempFile(const std::string& name, const std::string& content)
      : path_((std::filesystem::temp_directory_path() /
               ("flow_jp_test_" + std::to_string(::getpid()) + "_" + name))
                  .string()) {
    std::ofstream(path_, std::ios::binary) << content;
  }
  ~TempFile() { std::filesystem::remove(path_); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

TEST(JpCommand, PrintsThePrettyResultOfStandardInput) {
  const JpRun run = Jp({"a"}, R"({"a": {"b": [1, 2]}})");
  EXPECT_EQ(run.code, 0);
  EXPECT_EQ(run.out, "{\n  \"b\": [\n    1,\n    2\n  ]\n}\n");
  EXPECT_EQ(run.err, "");
}

TEST(JpCommand, CompactPrintsOneLine) {
  EXPECT_EQ(Jp({"--compact", "a"}, R"({"a": {"b": [1, 2]}})").out, "{\"b\":[1,2]}\n");
  EXPECT_EQ(Jp({"-c", "a"}, R"({"a": [1]})").out, "[1]\n");
}

TEST(JpCommand, RawPrintsStringsWithoutQuotes) {
  EXPECT_EQ(Jp({"-r", "a"}, R"({"a": "line \"one\""})").out, "line \"one\"\n");
  EXPECT_EQ(Jp({"--raw", "a"}, R"({"a": 5})").out, "5\n");
  EXPECT_EQ(Jp({"a"}, R"({"a": "x"})").out, "\"x\"\n");
  EXPECT_EQ(Jp({"-cr", "a"}, R"({"a": "x"})").out, "x\n");
}

TEST(JpCommand, KeepsKeyOrderAndNumberForms) {
  EXPECT_EQ(Jp({"-c", "@"}, R"({"z": 1.0, "a": 2})").out, "{\"z\":1.0,\"a\":2}\n");
}

TEST(JpCommand, ReadsAFileOrDashForStandardInput) {
  const TempFile file("doc.json", R"({"name": "from file"})");
  EXPECT_EQ(Jp({"name", file.path()}).out, "\"from file\"\n");
  EXPECT_EQ(Jp({"name", "-"}, R"({"name": "stdin"})").out, "\"stdin\"\n");
}

TEST(JpCommand, JmesPathErrorsNameTheKind) {
  JpRun run = Jp({"foo["}, "{}");
  EXPECT_EQ(run.code, 1);
  EXPECT_EQ(run.out, "");
  EXPECT_EQ(run.err,
            "error: syntax: expected a number, ':' or '*' after '[' but found end of expression "
            "at column 5\n");
  run = Jp({"abs(a)"}, R"({"a": "x"})");
  EXPECT_EQ(run.code, 1);
  EXPECT_EQ(run.err, "error: invalid-type: abs() expected argument 1 to be a number, got string\n");
  run = Jp({"lenght(@)"}, "[]");
  EXPECT_EQ(run.code, 1);
  EXPECT_EQ(run.err,
            "error: unknown-function: unknown function 'lenght()' at column 1\n"
            "hint: did you mean 'length'?\n");
}

TEST(JpCommand, BadJsonNamesTheSourceLineAndColumn) {
  JpRun run = Jp({"a"}, "{\n  \"a\": tru\n}");
  EXPECT_EQ(run.code, 1);
  EXPECT_EQ(run.err.rfind("error: <stdin>:2:11: invalid json: ", 0), 0u) << run.err;
  const TempFile file("bad.json", "[1, 2,");
  run = Jp({"a", file.path()});
  EXPECT_EQ(run.code, 1);
  EXPECT_EQ(run.err.rfind("error: " + file.path() + ":1:7: invalid json: ", 0), 0u) << run.err;
  run = Jp({"a"}, "");
  EXPECT_EQ(run.code, 1);
  EXPECT_NE(run.err.find("<stdin>:1:1: invalid json"), std::string::npos) << run.err;
}

TEST(JpCommand, MissingFileIsAnError) {
  const JpRun run = Jp({"a", "/nonexistent/flow/doc.json"});
  EXPECT_EQ(run.code, 1);
  EXPECT_EQ(run.err,
            "error: cannot open '/nonexistent/flow/doc.json': No such file or directory\n");
}

TEST(JpCommand, HostileNestingIsRefused) {
  const JpRun run = Jp({"@"}, std::string(5000, '[') + std::string(5000, ']'));
  EXPECT_EQ(run.code, 1);
  EXPECT_EQ(run.err, "error: <stdin>:1:1001: json nested deeper than 1000 levels\n");
}

TEST(JpCommand, UsageErrorsPrintUsageAndReturnTwo) {
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{}, {"--bogus", "a"}, {"-x", "a"}, {"a", "b", "c"}}) {
    const JpRun run = Jp(args, "{}");
    EXPECT_EQ(run.code, 2);
    EXPECT_EQ(run.out, "");
    EXPECT_NE(run.err.find("usage: flowtest jp"), std::string::npos);
  }
  EXPECT_EQ(Jp({"--bogus", "a"}).err.rfind("error: unknown option '--bogus'\n", 0), 0u);
  EXPECT_EQ(Jp({}).err.rfind("error: missing EXPRESSION\n", 0), 0u);
}

TEST(JpCommand, HelpGoesToStandardOutput) {
  for (const char* flag : {"-h", "--help"}) {
    const JpRun run = Jp({flag});
    EXPECT_EQ(run.code, 0);
    EXPECT_EQ(run.out, JpUsage());
    EXPECT_EQ(run.err, "");
  }
}

TEST(JpCommand, DoubleDashEndsOptions) {
  const TempFile file("-odd.json", R"({"a": 1})");
  EXPECT_EQ(Jp({"-c", "--", "a", file.path()}).out, "1\n");
}

}  // namespace
}  // namespace flow::cli
