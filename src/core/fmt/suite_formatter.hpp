// `flowtest fmt`: a suite (or config) file rewritten canonically, meaning unchanged.
//
// YAML: keys of every mapping the registry knows in its canonical order (schema/format.cpp; keys
// it does not know stay after the known ones, in their order), 2-space indentation, block style
// (a collection written in flow style stays so when it holds only scalars and fits on its line
// in 100 columns; empty ones are always `{}` / `[]`), strings plain when that is safe and in
// double quotes otherwise (always when they hold `{{`), multi-line strings as `|` literal blocks.
// Comments are kept: full-line comments travel with the key (or list item) after them, a
// trailing comment stays on its key's line, comments at the top and the end stay there. A
// comment that cannot be kept safely (inside a flow collection, between a key and a scalar value
// on a later line, after a multi-line scalar) makes the file refused, as do anchors, aliases and
// merge keys (expanding them would duplicate what the author shared).
//
// JSON files are rewritten as JSON: 2-space indentation, canonical key order.
//
// Every result is parsed again and compared with the original document: a difference (a bug)
// refuses the file rather than change its meaning. Pure functions, thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "core/result.hpp"

namespace flow::core {

enum class FormatRoot {
  kSuite,   // a suite file
  kConfig,  // flow-test.config.yml
};

// The formatted text of `text` (named `file` in errors; `.json` files are JSON). A refusal is a
// kInvalidArgument Error located in the file, with reason "fmt-refused" (or the loader's reason
// when the file does not parse).
Result<std::string> FormatSuiteText(std::string_view text, const std::string& file,
                                    FormatRoot root = FormatRoot::kSuite);

}  // namespace flow::core
