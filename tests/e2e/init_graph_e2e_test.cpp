// `flowtest init` and `flowtest graph` as black boxes: every template creates a project whose
// suites validate and pass against a local httpbin; init never overwrites and never waits without
// a terminal, and asks its questions at one (a pseudo-terminal here); graph draws depends, calls
// and exports of a small project and of the original engine's suites, deterministically, in
// Mermaid and in DOT that Graphviz accepts.
#include <gtest/gtest.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "tests/e2e/e2e_support.hpp"
#include "tests/support/httpbin.hpp"
#include "tests/support/shared_data.hpp"

namespace flow::testing {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> TemplateNames() {
  const ProcessResult r = RunFlowtest(".", "init --list-templates");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  std::vector<std::string> names;
  std::istringstream lines(r.output);
  const std::regex name_line("^  ([a-z][a-z-]*)  +\\S.*$");  // file lines are indented deeper
  for (std::string line; std::getline(lines, line);) {
    std::smatch m;
    if (std::regex_match(line, m, name_line)) names.push_back(m[1]);
  }
  return names;
}

std::size_t Count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t pos = text.find(what); pos != std::string::npos; pos = text.find(what, pos + 1))
    ++n;
  return n;
}

// flowtest's standard output and standard error apart.
struct SplitRun {
  int exit_code = -1;
  std::string out;
  std::string err;
};

SplitRun RunFlowtestSplit(const std::string& cwd, const std::string& args) {
  ScratchDir tmp;
  const std::string err_file = tmp.path() + "/stderr";
  const ProcessResult r = RunCommand("cd " + ShellQuote(cwd) + " && { " + Flowtest() + " " + args +
                                     " </dev/null 2>" + ShellQuote(err_file) + "; }");
  return SplitRun{r.exit_code, r.output, ReadFileText(err_file)};
}

bool HasDot() { return RunCommand("command -v dot >/dev/null").exit_code == 0; }

TEST(InitE2e, EveryTemplateCreatesAProjectThatPassesAgainstHttpbin) {
  FLOW_HTTPBIN_URL_OR_SKIP(url);
  const std::vector<std::string> names = TemplateNames();
  ASSERT_GE(names.size(), 6u);
  for (const std::string& name : names) {
    SCOPED_TRACE(name);
    ScratchDir dir;
    const ProcessResult init =
        RunFlowtest(dir.path(), "init project --template " + ShellQuote(name) + " --base-url " +
                                    ShellQuote(url));
    ASSERT_EQ(init.exit_code, 0) << init.output;
    EXPECT_NE(init.output.find("flow-test.config.yml"), std::string::npos) << init.output;
    EXPECT_NE(init.output.find("cd project"), std::string::npos) << init.output;
    const std::string project = dir.path() + "/project";
    EXPECT_NE(ReadFileText(project + "/flow-test.config.yml").find("base_url: \"" + url + "\""),
              std::string::npos);
    EXPECT_EQ(ReadFileText(project + "/.gitignore"),
              "# flowtest: reports, local state, secrets\nresults/\n.flowtest/\n.env\n");

    const ProcessResult validate = RunFlowtest(project, "validate");
    EXPECT_EQ(validate.exit_code, 0) << validate.output;
    EXPECT_NE(validate.output.find(", 0 invalid"), std::string::npos) << validate.output;
    EXPECT_EQ(validate.output.find("warning"), std::string::npos) << validate.output;

    // As a user runs it: no terminal, no CI variables.
    const ProcessResult run =
        RunFlowtest(project, "run", "env -u CI -u GITHUB_ACTIONS -u GITLAB_CI");
    EXPECT_EQ(run.exit_code, 0) << run.output;
    EXPECT_GE(Count(run.output, "✓ PASS"), 1u) << run.output;
    EXPECT_EQ(Count(run.output, "✗"), 0u) << run.output;
    EXPECT_EQ(run.output.find("warning"), std::string::npos) << run.output;
    EXPECT_TRUE(fs::exists(project + "/results/latest.json"));
  }
}

