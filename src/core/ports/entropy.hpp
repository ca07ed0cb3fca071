// Entropy: random numbers for $uuid and $random, injected so runs can be made deterministic.
#pragma once

#include <cstdint>

namespace flow::core {

class Entropy {
 public:
  virtual ~Entropy() = default;
  virtual std::uint64_t Next() = 0;  // uniformly distributed 64 random bits
};

}  // namespace flow::core
