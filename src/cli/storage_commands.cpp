#include "cli/storage_commands.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <iomanip>
#include <iterator>
#include <map>
#include <optional>
#include <set>
#include <sstream>

#include "adapters/sodium/checkpoint_cipher.hpp"
#include "adapters/sodium/password.hpp"
#include "adapters/storage/open_database.hpp"
#include "cli/age.hpp"
#include "cli/arg_cursor.hpp"
#include "cli/history_database.hpp"
#include "core/util/strings.hpp"
#include "core/util/time.hpp"

namespace flow::cli {
namespace {

using adapters::storage::MigrationStatus;
using adapters::storage::SqlDatabase;

constexpr std::size_t kMinPasswordLength = 8;

constexpr const char* kDatabaseHelp =
    "  --database URL       postgres://user:password@host:port/db, sqlite:PATH or a file path\n"
    "                       (default: $FLOWTEST_DATABASE_URL, else .flowtest/history.db)\n";

std::string MigrateUsage() {
  return std::string(R"(usage: flowtest migrate [--status] [--to N] [--database URL]

Brings the database's schema to the version this flowtest knows, applying each pending migration
in its own transaction and recording it in schema_migrations (flowtest also does this whenever
it opens a database). Several flowtest processes may migrate at once: each migration is applied
once. A database migrated by a newer flowtest is refused. See docs/data-model.md.

options:
  --status             list the migrations (applied, pending, or unknown to this flowtest:
                       applied by a newer one) and change nothing
  --to N               stop after version N (migrations are never undone: N below the current
                       version is an error)
)") + kDatabaseHelp +
         R"(  -h, --help           this help

exit status: 0 done, 1 database error (unreachable, newer than this flowtest), 2 usage error
)";
}

std::string UserUsage() {
  return std::string(R"(usage: flowtest user create --email EMAIL --name NAME --role ROLE [options]
       flowtest user list [--database URL]
       flowtest user roles [--database URL]

create adds an account (the first admin of a new installation, say) with an argon2id password
hash, and records it in the audit log. The email is stored lower-cased and must be new.
roles lists the roles the database was seeded with, most rights first.

options of create:
  --email EMAIL        the login (required)
  --name NAME          the display name (required)
  --role ROLE          admin, operator or viewer; repeat it or separate with commas (required)
  --password-stdin     read the password from standard input (its first line, at least 8
                       characters); without it a random password is made and printed once
)") + kDatabaseHelp +
         R"(  -h, --help           this help

exit status: 0 done, 1 database error or the email is taken, 2 usage error
)";
}

std::string DbUsage() {
  return std::string(R"(usage: flowtest db retention --older-than AGE [--database URL]
       flowtest db keygen

retention removes step logs older than AGE (30d, 12h, 2w; units s m h d w). PostgreSQL drops the
monthly partitions of step_log that ended before the cut (a month that straddles it is kept
whole); SQLite deletes the rows. Runs and their steps stay (see docs/data-model.md).
keygen prints a new random key for FLOWTEST_SECRET_KEY (32 bytes, base64), which encrypts run
checkpoints and MFA secrets at rest. Keep it out of the database and its backups.

options:
  --older-than AGE     the age of the oldest step logs to keep (required by retention)
)") + kDatabaseHelp +
         R"(  -h, --help           this help

exit status: 0 done, 1 database error, 2 usage error
)";
}

// The options of one command: those taking values (each may repeat) and switches.
struct Options {
  std::vector<std::string> positional;
  std::map<std::string, std::vector<std::string>> values;
  std::set<std::string> switches;

  std::optional<std::string> Last(const std::string& name) const {
    const auto it = values.find(name);
    if (it == values.end() || it->second.empty()) return std::nullopt;
    return it->second.back();
  }
  bool Has(const std::string& name) const { return switches.count(name) > 0; }
};

