#include "cli/file_util.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace flow::cli {

core::Result<std::string> ReadTextFile(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    return core::InvalidArgument("'" + path + "' is a directory, not a file");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return core::NotFound("cannot read '" + path + "': " + std::strerror(errno));
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return core::Unavailable("error while reading '" + path + "'");
  return text.str();
}

core::Result<void> WriteTextFile(const std::string& path, const std::string& text) {
  std::error_code ec;
  const std::filesystem::path target(path);
  if (target.has_parent_path()) std::filesystem::create_directories(target.parent_path(), ec);
  if (ec) return core::Unavailable("cannot create '" + target.parent_path().string() + "': " + ec.message());
  const std::string temp = path + ".tmp";
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    if (!out) return core::Unavailable("cannot write '" + temp + "': " + std::strerror(errno));
    out << text;
    if (!out.flush()) return core::Unavailable("cannot write '" + temp + "': " + std::strerror(errno));
  }
  std::filesystem::rename(temp, target, ec);
  if (ec) return core::Unavailable("cannot write '" + path + "': " + ec.message());
  return core::Ok();
}

std::string AbsolutePath(const std::string& path) {
  std::error_code ec;
  const std::filesystem::path abs = std::filesystem::absolute(path, ec);
  return ec ? path : abs.lexically_normal().string();
}

std::string CanonicalPath(const std::string& path) {
  std::error_code ec;
  const std::filesystem::path p = std::filesystem::weakly_canonical(std::filesystem::absolute(path, ec), ec);
  return ec ? path : p.lexically_normal().string();
}

}  // namespace flow::cli
