// ParseDotenv: the text of a `.env` file (globals.env_files) to NAME=value pairs. Pure; the
// caller reads the file and decides what to do with the pairs. Thread-safe.
//
// Format (that of the npm `dotenv` package the original engine uses, with its sharp edges
// filed off):
//   # a comment line; blank lines are skipped
//   NAME=value             NAME: letters, digits, '_', '.', '-' (not starting with a digit,
//                          '.' or '-'); spaces around '=' are allowed; "NAME: value" too
//   export NAME=value      the `export ` prefix of shell files is ignored
//   NAME=                  the empty string
//   NAME=a b  # note       unquoted: trimmed; a '#' that follows a space or tab starts a comment
//                          (so `URL=http://x/#frag` keeps its '#')
//   NAME='literal $x \n'   single quotes (or backquotes): taken literally, may span lines
//   NAME="a\nb \"q\""      double quotes: \n \r \t \" \\ \$ escapes (any other backslash is
//                          kept), may span lines
//   after a closing quote only spaces and a `# comment` may follow.
// `$NAME`/`${NAME}` are not expanded (dotenv does not either): the text stays as written.
// A name given twice keeps its first position and its last value. A UTF-8 BOM is skipped and
// CRLF line ends are accepted. A malformed line is an error (kInvalidArgument) with `where` =
// file:line:column and the offending name in the message, never a silent skip.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.hpp"

namespace flow::core {

Result<std::vector<std::pair<std::string, std::string>>> ParseDotenv(std::string_view text,
                                                                     std::string file);

}  // namespace flow::core
