#include "core/check.hpp"

#include <cstdio>
#include <cstdlib>

namespace flow::core {
void CheckFailed(const char* condition, const char* file, int line) {
  std::fprintf(stderr, "internal error: check failed: %s at %s:%d\n", condition, file, line);
  std::abort();
}
}  // namespace flow::core
