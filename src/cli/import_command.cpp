#include "cli/import_command.hpp"

#include <algorithm>
#include <filesystem>
#include <functional>
#include <optional>

#include "cli/arg_cursor.hpp"
#include "cli/file_util.hpp"
#include "cli/history_import.hpp"
#include "core/convert/openapi_import.hpp"
#include "core/convert/postman_import.hpp"
#include "core/diagnostic.hpp"
#include "core/model/suite.hpp"
#include "core/parse/document.hpp"
#include "core/util/strings.hpp"

namespace flow::cli {
namespace {

constexpr const char* kDefaultOutput = "tests/imported";

constexpr const char* kUsage =
    R"(usage: flowtest import openapi SPEC [--output DIR] [--base-url URL] [--tag TAG]... [--force]
       flowtest import postman COLLECTION [--output DIR] [--single-suite] [--force]
       flowtest import DIR... [-c CONFIG] [--database URL]

Converts an API description into flowtest suites (YAML files), one per tag or folder; or, given
a directory of suites, stores them as versions in the run history (docs/history.md): a suite
whose text is unchanged keeps its version, a changed one gets the next.

kinds:
  openapi    an OpenAPI 3.0/3.1 or Swagger 2.0 spec, JSON or YAML
  postman    a Postman collection v2.1 (or v2.0), JSON

options:
  -o, --output DIR     where the suites go (default: tests/imported)
      --base-url URL   (openapi) the suites' base_url instead of the spec's servers/host;
                       a template such as '{{api_url}}' works too
      --tag TAG        (openapi) only operations with this tag (repeatable, or comma-separated)
      --single-suite   (postman) one suite for the whole collection, not one per folder
      --force          overwrite files that exist (default: refuse, naming them)
  -c, --config FILE    (DIR) the config whose discovery patterns find the suites
      --database URL   (DIR) default: $FLOWTEST_DATABASE_URL, else .flowtest/history.db
  -h, --help           this help

exit status: 0 written, 1 the input could not be read or converted, a file exists, or (DIR) a
             suite could not be loaded or stored, 2 usage error
)";

struct ImportArgs {
  std::string input;
  std::string output = kDefaultOutput;
  std::string base_url;
  std::vector<std::string> tags;
  bool single_suite = false;
  bool force = false;
  bool help = false;
};

int Usage(std::ostream& err, const core::Error& error) {
  PrintUsageError(err, "import", error, UsageLabel::kProgram);
  return 2;
}

// Parses the options of one kind; `allowed` are the long options it takes. As always: a switch
// ignores a value given after '=', and "--" is an (unknown) option.
core::Result<ImportArgs> ParseArgs(const std::vector<std::string>& args,
                                   const std::vector<std::string>& allowed) {
  ImportArgs out;
  ArgCursor cursor(args, {.double_dash_ends_options = false, .aliases = {{"-o", "--output"}}});
  while (cursor.Next()) {
    if (cursor.IsPositional()) {
      if (!out.input.empty()) {
        return core::InvalidArgument("one input file only, got '" + out.input + "' and '" +
                                     cursor.positional() + "'");
      }
      out.input = cursor.positional();
    } else if (cursor.Is("-h") || cursor.Is("--help")) {
      out.help = true;
    } else if (std::find(allowed.begin(), allowed.end(), cursor.option()) == allowed.end()) {
      return cursor.Unknown(allowed);
    } else if (cursor.Is("--single-suite") || cursor.Is("--force")) {
      (cursor.Is("--force") ? out.force : out.single_suite) = true;
    } else {
      core::Result<std::string> value = cursor.Value();
      if (!value) return std::move(value).error();
      if (cursor.Is("--output")) {
        out.output = *value;
      } else if (cursor.Is("--base-url")) {
        out.base_url = *value;
      } else {  // --tag
        for (const std::string& tag : core::Split(*value, ',')) {
          const std::string_view trimmed = core::Trim(tag);
          if (!trimmed.empty()) out.tags.emplace_back(trimmed);
        }
      }
    }
  }
  if (out.help) return out;
  if (out.input.empty()) return core::InvalidArgument("name the file to import");
  if (out.output.empty()) return core::InvalidArgument("--output needs a directory");
  return out;
}

using Converter = std::function<core::Result<core::convert::ImportResult>(const core::Document&,
                                                                          const ImportArgs&)>;

// Reads the input, converts it, checks and writes the files, prints the summary.
int Import(const ImportArgs& args, const Converter& convert, std::ostream& out, std::ostream& err) {
  core::Result<std::string> text = ReadTextFile(args.input);
  if (!text) {
    err << "flowtest: error: " << text.error().message << "\n";
    return 1;
  }
  core::Result<core::Document> doc = core::ParseDocument(*text, args.input);
  if (!doc) {
    err << core::FormatDiagnostic(doc.error(), *text, "error");
    return 1;
  }
  core::Result<core::convert::ImportResult> result = convert(*doc, args);
  if (!result) {
    err << core::FormatDiagnostic(result.error(), *text, "error");
    return 1;
  }
  for (const core::Error& warning : result->warnings)
    err << core::FormatDiagnostic(warning, *text, "warning");
  // The suites written must load: a failure here is a bug of the converter, said as such.
  for (const core::convert::ConvertedFile& file : result->files) {
    if (file.suite_name.empty()) continue;
    const core::SuiteLoad load = core::LoadSuite(file.text, file.path);
    if (!load.errors.empty()) {
      err << "flowtest: internal error: the suite generated for '" << file.suite_name
          << "' does not validate (please report this with the input file):\n";
      for (const core::Error& e : load.errors) err << core::FormatDiagnostic(e, file.text, "error");
      return 1;
    }
  }
  const std::filesystem::path root(args.output);
  std::vector<std::string> existing;
  for (const core::convert::ConvertedFile& file : result->files) {
    const std::filesystem::path target = root / file.path;
    std::error_code ec;
    if (std::filesystem::exists(target, ec)) existing.push_back(target.string());
  }
  if (!existing.empty() && !args.force) {
    err << "flowtest: error: refusing to overwrite " << existing.size() << " existing file"
        << (existing.size() == 1 ? "" : "s") << ":\n";
    for (const std::string& path : existing) err << "  " << path << "\n";
    err << "  hint: choose another --output directory, or pass --force to overwrite them\n";
    return 1;
  }
  std::size_t suites = 0;
  std::size_t steps = 0;
  for (const core::convert::ConvertedFile& file : result->files) {
    const std::filesystem::path target = root / file.path;
    std::error_code ec;
    std::filesystem::create_directories(target.parent_path(), ec);
    if (ec) {
      err << "flowtest: error: cannot create " << target.parent_path().string() << ": "
          << ec.message() << "\n";
      return 1;
    }
    core::Result<void> written = WriteTextFile(target.string(), file.text);
    if (!written) {
      err << "flowtest: error: " << written.error().message << "\n";
      return 1;
    }
    if (!file.suite_name.empty()) {
      ++suites;
      steps += file.steps;
    }
  }
  out << "imported " << args.input << " (" << result->source << "): " << suites << " suite"
      << (suites == 1 ? "" : "s") << ", " << steps << " step" << (steps == 1 ? "" : "s");
  if (!result->warnings.empty()) {
    out << ", " << result->warnings.size() << " warning"
        << (result->warnings.size() == 1 ? "" : "s") << " (above)";
  }
  out << "\n";
  for (const core::convert::ConvertedFile& file : result->files) {
    out << "  " << (root / file.path).string();
    if (file.suite_name.empty()) {
      out << "  (a sample file for uploads: replace its content)\n";
    } else {
      out << "  " << file.suite_name << " (" << file.steps << " step"
          << (file.steps == 1 ? "" : "s") << ")\n";
    }
  }
  out << "check them with: flowtest validate " << args.output << "\n";
  return 0;
}

// The kinds of input, the options each takes and how it converts.
struct ImportKind {
  const char* name;
  std::vector<std::string> options;
  Converter convert;
};

const std::vector<ImportKind>& Kinds() {
  static const std::vector<ImportKind> kinds = {
      {"openapi",
       {"--output", "--base-url", "--tag", "--force"},
       [](const core::Document& doc, const ImportArgs& a) {
         return core::convert::ImportOpenApi(
             doc, core::convert::OpenApiImportOptions{.base_url = a.base_url, .tags = a.tags});
       }},
      {"postman",
       {"--output", "--single-suite", "--force"},
       [](const core::Document& doc, const ImportArgs& a) {
         return core::convert::ImportPostman(
             doc, core::convert::PostmanImportOptions{.single_suite = a.single_suite});
       }},
  };
  return kinds;
}

}  // namespace

int RunImportCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  if (args.empty()) {
    return Usage(err, core::InvalidArgument(
                          "name what to import: openapi, postman, or a directory of suites"));
  }
  const std::string& kind = args.front();
  if (kind == "-h" || kind == "--help" || kind == "help") {
    out << kUsage;
    return 0;
  }
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  std::vector<std::string> names;
  for (const ImportKind& k : Kinds()) {
    names.emplace_back(k.name);
    if (kind != k.name) continue;
    const core::Result<ImportArgs> parsed = ParseArgs(rest, k.options);
    if (!parsed) return Usage(err, parsed.error());
    if (parsed->help) {
      out << kUsage;
      return 0;
    }
    return Import(*parsed, k.convert, out, err);
  }
  // Not a kind: a directory (or suite file) to store in the run history.
  std::error_code ec;
  if (std::filesystem::exists(kind, ec)) return RunImportSuites(args, out, err);
  std::string hint = core::DidYouMean(kind, names);
  hint += std::string(hint.empty() ? "the" : " The") +
          " kinds are openapi (an OpenAPI 3 or Swagger 2 spec) and postman (a Postman collection "
          "v2.1); anything else names a directory of suites to store in the run history";
  return Usage(err,
               core::InvalidArgument("unknown import kind '" + kind + "' (and no such directory)", hint));
}

}  // namespace flow::cli
