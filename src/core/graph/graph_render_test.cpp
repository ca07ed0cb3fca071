#include "core/graph/graph_render.hpp"

#include <gtest/gtest.h>

#include <string>

namespace flow::core {
namespace {

SuiteGraph Sample() {
  SuiteGraph g;
  g.nodes.push_back({.id = "f_tests_gone_yaml",
                     .kind = GraphNodeKind::kMissing,
                     .file = "tests/gone.yaml",
                     .note = "no suite is this file"});
  g.nodes.push_back({.id = "s_auth",
                     .kind = GraphNodeKind::kSuite,
                     .node_id = "auth",
                     .suite_name = "Login",
                     .priority = "critical",
                     .file = "tests/auth.yaml",
                     .exports = {"token", "refresh?"}});
  g.nodes.push_back({.id = "s_orders",
                     .kind = GraphNodeKind::kSuite,
                     .node_id = "orders",
                     .suite_name = "Orders",
                     .priority = "medium",
                     .file = "tests/orders.yaml"});
  g.edges.push_back({.from = "s_orders",
                     .to = "f_tests_gone_yaml",
                     .kind = GraphEdgeKind::kCalls,
                     .label = "calls x"});
  g.edges.push_back(
      {.from = "s_orders", .to = "s_auth", .kind = GraphEdgeKind::kRequires, .label = "requires"});
  g.edges.push_back({.from = "s_orders",
                     .to = "s_auth",
                     .kind = GraphEdgeKind::kCalls,
                     .label = "calls nope",
                     .broken = true});
  g.edges.push_back(
      {.from = "s_orders", .to = "s_auth", .kind = GraphEdgeKind::kReads, .label = "reads token"});
  return g;
}

TEST(GraphRender, MermaidFlowchart) {
  EXPECT_EQ(RenderMermaid(Sample()),
            "flowchart LR\n"
            "  %% flowtest graph: 2 suites, 4 edges; an arrow points from a suite to what it uses\n"
            "  f_tests_gone_yaml[\"tests/gone.yaml<br/>missing: no suite is this file\"]\n"
            "  s_auth[\"Login<br/>auth · critical<br/>exports: token, refresh?\"]\n"
            "  s_orders[\"Orders<br/>orders · medium\"]\n"
            "  s_orders -.->|\"calls x\"| f_tests_gone_yaml\n"
            "  s_orders ==>|\"requires\"| s_auth\n"
            "  s_orders -.->|\"calls nope\"| s_auth\n"
            "  s_orders -->|\"reads token\"| s_auth\n"
            "  classDef missing stroke:#d73a49,stroke-dasharray:5 5,color:#d73a49\n"
            "  class f_tests_gone_yaml missing\n"
            "  linkStyle 3 stroke:#1f6feb,color:#1f6feb\n"
            "  linkStyle 2 stroke:#d73a49,color:#d73a49\n");
}

TEST(GraphRender, DotDigraph) {
  EXPECT_EQ(RenderDot(Sample()),
            "// flowtest graph: 2 suites, 4 edges; an arrow points from a suite to what it uses\n"
            "digraph flowtest {\n"
            "  rankdir=LR;\n"
            "  node [shape=box, style=rounded, fontname=\"Helvetica\"];\n"
            "  edge [fontname=\"Helvetica\", fontsize=10];\n"
            "  \"f_tests_gone_yaml\" [label=\"tests/gone.yaml\\nmissing: no suite is this file\", "
            "tooltip=\"tests/gone.yaml\", style=\"rounded,dashed\", color=\"#d73a49\", "
            "fontcolor=\"#d73a49\"];\n"
            "  \"s_auth\" [label=\"Login\\nauth · critical\\nexports: token, refresh?\", "
            "tooltip=\"tests/auth.yaml\"];\n"
            "  \"s_orders\" [label=\"Orders\\norders · medium\", tooltip=\"tests/orders.yaml\"];\n"
            "  \"s_orders\" -> \"f_tests_gone_yaml\" [label=\"calls x\", style=dashed];\n"
            "  \"s_orders\" -> \"s_auth\" [label=\"requires\", style=bold];\n"
            "  \"s_orders\" -> \"s_auth\" [label=\"calls nope\", style=dashed, color=\"#d73a49\", "
            "fontcolor=\"#d73a49\"];\n"
            "  \"s_orders\" -> \"s_auth\" [label=\"reads token\", style=dotted, color=\"#1f6feb\", "
            "fontcolor=\"#1f6feb\"];\n"
            "}\n");
}

TEST(GraphRender, MermaidEscapesEverythingThatEndsOrChangesALabel) {
  EXPECT_EQ(EscapeMermaid("say \"hi\" [x] (y) {z}"), "say #34;hi#34; [x] (y) {z}");
  EXPECT_EQ(EscapeMermaid("a#b;c"), "a#35;b#59;c");
  EXPECT_EQ(EscapeMermaid("<b>&</b>"), "#60;b#62;#38;#60;/b#62;");
  EXPECT_EQ(EscapeMermaid("a|b`c\\d"), "a#124;b#96;c#92;d");
  EXPECT_EQ(EscapeMermaid("line\none\ttab"), "line one tab");
  EXPECT_EQ(EscapeMermaid("Pedidos – ação ✓"), "Pedidos – ação ✓");
}

TEST(GraphRender, DotEscapesQuotesBackslashesAndControlCharacters) {
  EXPECT_EQ(EscapeDot("say \"hi\""), "say \\\"hi\\\"");
  EXPECT_EQ(EscapeDot("C:\\dir\\n"), "C:\\\\dir\\\\n");  // never a DOT \n or \l escape
  EXPECT_EQ(EscapeDot("a\nb\rc"), "a b c");
  EXPECT_EQ(EscapeDot("[x] {y} <z> ação"), "[x] {y} <z> ação");
}

TEST(GraphRender, HostileNamesStayInsideTheirLabels) {
  SuiteGraph g;
  g.nodes.push_back({.id = "s_x",
                     .kind = GraphNodeKind::kSuite,
                     .node_id = "x",
                     .suite_name = "\"] --> s_evil[\"pwned",
                     .priority = "low"});
  const std::string mermaid = RenderMermaid(g);
  EXPECT_EQ(mermaid.find("-->"), std::string::npos) << mermaid;
  EXPECT_NE(mermaid.find("s_x[\"#34;] --#62; s_evil[#34;pwned<br/>x · low\"]"), std::string::npos)
      << mermaid;
  g.nodes[0].suite_name = "\"]; evil [label=\"x";
  const std::string dot = RenderDot(g);
  EXPECT_NE(dot.find("[label=\"\\\"]; evil [label=\\\"x\\nx · low\"]"), std::string::npos) << dot;
}

TEST(GraphRender, UnloadedNodesSayWhichFileFailed) {
  SuiteGraph g;
  g.nodes.push_back({.id = "s_b",
                     .kind = GraphNodeKind::kUnloaded,
                     .node_id = "b",
                     .suite_name = "B",
                     .file = "tests/b.yaml",
                     .note = "failed to load"});
  EXPECT_NE(RenderMermaid(g).find("s_b[\"B<br/>b<br/>tests/b.yaml: failed to load\"]"),
            std::string::npos);
  EXPECT_NE(RenderMermaid(g).find("class s_b missing"), std::string::npos);
}

TEST(GraphRender, AnEmptyGraphIsStillADiagram) {
  EXPECT_EQ(
      RenderMermaid({}),
      "flowchart LR\n"
      "  %% flowtest graph: 0 suites, 0 edges; an arrow points from a suite to what it uses\n");
  EXPECT_NE(RenderDot({}).find("digraph flowtest {"), std::string::npos);
}

}  // namespace
}  // namespace flow::core
