#include "core/graph/suite_graph.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>
#include <utility>

#include "core/util/path.hpp"
#include "core/util/strings.hpp"
#include "core/value.hpp"

namespace flow::core {
namespace {

// A `call` found in a suite: a call step (also inside scenarios) or a hook's call action.
struct CallRef {
  std::string test;  // as written
  std::string step;
  std::string alias;
  bool absolute = false;  // path_type: absolute
  std::string pointer;    // of the `call` mapping
};

std::string StringAt(const Value& object, const char* key) {
  if (!object.is_object()) return {};
  const auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

void CollectCalls(const Suite& suite, const StepSpec& step, std::vector<CallRef>& out) {
  if (step.call) {
    const Value* call = ResolvePointer(suite.document.root, step.call->pointer);
    out.push_back(CallRef{.test = call ? StringAt(*call, "test") : std::string(),
                          .step = step.call->step,
                          .alias = step.call->alias,
                          .absolute = step.call->path_type == "absolute",
                          .pointer = step.call->pointer});
  }
  for (const std::string& pointer : step.hook_pointers) {
    if (pointer.empty()) continue;
    const Value* actions = ResolvePointer(suite.document.root, pointer);
    if (actions == nullptr || !actions->is_array()) continue;
    for (std::size_t i = 0; i < actions->size(); ++i) {
      const Value& action = (*actions)[i];
      if (!action.is_object() || !action.contains("call") || !action["call"].is_object()) continue;
      const Value& call = action["call"];
      const std::string test = StringAt(call, "test");
      if (test.empty()) continue;
      out.push_back(CallRef{.test = test,
                            .step = StringAt(call, "step"),
                            .alias = StringAt(call, "alias"),
                            .absolute = StringAt(call, "path_type") == "absolute",
                            .pointer = JoinPointer(JoinPointer(pointer, i), "call")});
    }
  }
  for (const ScenarioSpec& scenario : step.scenarios) {
    for (const auto& branch : {scenario.then_branch, scenario.else_branch}) {
      if (!branch) continue;
      for (const StepSpec& nested : branch->steps) CollectCalls(suite, nested, out);
    }
  }
}

std::vector<CallRef> SuiteCalls(const Suite& suite) {
  std::vector<CallRef> out;
  for (const StepSpec& step : suite.steps) CollectCalls(suite, step, out);
  return out;
}

bool IsTemplate(std::string_view text) { return text.find("{{") != std::string_view::npos; }

// Where a call's file is, as the runner resolves it.
std::string ResolveCall(const Suite& suite, const CallRef& call,
                        const std::string& test_directory) {
  const std::string target(Trim(call.test));
  if (StartsWith(target, "/")) return NormalizePath(target);
  return call.absolute ? JoinPath(test_directory, target) : JoinPath(DirName(suite.file), target);
}

// Where a `depends: [{path}]` is, as the planner resolves it.
std::string ResolveDependency(const Suite& suite, const Dependency& dep,
                              const std::string& test_directory) {
  if (StartsWith(dep.path, "/")) return NormalizePath(dep.path);
  return dep.path_type == "absolute" ? JoinPath(test_directory, dep.path)
                                     : JoinPath(DirName(suite.file), dep.path);
}

bool IsNameChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$' || c == '-' ||
         static_cast<unsigned char>(c) >= 0x80;
}

// Every dotted chain "a.b[.c...]" in expression text, as its first two segments.
void ScanChains(std::string_view text, std::vector<std::pair<std::string, std::string>>& out) {
  std::size_t i = 0;
  while (i < text.size()) {
    if (!IsNameChar(text[i]) || (i > 0 && (IsNameChar(text[i - 1]) || text[i - 1] == '.'))) {
      ++i;
      continue;
    }
    std::size_t end = i;
    while (end < text.size() && IsNameChar(text[end])) ++end;
    if (end + 1 < text.size() && text[end] == '.' && IsNameChar(text[end + 1])) {
      std::size_t second_end = end + 1;
      while (second_end < text.size() && IsNameChar(text[second_end])) ++second_end;
      out.emplace_back(std::string(text.substr(i, end - i)),
                       std::string(text.substr(end + 1, second_end - end - 1)));
      i = second_end;
    } else {
      i = end;
    }
  }
}

// Keys whose whole string is an expression over the variables (conditions, iterate.over,
// scripts); everywhere else only the inside of {{ }} is.
bool IsExpressionKey(std::string_view key) {
  static const std::set<std::string_view> keys = {
      "skip",   "skip_condition", "condition",         "until",  "over",
      "script", "expression",     "custom_validation", "options"};
  return keys.count(key) != 0;
}

struct Reference {
  std::string node_id;
  std::string variable;
  std::string pointer;  // of the string it is in
};

void ScanValue(const Value& value, const std::string& pointer, std::string_view key,
               std::vector<Reference>& out) {
  if (value.is_object()) {
    for (auto it = value.begin(); it != value.end(); ++it) {
      ScanValue(it.value(), JoinPointer(pointer, it.key()), it.key(), out);
    }
  } else if (value.is_array()) {
    for (std::size_t i = 0; i < value.size(); ++i)
      ScanValue(value[i], JoinPointer(pointer, i), key, out);
  } else if (value.is_string()) {
    const std::string& text = value.get_ref<const std::string&>();
    std::vector<std::pair<std::string, std::string>> chains;
    if (IsExpressionKey(key)) {
      ScanChains(text, chains);
    } else {
      for (std::size_t open = text.find("{{"); open != std::string::npos;
           open = text.find("{{", open + 2)) {
        const std::size_t close = text.find("}}", open + 2);
        if (close == std::string::npos) break;
        ScanChains(std::string_view(text).substr(open + 2, close - open - 2), chains);
      }
    }
    for (auto& [first, second] : chains)
      out.push_back({std::move(first), std::move(second), pointer});
  }
}

// Names a suite defines itself (variables, captures, computed values, inputs, iteration items,
// call aliases): `{{name.x}}` then reads them, not another suite's exports.
void CollectLocalNames(const Value& value, std::set<std::string>& out) {
  if (value.is_array()) {
    for (const Value& item : value) CollectLocalNames(item, out);
    return;
  }
  if (!value.is_object()) return;
  for (auto it = value.begin(); it != value.end(); ++it) {
    const std::string& key = it.key();
    if ((key == "variables" || key == "capture" || key == "compute" || key == "computed") &&
        it.value().is_object()) {
      for (auto var = it.value().begin(); var != it.value().end(); ++var) out.insert(var.key());
    } else if ((key == "variable" || key == "as" || key == "alias") && it.value().is_string()) {
      out.insert(it.value().get<std::string>());
    }
    CollectLocalNames(it.value(), out);
  }
}

// Ids of the [A-Za-z0-9_] kind every renderer accepts; collisions get "_2", "_3", ... in key order.
std::string SafeId(std::string_view prefix, std::string_view key) {
  std::string id(prefix);
  for (const char c : key) {
    id += std::isalnum(static_cast<unsigned char>(c)) && static_cast<unsigned char>(c) < 0x80 ? c
                                                                                              : '_';
  }
  return id;
}

class GraphBuilder {
 public:
  explicit GraphBuilder(const GraphInput& input) : input_(input) {}

