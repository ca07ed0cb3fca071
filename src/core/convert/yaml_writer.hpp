// WriteYaml: a Value as block-style YAML text that flowtest's loader reads back as the same Value
// (with the key order kept), for the suites the converters write. Pure, thread-safe.
//
// Strings are plain only when plain YAML would give them back unchanged (no typing surprises such
// as `yes`, `1.0`, `null`, no indicators, never `{{`); otherwise double-quoted with escapes, or
// a literal block (`|`) for readable multi-line text. Comments can be placed before any mapping
// entry or list item, addressed by the JSON pointer of that entry.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/value.hpp"

namespace flow::core::convert {

struct YamlWriteOptions {
  std::vector<std::string> header;  // comment lines at the top of the file (without "# ")
  // JSON pointer of an entry ("/steps/2", "/variables/token") -> comment lines written before it.
  std::map<std::string, std::vector<std::string>> comments;
};

std::string WriteYaml(const Value& value, const YamlWriteOptions& options = {});

// A string as a YAML scalar on one line: plain when that is safe, else double-quoted.
std::string YamlScalar(const std::string& text);

}  // namespace flow::core::convert
