// `flowtest runs list|show|steps|export|purge`: the run history that `flowtest run` records
// (docs/history.md), read through the use cases of service/runs from the database that
// OpenHistoryDatabase chooses. A composition root.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace flow::cli {

// Exit status: 0 done, 1 the run or the database could not be found or read, 2 usage error.
int RunRunsCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace flow::cli