core::Result<Options> ParseOptions(const std::vector<std::string>& args,
                                   const std::vector<std::string>& with_value,
                                   const std::vector<std::string>& switches) {
  Options out;
  ArgCursor cursor(args);
  while (cursor.Next()) {
    if (cursor.option().empty()) {
      out.positional.push_back(cursor.positional());
      continue;
    }
    std::string name = cursor.option();
    if (name == "-h") name = "--help";
    if (name == "--help" ||
        std::find(switches.begin(), switches.end(), name) != switches.end()) {
      FLOW_TRY_VOID(cursor.NoValue());
      out.switches.insert(name);
      continue;
    }
    if (std::find(with_value.begin(), with_value.end(), name) == with_value.end()) {
      std::vector<std::string> known = with_value;
      known.insert(known.end(), switches.begin(), switches.end());
      known.emplace_back("--help");
      return cursor.Unknown(known);
    }
    core::Result<std::string> value = cursor.Value();
    if (!value) return std::move(value).error();
    out.values[name].push_back(std::move(*value));
  }
  return out;
}

void PrintError(std::ostream& err, std::string_view command, const core::Error& error) {
  err << "flowtest " << command << ": error: " << error.message << "\n";
  if (!error.hint.empty()) err << "  hint: " << error.hint << "\n";
}

core::Result<std::unique_ptr<SqlDatabase>> Open(const Options& options, bool migrate) {
  const std::string url = ChosenDatabaseUrl(options.Last("--database").value_or(""));
  core::Result<std::unique_ptr<SqlDatabase>> opened =
      adapters::storage::OpenSqlDatabase(url, adapters::storage::DatabaseOptions{.migrate = migrate});
  if (!opened) {
    core::Error e = std::move(opened).error();
    e.message = "the database " + RedactDatabaseUrl(url) + ": " + e.message;
    return e;
  }
  return opened;
}

std::string Joined(const std::vector<std::string>& items, std::string_view separator) {
  std::string out;
  for (const std::string& item : items) {
    if (!out.empty()) out += separator;
    out += item;
  }
  return out;
}

std::int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string VersionText(int version) {
  std::ostringstream text;
  text << std::setw(4) << std::setfill('0') << version;
  return text.str();
}

void PrintStatus(SqlDatabase& db, const std::vector<MigrationStatus>& statuses, int current,
                 std::ostream& out) {
  out << db.Dialect() << " database " << db.Location() << ": schema version " << current
      << ", this flowtest knows " << db.LatestSchemaVersion() << "\n";
  std::size_t width = 4;
  for (const MigrationStatus& s : statuses) width = std::max(width, s.name.size());
  out << "VERSION  " << std::left << std::setw(static_cast<int>(width)) << "NAME"
      << "  STATUS   APPLIED AT\n";
  for (const MigrationStatus& s : statuses) {
    out << std::left << std::setw(9) << VersionText(s.version) << std::setw(static_cast<int>(width))
        << s.name << "  ";
    if (!s.known) {
      out << "unknown  " << (s.applied_at ? core::FormatIsoUtc(*s.applied_at) : "")
          << "  (applied by a newer flowtest)\n";
    } else if (s.applied) {
      out << "applied  " << (s.applied_at ? core::FormatIsoUtc(*s.applied_at) : "") << "\n";
    } else {
      out << "pending\n";
    }
  }
}