  SuiteGraph Build() {
    for (const Suite* suite : input_.suites) {
      Node& node = AddNode(false, suite->node_id);
      node.node.kind = GraphNodeKind::kSuite;
      node.node.node_id = suite->node_id;
      node.node.suite_name = suite->suite_name;
      node.node.priority = suite->priority;
      node.node.file = suite->file;
      node.node.exports = suite->exports;
      for (const std::string& e : suite->exports_optional) node.node.exports.push_back(e + "?");
      by_file_[Key(suite->file)] = node.key;
      suites_by_id_[suite->node_id] = suite;
    }
    for (const UnloadedSuite& u : input_.unloaded) {
      const bool by_node = !u.node_id.empty() && nodes_.count({false, u.node_id}) == 0;
      Node& node = AddNode(!by_node, by_node ? u.node_id : u.file);
      node.node.kind = GraphNodeKind::kUnloaded;
      node.node.node_id = by_node ? u.node_id : std::string();
      node.node.suite_name = u.suite_name;
      node.node.file = u.file;
      node.node.note = "failed to load";
      by_file_[Key(u.file)] = node.key;
    }
    for (const Suite* suite : input_.suites) {
      AddDependencies(*suite);
      AddCalls(*suite);
      AddReads(*suite);
    }
    return Finish();
  }

 private:
  using NodeKey = std::pair<bool, std::string>;  // (known by file, node_id or file)
  struct Node {
    NodeKey key;
    GraphNode node;
  };

  std::string Key(const std::string& file) const {
    return input_.file_key ? input_.file_key(file) : NormalizePath(file);
  }

  Node& AddNode(bool by_file, const std::string& name) {
    const NodeKey key{by_file, name};
    auto [it, inserted] = nodes_.try_emplace(key);
    if (inserted) it->second.key = key;
    return it->second;
  }

