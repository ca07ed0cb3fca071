#include "cli/runs_command.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <functional>
#include <map>
#include <memory>
#include <optional>

#include "cli/age.hpp"
#include "cli/arg_cursor.hpp"
#include "cli/history_database.hpp"
#include "cli/since.hpp"
#include "core/diagnostic.hpp"
#include "core/report/report_files.hpp"
#include "core/run/outcome_json.hpp"
#include "core/util/strings.hpp"
#include "core/util/time.hpp"
#include "service/runs/run_export.hpp"
#include "service/runs/run_history.hpp"
#include "service/runs/run_recorder.hpp"

namespace flow::cli {
namespace {

using service::RunRecord;
using service::StepNode;
using service::StepRunRecord;
using Value = core::Value;

constexpr const char* kUsage = R"(usage: flowtest runs list [--suite NODE_ID] [--status STATUS] [--since AGE|DATE] [--batch ID]
                          [--limit N] [--json]
       flowtest runs show ID [--json]
       flowtest runs steps ID [--json]
       flowtest runs export ID [--format json|junit|html] [-o FILE]
       flowtest runs purge --older-than AGE [--dry-run]

The runs that 'flowtest run' recorded (docs/history.md). Every subcommand takes
--database URL (default: $FLOWTEST_DATABASE_URL, else .flowtest/history.db).

subcommands:
  list     the runs, newest first: one line per suite run
             --suite NODE_ID    only the runs of this suite
             --status STATUS    queued, running, waiting_input, completed, failed, cancelled
             --since AGE|DATE   only runs queued since then: 7d, 12h, 2w, or a UTC date or
                                time (2026-12-01, 2026-12-01T08:30)
             --batch ID         only the runs of one 'flowtest run' invocation
             --limit N          at most N runs (default 20)
  show     one run: its suite and version, status, times, steps (as a tree), failures,
           variables and logs
  steps    the steps of a run, in the order they finished (--json: every recorded column,
           request and response included)
  export   a run, or a whole invocation (by its batch id), as the report the run wrote
             -f, --format F     json (default; results/latest.json's shape), junit, html
             -o, --output FILE  write FILE instead of standard output
  purge    delete the runs queued more than AGE ago (30d, 12h, 2w), with their steps, logs,
           variables and events; --dry-run only counts them

IDs: a run or batch id, or a unique prefix of one (at least 4 characters).
--json prints JSON instead of text (list, show, steps).

exit status: 0 done, 1 not found or the database failed, 2 usage error
)";

constexpr std::size_t kDefaultLimit = 20;

struct RunsArgs {
  std::string subcommand;
  std::string id;
  std::string database;
  bool json = false;
  bool dry_run = false;
  std::string suite;
  std::optional<service::RunStatus> status;
  std::string since;
  std::string batch;
  std::size_t limit = kDefaultLimit;
  std::string format = "json";
  std::string output;
  std::string older_than;
};

// The options each subcommand takes (--database is everyone's).
const std::map<std::string, std::vector<std::string>>& Subcommands() {
  static const std::map<std::string, std::vector<std::string>> subcommands = {
      {"list", {"--suite", "--status", "--since", "--batch", "--limit", "--json", "--database"}},
      {"show", {"--json", "--database"}},
      {"steps", {"--json", "--database"}},
      {"export", {"--format", "--output", "--database"}},
      {"purge", {"--older-than", "--dry-run", "--database"}},
  };
  return subcommands;
}

bool TakesId(const std::string& subcommand) {
  return subcommand == "show" || subcommand == "steps" || subcommand == "export";
}

core::Result<RunsArgs> ParseArgs(const std::vector<std::string>& args) {
  RunsArgs out;
  out.subcommand = args.front();
  const auto known = Subcommands().find(out.subcommand);
  if (known == Subcommands().end()) {
    std::vector<std::string> names;
    for (const auto& [name, options] : Subcommands()) names.push_back(name);
    return core::InvalidArgument("unknown subcommand '" + out.subcommand + "'",
                                 core::DidYouMean(out.subcommand, names));
  }
  const std::vector<std::string>& allowed = known->second;
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  ArgCursor cursor(rest);
  while (cursor.Next()) {
    if (cursor.option().empty()) {
      if (!TakesId(out.subcommand) || !out.id.empty()) {
        return core::InvalidArgument("unexpected argument '" + cursor.positional() + "'");
      }
      out.id = cursor.positional();
      continue;
    }
    std::string option = cursor.option();
    if (option == "-f") option = "--format";
    if (option == "-o") option = "--output";
    if (std::find(allowed.begin(), allowed.end(), option) == allowed.end()) {
      core::Error e = cursor.Unknown(allowed);
      e.message += " for 'runs " + out.subcommand + "'";
      return e;
    }
    if (option == "--json" || option == "--dry-run") {
      FLOW_TRY_VOID(cursor.NoValue());
      (option == "--json" ? out.json : out.dry_run) = true;
      continue;
    }
    core::Result<std::string> value = cursor.Value();
    if (!value) return std::move(value).error();
    if (option == "--database") {
      out.database = *value;
    } else if (option == "--suite") {
      out.suite = *value;
    } else if (option == "--since") {
      out.since = *value;
    } else if (option == "--batch") {
      out.batch = *value;
    } else if (option == "--format") {
      out.format = *value;
    } else if (option == "--output") {
      out.output = *value;
    } else if (option == "--older-than") {
      out.older_than = *value;
    } else if (option == "--status") {
      out.status = service::Parse<service::RunStatus>(core::ToLower(*value));
      if (!out.status) {
        const std::vector<std::string> names = {"queued", "running", "waiting_input",
                                                "completed", "failed", "cancelled"};
        return core::InvalidArgument("unknown run status '" + *value + "'",
                                     core::DidYouMean(core::ToLower(*value), names) +
                                         " (statuses: queued, running, waiting_input, "
                                         "completed, failed, cancelled)");
      }
    } else {  // --limit
      int limit = 0;
      const auto [end, ec] = std::from_chars(value->data(), value->data() + value->size(), limit);
      if (ec != std::errc() || end != value->data() + value->size() || limit <= 0) {
        return core::InvalidArgument("--limit needs a whole number above 0, got '" + *value + "'");
      }
      out.limit = static_cast<std::size_t>(limit);
    }
  }
  if (TakesId(out.subcommand) && out.id.empty()) {
    return core::InvalidArgument("'runs " + out.subcommand + "' needs the id of a run",
                                 "'flowtest runs list' shows the run ids");
  }
  if (out.subcommand == "purge" && out.older_than.empty()) {
    return core::InvalidArgument("'runs purge' needs --older-than AGE",
                                 "for example: flowtest runs purge --older-than 30d");
  }
  return out;
}

std::int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string Short(const std::string& id) { return id.substr(0, 8); }

std::string Time(std::optional<std::int64_t> unix_ms) {
  if (!unix_ms || *unix_ms == 0) return "-";
  std::string iso = core::FormatIsoUtc(*unix_ms);  // 2026-12-04T14:22:56.123Z
  return iso.substr(0, 10) + " " + iso.substr(11, 8);
}

Value JsonTime(std::optional<std::int64_t> unix_ms) {
  if (!unix_ms || *unix_ms == 0) return nullptr;
  return core::FormatIsoUtc(*unix_ms);
}

std::string Duration(double ms) {
  char buf[32];
  if (ms < 1000) {
    std::snprintf(buf, sizeof buf, "%.0f ms", ms);
  } else if (ms < 60'000) {
    std::snprintf(buf, sizeof buf, "%.1f s", ms / 1000);
  } else {
    const long long s = static_cast<long long>(ms / 1000);
    std::snprintf(buf, sizeof buf, "%lldm %02llds", s / 60, s % 60);
  }
  return buf;
}

std::size_t Count(const Value& summary, const char* key) {
  const auto it = summary.find(key);
  return it != summary.end() && it->is_number_unsigned() ? it->get<std::size_t>() : 0;
}

// "3 passed, 1 failed" from a result_summary; "-" before the run ended.
std::string StepCounts(const RunRecord& run) {
  const Value& s = run.result_summary;
  if (!s.is_object() || !s.contains("steps_reported")) return "-";
  if (s.contains(service::kSummaryLoadErrors)) return "not loaded";
  std::string out;
  const auto add = [&](const char* key, const char* word) {
    const std::size_t n = Count(s, key);
    if (n == 0) return;
    out += (out.empty() ? "" : ", ") + std::to_string(n) + " " + word;
  };
  add("steps_successful", "passed");
  add("steps_failed", "failed");
  add("steps_errored", "errored");
  add("steps_skipped", "skipped");
  return out.empty() ? "no steps" : out;
}

double RunDuration(const RunRecord& run) {
  if (run.result_summary.is_object() && run.result_summary.contains("duration_ms")) {
    return run.result_summary.value("duration_ms", 0.0);
  }
  if (run.started_at && run.finished_at) {
    return static_cast<double>(*run.finished_at - *run.started_at);
  }
  return 0;
}

Value RunJson(const RunRecord& run) {
  Value out = {{"id", run.id},
               {"batch_id", run.batch_id},
               {"node_id", run.node_id},
               {"suite_name", run.suite_name},
               {"version_id", run.version_id},
               {"status", service::Name(run.status)},
               {"trigger_source", service::Name(run.trigger_source)},
               {"priority", service::Name(run.priority)},
               {"requested_by", run.requested_by},
               {"queued_at", JsonTime(run.queued_at)},
               {"started_at", JsonTime(run.started_at)},
               {"finished_at", JsonTime(run.finished_at)},
               {"duration_ms", RunDuration(run)},
               {"retry_of", run.retry_of ? Value(*run.retry_of) : Value()}};
  Value steps = Value::object();
  for (const char* key : {"steps_reported", "steps_successful", "steps_failed", "steps_errored",
                          "steps_skipped"}) {
    if (run.result_summary.is_object() && run.result_summary.contains(key)) {
      steps[std::string(key).substr(6)] = run.result_summary[key];
    }
  }
  out["steps"] = std::move(steps);
  return out;
}

Value StepJson(const StepRunRecord& step) {
  return {{"id", step.id},
          {"seq", step.seq},
          {"step_index", step.step_index},
          {"step_name", step.step_name},
          {"status", service::Name(step.status)},
          {"depth", step.depth},
          {"iteration", step.iteration ? Value(*step.iteration) : Value()},
          {"parent_step_id", step.parent_step_id},
          {"started_at", JsonTime(step.started_at)},
          {"finished_at", JsonTime(step.finished_at)},
          {"duration_ms", step.duration_ms},
          {"attempt", step.attempt},
          {"request", step.request_snapshot},
          {"response", step.response_snapshot},
          {"assertions", step.assertions},
          {"captures", step.captures},
          {"error", step.error_details}};
}

Value StepTreeJson(const std::vector<StepNode>& nodes) {
  Value out = Value::array();
  for (const StepNode& node : nodes) {
    Value step = StepJson(node.step);
    if (!node.children.empty()) step["steps"] = StepTreeJson(node.children);
    out.push_back(std::move(step));
  }
  return out;
}

// The step's status as its report says it ("error" apart from "failure"), and why it failed.
struct StepView {
  std::string status;
  std::string why;
};

StepView ViewOf(const StepRunRecord& step) {
  core::Result<core::StepOutcome> outcome = core::StepOutcomeFromJson(service::StoredStepOutcome(step));
  if (!outcome) return {std::string(service::Name(step.status)), ""};
  return {std::string(core::StepStatusName(outcome->status)),
          outcome->status == core::StepStatus::kSkipped ? outcome->skip_reason
                                                        : outcome->FailureSummary()};
}

void PrintStepLine(std::ostream& out, const StepRunRecord& step, std::size_t indent) {
  const StepView view = ViewOf(step);
  char status[16];
  std::snprintf(status, sizeof status, "%-8s", view.status.c_str());
  out << std::string(indent, ' ') << status << "  " << step.step_name << "  ("
      << Duration(step.duration_ms) << (step.attempt > 1 ? ", " + std::to_string(step.attempt) +
                                                               " attempts"
                                                         : "")
      << ")";
  if (!view.why.empty()) out << "\n" << std::string(indent + 10, ' ') << view.why;
  out << "\n";
}

void PrintTree(std::ostream& out, const std::vector<StepNode>& nodes, std::size_t indent) {
  for (const StepNode& node : nodes) {
    PrintStepLine(out, node.step, indent);
    PrintTree(out, node.children, indent + 4);
  }
}

int Fail(std::ostream& err, const core::Error& e) {
  err << "flowtest runs: error: " << e.message << "\n";
  if (!e.hint.empty()) err << "  hint: " << e.hint << "\n";
  return e.code == core::ErrorCode::kInvalidArgument ? 2 : 1;
}

int List(const RunsArgs& args, service::RunHistory& history, std::ostream& out,
         std::ostream& err) {
  service::RunFilter filter{.status = args.status, .node_id = args.suite, .limit = args.limit};
  if (!args.since.empty()) {
    core::Result<std::int64_t> since = ParseSince(args.since, NowMs(), "--since");
    if (!since) return Fail(err, since.error());
    filter.queued_after = *since - 1;
  }
  if (!args.batch.empty()) {
    core::Result<std::string> batch = history.FindBatch(args.batch);
    if (!batch) return Fail(err, batch.error());
    filter.batch_id = *batch;
  }
  core::Result<std::vector<RunRecord>> runs = history.List(filter);
  if (!runs) return Fail(err, runs.error());
  if (args.json) {
    Value list = Value::array();
    for (const RunRecord& run : *runs) list.push_back(RunJson(run));
    out << core::DumpJson(list, 2) << "\n";
    return 0;
  }
  if (runs->empty()) {
    out << "no runs recorded" << (filter.status || !filter.node_id.empty() || filter.queued_after ||
                                          !filter.batch_id.empty()
                                      ? " match the filters"
                                      : " yet")
        << "\n";
    return 0;
  }
  std::size_t suite_width = 5;
  for (const RunRecord& run : *runs) suite_width = std::max(suite_width, run.node_id.size());
  char line[512];
  std::snprintf(line, sizeof line, "%-8s  %-8s  %-*s  %-13s  %-19s  %9s  %s\n", "RUN", "BATCH",
                static_cast<int>(suite_width), "SUITE", "STATUS", "STARTED", "DURATION", "STEPS");
  out << line;
  for (const RunRecord& run : *runs) {
    std::snprintf(line, sizeof line, "%-8s  %-8s  %-*s  %-13s  %-19s  %9s  ", Short(run.id).c_str(),
                  Short(run.batch_id).c_str(), static_cast<int>(suite_width),
                  run.node_id.c_str(), std::string(service::Name(run.status)).c_str(),
                  Time(run.started_at ? run.started_at : run.queued_at).c_str(),
                  Duration(RunDuration(run)).c_str());
    out << line << StepCounts(run) << "\n";
  }
  if (runs->size() == filter.limit) {
    out << "(the newest " << filter.limit << "; --limit N shows more)\n";
  }
  return 0;
}

int Show(const RunsArgs& args, service::RunHistory& history, std::ostream& out,
         std::ostream& err) {
  core::Result<RunRecord> run = history.FindRun(args.id);
  if (!run) return Fail(err, run.error());
  core::Result<service::RunDetails> details = history.Show(*run);
  if (!details) return Fail(err, details.error());
  const service::RunDetails& d = *details;
  if (args.json) {
    Value json = RunJson(d.run);
    if (d.version) {
      json["version"] = {{"id", d.version->id},
                         {"version", d.version->version},
                         {"yaml_hash", d.version->yaml_hash},
                         {"created_at", JsonTime(d.version->created_at)}};
    }
    json["result_summary"] = d.run.result_summary;
    json["steps"] = StepTreeJson(d.steps);
    Value logs = Value::array();
    for (const service::StepLogRecord& l : d.logs) {
      logs.push_back({{"step_run_id", l.step_run_id}, {"level", service::Name(l.log_level)},
                      {"message", l.message}, {"payload", l.payload},
                      {"timestamp", JsonTime(l.timestamp)}});
    }
    json["logs"] = std::move(logs);
    Value variables = Value::array();
    for (const service::VariableSnapshotRecord& v : d.variables) {
      variables.push_back({{"key", v.key}, {"value", v.value}, {"scope", service::Name(v.scope)},
                           {"source", service::Name(v.source)},
                           {"step_run_id", v.step_run_id ? Value(*v.step_run_id) : Value()}});
    }
    json["variables"] = std::move(variables);
    out << core::DumpJson(json, 2) << "\n";
    return 0;
  }
  out << "run       " << d.run.id << "\n"
      << "suite     " << d.run.node_id
      << (d.run.suite_name.empty() || d.run.suite_name == d.run.node_id
              ? ""
              : " (" + d.run.suite_name + ")")
      << "\n";
  if (d.version) {
    out << "version   " << d.version->version << " (sha256 " << d.version->yaml_hash.substr(0, 12)
        << ")\n";
  }
  if (d.outcome && !d.outcome->file.empty()) {
    out << "file      " << d.run.result_summary.value(service::kSummaryFilePath, d.outcome->file)
        << "\n";
  }
  out << "status    " << service::Name(d.run.status) << "\n"
      << "batch     " << d.run.batch_id << "\n"
      << "trigger   " << service::Name(d.run.trigger_source) << ", priority "
      << service::Name(d.run.priority) << "\n"
      << "started   " << Time(d.run.started_at ? d.run.started_at : d.run.queued_at) << " UTC\n"
      << "finished  " << Time(d.run.finished_at) << (d.run.finished_at ? " UTC" : "") << "\n"
      << "duration  " << Duration(RunDuration(d.run)) << "\n"
      << "steps     " << StepCounts(d.run) << "\n";
  if (d.outcome && !d.outcome->skip_reason.empty()) {
    out << "skipped   " << d.outcome->skip_reason << "\n";
  }
  if (d.outcome && d.outcome->error) {
    out << "error     " << core::FormatErrorLine(*d.outcome->error) << "\n";
  }
  for (const core::Error& e : d.load_errors) {
    out << core::FormatDiagnostic(e, "", "error");
  }
  if (!d.steps.empty()) {
    out << "\n";
    PrintTree(out, d.steps, 2);
  }
  if (!d.variables.empty()) {
    out << "\nvariables\n";
    for (const service::VariableSnapshotRecord& v : d.variables) {
      out << "  " << v.key << " = " << core::DumpJson(v.value) << "  (" << service::Name(v.scope)
          << " " << service::Name(v.source) << ")\n";
    }
  }
  if (!d.logs.empty()) {
    out << "\nlogs\n";
    for (const service::StepLogRecord& l : d.logs) {
      out << "  [" << service::Name(l.log_level) << "] " << l.message << "\n";
    }
  }
  return 0;
}

int Steps(const RunsArgs& args, service::RunHistory& history, std::ostream& out,
          std::ostream& err) {
  core::Result<RunRecord> run = history.FindRun(args.id);
  if (!run) return Fail(err, run.error());
  core::Result<std::vector<StepRunRecord>> steps = history.Steps(run->id);
  if (!steps) return Fail(err, steps.error());
  if (args.json) {
    Value list = Value::array();
    for (const StepRunRecord& s : *steps) list.push_back(StepJson(s));
    out << core::DumpJson(list, 2) << "\n";
    return 0;
  }
  if (steps->empty()) {
    out << "run " << Short(run->id) << " (" << run->node_id << ") recorded no steps\n";
    return 0;
  }
  for (const StepRunRecord& s : *steps) {
    out << (s.seq < 10 ? "  " : s.seq < 100 ? " " : "") << s.seq << "  ";
    PrintStepLine(out, s, static_cast<std::size_t>(std::max(0, s.depth)) * 4);
  }
  return 0;
}

// Standard output as a report's output.
class StreamOutput final : public core::TextOutput {
 public:
  explicit StreamOutput(std::ostream& out) : out_(out) {}
  void Write(std::string_view text) override { out_.write(text.data(), text.size()); }
  core::Result<void> Status() const override {
    if (!out_) return core::Unavailable("cannot write to standard output");
    return core::Ok();
  }

