// The YAML reader behind ParseDocument (internal to flow_parse): yaml-cpp's event parser plus our
// own passes for merge keys, duplicate keys, unquoted templates and node positions.
#pragma once

#include <string>
#include <string_view>

#include "core/parse/document.hpp"

namespace flow::core {

// `text` has no byte order mark. Never throws.
Result<Document> LoadYamlDocument(std::string_view text, std::string file);

}  // namespace flow::core