int Migrate(const Options& options, std::ostream& out, std::ostream& err) {
  std::optional<int> target;
  if (const auto to = options.Last("--to")) {
    int n = 0;
    const auto [end, ec] = std::from_chars(to->data(), to->data() + to->size(), n);
    if (ec != std::errc() || end != to->data() + to->size() || n < 0) {
      PrintUsageError(err, "migrate", core::InvalidArgument("--to takes a version number, got '" + *to + "'"));
      return 2;
    }
    target = n;
  }
  core::Result<std::unique_ptr<SqlDatabase>> db = Open(options, /*migrate=*/false);
  if (!db) {
    PrintError(err, "migrate", db.error());
    return 1;
  }
  core::Result<int> current = (*db)->SchemaVersion();
  if (!current) {
    PrintError(err, "migrate", current.error());
    return 1;
  }
  if (options.Has("--status")) {
    core::Result<std::vector<MigrationStatus>> statuses = (*db)->MigrationStatuses();
    if (!statuses) {
      PrintError(err, "migrate", statuses.error());
      return 1;
    }
    PrintStatus(**db, *statuses, *current, out);
    return 0;
  }
  if (target && (*target > (*db)->LatestSchemaVersion() || *target < *current)) {
    PrintUsageError(err, "migrate",
                    core::InvalidArgument(
                        "--to " + std::to_string(*target) + " is outside the versions this can reach (" +
                            std::to_string(*current) + " to " +
                            std::to_string((*db)->LatestSchemaVersion()) + ")",
                        "migrations are never undone: restore a backup to go back"));
    return 2;
  }
  core::Result<std::vector<MigrationStatus>> applied = (*db)->Migrate(target);
  if (!applied) {
    PrintError(err, "migrate", applied.error());
    return 1;
  }
  for (const MigrationStatus& m : *applied) out << "applied " << m.name << "\n";
  core::Result<int> now = (*db)->SchemaVersion();
  if (!now) {
    PrintError(err, "migrate", now.error());
    return 1;
  }
  out << (*db)->Dialect() << " database " << (*db)->Location() << ": schema version " << *now
      << (applied->empty() ? " (up to date)" : "") << "\n";
  return 0;
}

// The password from the first line of `in` (a final CR is dropped).
core::Result<std::string> PasswordFromStdin(std::istream& in) {
  std::string line;
  if (!std::getline(in, line)) {
    return core::InvalidArgument("--password-stdin: standard input is empty");
  }
  if (!line.empty() && line.back() == '\r') line.pop_back();
  if (line.size() < kMinPasswordLength) {
    return core::InvalidArgument("the password is shorter than " +
                                 std::to_string(kMinPasswordLength) + " characters");
  }
  return line;
}

std::vector<std::string> RolesOf(const Options& options) {
  std::vector<std::string> roles;
  const auto it = options.values.find("--role");
  if (it == options.values.end()) return roles;
  for (const std::string& value : it->second) {
    for (std::string_view part : core::Split(value, ',')) {
      const std::string role = core::ToLower(core::Trim(part));
      if (!role.empty()) roles.push_back(role);
    }
  }
  return roles;
}

int CreateUser(const Options& options, std::istream& in, std::ostream& out, std::ostream& err) {
  const std::optional<std::string> email = options.Last("--email");
  const std::optional<std::string> name = options.Last("--name");
  const std::vector<std::string> roles = RolesOf(options);
  for (const auto& [given, what] : {std::pair{email.has_value(), "--email"},
                                    std::pair{name.has_value(), "--name"},
                                    std::pair{!roles.empty(), "--role"}}) {
    if (!given) {
      PrintUsageError(err, "user", core::InvalidArgument(std::string("user create needs ") + what));
      return 2;
    }
  }
  std::string password;
  const bool generated = !options.Has("--password-stdin");
  if (generated) {
    password = adapters::RandomPassword();
  } else {
    core::Result<std::string> read = PasswordFromStdin(in);
    if (!read) {
      PrintUsageError(err, "user", read.error());
      return 2;
    }
    password = std::move(*read);
  }
  core::Result<std::string> hash = adapters::HashPassword(password);
  if (!hash) {
    PrintError(err, "user", hash.error());
    return hash.error().code == core::ErrorCode::kInvalidArgument ? 2 : 1;
  }
  core::Result<std::unique_ptr<SqlDatabase>> db = Open(options, /*migrate=*/true);
  if (!db) {
    PrintError(err, "user", db.error());
    return 1;
  }
  core::Result<service::UserRecord> user = (*db)->users().CreateUser(
      service::UserRecord{.email = *email, .name = *name, .password_hash = *hash, .roles = roles});
  if (!user) {
    PrintError(err, "user", user.error());
    return user.error().code == core::ErrorCode::kInvalidArgument ? 2 : 1;
  }
  core::Value role_list = core::Value::array();
  for (const std::string& role : user->roles) role_list.push_back(role);
  core::Result<service::AuditRecord> audited = (*db)->audit().Append(service::AuditRecord{
      .action = "user.create",
      .target_type = "user",
      .target_id = user->id,
      .metadata = core::Value{{"email", user->email}, {"roles", role_list}, {"via", "cli"}},
      .user_agent = "flowtest-cli"});
  if (!audited) {
    PrintError(err, "user", audited.error());
    return 1;
  }
  out << "created user " << user->email << " (id " << user->id << ", roles "
      << Joined(user->roles, ", ") << ")\n";
  if (generated) {
    out << "password: " << password << "\n"
        << "(shown only now: keep it somewhere safe, or run again with --password-stdin)\n";
  }
  return 0;
}

