// `flowtest import DIR`: the suites under DIR (found and loaded as `flowtest run` finds and loads
// them) stored as versions in the run history's database (OpenHistoryDatabase), a new version
// only for a suite whose text changed (same yaml_hash: the existing version). A composition root.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace flow::cli {

// `args`: DIR... [-c CONFIG] [--database URL]. Prints one line per suite (new or unchanged, its
// version) and a summary. Exit status: 0 every suite stored, 1 a suite could not be loaded or
// the database failed, 2 usage error.
int RunImportSuites(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace flow::cli
