// The built-in JMESPath functions: their signatures (checked when compiling for arity and when
// searching for types) and implementations. The table is a constant; thread-safe.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/jmespath/interpreter.hpp"

namespace flow::core::jmespath::detail {

// Argument types, combined as bit sets in a parameter's `types`.
enum ArgType : unsigned {
  kTypeNumber = 1u << 0,
  kTypeString = 1u << 1,
  kTypeBoolean = 1u << 2,
  kTypeArray = 1u << 3,
  kTypeObject = 1u << 4,
  kTypeNull = 1u << 5,
  kTypeExpref = 1u << 6,
  kTypeArrayNumber = 1u << 7,  // an array whose elements are all numbers
  kTypeArrayString = 1u << 8,  // an array whose elements are all strings
  kTypeAny = kTypeNumber | kTypeString | kTypeBoolean | kTypeArray | kTypeObject | kTypeNull,
};

// One evaluated argument: a value, or for a &expression parameter the expression to apply.
struct Arg {
  Datum value;
  const Node* expression = nullptr;
};

struct Function {
  std::string_view name;
  std::vector<unsigned> params;  // allowed ArgType bits per parameter
  bool variadic = false;         // the last parameter may be repeated (at least once)
  // Called with arguments already checked against `params`.
  bool (*call)(Interpreter& interpreter, std::span<Arg> args, Datum& out) = nullptr;
};

const Function* FindFunction(std::string_view name);
std::vector<std::string> FunctionNames();

// "abs() takes 1 argument but 2 were given", or empty when `count` fits the signature.
std::string CheckArity(const Function& function, std::size_t count);

// "number or string", for messages.
std::string DescribeTypes(unsigned types);

// Does `arg` have one of the `types`?
bool MatchesType(const Arg& arg, unsigned types);

// The JMESPath type name of a value ("number", "string", "boolean", "array", "object", "null").
std::string_view JmesPathType(const Value& value);

}  // namespace flow::core::jmespath::detail
