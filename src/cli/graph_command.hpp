// `flowtest graph [PATH...]`: the suites (found and loaded as `run` does, plus the files their
// `call`s and `depends` paths name) drawn as a Mermaid flowchart or a Graphviz digraph
// (core/graph). Dangling references are drawn and warned about on stderr; suites that fail to
// load are reported compiler-style and make the exit status 1, after the graph of the others.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace flow::cli {

// Exit status: 0 the graph of every suite, 1 a suite could not be loaded or none was found,
// 2 usage or configuration error, or the output file cannot be written.
int RunGraphCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace flow::cli