  // The node of a node_id, a missing one if no suite has it.
  NodeKey NodeOfId(const std::string& node_id) {
    const NodeKey key{false, node_id};
    if (nodes_.count(key) == 0) {
      Node& node = AddNode(false, node_id);
      node.node.kind = GraphNodeKind::kMissing;
      node.node.node_id = node_id;
      node.node.note = "no suite has this node_id";
    }
    return key;
  }

  // The node of a file, a missing one if it is no suite; `note` says why.
  NodeKey NodeOfFile(const std::string& file, const std::string& note) {
    if (const auto it = by_file_.find(Key(file)); it != by_file_.end()) return it->second;
    Node& node = AddNode(true, file);
    if (node.node.file.empty()) {
      node.node.kind = GraphNodeKind::kMissing;
      node.node.file = file;
      node.node.note = note;
    }
    by_file_[Key(file)] = node.key;
    return node.key;
  }

  const Suite* SuiteOf(const NodeKey& key) const {
    if (key.first) return nullptr;
    const auto it = suites_by_id_.find(key.second);
    return it == suites_by_id_.end() ? nullptr : it->second;
  }

  void Warn(const Suite& suite, const std::string& pointer, std::string message,
            std::string hint = {}) {
    Error w = NotFound(std::move(message), std::move(hint));
    w.where = suite.document.WhereValue(pointer);
    warnings_.push_back(std::move(w));
  }

  void AddEdge(const Suite& from, const NodeKey& to, GraphEdgeKind kind, std::string label,
               bool broken = false) {
    edges_.push_back({NodeKey{false, from.node_id}, to, kind, std::move(label), broken});
  }

  void AddDependencies(const Suite& suite) {
    std::map<NodeKey, bool> required;  // one edge per target; required if any entry is
    for (std::size_t i = 0; i < suite.depends.size(); ++i) {
      const Dependency& dep = suite.depends[i];
      const std::string pointer = "/depends/" + std::to_string(i);
      NodeKey target;
      if (!dep.node_id.empty()) {
        target = NodeOfId(dep.node_id);
        if (nodes_.at(target).node.kind == GraphNodeKind::kMissing) {
          std::vector<std::string> ids;
          for (const Suite* s : input_.suites) ids.push_back(s->node_id);
          Warn(suite, pointer + "/node_id",
               "suite '" + suite.node_id + "' depends on '" + dep.node_id + "', which no suite has",
               DidYouMean(dep.node_id, ids));
        }
      } else if (!dep.path.empty()) {
        const std::string file = ResolveDependency(suite, dep, input_.test_directory);
        target = NodeOfFile(file, "no suite is this file");
        if (nodes_.at(target).node.kind == GraphNodeKind::kMissing) {
          Warn(suite, pointer + "/path",
               "suite '" + suite.node_id + "' depends on '" + dep.path + "' (" + file +
                   "), which is not a suite");
        }
      } else {
        continue;
      }
      required[target] = required[target] || dep.required;
    }
    for (const auto& [target, is_required] : required) {
      AddEdge(suite, target, is_required ? GraphEdgeKind::kRequires : GraphEdgeKind::kDepends,
              is_required ? "requires" : "depends");
    }
  }

  void AddCalls(const Suite& suite) {
    for (const CallRef& call : SuiteCalls(suite)) {
      std::string label = "calls " + call.step;
      if (!call.alias.empty()) label += " as " + call.alias;
      if (IsTemplate(call.test)) {
        const NodeKey target = NodeOfFile(call.test, "a template: known only when the suite runs");
        Warn(suite, call.pointer + "/test",
             "the file of this call is a template ('" + call.test + "'); it is not followed");
        AddEdge(suite, target, GraphEdgeKind::kCalls, std::move(label));
        continue;
      }
      const std::string file = ResolveCall(suite, call, input_.test_directory);
      const NodeKey target = NodeOfFile(file, "no suite is this file");
      const Node& node = nodes_.at(target);
      bool broken = false;
      if (node.node.kind == GraphNodeKind::kMissing) {
        Warn(suite, call.pointer + "/test",
             "suite '" + suite.node_id + "' calls '" + call.test + "' (" + file +
                 "), which is not a suite");
      } else if (const Suite* callee = SuiteOf(target)) {
        if (FindCalledStep(*callee, call.step) == nullptr) {
          std::vector<std::string> names;
          for (const StepSpec& s : callee->steps)
            names.push_back(s.step_id.empty() ? s.name : s.step_id);
          Warn(suite, call.pointer + "/step", "no step '" + call.step + "' in " + callee->file,
               DidYouMean(call.step, names));
          broken = true;
        }
      }
      AddEdge(suite, target, GraphEdgeKind::kCalls, std::move(label), broken);
    }
  }

