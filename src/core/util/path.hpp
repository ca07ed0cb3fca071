// Lexical operations on '/'-separated paths (no file system access).
#pragma once

#include <string>
#include <string_view>

namespace flow::core {

// "a/./b/../c" -> "a/c"; a leading '/' is kept; ".." that cannot be resolved stays.
std::string NormalizePath(std::string_view path);

// The part before the last '/': "a/b.yaml" -> "a", "/b.yaml" -> "/", "b.yaml" -> "".
std::string DirName(std::string_view path);

// `dir` + '/' + `path`, or `path` alone when `dir` is empty; normalised.
std::string JoinPath(std::string_view dir, std::string_view path);

}  // namespace flow::core
