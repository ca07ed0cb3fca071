// flowtest: the command-line entry point. Builds nothing itself: each command's function wires
// its adapters (the composition roots) and returns the exit code.
#include <filesystem>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/script_mozjs/helper/helper_main.hpp"
#include "cli/export_command.hpp"
#include "cli/fmt_command.hpp"
#include "cli/graph_command.hpp"
#include "cli/import_command.hpp"
#include "cli/init_command.hpp"
#include "cli/jp_command.hpp"
#include "cli/run_command.hpp"
#include "cli/runs_command.hpp"
#include "cli/schema_command.hpp"
#include "cli/storage_commands.hpp"
#include "core/util/strings.hpp"

namespace {

constexpr const char* kVersion = "0.1.0";

void PrintHelp(std::ostream& out) {
  out << "flowtest " << kVersion << ": API flow tests from YAML suites (Flow Test Engine format)\n\n"
      << "usage: flowtest <command> [arguments]\n\n"
      << "commands:\n"
      << "  run [PATH...]         run suites (files or directories); see 'flowtest run --help'\n"
      << "  validate PATH...      check suites without running them\n"
      << "  runs list|show|steps|export|purge\n"
      << "                        the recorded run history; see 'flowtest runs --help'\n"
      << "  init [DIR]            create a project: config, a starter suite, .gitignore\n"
      << "  graph [PATH...]       draw how suites depend on and call each other (mermaid, dot)\n"
      << "  fmt [PATH...]         rewrite suites canonically (--check, --diff)\n"
      << "  schema [--config]     print the JSON Schema of suites (or of the config file)\n"
      << "  jp EXPRESSION [FILE]  evaluate a JMESPath expression on JSON (stdin by default)\n"
      << "  import openapi SPEC   suites from an OpenAPI 3 / Swagger 2 spec; see 'flowtest import --help'\n"
      << "  import postman FILE   suites from a Postman collection v2.1\n"
      << "  import DIR            store the suites of DIR as versions in the run history\n"
      << "  export postman [PATH] suites as a Postman collection v2.1; see 'flowtest export --help'\n"
      << "  migrate [--status]    bring the database's schema up to date (or list the migrations)\n"
      << "  user create|list      accounts: 'flowtest user create --email E --name N --role admin'\n"
      << "  db retention|keygen   drop old step logs (--older-than 30d); make a FLOWTEST_SECRET_KEY\n"
      << "  version               print the version\n"
      << "  help                  this help\n\n"
      << "The original engine's form works too: 'flowtest [FILE] [--config X] [flags]' runs.\n";
}

}  // namespace

int main(int argc, char** argv) {
  // The hidden mode of the JavaScript sandbox: flowtest re-executed as a confined helper.
  if (argc > 1 && std::string_view(argv[1]) == "__sandbox-helper") {
    return flow::adapters::sandbox::RunSandboxHelper(argc, argv);
  }
  std::ios::sync_with_stdio(false);
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) {
    // Like `fest` without arguments: run with the config of the current directory.
    return flow::cli::RunRunCommand({}, std::cout, std::cerr);
  }
  const std::string command = args.front();
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  int code = 0;
  if (command == "run") {
    code = flow::cli::RunRunCommand(rest, std::cout, std::cerr);
  } else if (command == "runs") {
    code = flow::cli::RunRunsCommand(rest, std::cout, std::cerr);
  } else if (command == "validate") {
    code = flow::cli::RunValidateCommand(rest, std::cout, std::cerr);
  } else if (command == "init") {
    code = flow::cli::RunInitCommand(rest, std::cout, std::cerr);
  } else if (command == "graph") {
    code = flow::cli::RunGraphCommand(rest, std::cout, std::cerr);
  } else if (command == "fmt") {
    code = flow::cli::RunFmtCommand(rest, std::cout, std::cerr);
  } else if (command == "schema") {
    code = flow::cli::RunSchemaCommand(rest, std::cout, std::cerr);
  } else if (command == "import") {
    code = flow::cli::RunImportCommand(rest, std::cout, std::cerr);
  } else if (command == "export") {
    code = flow::cli::RunExportCommand(rest, std::cout, std::cerr);
  } else if (command == "jp") {
    code = flow::cli::RunJpCommand(rest, std::cin, std::cout, std::cerr);
  } else if (command == "migrate") {
    code = flow::cli::RunMigrateCommand(rest, std::cout, std::cerr);
  } else if (command == "user") {
    code = flow::cli::RunUserCommand(rest, std::cin, std::cout, std::cerr);
  } else if (command == "db") {
    code = flow::cli::RunDbCommand(rest, std::cout, std::cerr);
  } else if (command == "help" || command == "-h" || command == "--help") {
    PrintHelp(std::cout);
  } else if (command == "version" || command == "-v" || command == "--version") {
    std::cout << "flowtest " << kVersion << " (Flow Test Engine 3.0 suite format)\n";
  } else if (flow::core::StartsWith(command, "-") || command.find('.') != std::string::npos ||
             command.find('/') != std::string::npos || std::filesystem::exists(command)) {
    // fest-style: flags or a suite file without the command word.
    code = flow::cli::RunRunCommand(args, std::cout, std::cerr);
  } else {
    std::cerr << "flowtest: error: unknown command '" << command << "'\n";
    const std::string hint = flow::core::DidYouMean(
        command, {"run", "runs", "validate", "init", "graph", "fmt", "schema", "jp", "import",
                  "export", "migrate", "user", "db", "version", "help"});
    if (!hint.empty()) std::cerr << "  hint: " << hint << "\n";
    std::cerr << "run 'flowtest help' for the commands\n";
    code = 2;
  }
  std::cout.flush();
  return code;
}