  void AddReads(const Suite& suite) {
    std::set<std::string> local;
    CollectLocalNames(suite.document.root, local);
    std::vector<Reference> refs;
    ScanValue(suite.document.root, "", "", refs);
    std::map<std::string, std::set<std::string>> read;  // exporter node_id -> variables
    std::set<std::pair<std::string, std::string>> warned;
    for (const Reference& ref : refs) {
      if (ref.node_id == suite.node_id || local.count(ref.node_id) != 0) continue;
      const Suite* exporter = SuiteOf(NodeKey{false, ref.node_id});
      if (exporter == nullptr) continue;
      std::vector<std::string> names = exporter->exports;
      names.insert(names.end(), exporter->exports_optional.begin(),
                   exporter->exports_optional.end());
      if (std::find(names.begin(), names.end(), ref.variable) != names.end()) {
        read[ref.node_id].insert(ref.variable);
      } else if (warned.insert({ref.node_id, ref.variable}).second) {
        Warn(suite, ref.pointer,
             "'" + ref.node_id + "." + ref.variable + "' is read, but suite '" + ref.node_id +
                 "' does not export '" + ref.variable + "'",
             names.empty() ? "it exports nothing: list the variable in its 'exports'"
                           : DidYouMean(ref.variable, names));
      }
    }
    for (const auto& [node_id, variables] : read) {
      std::string label = "reads ";
      for (const std::string& v : variables) label += (label.size() > 6 ? ", " : "") + v;
      AddEdge(suite, NodeKey{false, node_id}, GraphEdgeKind::kReads, std::move(label));
    }
  }

  SuiteGraph Finish() {
    SuiteGraph graph;
    std::set<std::string> used;
    std::map<NodeKey, std::string> ids;
    for (auto& [key, node] : nodes_) {  // in key order: node_ids, then files
      const std::string base = SafeId(key.first ? "f_" : "s_", key.second);
      std::string id = base;
      for (int n = 2; used.count(id) != 0; ++n) id = base + "_" + std::to_string(n);
      used.insert(id);
      node.node.id = id;
      ids[key] = id;
      graph.nodes.push_back(node.node);
    }
    std::sort(graph.nodes.begin(), graph.nodes.end(),
              [](const GraphNode& a, const GraphNode& b) { return a.id < b.id; });
    for (EdgeRef& e : edges_) {
      graph.edges.push_back({ids.at(e.from), ids.at(e.to), e.kind, std::move(e.label), e.broken});
    }
    const auto order = [](const GraphEdge& e) {
      return std::tie(e.from, e.to, e.kind, e.label, e.broken);
    };
    std::sort(graph.edges.begin(), graph.edges.end(),
              [&](const GraphEdge& a, const GraphEdge& b) { return order(a) < order(b); });
    graph.edges.erase(std::unique(graph.edges.begin(), graph.edges.end()), graph.edges.end());
    graph.warnings = std::move(warnings_);
    return graph;
  }

  struct EdgeRef {
    NodeKey from, to;
    GraphEdgeKind kind;
    std::string label;
    bool broken;
  };

  const GraphInput& input_;
  std::map<NodeKey, Node> nodes_;
  std::map<std::string, NodeKey> by_file_;  // Key(file) -> its node
  std::map<std::string, const Suite*> suites_by_id_;
  std::vector<EdgeRef> edges_;
  std::vector<Error> warnings_;
};

}  // namespace

SuiteGraph BuildSuiteGraph(const GraphInput& input) { return GraphBuilder(input).Build(); }

std::vector<std::string> ReferencedSuiteFiles(const Suite& suite,
                                              const std::string& test_directory) {
  std::vector<std::string> files;
  for (const Dependency& dep : suite.depends) {
    if (dep.node_id.empty() && !dep.path.empty()) {
      files.push_back(ResolveDependency(suite, dep, test_directory));
    }
  }
  for (const CallRef& call : SuiteCalls(suite)) {
    if (!IsTemplate(call.test)) files.push_back(ResolveCall(suite, call, test_directory));
  }
  std::sort(files.begin(), files.end());
  files.erase(std::unique(files.begin(), files.end()), files.end());
  return files;
}

}  // namespace flow::core
