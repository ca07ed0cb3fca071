// The strict JSON reader behind ParseDocument for `.json` files (internal to flow_parse).
#pragma once

#include <string>
#include <string_view>

#include "core/parse/document.hpp"

namespace flow::core {

// `text` has no byte order mark. Never throws.
Result<Document> LoadJsonDocument(std::string_view text, std::string file);

}  // namespace flow::core
