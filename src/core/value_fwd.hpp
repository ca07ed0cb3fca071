// Forward declaration of Value for headers that only pass values around.
#pragma once

#include <nlohmann/json_fwd.hpp>

namespace flow::core {
// A JSON value whose objects keep their keys in insertion (i.e. written) order.
using Value = nlohmann::ordered_json;
}  // namespace flow::core
