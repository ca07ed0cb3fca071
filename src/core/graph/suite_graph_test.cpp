#include "core/graph/suite_graph.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "core/error.hpp"

namespace flow::core {
namespace {

// Suites loaded from text, kept alive for the graph that points at them.
class Suites {
 public:
  const Suite* Add(const std::string& file, const std::string& text) {
    SuiteLoad load = LoadSuite(text, file);
    std::string errors;
    for (const Error& e : load.errors) errors += FormatErrorLine(e) + "\n";
    EXPECT_TRUE(load.suite) << file << ":\n" << errors;
    if (!load.suite) return nullptr;
    suites_.push_back(std::make_unique<Suite>(std::move(*load.suite)));
    input.suites.push_back(suites_.back().get());
    return suites_.back().get();
  }
  SuiteGraph Build() const { return BuildSuiteGraph(input); }

  GraphInput input{.test_directory = "tests"};

 private:
  std::vector<std::unique_ptr<Suite>> suites_;
};

const GraphNode* FindNode(const SuiteGraph& g, const std::string& id) {
  for (const GraphNode& n : g.nodes) {
    if (n.id == id) return &n;
  }
  return nullptr;
}

std::vector<std::string> EdgeStrings(const SuiteGraph& g) {
  std::vector<std::string> out;
  for (const GraphEdge& e : g.edges) {
    out.push_back(e.from + " -> " + e.to + " [" + e.label + "]" + (e.broken ? " broken" : ""));
  }
  return out;
}

std::string Warnings(const SuiteGraph& g) {
  std::string out;
  for (const Error& w : g.warnings) out += FormatErrorLine(w) + "\n";
  return out;
}

constexpr const char* kAuth = R"(suite_name: "Login"
node_id: auth
metadata: {priority: critical}
exports: [token, user_id]
exports_optional: [refresh]
steps:
  - name: log in
    step_id: login
    request: {method: POST, url: /post}
    capture: {token: body.json.token, user_id: body.json.id}
)";

TEST(SuiteGraph, NodesCarryNameIdPriorityAndExports) {
  Suites s;
  s.Add("tests/auth.yaml", kAuth);
  const SuiteGraph g = s.Build();
  ASSERT_EQ(g.nodes.size(), 1u);
  const GraphNode& n = g.nodes[0];
  EXPECT_EQ(n.id, "s_auth");
  EXPECT_EQ(n.kind, GraphNodeKind::kSuite);
  EXPECT_EQ(n.suite_name, "Login");
  EXPECT_EQ(n.priority, "critical");
  EXPECT_EQ(n.file, "tests/auth.yaml");
  EXPECT_EQ(n.exports, (std::vector<std::string>{"token", "user_id", "refresh?"}));
  EXPECT_TRUE(g.edges.empty());
  EXPECT_TRUE(g.warnings.empty()) << Warnings(g);
}

TEST(SuiteGraph, DependsEdgesDistinguishRequiredAndMergeDuplicates) {
  Suites s;
  s.Add("tests/auth.yaml", kAuth);
  s.Add("tests/seed.yaml",
        "suite_name: Seed\nnode_id: seed\nsteps: [{name: a, request: {method: GET, url: /get}}]\n");
  s.Add("tests/orders.yaml", R"(suite_name: Orders
node_id: orders
depends:
  - node_id: auth
  - node_id: auth
    required: true
  - path: seed.yaml
steps: [{name: a, request: {method: GET, url: /get}}]
)");
  const SuiteGraph g = s.Build();
  EXPECT_EQ(EdgeStrings(g), (std::vector<std::string>{"s_orders -> s_auth [requires]",
                                                      "s_orders -> s_seed [depends]"}));
  EXPECT_EQ(g.edges[0].kind, GraphEdgeKind::kRequires);
  EXPECT_EQ(g.edges[1].kind, GraphEdgeKind::kDepends);
  EXPECT_TRUE(g.warnings.empty()) << Warnings(g);
}

TEST(SuiteGraph, AMissingDependencyIsADanglingNodeWithAWarningAtItsPlace) {
  Suites s;
  s.Add("tests/auth.yaml", kAuth);
  s.Add("tests/orders.yaml", R"(suite_name: Orders
node_id: orders
depends:
  - node_id: authh
  - path: ../elsewhere/setup.yaml
steps: [{name: a, request: {method: GET, url: /get}}]
)");
  const SuiteGraph g = s.Build();
  const GraphNode* missing = FindNode(g, "s_authh");
  ASSERT_NE(missing, nullptr);
  EXPECT_EQ(missing->kind, GraphNodeKind::kMissing);
  EXPECT_EQ(missing->note, "no suite has this node_id");
  const GraphNode* file = FindNode(g, "f_elsewhere_setup_yaml");
  ASSERT_NE(file, nullptr);
  EXPECT_EQ(file->kind, GraphNodeKind::kMissing);
  EXPECT_EQ(file->file, "elsewhere/setup.yaml");
  ASSERT_EQ(g.warnings.size(), 2u) << Warnings(g);
  EXPECT_EQ(g.warnings[0].message, "suite 'orders' depends on 'authh', which no suite has");
  EXPECT_EQ(g.warnings[0].hint, "did you mean 'auth'?");
  ASSERT_TRUE(g.warnings[0].where);
  EXPECT_EQ(g.warnings[0].where->file, "tests/orders.yaml");
  EXPECT_EQ(g.warnings[0].where->line, 4);
  EXPECT_EQ(g.warnings[0].where->column, 14);
  EXPECT_NE(g.warnings[1].message.find("'../elsewhere/setup.yaml'"), std::string::npos);
  EXPECT_EQ(g.warnings[1].where->line, 5);
}

TEST(SuiteGraph, CallsPointAtTheCalledSuiteLabelledWithTheStep) {
  Suites s;
  s.Add("tests/helpers/auth.yaml", kAuth);
  s.Add("tests/flows/checkout.yaml", R"(suite_name: Checkout
node_id: checkout
steps:
  - name: log in
    call: {test: ../helpers/auth.yaml, step: login, alias: session}
  - name: again, absolute
    call: {test: helpers/auth.yaml, step: "Log In", path_type: absolute}
  - name: scenario
    request: {method: GET, url: /get}
    scenarios:
      - condition: "status_code == `200`"
        then:
          steps:
            - name: nested
              call: {test: ../helpers/auth.yaml, step: logni}
  - name: hooked
    request: {method: GET, url: /get}
    hooks_post_request:
      - call: {test: ../helpers/missing.yaml, step: x}
)");
  const SuiteGraph g = s.Build();
  EXPECT_EQ(EdgeStrings(g), (std::vector<std::string>{
                                "s_checkout -> f_tests_helpers_missing_yaml [calls x]",
                                "s_checkout -> s_auth [calls Log In]",
                                "s_checkout -> s_auth [calls login as session]",
                                "s_checkout -> s_auth [calls logni] broken",
                            }))
      << Warnings(g);
  ASSERT_EQ(g.warnings.size(), 2u) << Warnings(g);
  EXPECT_EQ(g.warnings[0].message, "no step 'logni' in tests/helpers/auth.yaml");
  EXPECT_EQ(g.warnings[0].hint, "did you mean 'login'?");
  EXPECT_EQ(g.warnings[0].where->line, 15);
  EXPECT_NE(g.warnings[1].message.find("calls '../helpers/missing.yaml'"), std::string::npos);
  EXPECT_EQ(g.warnings[1].where->line, 19);
}

TEST(SuiteGraph, ATemplatedCallTargetIsNotFollowed) {
  Suites s;
  s.Add("tests/a.yaml", R"(suite_name: A
node_id: a
variables: {which: auth}
steps:
  - name: dynamic
    call: {test: "{{which}}.yaml", step: login}
)");
  const SuiteGraph g = s.Build();
  ASSERT_EQ(g.nodes.size(), 2u);
  EXPECT_EQ(g.nodes[0].id, "f___which___yaml");
  EXPECT_EQ(g.nodes[0].note, "a template: known only when the suite runs");
  ASSERT_EQ(g.warnings.size(), 1u);
  EXPECT_NE(g.warnings[0].message.find("is a template"), std::string::npos);
}

TEST(SuiteGraph, ReadingExportsGivesOneEdgePerExporterListingTheVariables) {
  Suites s;
  s.Add("tests/auth.yaml", kAuth);
  s.Add("tests/orders.yaml", R"(suite_name: Orders
node_id: orders
steps:
  - name: list
    request:
      method: GET
      url: "/users/{{ auth.user_id }}/orders"
      headers: {Authorization: "Bearer {{auth.token}}"}
    skip: "auth.refresh == null"
    assert:
      body:
        json.a: "{{$js: auth.token.length > 3}}"
  - name: "mentions auth.token only as text"
    request: {method: GET, url: /get}
)");
  const SuiteGraph g = s.Build();
  EXPECT_EQ(EdgeStrings(g),
            (std::vector<std::string>{"s_orders -> s_auth [reads refresh, token, user_id]"}));
  EXPECT_EQ(g.edges[0].kind, GraphEdgeKind::kReads);
  EXPECT_TRUE(g.warnings.empty()) << Warnings(g);
}

TEST(SuiteGraph, LocalNamesShadowExportsAndUnknownExportsWarn) {
  Suites s;
  s.Add("tests/auth.yaml", kAuth);
  s.Add("tests/orders.yaml", R"(suite_name: Orders
node_id: orders
variables:
  auth: {token: local}
steps:
  - name: own
    request: {method: GET, url: "/{{auth.token}}"}
)");
  s.Add("tests/report.yaml", R"(suite_name: Report
node_id: report
steps:
  - name: typo
    request: {method: GET, url: "/{{auth.tokn}}/{{auth.tokn}}"}
)");
  const SuiteGraph g = s.Build();
  EXPECT_TRUE(g.edges.empty()) << EdgeStrings(g).front();
  ASSERT_EQ(g.warnings.size(), 1u) << Warnings(g);
  EXPECT_EQ(g.warnings[0].message, "'auth.tokn' is read, but suite 'auth' does not export 'tokn'");
  EXPECT_EQ(g.warnings[0].hint, "did you mean 'token'?");
  EXPECT_EQ(g.warnings[0].where->file, "tests/report.yaml");
  EXPECT_EQ(g.warnings[0].where->line, 5);
}

TEST(SuiteGraph, UnloadedSuitesStandInForTheirNodeIdOrFile) {
  Suites s;
  s.input.unloaded.push_back(
      {.file = "tests/broken.yaml", .node_id = "broken", .suite_name = "Broken"});
  s.input.unloaded.push_back({.file = "tests/garbage.yaml"});
  s.Add("tests/a.yaml", R"(suite_name: A
node_id: a
depends: [{node_id: broken}]
steps:
  - name: c
    call: {test: garbage.yaml, step: x}
)");
  const SuiteGraph g = s.Build();
  const GraphNode* broken = FindNode(g, "s_broken");
  ASSERT_NE(broken, nullptr);
  EXPECT_EQ(broken->kind, GraphNodeKind::kUnloaded);
  EXPECT_EQ(broken->note, "failed to load");
  const GraphNode* garbage = FindNode(g, "f_tests_garbage_yaml");
  ASSERT_NE(garbage, nullptr);
  EXPECT_EQ(garbage->kind, GraphNodeKind::kUnloaded);
  EXPECT_EQ(EdgeStrings(g), (std::vector<std::string>{"s_a -> f_tests_garbage_yaml [calls x]",
                                                      "s_a -> s_broken [depends]"}));
  EXPECT_TRUE(g.warnings.empty()) << Warnings(g);  // the load errors are reported already
}

TEST(SuiteGraph, IdsAreSafeAndUniqueWhenNamesCollide) {
  Suites s;
  s.Add("tests/a.yaml",
        "suite_name: A\nnode_id: a-b\nsteps: [{name: a, request: {method: GET, url: /get}}]\n");
  s.Add("tests/b.yaml",
        "suite_name: B\nnode_id: a_b\nsteps: [{name: a, request: {method: GET, url: /get}}]\n");
  s.Add("tests/c.yaml",
        "suite_name: C\nnode_id: ação\nsteps: [{name: a, request: {method: GET, url: /get}}]\n");
  const SuiteGraph g = s.Build();
  std::vector<std::string> ids;
  for (const GraphNode& n : g.nodes) ids.push_back(n.id);
  EXPECT_EQ(ids, (std::vector<std::string>{"s_a____o", "s_a_b", "s_a_b_2"}));
  EXPECT_EQ(FindNode(g, "s_a_b")->node_id, "a-b");  // '-' sorts before '_'
  EXPECT_EQ(FindNode(g, "s_a_b_2")->node_id, "a_b");
}

TEST(SuiteGraph, TheSameSuitesInAnyOrderGiveTheSameGraph) {
  const std::vector<std::pair<std::string, std::string>> files = {
      {"tests/auth.yaml", kAuth},
      {"tests/orders.yaml",
       "suite_name: Orders\nnode_id: orders\ndepends: [{node_id: auth}, {node_id: zzz}]\nsteps:\n"
       "  - {name: a, request: {method: GET, url: \"/{{auth.token}}\"}}\n"
       "  - {name: b, call: {test: auth.yaml, step: login}}\n"},
      {"tests/pay.yaml",
       "suite_name: Pay\nnode_id: pay\ndepends: [{node_id: orders, required: true}]\nsteps:\n"
       "  - {name: a, request: {method: GET, url: \"/{{auth.user_id}}\"}}\n"},
  };
  Suites forward;
  for (const auto& [file, text] : files) forward.Add(file, text);
  Suites backward;
  for (auto it = files.rbegin(); it != files.rend(); ++it) backward.Add(it->first, it->second);
  const SuiteGraph a = forward.Build();
  const SuiteGraph b = backward.Build();
  EXPECT_EQ(a.nodes, b.nodes);
  EXPECT_EQ(a.edges, b.edges);
  EXPECT_EQ(a.edges.size(), 6u);
}

TEST(SuiteGraph, ReferencedFilesAreResolvedLikeTheRunnerDoes) {
  Suites s;
  const Suite* suite = s.Add("tests/flows/a.yaml", R"(suite_name: A
node_id: a
depends: [{path: ../setup.yaml}, {node_id: x}, {path: common/seed.yaml, path_type: absolute}]
steps:
  - {name: c, call: {test: ./helpers/h.yaml, step: s}}
  - {name: d, call: {test: "{{x}}.yaml", step: s}}
  - {name: e, call: {test: ./helpers/h.yaml, step: t}}
)");
  ASSERT_NE(suite, nullptr);
  EXPECT_EQ(ReferencedSuiteFiles(*suite, "tests"),
            (std::vector<std::string>{"tests/common/seed.yaml", "tests/flows/helpers/h.yaml",
                                      "tests/setup.yaml"}));
}

}  // namespace
}  // namespace flow::core