TEST(InitE2e, NeverOverwritesAndSaysWhichFileExists) {
  ScratchDir dir;
  dir.Write("tests/getting-started.yaml", "mine\n");
  ProcessResult r = RunFlowtest(dir.path(), "init --yes");
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("tests/getting-started.yaml exists"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("nothing was written"), std::string::npos) << r.output;
  EXPECT_FALSE(fs::exists(dir.path() + "/flow-test.config.yml"));
  EXPECT_FALSE(fs::exists(dir.path() + "/.gitignore"));
  EXPECT_EQ(ReadFileText(dir.path() + "/tests/getting-started.yaml"), "mine\n");

  // Another template does not collide: it goes ahead.
  r = RunFlowtest(dir.path(), "init --template crud");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_TRUE(fs::exists(dir.path() + "/tests/crud.yaml"));

  // Now there is a config: any second init stops before doing anything.
  r = RunFlowtest(dir.path(), "init --template auth");
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("flow-test.config.yml exists: this is a flowtest project already"),
            std::string::npos)
      << r.output;
  EXPECT_FALSE(fs::exists(dir.path() + "/tests/profile.yaml"));

  // Any of the config names counts.
  ScratchDir other;
  other.Write("flow-test.yaml", "project_name: x\n");
  r = RunFlowtest(other.path(), "init -y");
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("flow-test.yaml exists"), std::string::npos) << r.output;
}

TEST(InitE2e, AnExistingGitignoreGetsTheMissingLinesOnly) {
  ScratchDir dir;
  dir.Write(".gitignore", "node_modules/\n/results\n");
  const ProcessResult r = RunFlowtest(dir.path(), "init --yes --project-name 'Shop \"API\"'");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find(".gitignore (added .flowtest/, .env)"), std::string::npos) << r.output;
  EXPECT_EQ(
      ReadFileText(dir.path() + "/.gitignore"),
      "node_modules/\n/results\n\n# flowtest: reports, local state, secrets\n.flowtest/\n.env\n");
  EXPECT_NE(
      ReadFileText(dir.path() + "/flow-test.config.yml").find("project_name: \"Shop \\\"API\\\"\""),
      std::string::npos);
  // The project name reaches the report through the config loader.
  const ProcessResult v = RunFlowtest(dir.path(), "validate");
  EXPECT_EQ(v.exit_code, 0) << v.output;
}

TEST(InitE2e, WithoutATerminalItFailsAtOnceSayingWhatToPass) {
  ScratchDir dir;
  const ProcessResult r = RunFlowtest(dir.path(), "init");
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("no terminal"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("--yes"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("--template"), std::string::npos) << r.output;
  EXPECT_TRUE(fs::is_empty(dir.path()));
}

TEST(InitE2e, UsageErrorsNameTheProblem) {
  ScratchDir dir;
  ProcessResult r = RunFlowtest(dir.path(), "init --template crdu");
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("no template 'crdu'"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("did you mean 'crud'?"), std::string::npos) << r.output;
  r = RunFlowtest(dir.path(), "init --yes --base-url localhost:3000");
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("'localhost:3000' is not an http(s) URL"), std::string::npos) << r.output;
  r = RunFlowtest(dir.path(), "init --yse");
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("did you mean '--yes'?"), std::string::npos) << r.output;
  dir.Write("file", "x");
  r = RunFlowtest(dir.path(), "init file --yes");
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("'file' exists and is not a directory"), std::string::npos) << r.output;
  EXPECT_FALSE(fs::exists(dir.path() + "/flow-test.config.yml"));
}

// flowtest on a new pseudo-terminal (its controlling terminal), answering prompts: each step
// waits until the output shows `expect`, then types `keys`. A step waits at most 10 seconds;
// the process is killed if it has not ended 10 seconds after the last one.
struct TerminalRun {
  int exit_code = -1;
  std::string output;
};

