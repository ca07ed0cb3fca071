#include "core/graph/graph_render.hpp"

#include <string>
#include <vector>

namespace flow::core {
namespace {

constexpr const char* kMissingColor = "#d73a49";
constexpr const char* kReadsColor = "#1f6feb";

// The lines of a node's label, plain text (each renderer escapes and joins them).
std::vector<std::string> LabelLines(const GraphNode& node) {
  std::vector<std::string> lines;
  switch (node.kind) {
    case GraphNodeKind::kSuite:
      lines.push_back(node.suite_name);
      lines.push_back(node.node_id + " · " + node.priority);
      break;
    case GraphNodeKind::kUnloaded:
      lines.push_back(!node.suite_name.empty() ? node.suite_name
                      : !node.node_id.empty()  ? node.node_id
                                               : node.file);
      if (!node.node_id.empty()) lines.push_back(node.node_id);
      lines.push_back(node.file + ": " + node.note);
      break;
    case GraphNodeKind::kMissing:
      lines.push_back(!node.node_id.empty() ? node.node_id : node.file);
      lines.push_back("missing: " + node.note);
      break;
  }
  if (!node.exports.empty()) {
    std::string exports = "exports: ";
    for (std::size_t i = 0; i < node.exports.size(); ++i) {
      exports += (i ? ", " : "") + node.exports[i];
    }
    lines.push_back(std::move(exports));
  }
  return lines;
}

std::string Summary(const SuiteGraph& graph) {
  std::size_t suites = 0;
  for (const GraphNode& n : graph.nodes) suites += n.kind == GraphNodeKind::kSuite ? 1 : 0;
  return "flowtest graph: " + std::to_string(suites) + " suite" + (suites == 1 ? "" : "s") + ", " +
         std::to_string(graph.edges.size()) + " edge" + (graph.edges.size() == 1 ? "" : "s") +
         "; an arrow points from a suite to what it uses";
}

std::string Join(const std::vector<std::string>& items, const char* separator) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) out += (i ? separator : "") + items[i];
  return out;
}

}  // namespace

std::string EscapeMermaid(std::string_view text) {
  std::string out;
  for (const char c : text) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) {
      out += ' ';
    } else if (c == '"' || c == '#' || c == '<' || c == '>' || c == '&' || c == '|' || c == '`' ||
               c == '\\' || c == ';') {
      out += '#' + std::to_string(u) + ';';
    } else {
      out += c;
    }
  }
  return out;
}

std::string EscapeDot(std::string_view text) {
  std::string out;
  for (const char c : text) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) {
      out += ' ';
    } else if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else {
      out += c;
    }
  }
  return out;
}

std::string RenderMermaid(const SuiteGraph& graph) {
  std::string out = "flowchart LR\n";
  out += "  %% " + Summary(graph) + "\n";
  std::vector<std::string> dangling;  // missing and unloaded nodes
  for (const GraphNode& node : graph.nodes) {
    std::vector<std::string> lines = LabelLines(node);
    for (std::string& line : lines) line = EscapeMermaid(line);
    out += "  " + node.id + "[\"" + Join(lines, "<br/>") + "\"]\n";
    if (node.kind != GraphNodeKind::kSuite) dangling.push_back(node.id);
  }
  std::vector<std::string> reads;
  std::vector<std::string> broken;
  for (std::size_t i = 0; i < graph.edges.size(); ++i) {
    const GraphEdge& e = graph.edges[i];
    const char* arrow = "-->";
    if (e.kind == GraphEdgeKind::kRequires) arrow = "==>";
    if (e.kind == GraphEdgeKind::kCalls) arrow = "-.->";
    out += "  " + e.from + " " + arrow + "|\"" + EscapeMermaid(e.label) + "\"| " + e.to + "\n";
    if (e.kind == GraphEdgeKind::kReads) reads.push_back(std::to_string(i));
    if (e.broken) broken.push_back(std::to_string(i));
  }
  if (!dangling.empty()) {
    out += std::string("  classDef missing stroke:") + kMissingColor +
           ",stroke-dasharray:5 5,color:" + kMissingColor + "\n";
    out += "  class " + Join(dangling, ",") + " missing\n";
  }
  if (!reads.empty()) {
    out += "  linkStyle " + Join(reads, ",") + " stroke:" + kReadsColor + ",color:" + kReadsColor +
           "\n";
  }
  if (!broken.empty()) {
    out += "  linkStyle " + Join(broken, ",") + " stroke:" + kMissingColor +
           ",color:" + kMissingColor + "\n";
  }
  return out;
}

std::string RenderDot(const SuiteGraph& graph) {
  std::string out = "// " + Summary(graph) + "\n";
  out += "digraph flowtest {\n";
  out += "  rankdir=LR;\n";
  out += "  node [shape=box, style=rounded, fontname=\"Helvetica\"];\n";
  out += "  edge [fontname=\"Helvetica\", fontsize=10];\n";
  for (const GraphNode& node : graph.nodes) {
    std::vector<std::string> lines = LabelLines(node);
    for (std::string& line : lines) line = EscapeDot(line);
    out += "  \"" + node.id + "\" [label=\"" + Join(lines, "\\n") + "\"";
    if (!node.file.empty()) out += ", tooltip=\"" + EscapeDot(node.file) + "\"";
    if (node.kind != GraphNodeKind::kSuite) {
      out += std::string(", style=\"rounded,dashed\", color=\"") + kMissingColor +
             "\", fontcolor=\"" + kMissingColor + "\"";
    }
    out += "];\n";
  }
  for (const GraphEdge& e : graph.edges) {
    out += "  \"" + e.from + "\" -> \"" + e.to + "\" [label=\"" + EscapeDot(e.label) + "\"";
    switch (e.kind) {
      case GraphEdgeKind::kRequires:
        out += ", style=bold";
        break;
      case GraphEdgeKind::kDepends:
        break;
      case GraphEdgeKind::kCalls:
        out += ", style=dashed";
        break;
      case GraphEdgeKind::kReads:
        out += std::string(", style=dotted, color=\"") + kReadsColor + "\", fontcolor=\"" +
               kReadsColor + "\"";
        break;
    }
    if (e.broken)
      out += std::string(", color=\"") + kMissingColor + "\", fontcolor=\"" + kMissingColor + "\"";
    out += "];\n";
  }
  out += "}\n";
  return out;
}

}  // namespace flow::core
