// Helpers shared by the flow_parse unit tests (not part of the library).
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "core/parse/document.hpp"

namespace flow::core::testing {

// The document, or an empty one after recording a test failure with the error.
inline Document MustLoad(std::string_view text, std::string file = "suite.yaml") {
  Result<Document> result = ParseDocument(text, std::move(file));
  if (!result) {
    ADD_FAILURE() << "unexpected error: " << FormatErrorLine(result.error()) << " ("
                  << result.error().reason << ")";
    return Document{};
  }
  return std::move(result).value();
}

// The error, or a default Error after recording a test failure.
inline Error MustFail(std::string_view text, std::string file = "suite.yaml") {
  Result<Document> result = ParseDocument(text, std::move(file));
  if (result) {
    ADD_FAILURE() << "expected an error, got " << result->root.dump();
    return Error{};
  }
  return std::move(result).error();
}

// "line:column/length", compact for comparing places.
inline std::string At(const SourceSpan& span) {
  return std::to_string(span.line) + ":" + std::to_string(span.column) + "/" +
         std::to_string(span.length);
}

inline std::string At(const Error& error) {
  if (!error.where) return "nowhere";
  return error.where->file + "@" + At(*error.where);
}

}  // namespace flow::core::testing