TerminalRun RunAtTerminal(const std::string& cwd, const std::vector<std::string>& args,
                          const std::vector<std::pair<std::string, std::string>>& script) {
  TerminalRun result;
  int master = -1;
  const pid_t pid = forkpty(&master, nullptr, nullptr, nullptr);
  if (pid < 0) return result;
  if (pid == 0) {
    if (chdir(cwd.c_str()) != 0) _exit(126);
    setenv("NO_COLOR", "1", 1);
    std::vector<char*> argv;
    std::string binary = FLOW_BINARY;
    argv.push_back(binary.data());
    std::vector<std::string> copy = args;
    for (std::string& a : copy) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(binary.c_str(), argv.data());
    _exit(127);
  }
  const auto read_until = [&](const std::string& expect, std::size_t from) -> std::size_t {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    for (;;) {
      const std::size_t at = expect.empty() ? std::string::npos : result.output.find(expect, from);
      if (at != std::string::npos) return at + expect.size();
      if (std::chrono::steady_clock::now() > deadline) return std::string::npos;
      pollfd p{.fd = master, .events = POLLIN, .revents = 0};
      if (poll(&p, 1, 100) <= 0) continue;
      char buffer[4096];
      const ssize_t n = read(master, buffer, sizeof buffer);
      if (n <= 0) return std::string::npos;  // the process closed the terminal
      result.output.append(buffer, static_cast<std::size_t>(n));
    }
  };
  std::size_t seen = 0;
  for (const auto& [expect, keys] : script) {
    const std::size_t at = read_until(expect, seen);
    if (at == std::string::npos) {
      result.output += "\n[test: never saw '" + expect + "']";
      break;
    }
    seen = at;
    if (write(master, keys.data(), keys.size()) != static_cast<ssize_t>(keys.size())) break;
  }
  (void)read_until("", seen);  // the rest of the output, until the terminal closes or 10 s
  int status = 0;
  if (waitpid(pid, &status, WNOHANG) == 0) {
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
  }
  close(master);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return result;
}

TEST(InitE2e, AsksItsQuestionsAtATerminal) {
  ScratchDir dir;
  const TerminalRun r = RunAtTerminal(dir.path(), {"init", "shop"},
                                      {{"Project name", "Shop API\r"},
                                       {"Base URL", "not a url\r"},
                                       {"is not an http(s) URL", "http://127.0.0.1:9/\r"},
                                       {"Starter suite", "3\r"},
                                       {"Create them?", "\r"}});
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("(default: shop)"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("1) basic: "), std::string::npos) << r.output;  // a numbered list
  EXPECT_NE(r.output.find("tests/crud.yaml"), std::string::npos) << r.output;
  const std::string config = ReadFileText(dir.path() + "/shop/flow-test.config.yml");
  EXPECT_NE(config.find("project_name: \"Shop API\""), std::string::npos) << config;
  EXPECT_NE(config.find("base_url: \"http://127.0.0.1:9\""), std::string::npos) << config;
  EXPECT_TRUE(fs::exists(dir.path() + "/shop/tests/crud.yaml"));
}

TEST(InitE2e, SayingNoAtTheTerminalWritesNothing) {
  ScratchDir dir;
  const TerminalRun r = RunAtTerminal(dir.path(), {"init"},
                                      {{"Project name", "\r"},
                                       {"Base URL", "\r"},
                                       {"Starter suite", "\r"},
                                       {"Create them?", "n\r"}});
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("cancelled; nothing was written"), std::string::npos) << r.output;
  EXPECT_TRUE(fs::is_empty(dir.path()));
}

// A small project: a login suite exporting a token, orders depending on it, reading its exports
// and calling a helper that discovery excludes (drafts/), a dangling dependency, and names that
// need escaping.
void WriteProject(const ScratchDir& dir) {
  dir.Write("flow-test.config.yml", "project_name: g\ntest_directory: ./tests\n");
  dir.Write("tests/auth.yaml", R"(suite_name: "Login"
node_id: auth
exports: [token]
steps:
  - name: log in
    step_id: login
    request: {method: POST, url: /post}
    capture: {token: body.json.token}
)");
  dir.Write("tests/orders.yaml", R"(suite_name: 'Pedidos "v2" – ação [beta] <b>'
node_id: orders
metadata: {priority: high}
depends:
  - node_id: auth
    required: true
  - node_id: billing
steps:
  - name: list
    request:
      method: GET
      url: /get
      headers: {Authorization: "Bearer {{auth.token}}"}
  - name: helper
    call: {test: drafts/helper.yaml, step: ping}
)");
  dir.Write("tests/drafts/helper.yaml", R"(suite_name: Helper
node_id: helper
steps:
  - name: ping
    request: {method: GET, url: /get}
)");
}

