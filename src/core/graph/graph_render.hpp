// Text renderings of a SuiteGraph: Mermaid (`flowchart LR`) and Graphviz DOT. Pure functions;
// the same graph always gives the same text, byte for byte, so the output can be committed and
// diffed.
//
// A suite node shows its suite_name, "node_id · priority" and its exports; a missing or unloaded
// node is drawn dashed in red with why. Edges: `requires` bold, `depends` plain, `calls` dashed,
// `reads` (exports) blue; a call of a step that does not exist is red. Names are escaped for each
// language (quotes, brackets, '#', '<', '&', backslashes, control characters); other Unicode is
// written as it is (UTF-8).
#pragma once

#include <string>
#include <string_view>

#include "core/graph/suite_graph.hpp"

namespace flow::core {

std::string RenderMermaid(const SuiteGraph& graph);
std::string RenderDot(const SuiteGraph& graph);

// Text made safe inside a double-quoted Mermaid label: '"', '#', '<', '>', '&', '|', '`' and
// the like as "#NN;" entity codes, control characters as spaces.
std::string EscapeMermaid(std::string_view text);
// Text made safe inside a double-quoted DOT string: '"' and '\' escaped, control characters
// as spaces.
std::string EscapeDot(std::string_view text);

}  // namespace flow::core
