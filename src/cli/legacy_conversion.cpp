#include "cli/legacy_conversion.hpp"

#include <algorithm>
#include <filesystem>
#include <map>

#include "cli/arg_cursor.hpp"
#include "cli/export_command.hpp"
#include "cli/import_command.hpp"
#include "core/util/strings.hpp"

namespace flow::cli {
namespace {

constexpr const char* kDefaultImportOutput = "tests/imported";
constexpr const char* kDefaultExportFile = "postman_collection.json";

// The original's flags that take a value, and those that do not.
const std::vector<std::string>& ValueFlags() {
  static const std::vector<std::string> flags = {
      "--swagger-import",        "--swagger-output",
      "--postman-import",        "--postman-import-output",
      "--postman-export",        "--postman-output",
      "--postman-export-output", "--postman-export-from-results"};
  return flags;
}
const std::vector<std::string>& SwitchFlags() {
  static const std::vector<std::string> flags = {"--postman-preserve-folders",
                                                 "--postman-analyze-deps"};
  return flags;
}

bool Contains(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

int Refuse(std::ostream& err, const std::string& message, const std::string& hint) {
  err << "flowtest: error: " << message << "\n  hint: " << hint << "\n";
  return 2;
}

}  // namespace

std::optional<int> RunLegacyConversion(const std::vector<std::string>& args, std::ostream& out,
                                       std::ostream& err) {
  std::map<std::string, std::string> values;
  std::vector<std::string> switches;
  std::vector<std::string> others;
  // Every argument is looked at, also after "--": these flags are found wherever they are.
  ArgCursor cursor(args, {.double_dash_ends_options = false});
  while (cursor.Next()) {
    if (Contains(ValueFlags(), cursor.option())) {
      core::Result<std::string> value = cursor.Value();
      if (!value) {
        err << "flowtest: error: " << value.error().message << "\n";
        return 2;
      }
      values[cursor.option()] = *value;
    } else if (Contains(SwitchFlags(), cursor.option())) {
      switches.push_back(cursor.option());
    } else {
      others.push_back(cursor.arg());
    }
  }
  if (values.empty() && switches.empty()) return std::nullopt;
  const bool swagger = values.count("--swagger-import") != 0;
  const bool postman_import = values.count("--postman-import") != 0;
  const bool postman_export = values.count("--postman-export") != 0;
  if (values.count("--postman-export-from-results") != 0) {
    return Refuse(err, "--postman-export-from-results is not supported",
                  "export the suites themselves: flowtest export postman PATH --output FILE");
  }
  if (static_cast<int>(swagger) + static_cast<int>(postman_import) +
          static_cast<int>(postman_export) !=
      1) {
    return Refuse(
        err,
        swagger || postman_import || postman_export
            ? "--swagger-import, --postman-import and --postman-export cannot be combined"
            : "the conversion options need --swagger-import, --postman-import or --postman-export",
        "use one command at a time: flowtest import openapi|postman FILE, or flowtest export "
        "postman PATH");
  }
  if (!others.empty()) {
    err << "warning: ignored with the conversion options: ";
    for (std::size_t i = 0; i < others.size(); ++i) err << (i ? " " : "") << others[i];
    err << "\n";
  }
  std::vector<std::string> mapped;
  if (swagger) {
    mapped = {"openapi", values["--swagger-import"], "--output",
              values.count("--swagger-output") ? values["--swagger-output"] : kDefaultImportOutput};
    err << "note: running 'flowtest import openapi' (the original's --swagger-import)\n";
    return RunImportCommand(mapped, out, err);
  }
  if (postman_import) {
    mapped = {"postman", values["--postman-import"], "--output",
              values.count("--postman-import-output") ? values["--postman-import-output"]
                                                      : kDefaultImportOutput};
    if (!Contains(switches, "--postman-preserve-folders")) mapped.push_back("--single-suite");
    err << "note: running 'flowtest import postman' (the original's --postman-import)\n";
    return RunImportCommand(mapped, out, err);
  }
  std::string output = kDefaultExportFile;
  for (const char* flag : {"--postman-output", "--postman-export-output"}) {
    if (values.count(flag) != 0) output = values[flag];
  }
  std::error_code ec;
  if (std::filesystem::is_directory(output, ec) || core::EndsWith(output, "/")) {
    output = (std::filesystem::path(output) / kDefaultExportFile).string();
  }
  mapped = {"postman", values["--postman-export"], "--output", output};
  err << "note: running 'flowtest export postman' (the original's --postman-export)\n";
  return RunExportCommand(mapped, out, err);
}

}  // namespace flow::cli