 private:
  std::ostream& out_;
};

int Export(const RunsArgs& args, service::Database& db, service::RunHistory& history,
           std::ostream& out, std::ostream& err) {
  core::Result<service::ExportFormat> format = service::ParseExportFormat(args.format);
  if (!format) return Fail(err, format.error());
  // A run id, else the id of a whole invocation.
  std::vector<RunRecord> runs;
  bool as_batch = false;
  core::Result<RunRecord> run = history.FindRun(args.id);
  if (run) {
    runs.push_back(*run);
  } else if (run.error().code == core::ErrorCode::kNotFound) {
    core::Result<std::string> batch = history.FindBatch(args.id);
    if (!batch) {
      if (batch.error().code != core::ErrorCode::kNotFound) return Fail(err, batch.error());
      return Fail(err, core::NotFound("no run or batch '" + args.id + "'",
                                      "'flowtest runs list' shows the run and batch ids"));
    }
    core::Result<std::vector<RunRecord>> batch_runs = service::BatchRuns(db.runs(), *batch);
    if (!batch_runs) return Fail(err, batch_runs.error());
    runs = std::move(*batch_runs);
    as_batch = true;
  } else {
    return Fail(err, run.error());
  }

  std::unique_ptr<core::LineFile> file;
  StreamOutput standard(out);
  core::TextOutput* target = &standard;
  if (!args.output.empty()) {
    core::Result<std::unique_ptr<core::LineFile>> opened = core::LineFile::Open(args.output);
    if (!opened) return Fail(err, opened.error());
    file = std::move(*opened);
    target = file.get();
  }
  core::MemorySpoolFactory spools;
  core::Result<service::Exported> exported = service::ExportRuns(
      db, std::move(runs), as_batch, {.format = *format, .spools = &spools}, *target);
  if (!exported) return Fail(err, exported.error());
  for (const std::string& w : exported->warnings) err << "warning: " << w << "\n";
  if (core::Result<void> status = target->Status(); !status) return Fail(err, status.error());
  if (file) {
    err << "exported " << exported->runs << " run" << (exported->runs == 1 ? "" : "s") << " as "
        << service::ExportFormatName(*format) << " to " << args.output << "\n";
  }
  return 0;
}

int Purge(const RunsArgs& args, service::RunHistory& history, std::ostream& out,
          std::ostream& err) {
  core::Result<std::int64_t> age = ParseAge(args.older_than, "--older-than");
  if (!age) return Fail(err, age.error());
  const std::int64_t before = NowMs() - *age;
  if (args.dry_run) {
    core::Result<std::size_t> count = history.CountPurgeable(before);
    if (!count) return Fail(err, count.error());
    out << *count << " run" << (*count == 1 ? "" : "s") << " queued before " << Time(before)
        << " UTC would be deleted\n";
    return 0;
  }
  core::Result<std::size_t> purged = history.Purge(before);
  if (!purged) return Fail(err, purged.error());
  out << "deleted " << *purged << " run" << (*purged == 1 ? "" : "s") << " queued before "
      << Time(before) << " UTC (older than " << args.older_than << ")\n";
  return 0;
}

}  // namespace

int RunRunsCommand(const std::vector<std::string>& argv, std::ostream& out, std::ostream& err) {
  if (argv.empty()) {
    PrintUsageError(err, "runs", core::InvalidArgument("name a subcommand: list, show, steps, "
                                                       "export or purge"));
    return 2;
  }
  if (argv.front() == "-h" || argv.front() == "--help" || argv.front() == "help" ||
      std::find(argv.begin(), argv.end(), "--help") != argv.end() ||
      std::find(argv.begin(), argv.end(), "-h") != argv.end()) {
    out << kUsage;
    return 0;
  }
  core::Result<RunsArgs> parsed = ParseArgs(argv);
  if (!parsed) {
    PrintUsageError(err, "runs", parsed.error());
    return 2;
  }
  const RunsArgs& args = *parsed;
  core::Result<HistoryDatabase> opened = OpenHistoryDatabase(args.database, HistoryAccess::kReadOnly);
  if (!opened) {
    err << "flowtest runs: error: " << opened.error().message << "\n";
    if (!opened.error().hint.empty()) err << "  hint: " << opened.error().hint << "\n";
    return 1;
  }
  service::Database& db = *opened->database;
  service::RunHistory history(db);
  if (args.subcommand == "list") return List(args, history, out, err);
  if (args.subcommand == "show") return Show(args, history, out, err);
  if (args.subcommand == "steps") return Steps(args, history, out, err);
  if (args.subcommand == "export") return Export(args, db, history, out, err);
  return Purge(args, history, out, err);
}

}  // namespace flow::cli
