// Document: a YAML or JSON file loaded into a Value, with the place of every node in the file.
// Plain value; produced by ParseDocument, read by validation and the suite/config builders.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/error.hpp"
#include "core/result.hpp"
#include "core/value.hpp"

namespace flow::core {

struct Document {
  std::string file;  // as given by the caller (used in every SourceSpan)
  std::string text;  // the whole file, for diagnostics excerpts
  Value root;
  // JSON pointer (RFC 6901; "" is the root, "/steps/0/request/url") -> where the node's value
  // starts, and (for members of a mapping) where its key starts. Spans are 1-based and carry
  // the length of the key or scalar so diagnostics can underline it.
  std::unordered_map<std::string, SourceSpan> value_spans;
  std::unordered_map<std::string, SourceSpan> key_spans;

  // The span of `pointer`, or of its nearest ancestor that has one, or {file, 0, 0}.
  SourceSpan WhereValue(std::string_view pointer) const;
  // The span of the key of `pointer`, falling back to WhereValue.
  SourceSpan WhereKey(std::string_view pointer) const;
};

// Limits that keep any input from exhausting the stack or memory; beyond them loading fails with
// an Error (reason "too-deep" or "too-large").
inline constexpr int kMaxDocumentDepth = 200;                       // nested mappings and lists
inline constexpr std::size_t kMaxDocumentNodes = 1'000'000;         // after expanding aliases
inline constexpr std::size_t kMaxDocumentBytes = 64 * 1024 * 1024;  // 64 MiB of text

// Loads one YAML document (JSON files too: `.json` files are read as JSON, strictly). Errors are
// kInvalidArgument with `where` set: YAML syntax errors, duplicate keys (naming both places),
// non-scalar keys, an unquoted `{{x}}` that YAML read as a mapping, several documents in one file.
// Never throws, never crashes, on any input.
//
// Details: a leading UTF-8 byte order mark is dropped (`text` of the Document is without it);
// columns and lengths count bytes; an empty file (or one with only comments or whitespace, JSON
// too) gives a null root. YAML scalars are typed as js-yaml 4 does (see yaml_scalar.hpp; .inf and
// .nan become strings), `<<` merge keys are expanded, aliases are copied, and mapping keys are
// strings: the key's text as written (a null key is "null"). Errors carry a stable `reason`:
// "syntax", "encoding", "duplicate-key", "non-scalar-key", "unquoted-template", "bad-merge",
// "bad-tag", "alias-cycle", "multiple-documents", "too-deep", "too-large".
Result<Document> ParseDocument(std::string_view text, std::string file);

}  // namespace flow::core
