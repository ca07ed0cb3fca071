// SuiteGraph: the suites of a project and how they use each other, for `flowtest graph`.
// Pure: built from loaded suites (no files are read) and rendered by graph_render.hpp. A plain
// value, sorted, so the same suites always give the same graph.
//
// Every arrow points from a suite to what it uses:
//   - kRequires / kDepends: a `depends` entry (with `required: true` / without), to the suite of
//     that node_id or file;
//   - kCalls: a `call` (of a step, or of a hook action) to the suite file it calls, labelled with
//     the called step ("calls login", "calls login as auth");
//   - kReads: the suite reads another suite's exports (`{{auth.token}}`), labelled with the
//     variables read ("reads token, user_id").
// A reference that leads nowhere gets a node of its own (kMissing: a node_id no suite has, a file
// that is not a suite; kUnloaded: a file that failed to load) and a warning with the place of the
// reference.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/model/suite.hpp"

namespace flow::core {

enum class GraphNodeKind { kSuite, kUnloaded, kMissing };

struct GraphNode {
  std::string id;  // unique, [A-Za-z0-9_] only: "s_<node_id>" or "f_<file>" made safe
  GraphNodeKind kind = GraphNodeKind::kSuite;
  std::string node_id;               // "" for a node known only by its file
  std::string suite_name;            // kSuite; kUnloaded when its file still says
  std::string priority;              // kSuite
  std::string file;                  // the suite's file, or the file referred to
  std::vector<std::string> exports;  // as declared; optional ones end in '?'
  std::string note;                  // kUnloaded / kMissing: why ("no suite has this node_id", ...)

  bool operator==(const GraphNode&) const = default;
};

enum class GraphEdgeKind { kRequires, kDepends, kCalls, kReads };

struct GraphEdge {
  std::string from;  // GraphNode::id
  std::string to;
  GraphEdgeKind kind = GraphEdgeKind::kDepends;
  std::string label;
  bool broken = false;  // kCalls of a step the called suite does not have

  bool operator==(const GraphEdge&) const = default;
};

struct SuiteGraph {
  std::vector<GraphNode> nodes;  // sorted by id
  std::vector<GraphEdge> edges;  // sorted by (from, to, kind, label), no duplicates
  std::vector<Error> warnings;   // dangling references, each `where` in the referring suite
};

// A suite file that could not be loaded, with what could still be read of it.
struct UnloadedSuite {
  std::string file;
  std::string node_id;     // "" when unknown
  std::string suite_name;  // "" when unknown
};

struct GraphInput {
  std::vector<const Suite*> suites;  // node_ids are unique among them
  std::vector<UnloadedSuite> unloaded;
  std::string test_directory;  // where `path_type: absolute` paths start
  // Two spellings of one file give the same key (the CLI passes an absolute, lexically normal
  // form); null: NormalizePath.
  std::function<std::string(const std::string&)> file_key;
};

SuiteGraph BuildSuiteGraph(const GraphInput& input);

// The files `suite` names in `call`s and `depends` paths (resolved like the runner and the
// planner do), for loading suites the discovery did not find. Templated paths are left out.
std::vector<std::string> ReferencedSuiteFiles(const Suite& suite,
                                              const std::string& test_directory);

}  // namespace flow::core
