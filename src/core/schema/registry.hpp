// The suite format (and the config file format), declared once: every kind of mapping a suite or
// `flow-test.config.yml` can hold, and for each of its keys the JSON types it accepts, its enum
// values and bounds, whether it is required, what it does (a line for editor hover) and whether
// it is supported, accepted without effect, and so on.
//
// The validators (model/suite.cpp, hooks/, input/, assert/, capture/, run/http_exchange.cpp,
// config/) take their key lists from here: unknown-key errors, "did you mean" candidates and the
// no-effect warnings. `flowtest schema` turns it into a JSON Schema (json_schema.hpp) and
// `flowtest fmt` orders keys by it, so a key cannot be added to one without the others.
//
// The registry is built once on first use and never changes afterwards: safe to read from any
// thread. Key order in an ObjectSpec is the canonical order `flowtest fmt` writes.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/value_fwd.hpp"

namespace flow::core::schema {

enum class KeyKind {
  kSupported,   // implemented
  kLater,       // a documented feature a later version implements: the step fails when run
  kNoEffect,    // accepted for compatibility, has no effect: a warning
  kDeprecated,  // works, under an older name: a warning names the new one
};

// What a mapping does with keys it does not list.
enum class UnknownKeys {
  kReject,  // an error with "did you mean"
  kWarn,    // a warning (free-form annotations such as `metadata`), a likely typo named
  kAllow,   // accepted silently (maps of user names: variables, headers; loose shapes)
};

// When the validator checks a key's value.
enum class CheckedAt {
  kLoad,  // when the suite is loaded (flowtest validate)
  kSend,  // when the request is built, after interpolation (multipart parts, body_file)
};

// One accepted form of a value. A key (or list item, or map value) accepts any of a list of
// Types; an empty list accepts anything.
struct Type {
  enum class Kind {
    kAny,
    kNever,  // no value is valid (a key kept only to explain where it belongs)
    kNull,
    kBoolean,
    kInteger,
    kNumber,
    kString,
    kArray,
    kMap,     // a mapping of user-chosen names to `values`
    kObject,  // a mapping described by the ObjectSpec `object`
  };
  Kind kind = Kind::kAny;
  std::string object;                    // kObject: the ObjectSpec id
  std::vector<Type> items;               // kArray: what each item may be (empty: anything)
  std::vector<Type> values;              // kMap: what each value may be (empty: anything)
  std::vector<std::string> enum_values;  // kString: the only strings accepted (empty: any)
  bool case_insensitive = false;         // kString with enum_values: any letter case
  bool template_only = false;            // kString: must hold "{{" (a template standing in
                                         // for a number or boolean, rendered when run)
  std::string pattern;                   // kString: ECMAScript regex the text must match
  std::string pattern_text;              // kString with pattern: the rule in words
  std::optional<double> minimum;         // kInteger, kNumber
  std::optional<double> maximum;
  bool exclusive_minimum = false;
  std::size_t min_items = 0;  // kArray
  std::size_t min_length = 0;  // kString (1: not empty)
  std::size_t min_properties = 0;  // kObject, kMap: fewest keys (beyond the ObjectSpec's own)
  // kObject among several alternatives: this form applies to a mapping having any of these keys
  // (or, with `exact_keys`, exactly these keys and no others). Empty: any mapping.
  std::vector<std::string> when_keys;
  bool exact_keys = false;
};

struct KeySpec {
  std::string name;
  std::vector<Type> types;  // accepted forms; empty: anything
  bool required = false;
  KeyKind kind = KeyKind::kSupported;
  CheckedAt checked = CheckedAt::kLoad;
  std::string description;  // one line, for editor hover
  std::string hint;         // no-effect and deprecated keys: what to do instead
  bool suggest = true;      // offered in "did you mean" (false for rarely used aliases)

  // The enum values of the key's first string form that has some (FLOW_CHECKs there is one).
  const std::vector<std::string>& EnumValues() const;
};

struct ObjectSpec {
  std::string id;           // "step", "request", "config.execution"
  std::string noun;         // in messages: "unknown <noun> key 'x'"
  std::string description;
  std::vector<KeySpec> keys;  // canonical order
  UnknownKeys unknown = UnknownKeys::kReject;
  std::vector<Type> unknown_values;  // kAllow: what values of other keys may be (empty: any)
  // Keys matching these ECMAScript patterns are accepted with the given forms (`body.<path>`).
  std::vector<std::pair<std::string, std::vector<Type>>> pattern_keys;
  // At least one of these groups must be present in full (each group: keys that go together).
  std::vector<std::vector<std::string>> any_of_required;
  std::size_t min_properties = 0;
  CheckedAt checked = CheckedAt::kLoad;
  std::string example;  // JSON text of a small valid instance

  const KeySpec* FindKey(std::string_view name) const;
  const KeySpec& Key(std::string_view name) const;  // FLOW_CHECKs that it exists
  // Names of every key, or only those offered in "did you mean" hints.
  std::vector<std::string> KeyNames(bool suggested_only = false) const;
  // Names of the keys of one kind.
  std::vector<std::string> KeyNamesOfKind(KeyKind kind) const;
};

class Registry {
 public:
  explicit Registry(std::vector<ObjectSpec> objects);

  const ObjectSpec* Find(std::string_view id) const;
  const ObjectSpec& Object(std::string_view id) const;  // FLOW_CHECKs that it exists
  const std::vector<ObjectSpec>& objects() const { return objects_; }

 private:
  std::vector<ObjectSpec> objects_;
};

// Every object kind of a suite file and of the config file. Roots: "suite" and "config".
const Registry& Format();

// Shorthands for the validators: Format().Object(id).
const ObjectSpec& Object(std::string_view id);

// The Type among `types` that `value` takes, or nullptr when none fits. Only the JSON type and
// the discriminating keys of mappings are looked at (not bounds, enums or patterns): this is
// how fmt knows which ObjectSpec a mapping is.
const Type* MatchType(const std::vector<Type>& types, const Value& value);

// Whether a variable's value is the form `{value: ..., secret: ...}` (a mapping with exactly
// these two keys), as `variables` of a suite and the config's `globals.variables` accept it.
// Whether `secret` is a boolean is the caller's check.
bool IsSecretVariable(const Value& value);

}  // namespace flow::core::schema
