// Names the converters make up: node ids, file names and variable names from free text, kept
// unique within one conversion. Pure, thread-compatible (a NameSet belongs to one caller).
#pragma once

#include <set>
#include <string>
#include <string_view>

namespace flow::core::convert {

// Lower-case letters, digits and '_' ("Pet Store!" -> "pet_store"); a name starting with a
// digit gets `fallback` + "_" in front; empty text gives `fallback`. Usable as a node_id (and so
// inside "{{node_id.var}}", where '-' would read as a JavaScript minus).
std::string Slug(std::string_view text, std::string_view fallback = "suite");

// A JavaScript identifier usable as a {{variable}}: letters, digits and '_' kept as written
// (case too), every other run of characters becomes '_' ("pet-id" -> "pet_id", "api.key" ->
// "api_key"); a leading digit gets "_" in front; empty text gives `fallback`.
std::string Identifier(std::string_view text, std::string_view fallback = "value");

// Whether `text` is already such an identifier (so no renaming is needed).
bool IsIdentifier(std::string_view text);

// Hands out names that were not handed out before: "pets", then "pets_2", "pets_3", ...
class NameSet {
 public:
  std::string Claim(const std::string& wanted, std::string_view separator = "_");
  bool Contains(const std::string& name) const { return taken_.count(name) != 0; }
  void Reserve(const std::string& name) { taken_.insert(name); }

 private:
  std::set<std::string> taken_;
};

}  // namespace flow::core::convert