// Opens the database, reads a list from its user store with `read` and prints each item with
// `print`; a failure is printed as `flowtest user: error: ...` (exit status 1).
template <typename Read, typename Print>
int ListFromUsers(const Options& options, std::ostream& err, Read read, Print print) {
  core::Result<std::unique_ptr<SqlDatabase>> db = Open(options, /*migrate=*/true);
  if (!db) {
    PrintError(err, "user", db.error());
    return 1;
  }
  auto items = read((*db)->users());
  if (!items) {
    PrintError(err, "user", items.error());
    return 1;
  }
  for (const auto& item : *items) print(item);
  return 0;
}

int ListUsers(const Options& options, std::ostream& out, std::ostream& err) {
  bool any = false;
  const int code = ListFromUsers(
      options, err, [](service::UserStore& users) { return users.ListUsers(); },
      [&](const service::UserRecord& u) {
        any = true;
        out << u.email << "\t" << u.name << "\t" << Joined(u.roles, ",") << "\t"
            << (u.disabled ? "disabled" : "active") << "\t" << core::FormatIsoUtc(u.created_at)
            << "\n";
      });
  if (code == 0 && !any) err << "no users (create the first admin with 'flowtest user create')\n";
  return code;
}

int ListRoles(const Options& options, std::ostream& out, std::ostream& err) {
  return ListFromUsers(
      options, err, [](service::UserStore& users) { return users.ListRoles(); },
      [&](const service::RoleRecord& role) {
        out << role.name << "\t" << role.description << "\n";
      });
}

int Retention(const Options& options, std::ostream& out, std::ostream& err) {
  const std::optional<std::string> older = options.Last("--older-than");
  if (!older) {
    PrintUsageError(err, "db", core::InvalidArgument("db retention needs --older-than AGE (30d, for one)"));
    return 2;
  }
  core::Result<std::int64_t> age = ParseAge(*older, "--older-than");
  if (!age) {
    PrintUsageError(err, "db", age.error());
    return 2;
  }
  core::Result<std::unique_ptr<SqlDatabase>> db = Open(options, /*migrate=*/true);
  if (!db) {
    PrintError(err, "db", db.error());
    return 1;
  }
  const std::int64_t cutoff = NowMs() - *age;
  core::Result<adapters::storage::RetentionResult> done = (*db)->DropStepLogsBefore(cutoff);
  if (!done) {
    PrintError(err, "db", done.error());
    return 1;
  }
  core::Value dropped = core::Value::array();
  for (const std::string& p : done->dropped_partitions) dropped.push_back(p);
  core::Result<service::AuditRecord> audited = (*db)->audit().Append(service::AuditRecord{
      .action = "db.retention",
      .target_type = "step_log",
      .metadata = core::Value{{"cutoff", core::FormatIsoUtc(cutoff)},
                              {"dropped_partitions", dropped},
                              {"deleted_rows", done->deleted_rows}},
      .user_agent = "flowtest-cli"});
  if (!audited) {
    PrintError(err, "db", audited.error());
    return 1;
  }
  out << "step logs before " << core::FormatIsoUtc(cutoff) << ": ";
  if ((*db)->Dialect() == "postgres") {
    out << done->dropped_partitions.size() << " partition(s) dropped";
    if (!done->dropped_partitions.empty()) out << " (" << Joined(done->dropped_partitions, ", ") << ")";
  } else {
    out << done->deleted_rows << " row(s) deleted";
  }
  out << "\n";
  return 0;
}

