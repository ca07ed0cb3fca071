// Glob patterns for suite discovery (`discovery.patterns` / `discovery.exclude`), matched against
// paths relative to the directory being searched. Pure functions; thread-safe.
//
// Syntax:
//   **       a whole segment: any number of directories, zero included (`**/*.yaml` finds
//            `a.yaml` and `x/y/a.yaml`); inside a segment (`a**b`) it is the same as `*`
//   *        any characters within one segment (never '/')
//   ?        one character (a whole UTF-8 code point), never '/'
//   [abc]    one of the listed characters; ranges `[a-z]`; negated with `[!...]` or `[^...]`;
//            a `]` right after the opening bracket is literal
//   {a,b}    alternatives, may nest and may contain '/' (`**/*.{yaml,yml}`); `{a}` is just `a`
//   \x       the character x, literally
// A leading "./" is ignored. Matching is case-sensitive and byte-exact otherwise.
// Like most shells and fast-glob, wildcards never match a segment that starts with '.': hidden
// files and directories are only found by a pattern segment that itself starts with '.'
// (`**/.hidden/*.yaml`). An invalid pattern (unclosed '[' or '{') never crashes: the bracket is
// taken literally; CheckGlob reports it for configuration validation.
#pragma once

#include <string_view>

#include "core/result.hpp"

namespace flow::core {

// Does `path` ('/'-separated, relative, e.g. "tests/login.yaml") match `pattern`?
bool GlobMatch(std::string_view pattern, std::string_view path);

// Could `pattern` match some path strictly below `directory` ("" is the search root)? A walker
// need not enter a directory for which this is false for every include pattern.
bool GlobMayMatchUnder(std::string_view pattern, std::string_view directory);

// Does `pattern` match `directory` itself and everything below it (it ends in `/**`, like
// `**/node_modules/**` for "web/node_modules")? A walker skips such an excluded directory whole.
bool GlobMatchesAllUnder(std::string_view pattern, std::string_view directory);

// Syntax check: an empty pattern, an unclosed '[' or '{', a trailing '\', or more than 256
// brace alternatives are errors (kInvalidArgument, message naming the problem).
Result<void> CheckGlob(std::string_view pattern);

}  // namespace flow::core
