// `flowtest run`: loads the config, discovers and validates suites, plans, runs them against
// real HTTP, prints the console report and writes results/latest.json.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace flow::cli {

// Returns the process exit code: 0 every selected suite passed, 1 a suite failed or could not
// be loaded, 2 usage or configuration error.
int RunRunCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

// `flowtest validate PATH...`: checks suite files and directories; 0 all valid, 1 otherwise.
int RunValidateCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace flow::cli