constexpr const char* kProjectMermaid =
    "flowchart LR\n"
    "  %% flowtest graph: 3 suites, 4 edges; an arrow points from a suite to what it uses\n"
    "  s_auth[\"Login<br/>auth · high<br/>exports: token\"]\n"
    "  s_billing[\"billing<br/>missing: no suite has this node_id\"]\n"
    "  s_helper[\"Helper<br/>helper · medium\"]\n"
    "  s_orders[\"Pedidos #34;v2#34; – ação [beta] #60;b#62;<br/>orders · high\"]\n"
    "  s_orders ==>|\"requires\"| s_auth\n"
    "  s_orders -->|\"reads token\"| s_auth\n"
    "  s_orders -->|\"depends\"| s_billing\n"
    "  s_orders -.->|\"calls ping\"| s_helper\n"
    "  classDef missing stroke:#d73a49,stroke-dasharray:5 5,color:#d73a49\n"
    "  class s_billing missing\n"
    "  linkStyle 1 stroke:#1f6feb,color:#1f6feb\n";

TEST(GraphE2e, DrawsDependsCallsAndExportsOfAProject) {
  ScratchDir dir;
  WriteProject(dir);
  const SplitRun r = RunFlowtestSplit(dir.path(), "graph");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, kProjectMermaid);
  EXPECT_NE(r.err.find("tests/orders.yaml:7:14: warning: suite 'orders' depends on 'billing', "
                       "which no suite has"),
            std::string::npos)
      << r.err;

  // The same again, and from the suite file alone (its dependencies and callee are found).
  EXPECT_EQ(RunFlowtestSplit(dir.path(), "graph").out, kProjectMermaid);
  EXPECT_EQ(RunFlowtestSplit(dir.path(), "graph tests/orders.yaml").out, kProjectMermaid);
}

TEST(GraphE2e, DotOutputIsValidGraphviz) {
  ScratchDir dir;
  WriteProject(dir);
  const ProcessResult r = RunFlowtest(dir.path(), "graph --format dot --output graph.dot");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("graph of 3 suites written to graph.dot"), std::string::npos) << r.output;
  const std::string dot = ReadFileText(dir.path() + "/graph.dot");
  EXPECT_NE(
      dot.find("\"s_orders\" [label=\"Pedidos \\\"v2\\\" – ação [beta] <b>\\norders · high\""),
      std::string::npos)
      << dot;
  EXPECT_NE(dot.find("\"s_orders\" -> \"s_auth\" [label=\"requires\", style=bold];"),
            std::string::npos)
      << dot;
  if (!HasDot()) {
    FLOW_SKIP_OR_FAIL_MISSING_SERVICE(
        "no Graphviz 'dot' to check the output (scripts/install-deps.sh installs it)");
  }
  const ProcessResult svg = RunCommand("dot -Tsvg " + ShellQuote(dir.path() + "/graph.dot"));
  EXPECT_EQ(svg.exit_code, 0) << svg.output;
  EXPECT_NE(svg.output.find("Pedidos &quot;v2&quot; – ação [beta] &lt;b&gt;"), std::string::npos)
      << svg.output;
}

TEST(GraphE2e, ASuiteThatFailsToLoadIsReportedAndTheOthersDrawn) {
  ScratchDir dir;
  WriteProject(dir);
  dir.Write("tests/billing.yaml",
            "suite_name: Billing\nnode_id: billing\nsteps:\n  - name: x\n    expct: 1\n");
  const SplitRun r = RunFlowtestSplit(dir.path(), "graph");
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.out.find("s_billing[\"Billing<br/>billing<br/>tests/billing.yaml: failed to load\"]"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("s_orders ==>|\"requires\"| s_auth"), std::string::npos) << r.out;
  EXPECT_NE(r.err.find("tests/billing.yaml:5:5: error: unknown step key 'expct'"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("1 suite file could not be loaded"), std::string::npos) << r.err;
}

TEST(GraphE2e, UsageAndEmptyDirectories) {
  ScratchDir dir;
  ProcessResult r = RunFlowtest(dir.path(), "graph --format svg");
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("--format must be mermaid or dot, got 'svg'"), std::string::npos)
      << r.output;
  r = RunFlowtest(dir.path(), "graph");
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("no suites found"), std::string::npos) << r.output;
}

