#include "core/error.hpp"

#include <utility>

namespace flow::core {
namespace {
Error Make(ErrorCode code, std::string message, std::string hint) {
  return Error{.code = code, .message = std::move(message), .hint = std::move(hint)};
}
}  // namespace

Error InvalidArgument(std::string message, std::string hint) {
  return Make(ErrorCode::kInvalidArgument, std::move(message), std::move(hint));
}
Error NotFound(std::string message, std::string hint) {
  return Make(ErrorCode::kNotFound, std::move(message), std::move(hint));
}
Error Conflict(std::string message, std::string hint) {
  return Make(ErrorCode::kConflict, std::move(message), std::move(hint));
}
Error Unavailable(std::string message, std::string hint) {
  return Make(ErrorCode::kUnavailable, std::move(message), std::move(hint));
}
Error Timeout(std::string message, std::string hint) {
  return Make(ErrorCode::kTimeout, std::move(message), std::move(hint));
}
Error Internal(std::string message) { return Make(ErrorCode::kInternal, std::move(message), {}); }

Error InvalidArgumentAt(std::string message, std::string pointer, std::string reason,
                        std::string hint) {
  Error error = InvalidArgument(std::move(message), std::move(hint));
  error.pointer = std::move(pointer);
  error.reason = std::move(reason);
  return error;
}

Error WithLocation(Error error, const SourceSpan& where) {
  if (!error.where || !error.where->IsKnown()) error.where = where;
  return error;
}

std::string_view ErrorCodeName(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument: return "invalid_argument";
    case ErrorCode::kUnauthenticated: return "unauthenticated";
    case ErrorCode::kPermissionDenied: return "permission_denied";
    case ErrorCode::kNotFound: return "not_found";
    case ErrorCode::kConflict: return "conflict";
    case ErrorCode::kUnavailable: return "unavailable";
    case ErrorCode::kTimeout: return "timeout";
    case ErrorCode::kInternal: return "internal";
  }
  return "internal";
}

std::string FormatErrorLine(const Error& error) {
  std::string out;
  if (error.where && !error.where->file.empty()) {
    out += error.where->file;
    if (error.where->line > 0) {
      out += ':' + std::to_string(error.where->line);
      if (error.where->column > 0) out += ':' + std::to_string(error.where->column);
    }
    out += ": ";
  }
  out += error.message;
  return out;
}

}  // namespace flow::core
