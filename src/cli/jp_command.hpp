// `flowtest jp EXPRESSION [FILE]`: evaluates a JMESPath expression against a JSON document, like
// the `jp` tool, with our own JMESPath (so users can try the expressions their suites capture).
// Stateless; safe to call from several threads with different streams.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace flow::cli {

// `args` are the words after `jp`. Reads the JSON document from FILE, or from `in` when FILE is
// missing or "-"; prints the result to `out` as JSON (2-space indent, or one line with
// --compact/-c; a string result without quotes with --raw/-r) followed by a newline.
// Returns 0 on success, 1 when the expression fails or the input cannot be read or parsed (the
// message goes to `err`, "error: <kind>: <message>" for JMESPath errors), 2 on a usage error.
int RunJpCommand(const std::vector<std::string>& args, std::istream& in, std::ostream& out,
                 std::ostream& err);

// The usage text printed by -h/--help and after a usage error.
std::string JpUsage();

}  // namespace flow::cli
