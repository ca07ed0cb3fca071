// Value: the JSON value of the whole engine (suite data, variables, responses), with the few
// helpers every layer needs. Objects keep the order their keys were written in, so requests go out
// as the user wrote them; equality between values is DeepEqual, never operator== (which is
// order-sensitive for ordered objects).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/value_fwd.hpp"

namespace flow::core {

// Structural equality: objects by key regardless of order, arrays by position, numbers by value
// (1 == 1.0), strings byte for byte.
bool DeepEqual(const Value& a, const Value& b);

// "string", "number", "boolean", "object", "array" or "null" (the original engine's names).
std::string_view TypeName(const Value& value);

// Text for embedding a value in a string: strings as they are, null as "null", everything else
// as compact JSON (objects and arrays never become "[object Object]").
std::string ToText(const Value& value);

// True for null, "", [] and {}.
bool IsEmptyValue(const Value& value);

// Building objects on hot paths. An ordered object is a vector of (const key, value) pairs: each
// time it grows it copies every member it holds, deeply (a const key makes the pair not
// nothrow-movable), and inserting searches it for the key. An object made with room for all its
// members and filled with AppendMember does neither: AppendMember's keys must be new (a repeated
// key would be kept twice), and past the room it grows as usual.
Value ObjectWithRoom(std::size_t members);
void AppendMember(Value& object, std::string_view key, Value value);

// JSON text of `value`, never throwing: invalid UTF-8 is replaced.
std::string DumpJson(const Value& value, int indent = -1);

// Writing compact JSON text straight into `out`, exactly as DumpJson writes it, for text built
// without making a Value first (core/run/outcome_json's columns of a step): a value, a string
// (quoted and escaped), a double (the shortest text that reads back the same; null when not
// finite) and an integer.
void AppendJson(std::string& out, const Value& value);
void AppendJsonString(std::string& out, std::string_view text);
void AppendJsonNumber(std::string& out, double x);
void AppendJsonNumber(std::string& out, std::int64_t n);
void AppendJsonNumber(std::string& out, std::uint64_t n);

// Where JSON-looking `text` first nests deeper than `limit` levels of [ and { (string contents
// skipped): the byte offset, or nullopt. Lets callers refuse documents too deep to walk before
// parsing them (every walk over a Value recurses).
std::optional<std::size_t> FindJsonNestingBeyond(std::string_view text, std::size_t limit);

// JSON pointers (RFC 6901): `parent` + "/" + escaped `token` ("~" -> "~0", "/" -> "~1").
std::string JoinPointer(std::string_view parent, std::string_view token);
std::string JoinPointer(std::string_view parent, std::size_t index);

// The value at a JSON pointer such as JoinPointer makes (object keys, array indices), or null
// when there is none.
const Value* ResolvePointer(const Value& root, std::string_view pointer);

}  // namespace flow::core
