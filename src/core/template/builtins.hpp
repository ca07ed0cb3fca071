// The built-in values of {{ }} expressions ($now, $uuid, $random), computed only from the ports
// they are given. Pure functions; thread-safe as long as the port is.
#pragma once

#include <cstdint>
#include <string>

#include "core/ports/entropy.hpp"

namespace flow::core {


// A random RFC 4122 version 4 UUID in lower-case hex, "xxxxxxxx-xxxx-4xxx-[89ab]xxx-xxxxxxxxxxxx".
std::string MakeUuidV4(Entropy& entropy);

// A uniformly distributed integer in [0, bound); bound must be > 0. No rejection loop, so a
// degenerate entropy source cannot make it hang.
std::uint64_t RandomBelow(Entropy& entropy, std::uint64_t bound);

}  // namespace flow::core
