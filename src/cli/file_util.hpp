// Reading and writing whole files for the commands, with errors as values.
#pragma once

#include <string>

#include "core/result.hpp"

namespace flow::cli {

core::Result<std::string> ReadTextFile(const std::string& path);
// Writes through a temporary file and a rename, so a reader never sees half a report.
core::Result<void> WriteTextFile(const std::string& path, const std::string& text);
std::string AbsolutePath(const std::string& path);
// The absolute path with symbolic links resolved as far as the path exists, lexically normal:
// one spelling per file. `path` itself when that fails.
std::string CanonicalPath(const std::string& path);

}  // namespace flow::cli
