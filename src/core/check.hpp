// FLOW_CHECK(cond): guards invariants that only a bug can break. Never use it on anything user
// input can trigger; those are Errors.
#pragma once

namespace flow::core {
[[noreturn]] void CheckFailed(const char* condition, const char* file, int line);
}  // namespace flow::core

#define FLOW_CHECK(cond) \
  ((cond) ? static_cast<void>(0) : ::flow::core::CheckFailed(#cond, __FILE__, __LINE__))
