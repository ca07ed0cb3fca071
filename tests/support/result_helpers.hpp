// Reading core::Result values in tests: Ok() unwraps a value or throws (gtest reports the
// exception, with the error's message, as the test's failure); CodeOf() is the error code of a
// result that must have failed. Not for use in threads a test starts (count failures there).
#pragma once

#include <stdexcept>
#include <string>
#include <utility>

#include "core/result.hpp"

namespace flow::testing {

template <typename T>
T Ok(core::Result<T> result) {
  if (!result) throw std::runtime_error("unexpected error: " + result.error().message);
  return std::move(*result);
}
inline void Ok(core::Result<void> result) {
  if (!result) throw std::runtime_error("unexpected error: " + result.error().message);
}
template <typename T>
core::ErrorCode CodeOf(const core::Result<T>& result) {
  if (result) throw std::runtime_error("expected an error, got a value");
  return result.error().code;
}

}  // namespace flow::testing
