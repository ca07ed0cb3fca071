#include "cli/jp_command.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <istream>
#include <optional>
#include <ostream>
#include <sstream>
#include <string_view>

#include "cli/arg_cursor.hpp"
#include "core/jmespath/jmespath.hpp"
#include "core/value.hpp"

namespace flow::cli {
namespace {

using core::Value;

// Deeper documents are refused: printing and comparing values recurse once per level.
constexpr std::size_t kMaxInputDepth = 1000;

struct JpOptions {
  bool compact = false;
  bool raw = false;
  bool help = false;
  std::string expression;
  std::optional<std::string> file;
};

struct Position {
  int line = 1;
  int column = 1;
};

// 1-based line and column (in characters) of byte `offset` of `text`.
Position PositionOf(std::string_view text, std::size_t offset) {
  Position position;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++position.line;
      position.column = 1;
    } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      ++position.column;
    }
  }
  return position;
}

std::string Located(std::string_view name, Position position) {
  return std::string(name) + ":" + std::to_string(position.line) + ":" +
         std::to_string(position.column);
}

int UsageError(std::ostream& err, std::string_view problem) {
  err << "error: " << problem << "\n\n" << JpUsage();
  return 2;
}

// Parses the command line; a usage problem is returned as text.
std::optional<std::string> ParseArguments(const std::vector<std::string>& args,
                                          JpOptions& options) {
  std::vector<std::string> positional;
  // Long options take no value ("--raw=1" is unknown); short ones combine ("-cr").
  ArgCursor cursor(args, {.inline_values = false});
  while (cursor.Next()) {
    const std::string& option = cursor.option();
    if (cursor.IsPositional()) {
      positional.push_back(cursor.positional());
    } else if (cursor.Is("--compact")) {
      options.compact = true;
    } else if (cursor.Is("--raw")) {
      options.raw = true;
    } else if (cursor.Is("--help")) {
      options.help = true;
    } else if (option.rfind("--", 0) == 0) {
      return cursor.Unknown().message;
    } else {
      for (std::size_t i = 1; i < option.size(); ++i) {
        switch (option[i]) {
          case 'c':
            options.compact = true;
            break;
          case 'r':
            options.raw = true;
            break;
          case 'h':
            options.help = true;
            break;
          default:
            return "unknown option '-" + std::string(1, option[i]) + "'";
        }
      }
    }
  }
  if (options.help) return std::nullopt;
  if (positional.empty()) return std::string("missing EXPRESSION");
  if (positional.size() > 2) return "unexpected argument '" + positional[2] + "'";
  options.expression = positional[0];
  if (positional.size() == 2 && positional[1] != "-") options.file = positional[1];
  return std::nullopt;
}

// The whole document as text, or an error message.
std::optional<std::string> ReadInput(const JpOptions& options, std::istream& in,
                                     std::string& text) {
  std::ostringstream buffer;
  if (!options.file) {
    buffer << in.rdbuf();
    text = buffer.str();
    return std::nullopt;
  }
  const std::string& path = *options.file;
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) return "cannot read '" + path + "': is a directory";
  std::ifstream file(path, std::ios::binary);
  if (!file) return "cannot open '" + path + "': " + std::strerror(errno);
  buffer << file.rdbuf();
  if (file.bad()) return "cannot read '" + path + "': " + std::strerror(errno);
  text = buffer.str();
  return std::nullopt;
}

// nlohmann's "[json.exception.parse_error.101] parse error at line 1, column 2: what" -> "what".
std::string ParseErrorDetail(const std::string& what) {
  const std::size_t column = what.find("column ");
  const std::size_t colon = what.find(": ", column == std::string::npos ? 0 : column);
  if (colon != std::string::npos) return what.substr(colon + 2);
  const std::size_t bracket = what.find("] ");
  return bracket == std::string::npos ? what : what.substr(bracket + 2);
}

std::optional<std::string> ParseDocument(std::string_view name, const std::string& text,
                                         Value& document) {
  if (const auto deep = core::FindJsonNestingBeyond(text, kMaxInputDepth)) {
    return Located(name, PositionOf(text, *deep)) + ": json nested deeper than " +
           std::to_string(kMaxInputDepth) + " levels";
  }
  try {
    document = Value::parse(text);
  } catch (const Value::parse_error& error) {
    const std::size_t offset = error.byte > 0 ? error.byte - 1 : 0;
    return Located(name, PositionOf(text, offset)) +
           ": invalid json: " + ParseErrorDetail(error.what());
  } catch (const std::exception& error) {  // e.g. out_of_range for a number like 1e400
    const std::string what = error.what();
    const std::size_t bracket = what.find("] ");
    return std::string(name) +
           ": invalid json: " + (bracket == std::string::npos ? what : what.substr(bracket + 2));
  }
  return std::nullopt;
}

}  // namespace

std::string JpUsage() {
  return "usage: flowtest jp [options] EXPRESSION [FILE]\n"
         "\n"
         "Evaluates the JMESPath EXPRESSION against the JSON document in FILE (standard input\n"
         "when FILE is missing or '-') and prints the result as JSON.\n"
         "\n"
         "options:\n"
         "  -c, --compact  print the result on one line\n"
         "  -r, --raw      print a string result as plain text, without quotes\n"
         "  -h, --help     show this help\n"
         "\n"
         "example:\n"
         "  curl -s https://api.example.com/users | flowtest jp 'items[?active].email'\n";
}

int RunJpCommand(const std::vector<std::string>& args, std::istream& in, std::ostream& out,
                 std::ostream& err) {
  JpOptions options;
  if (const auto problem = ParseArguments(args, options)) return UsageError(err, *problem);
  if (options.help) {
    out << JpUsage();
    return 0;
  }

  // Compile first: a bad expression is reported without waiting for standard input.
  const core::Result<core::jmespath::Expression> expression =
      core::jmespath::Expression::Compile(options.expression);
  const auto report = [&err](const core::Error& error) {
    err << "error: " << error.reason << ": " << error.message << "\n";
    if (!error.hint.empty()) err << "hint: " << error.hint << "\n";
    return 1;
  };
  if (!expression) return report(expression.error());

  std::string text;
  if (const auto problem = ReadInput(options, in, text)) {
    err << "error: " << *problem << "\n";
    return 1;
  }
  Value document;
  const std::string name = options.file ? *options.file : "<stdin>";
  if (const auto problem = ParseDocument(name, text, document)) {
    err << "error: " << *problem << "\n";
    return 1;
  }

  const core::Result<Value> result = expression->Search(document);
  if (!result) return report(result.error());
  if (options.raw && result->is_string()) {
    out << result->get_ref<const std::string&>() << "\n";
  } else {
    out << core::DumpJson(*result, options.compact ? -1 : 2) << "\n";
  }
  return 0;
}

}  // namespace flow::cli