// The subcommand (first positional argument) and its options, or the exit code of a usage error
// or of --help.
struct Invocation {
  std::string subcommand;
  Options options;
};
std::optional<int> ParseSubcommand(const std::vector<std::string>& args, std::string_view command,
                                   const std::string& usage,
                                   const std::map<std::string, std::pair<std::vector<std::string>,
                                                                         std::vector<std::string>>>& subcommands,
                                   Invocation& into, std::ostream& out, std::ostream& err) {
  if (args.empty() || args[0] == "-h" || args[0] == "--help") {
    (args.empty() ? err : out) << usage;
    return args.empty() ? 2 : 0;
  }
  const auto it = subcommands.find(args[0]);
  if (it == subcommands.end()) {
    std::vector<std::string> names;
    for (const auto& [name, _] : subcommands) names.push_back(name);
    PrintUsageError(err, command,
                    core::InvalidArgument("unknown subcommand '" + args[0] + "'",
                                          core::DidYouMean(args[0], names)));
    return 2;
  }
  core::Result<Options> options = ParseOptions(
      std::vector<std::string>(args.begin() + 1, args.end()), it->second.first, it->second.second);
  if (!options) {
    PrintUsageError(err, command, options.error());
    return 2;
  }
  if (options->Has("--help")) {
    out << usage;
    return 0;
  }
  if (!options->positional.empty()) {
    PrintUsageError(err, command,
                    core::InvalidArgument("unexpected argument '" + options->positional[0] + "'"));
    return 2;
  }
  into = Invocation{.subcommand = args[0], .options = std::move(*options)};
  return std::nullopt;
}

}  // namespace

int RunMigrateCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  core::Result<Options> options = ParseOptions(args, {"--database", "--to"}, {"--status"});
  if (!options) {
    PrintUsageError(err, "migrate", options.error());
    return 2;
  }
  if (options->Has("--help")) {
    out << MigrateUsage();
    return 0;
  }
  if (!options->positional.empty()) {
    PrintUsageError(err, "migrate",
                    core::InvalidArgument("unexpected argument '" + options->positional[0] + "'"));
    return 2;
  }
  return Migrate(*options, out, err);
}

int RunUserCommand(const std::vector<std::string>& args, std::istream& in, std::ostream& out,
                   std::ostream& err) {
  Invocation call;
  if (const std::optional<int> code = ParseSubcommand(
          args, "user", UserUsage(),
          {{"create", {{"--database", "--email", "--name", "--role"}, {"--password-stdin"}}},
           {"list", {{"--database"}, {}}},
           {"roles", {{"--database"}, {}}}},
          call, out, err)) {
    return *code;
  }
  if (call.subcommand == "create") return CreateUser(call.options, in, out, err);
  if (call.subcommand == "roles") return ListRoles(call.options, out, err);
  return ListUsers(call.options, out, err);
}

int RunDbCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  Invocation call;
  if (const std::optional<int> code = ParseSubcommand(
          args, "db", DbUsage(),
          {{"retention", {{"--database", "--older-than"}, {}}}, {"keygen", {{}, {}}}}, call, out,
          err)) {
    return *code;
  }
  if (call.subcommand == "keygen") {
    out << adapters::NewSecretKeyText() << "\n";
    return 0;
  }
  return Retention(call.options, out, err);
}

}  // namespace flow::cli
