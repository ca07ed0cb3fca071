#include "cli/schema_command.hpp"

#include <optional>

#include "cli/arg_cursor.hpp"
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
  ArgCursor cursor(args, ArgSyntax::Whole());
  while (cursor.Next()) {
    if (cursor.Is("-h") || cursor.Is("--help")) {
      out << kUsage;
      return 0;
    }
    if (cursor.Is("--config")) {
      config = true;
    } else if (cursor.Is("-o") || cursor.Is("--output")) {
      core::Result<std::string> value = cursor.Value("a file name");
      if (!value) {
        PrintUsageErrorWithUsage(err, "schema", value.error(), kUsage);
        return 2;
      }
      output = *value;
    } else {
      PrintUsageErrorWithUsage(
          err, "schema", core::InvalidArgument("unknown argument '" + cursor.arg() + "'"), kUsage);
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
