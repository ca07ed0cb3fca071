#include "core/model/http.hpp"

#include "core/util/strings.hpp"

namespace flow::core {

bool IsHttpMethod(std::string_view method) {
  for (const std::string_view known : kHttpMethods) {
    if (known == method) return true;
  }
  return false;
}

std::optional<std::string> FindHeader(const HeaderList& headers, std::string_view name) {
  const std::string wanted = ToLower(name);
  std::optional<std::string> out;
  for (const auto& [key, value] : headers) {
    if (ToLower(key) != wanted) continue;
    if (out) {
      out->append(", ").append(value);
    } else {
      out = value;
    }
  }
  return out;
}

}  // namespace flow::core
