// The operator's commands on the database (docs/data-model.md, docs/cli.md): composition roots
// over adapters/storage's OpenSqlDatabase. Each takes --database URL (default
// $FLOWTEST_DATABASE_URL, else .flowtest/history.db).
//   flowtest migrate [--status] [--to N]          apply the pending migrations, or list them
//   flowtest user create --email E --name N --role R [--password-stdin]
//   flowtest user list
//   flowtest db retention --older-than AGE        remove old step_log rows / partitions
//   flowtest db keygen                            print a new FLOWTEST_SECRET_KEY
#pragma once

#include <istream>
#include <ostream>
#include <string>
#include <vector>

namespace flow::cli {

// 0 done, 1 a database error (unreachable, newer than this flowtest, ...), 2 usage error.
int RunMigrateCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);
// `in` is read for --password-stdin.
int RunUserCommand(const std::vector<std::string>& args, std::istream& in, std::ostream& out,
                   std::ostream& err);
int RunDbCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace flow::cli
