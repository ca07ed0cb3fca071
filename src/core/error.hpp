// The one error type of flowtest, and where in a suite file an error comes from.
// Plain values: copy them freely; thread-compatible.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace flow::core {

enum class ErrorCode {
  kInvalidArgument,
  kUnauthenticated,
  kPermissionDenied,
  kNotFound,
  kConflict,     // state forbids it: name taken, run already finished
  kUnavailable,  // a dependency is down; a retry may succeed
  kTimeout,
  kInternal,     // a bug; user input alone never produces it
};

struct SourceSpan {
  std::string file;
  int line = 0;    // 1-based; 0 when unknown
  int column = 0;  // 1-based; 0 when unknown
  int length = 0;  // characters to underline in a diagnostic; 0 means one

  bool IsKnown() const { return line > 0; }
  bool operator==(const SourceSpan&) const = default;
};

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;              // lower case, no final period
  std::optional<SourceSpan> where;  // set whenever the cause is in a suite file
  std::string hint;                 // "did you mean 'expect'?"
  std::string reason;               // stable machine-readable detail, e.g. "syntax", "not-supported"
  std::string pointer;              // JSON pointer of the node at fault inside the value being
                                    // checked, when a pure helper knows no SourceSpan

  bool operator==(const Error&) const = default;
};

Error InvalidArgument(std::string message, std::string hint = {});
Error NotFound(std::string message, std::string hint = {});
Error Conflict(std::string message, std::string hint = {});
Error Unavailable(std::string message, std::string hint = {});
Error Timeout(std::string message, std::string hint = {});
Error Internal(std::string message);
// An InvalidArgument about one node of the value being checked: `pointer` is its JSON pointer
// there (for the caller to turn into a SourceSpan), `reason` a stable word.
Error InvalidArgumentAt(std::string message, std::string pointer, std::string reason,
                        std::string hint = {});

// The same error, located at `where` unless it already has a location.
Error WithLocation(Error error, const SourceSpan& where);

std::string_view ErrorCodeName(ErrorCode code);  // "invalid_argument", "not_found", ...

// "file:line:col: " (or "file: ", or "") + message
std::string FormatErrorLine(const Error& error);

}  // namespace flow::core
