// The parts of an OpenAPI / Swagger document the importer reads through: local `$ref`s (with
// cycle protection and the place of every node), and JSON Schemas turned into example values and
// into the assertions a response schema makes safe. Internal to the OpenAPI importer; pure, one
// instance per import (not thread-safe: it collects warnings).
#pragma once

#include <deque>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/parse/document.hpp"
#include "core/result.hpp"
#include "core/value.hpp"

namespace flow::core::convert {

// A node of the document and its JSON pointer there (for locations), or a node made up by the
// reader (an allOf merge, an unresolvable external $ref) whose pointer is that of its origin.
struct SpecNode {
  const Value* value = nullptr;
  std::string pointer;
  bool IsObject() const { return value != nullptr && value->is_object(); }
  // The member `key` of an object node (nullptr value when absent).
  SpecNode Member(std::string_view key) const;
  SpecNode Item(std::size_t index) const;
};

class SpecReader {
 public:
  explicit SpecReader(const Document& document);

  SpecNode Root() const { return SpecNode{&document_.root, ""}; }
  SourceSpan Where(const std::string& pointer) const { return document_.WhereValue(pointer); }

  // Follows `$ref` chains to the node they name. A local ref ("#/components/schemas/Pet") that
  // names nothing, or a chain that loops, is an error at the `$ref`; an external ref
  // ("other.yaml#/Pet", "https://...") gives a warning (once per ref) and an empty object.
  Result<SpecNode> Resolve(const SpecNode& node);

  // Purpose of a generated value: request data leaves out readOnly properties.
  struct SampleOptions {
    bool request = true;
  };
  // An example value for a schema: its example, default, const or first enum value, else one
  // built from its type: faker templates for strings by format or by `name` ("email",
  // "firstName"), numbers inside their bounds, one item per array, every property of an object.
  // Recursion through a $ref already being expanded stops (the property is left out).
  Result<Value> Sample(const SpecNode& schema, std::string_view name, SampleOptions options);

  // The assertions on a response body that `schema` makes safe: the top-level `type` of an
  // object or array, and the `type` of each required top-level property whose type is declared,
  // single and not nullable. Returns null when the schema says nothing certain.
  Result<Value> BodyChecks(const SpecNode& schema);

  // Whether an object schema (after $refs and allOf) declares a top-level property `name`.
  Result<bool> HasProperty(const SpecNode& schema, std::string_view name);

  // Whether a schema is a binary string (format binary, or the Swagger 2 type file): a file.
  Result<bool> IsBinary(const SpecNode& schema);

  // A schema with its $refs followed and an allOf merged into one object schema.
  Result<SpecNode> Flatten(const SpecNode& schema, int depth = 0);

  void Warn(std::string message, const std::string& pointer, std::string hint = {});
  std::vector<Error>& warnings() { return warnings_; }

 private:
  Result<std::optional<Value>> SampleNode(const SpecNode& schema, std::string_view name,
                                          SampleOptions options, int depth);
  std::optional<Value> SampleString(const Value& schema, std::string_view name,
                                    const std::string& pointer);
  static Value SampleNumber(const Value& schema, bool integer);
  // The first type of a schema that is not "null", inferred from its keywords when absent.
  static std::string TypeOf(const Value& schema);

  const Document& document_;
  std::vector<Error> warnings_;
  std::set<std::string> warned_;        // one warning per place and message
  std::vector<std::string> expanding_;  // $ref targets being sampled (cycle protection)
  std::deque<Value> made_;              // nodes made up by the reader (stable addresses)
  int sample_budget_ = 0;               // values Sample may still generate
};

// A JSON pointer ("/components/schemas/Pet") from a $ref fragment ("#/components/schemas/Pet"),
// percent-decoded; nullopt when the fragment is not a pointer.
std::optional<std::string> RefPointer(std::string_view ref);

}  // namespace flow::core::convert
