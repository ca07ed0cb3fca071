// Result<T>: a T or an Error, for everything that can fail through input, network or state.
// A small stand-in for C++23 std::expected (GCC 12 in C++20 mode has none).
#pragma once

#include <utility>
#include <variant>

#include "core/check.hpp"
#include "core/error.hpp"

namespace flow::core {

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : data_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit
  Result(Error error) : data_(std::in_place_index<1>, std::move(error)) {}  // NOLINT: implicit

  bool has_value() const { return data_.index() == 0; }
  explicit operator bool() const { return has_value(); }

  T& value() & { FLOW_CHECK(has_value()); return std::get<0>(data_); }
  const T& value() const& { FLOW_CHECK(has_value()); return std::get<0>(data_); }
  T&& value() && { FLOW_CHECK(has_value()); return std::get<0>(std::move(data_)); }
  const Error& error() const& { FLOW_CHECK(!has_value()); return std::get<1>(data_); }
  Error&& error() && { FLOW_CHECK(!has_value()); return std::get<1>(std::move(data_)); }

  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  template <typename U>
  T value_or(U&& fallback) const& {
    return has_value() ? std::get<0>(data_) : static_cast<T>(std::forward<U>(fallback));
  }

 private:
  std::variant<T, Error> data_;
};

// Result<void>: success or an Error.
template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT: implicit

  bool has_value() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const& { FLOW_CHECK(!ok_); return error_; }
  Error&& error() && { FLOW_CHECK(!ok_); return std::move(error_); }

 private:
  Error error_;
  bool ok_ = true;
};

inline Result<void> Ok() { return {}; }

}  // namespace flow::core

// Returns the error of a failed Result expression from the enclosing function.
#define FLOW_TRY_VOID(expr)                                   \
  do {                                                        \
    auto flow_try_result_ = (expr);                           \
    if (!flow_try_result_) return std::move(flow_try_result_).error(); \
  } while (0)
