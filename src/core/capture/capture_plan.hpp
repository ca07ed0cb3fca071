// CapturePlan: a step's `capture` block (`{name: expression}`), compiled once and evaluated
// against each response context.
//
// Each value is, in this order (the original engine's rules, with its silent cases reported):
//   - a mapping with `path` (or `redact`): the entry form `{path: <a capture string as below>,
//     redact: true|false}`; `redact` is carried to the outcome (see CaptureOutcome::redact);
//   - not a string: stored as written (`count: 3`, `flag: true`);
//   - a string wrapped in double quotes (YAML '"text"'): the inner text, literally;
//   - a whole JavaScript or faker value ("{{$js.return body.price * 1.1}}", "{{faker.x.y}}", or the
//     direct "$body.items.length" / "#faker.x.y", and any "$name…" such as "$age >= 18"): rendered
//     by the caller, the result stored as it is, with its type;
//   - a string containing "{{": rendered by the caller, then a rendered string is used as
//     JMESPath (a rendered text that is not JMESPath is stored as that text);
//   - a string starting with '@' ("@body.json.id"): JMESPath of the rest;
//   - otherwise JMESPath over the context ({status_code, headers, body, duration_ms, size_bytes});
//     `true`/`false`/`null` and numeric text are those literals, text with a '/' is stored as
//     text, anything else that is not JMESPath is a compile error.
// A path that yields null stores null and warns that it matched nothing; a JMESPath runtime error
// stores nothing and warns.
//
// Immutable after Compile and cheap to copy; Evaluate may run on several threads (if `render`
// may).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/jmespath/jmespath.hpp"
#include "core/result.hpp"
#include "core/value.hpp"

namespace flow::core {

struct CaptureOutcome {
  std::string name;
  Value value;          // what was stored (null when nothing was)
  bool stored = false;  // false: the capture failed; `warning` says why
  std::string warning;  // "capture 'id': path 'body.id' matched nothing", or ""
  std::string pointer;  // JSON pointer of the entry inside the capture block ("/id")
  bool redact = false;  // the entry form's `redact: true`: the value is to be masked in outputs
};

namespace capture {
enum class EntryKind { kLiteral, kPath, kTemplate, kScript, kUnavailable };

struct Entry {
  std::string name;
  std::string pointer;
  EntryKind kind = EntryKind::kLiteral;
  Value literal;                             // kLiteral
  std::optional<jmespath::Expression> path;  // kPath
  std::string text;                          // kTemplate, kScript: the value; kPath: the expression;
                                             // kUnavailable: why it cannot be evaluated
  bool redact = false;                       // `{path, redact: true}`
};
}  // namespace capture

// Whether a capture value is the entry form `{path, redact}` (a mapping with either key) rather
// than a literal.
bool IsCaptureEntryForm(const Value& value);

class CapturePlan {
 public:
  using Render = std::function<Result<Value>(const std::string&)>;

  CapturePlan() = default;  // captures nothing

  // Errors are kInvalidArgument with `pointer` set ("" for the block, "/name" for an entry) and
  // `reason` "invalid-block" or "invalid-capture". A null block is an empty plan.
  static Result<CapturePlan> Compile(const Value& capture_block);

  // `context` is {status_code, headers, body, duration_ms, size_bytes}; `render` is the caller's
  // interpolation, used for values containing "{{". One outcome per entry, in block order.
  std::vector<CaptureOutcome> Evaluate(const Value& context, const Render& render) const;

  std::size_t size() const { return entries_.size(); }
  // Expressions accepted with a correction (`a.'b'` read as `a."b"`), with `pointer` set.
  const std::vector<Error>& warnings() const { return warnings_; }
  // The entries, in block order: for tools that translate captures (the Postman exporter).
  const std::vector<capture::Entry>& entries() const { return entries_; }

 private:
  std::vector<capture::Entry> entries_;
  std::vector<Error> warnings_;
};

}  // namespace flow::core
