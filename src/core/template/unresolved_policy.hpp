// What interpolation does with a {{placeholder}} it cannot resolve. Its own header so the config
// can name it without depending on the template module.
#pragma once

namespace flow::core {

enum class UnresolvedPolicy {
  kError,    // an unresolved variable (or malformed path, or empty {{}}) is an Error
  kLiteral,  // it stays as written and a warning is appended
};

}  // namespace flow::core