TEST(GraphE2e, TheAuthTemplateDrawsItsDependencyAndExports) {
  ScratchDir dir;
  ASSERT_EQ(RunFlowtest(dir.path(), "init --template auth").exit_code, 0);
  const ProcessResult r = RunFlowtest(dir.path(), "graph");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("s_profile ==>|\"requires\"| s_auth"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("s_profile -->|\"reads token, user_id\"| s_auth"), std::string::npos)
      << r.output;
}

TEST(GraphE2e, TheOriginalEnginesSuites) {
  const char* shared = std::getenv("FLOW_SHARED_DIR");
  const fs::path root = shared ? fs::path(shared) / "conformance" / "original-suites" : fs::path();
  if (shared == nullptr || !fs::is_directory(root / "tests")) {
    FLOW_SKIP_OR_FAIL_MISSING_SHARED(
        "no ../shared/conformance/original-suites (FLOW_SHARED_DIR): this test needs the shared "
        "data");
  }
  ScratchDir out;
  // The files `validate` finds invalid are exactly those the graph reports it could not load.
  const ProcessResult validate = RunFlowtest(root.string(), "validate examples tests");
  std::smatch m;
  ASSERT_TRUE(std::regex_search(validate.output, m,
                                std::regex("(\\d+) valid suites \\(\\d+ steps\\), (\\d+) invalid")))
      << validate.output;
  const std::string invalid = m[2];
  const std::string dot_file = out.path() + "/original.dot";
  const SplitRun dot = RunFlowtestSplit(
      root.string(), "graph examples tests --format dot -o " + ShellQuote(dot_file));
  EXPECT_EQ(dot.exit_code, invalid == "0" ? 0 : 1) << dot.err;
  if (invalid != "0") {
    EXPECT_NE(dot.err.find(invalid + " suite file" + (invalid == "1" ? "" : "s") +
                           " could not be loaded"),
              std::string::npos)
        << dot.err;
  }
  EXPECT_EQ(dot.err.find("internal error"), std::string::npos) << dot.err;
  const std::string text = ReadFileText(dot_file);
  EXPECT_GE(Count(text, " -> "), 5u) << text;  // the suites do depend on and call each other
  EXPECT_NE(text.find("[label=\"calls "), std::string::npos) << text;
  EXPECT_NE(text.find("[label=\"requires\", style=bold]"), std::string::npos) << text;
  // Their `{{auth.x}}` are call aliases, not exports of the suite whose node_id is auth.
  EXPECT_EQ(text.find("[label=\"reads "), std::string::npos) << text;
  EXPECT_EQ(dot.err.find("warning"), std::string::npos) << dot.err;

  const SplitRun mermaid = RunFlowtestSplit(root.string(), "graph examples tests");
  EXPECT_EQ(mermaid.exit_code, dot.exit_code);
  EXPECT_EQ(mermaid.out.rfind("flowchart LR\n", 0), 0u);
  // Every edge joins two declared nodes.
  std::set<std::string> nodes;
  const std::regex node_line("^  ([A-Za-z0-9_]+)\\[\".*\"\\]$");
  const std::regex edge_line(
      "^  ([A-Za-z0-9_]+) (-->|==>|-\\.->)\\|\"[^\"]*\"\\| ([A-Za-z0-9_]+)$");
  std::istringstream lines(mermaid.out);
  std::size_t edges = 0;
  for (std::string line; std::getline(lines, line);) {
    if (std::regex_match(line, m, node_line)) {
      EXPECT_TRUE(nodes.insert(m[1]).second) << "node declared twice: " << line;
    } else if (std::regex_match(line, m, edge_line)) {
      ++edges;
      EXPECT_TRUE(nodes.count(m[1]) && nodes.count(m[3])) << "edge to an undeclared node: " << line;
    }
  }
  EXPECT_EQ(edges, Count(text, " -> "));

  if (!HasDot()) {
    FLOW_SKIP_OR_FAIL_MISSING_SERVICE(
        "no Graphviz 'dot' to check the output (scripts/install-deps.sh installs it)");
  }
  const ProcessResult svg = RunCommand("dot -Tsvg " + ShellQuote(dot_file) + " >/dev/null");
  EXPECT_EQ(svg.exit_code, 0) << svg.output;
  EXPECT_EQ(svg.output, "");  // no warnings either
}

}  // namespace
}  // namespace flow::testing
