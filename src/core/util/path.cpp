#include "core/util/path.hpp"

#include <vector>

#include "core/util/strings.hpp"

namespace flow::core {

std::string NormalizePath(std::string_view path) {
  std::vector<std::string> parts;
  const bool absolute = !path.empty() && path.front() == '/';
  for (const std::string& part : Split(path, '/')) {
    if (part.empty() || part == ".") continue;
    if (part == ".." && !parts.empty() && parts.back() != "..") {
      parts.pop_back();
    } else if (!(part == ".." && absolute && parts.empty())) {
      parts.push_back(part);
    }
  }
  std::string out = absolute ? "/" : "";
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i) out += '/';
    out += parts[i];
  }
  return out;
}

std::string DirName(std::string_view path) {
  const std::size_t slash = path.rfind('/');
  if (slash == std::string_view::npos) return "";
  return slash == 0 ? "/" : std::string(path.substr(0, slash));
}

std::string JoinPath(std::string_view dir, std::string_view path) {
  if (dir.empty()) return NormalizePath(path);
  return NormalizePath(std::string(dir) + "/" + std::string(path));
}

}  // namespace flow::core
