// Environment: read access to the process environment ($env.NAME), injected so the core never
// calls getenv itself.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace flow::core {

class Environment {
 public:
  virtual ~Environment() = default;
  virtual std::optional<std::string> Get(std::string_view name) const = 0;
};

}  // namespace flow::core
