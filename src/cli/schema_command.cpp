#include "cli/schema_command.hpp"

#include <optional>

#include "cli/file_util.hpp"
#include "core/schema/json_schema.hpp"

namespace flow::cli {
namespace {

constexpr const char* kUsage =
    "usage: flowtest schema [--config] [--output FILE]\n"
    "Prints the JSON Schema (draft-07) of the suite format, for editors (completion, hover,\n"
    "errors); with --config, the schema of flow-test.config.yml. See docs/schema.md.\n"
    "  --config         the config file's schema instead of the suites'\n"
    "  -o, --output F   write it to F (atomically) instead of standard output\n";

}  // namespace

int RunSchemaCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  bool config = false;
  std::optional<std::string> output;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "-h" || arg == "--help") {
      out << kUsage;
      return 0;
    }
    if (arg == "--config") {
      config = true;
    } else if (arg == "-o" || arg == "--output") {
      if (i + 1 >= args.size()) {
        err << "flowtest schema: error: option '" << arg << "' needs a file name\n" << kUsage;
        return 2;
      }
      output = args[++i];
    } else {
      err << "flowtest schema: error: unknown argument '" << arg << "'\n" << kUsage;
      return 2;
    }
  }
  const std::string text =
      core::DumpJson(core::schema::GenerateJsonSchema(core::schema::Format(), config ? "config" : "suite"), 2) +
      "\n";
  if (!output) {
    out << text;
    return 0;
  }
  core::Result<void> written = WriteTextFile(*output, text);
  if (!written) {
    err << "flowtest schema: error: " << written.error().message << "\n";
    return 1;
  }
  return 0;
}

}  // namespace flow::cli
