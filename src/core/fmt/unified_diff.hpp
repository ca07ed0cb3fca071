// A unified diff of two texts, line by line, as `diff -u` prints it (3 lines of context). Pure.
#pragma once

#include <string>
#include <string_view>

namespace flow::core {

// "" when the texts are equal; otherwise "--- <from_name>\n+++ <to_name>\n@@ ... @@\n..." lines.
std::string UnifiedDiff(std::string_view from, std::string_view to, const std::string& from_name,
                        const std::string& to_name);

}  // namespace flow::core
