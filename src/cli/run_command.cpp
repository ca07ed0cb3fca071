#include "cli/run_command.hpp"

#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <filesystem>
#include <future>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <set>

#include "adapters/http_curl/curl_http_client.hpp"
#include "adapters/sodium/uuid.hpp"
#include "adapters/script_mozjs/host/sandbox_script_engine.hpp"
#include "adapters/system/interrupt_watcher.hpp"
#include "adapters/system/spread_thread.hpp"
#include "adapters/system/system_ports.hpp"
#include "adapters/terminal/terminal_input_provider.hpp"
#include "cli/arg_cursor.hpp"
#include "cli/config_loader.hpp"
#include "cli/console_reporter.hpp"
#include "cli/discovery.hpp"
#include "cli/file_util.hpp"
#include "cli/history_database.hpp"
#include "cli/legacy_conversion.hpp"
#include "cli/report_set.hpp"
#include "cli/run_args.hpp"
#include "cli/suite_files.hpp"
#include "cli/suite_loader.hpp"
#include "core/config/globals.hpp"
#include "core/diagnostic.hpp"
#include "core/input/input.hpp"
#include "core/model/suite.hpp"
#include "core/report/aggregated_report.hpp"
#include "core/report/live_events.hpp"
#include "core/report/report_files.hpp"
#include "core/run/planner.hpp"
#include "core/run/runner.hpp"
#include "core/run/scheduler.hpp"
#include "core/util/strings.hpp"
#include "core/util/time.hpp"
#include "service/runs/orphaned_runs.hpp"
#include "service/runs/run_recorder.hpp"

namespace flow::cli {
namespace {

std::string AbsolutePathOf(const std::string& path) { return AbsolutePath(path); }

std::string HostName() {
  char name[256] = {};
  if (gethostname(name, sizeof name - 1) != 0 || name[0] == '\0') return "localhost";
  return name;
}

// The run history's database as opened before the run, and what finishing the runs that a
// killed flowtest left `running` said, when it failed.
struct OpenedHistory {
  core::Result<HistoryDatabase> database;
  std::optional<core::Error> orphans_error;
};

// With JavaScript switched off, a suite that uses it is invalid: one error per place.
void RefuseScripts(LoadedSuites& loaded, const std::string& why, std::ostream& err) {
  std::vector<std::unique_ptr<core::Suite>> kept;
  for (auto& suite : loaded.suites) {
    if (suite->scripts.empty()) {
      kept.push_back(std::move(suite));
      continue;
    }
    std::vector<core::Error> errors;
    for (const core::ScriptSite& site : suite->scripts) {
      core::Error e = core::InvalidArgument(site.what + " is switched off (" + why + ")",
                                            "remove it, or allow javascript.enabled in the config");
      e.reason = core::kScriptDisabled;
      e.where = site.where;
      errors.push_back(std::move(e));
    }
    PrintDiagnostics(err, errors, suite->text, "error");
    loaded.invalid.emplace_back(suite->file, std::move(errors));
  }
  loaded.suites = std::move(kept);
}

// The flowtest binary itself, re-executed in its hidden sandbox-helper mode.
std::string SelfExecutable() {
  std::error_code ec;
  const std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::string("/proc/self/exe") : self.string();
}

// The JavaScript helper: `flowtest-sandbox` beside this binary (it starts faster: it links no
// curl), else flowtest itself in its hidden sandbox-helper mode.
std::string SandboxHelperExecutable() {
  const std::string self = SelfExecutable();
  const std::filesystem::path sibling =
      std::filesystem::path(self).parent_path() / "flowtest-sandbox";
  if (access(sibling.c_str(), X_OK) == 0) return sibling.string();
  return self;
}

// Global variables may be templates themselves (`api_url: "{{$env.API_URL}}"`): they are
// rendered once, in order, each seeing the environment and the globals before it.
core::Result<core::Value> RenderGlobals(const core::Value& globals, core::InterpolationContext ctx,
                                        std::vector<std::string>& warnings) {
  core::Value rendered = core::Value::object();
  ctx.scopes = core::VariableScopes{.global = &rendered};
  ctx.warnings = &warnings;
  for (auto it = globals.begin(); it != globals.end(); ++it) {
    core::Result<core::CompiledValue> compiled = core::CompiledValue::Compile(it.value());
    core::Result<core::Value> value =
        compiled ? compiled->Render(ctx) : core::Result<core::Value>(std::move(compiled).error());
    if (!value) {
      core::Error e = std::move(value).error();
      e.message = "global variable '" + it.key() + "': " + e.message;
      return e;
    }
    rendered[it.key()] = std::move(*value);
  }
  return rendered;
}

void Usage(std::ostream& err, const core::Error& e) {
  PrintUsageError(err, "run", e, UsageLabel::kProgram);
}

}  // namespace

int RunRunCommand(const std::vector<std::string>& argv, std::ostream& out, std::ostream& err) {
  // The original's --swagger-import / --postman-import / --postman-export run a conversion.
  if (std::optional<int> converted = RunLegacyConversion(argv, out, err)) return *converted;
  core::Result<RunArgs> parsed = ParseRunArgs(argv);
  if (!parsed) {
    Usage(err, parsed.error());
    return 2;
  }
  RunArgs& args = *parsed;
  if (args.help) {
    out << RunUsage();
    return 0;
  }
  if (core::Result<std::vector<std::string>> formats = CheckReportFormats(args.formats); !formats) {
    Usage(err, formats.error());
    return 2;
  }
  for (const std::string& note : args.notes) err << "warning: " << note << "\n";

  core::Result<LoadedConfig> loaded =
      LoadConfig(ConfigLoadOptions{.config_path = args.config.value_or("")});
  if (!loaded) {
    err << FormatLoadError(loaded.error());
    return 2;
  }
  LoadedConfig& cfg = *loaded;
  if (args.verbosity != Verbosity::kSilent) {
    for (const ConfigDiagnostic& d : cfg.warnings) err << d.Render("warning");
  }
  core::Config& config = cfg.config;

  adapters::ProcessEnvironment environment;
  environment.AddDefaults(cfg.environment);
  adapters::SystemClock clock;
  adapters::SystemEntropy entropy;
  const core::UnresolvedPolicy unresolved =
      args.unresolved ? (*args.unresolved == "literal" ? core::UnresolvedPolicy::kLiteral
                                                        : core::UnresolvedPolicy::kError)
                      : config.interpolation.unresolved;
  // The run's secrets: --secret values, $env values, secret-looking names, credentials... (all
  // masked in every output: core/secrets/secrets.hpp).
  core::SecretRegistry secrets;
  std::vector<std::string> global_warnings;
  core::Result<core::Value> rendered_globals = RenderGlobals(
      core::BuildGlobals(config, cfg.environment),
      core::InterpolationContext{.environment = &environment, .clock = &clock, .entropy = &entropy,
                                 .unresolved = unresolved, .secrets = &secrets},
      global_warnings);
  if (!rendered_globals) {
    core::Error e = std::move(rendered_globals).error();
    if (!cfg.config_path.empty()) e.where = core::SourceSpan{.file = cfg.config_path};
    err << core::FormatDiagnostic(e, "", "error");
    return 2;
  }
  if (args.verbosity != Verbosity::kSilent) {
    for (const std::string& w : global_warnings) err << "warning: " << w << "\n";
  }
  core::Value& globals = *rendered_globals;
  for (const std::string& name : config.globals.secret_variables) {
    if (globals.contains(name)) secrets.AddValue(globals[name]);  // `{value: ..., secret: true}`
  }
  for (const auto& [name, value] : args.secrets) {
    const std::optional<std::string> given = value ? value : environment.Get(name);
    if (!given) {
      err << "flowtest: error: --secret " << name << ": no value given and no environment variable "
          << name << "\n  hint: write --secret " << name << "=VALUE, or export " << name << "\n";
      return 2;
    }
    globals[name] = *given;
    secrets.Add(*given);
  }

  std::vector<std::string> roots = args.paths;
  if (roots.empty()) roots.push_back(args.directory ? *args.directory : config.test_directory);
  core::Result<std::vector<DiscoveredFile>> files = DiscoverSuites(roots, config);
  if (!files) {
    Usage(err, files.error());
    return 2;
  }
  // The run history's database opens (reading its log back: a few ms) on a thread of its own
  // while the suites load (not for a folder without suites: that creates no history). There too,
  // the runs that a flowtest killed with SIGKILL left `running` are finished as cancelled. Then
  // it gets the recording's connections and statements ready (PrepareToRecord) and, while the run
  // goes on, folds back the log the runs before left (SQLite's
  // checkpoint: its fsyncs can take longer than the suites take to load). The thread starts on
  // another CPU than this one (SpreadThread: Linux often queues it behind the loading, for a
  // scheduler tick). Declared in this order, the thread is joined before the database it works
  // on is closed, whichever way this returns.
  const std::string host = HostName();
  const std::string pid_namespace = adapters::ProcessNamespace();
  std::optional<HistoryDatabase> history;
  std::promise<OpenedHistory> opened_promise;
  std::future<OpenedHistory> opening;
  adapters::SpreadThread opener;
  if (!args.no_history && !files->empty()) {
    opening = opened_promise.get_future();
    opener = adapters::SpreadThread([&opened_promise, url = args.database.value_or(""), &host,
                                     &pid_namespace, &clock] {
      OpenedHistory out{.database = OpenHistoryDatabase(url)};
      service::Database* database = nullptr;
      if (out.database) {
        database = out.database->database.get();
        core::Result<std::size_t> finished =
            service::FinishOrphanedRuns(*database, host, pid_namespace,
                                        &adapters::ProcessExists, clock.NowUnixMs());
        if (!finished) out.orphans_error = std::move(finished).error();
      }
      opened_promise.set_value(std::move(out));
      if (database) {
        (void)database->PrepareToRecord();
        (void)database->Housekeep(service::Database::Upkeep::kNow);
      }
    });
  }
  LoadedSuites loaded_suites = LoadSuites(*files, args.verbosity != Verbosity::kSilent, err);
  const std::string test_directory = args.directory ? *args.directory : config.test_directory;
  const bool named_files = std::any_of(files->begin(), files->end(),
                                       [](const DiscoveredFile& f) { return f.explicit_path; });
  if (named_files) {
    // A suite named on the command line brings its dependencies, found by node_id (or path)
    // among the suite files of the test directory, transitively.
    const std::vector<std::string> added =
        AddDependencies(loaded_suites, test_directory, args.verbosity != Verbosity::kSilent, err);
    if (!added.empty() && args.verbosity != Verbosity::kSilent) {
      err << "note: added " << added.size() << " dependenc" << (added.size() == 1 ? "y" : "ies")
          << ": ";
      for (std::size_t i = 0; i < added.size(); ++i) err << (i ? ", " : "") << added[i];
      err << "\n";
    }
  }
  const bool javascript = config.javascript.enabled && !args.no_js;
  if (!javascript) {
    RefuseScripts(loaded_suites, args.no_js ? "--no-js" : "javascript.enabled: false", err);
  }
  std::vector<const core::Suite*> suites;
  for (const auto& s : loaded_suites.suites) suites.push_back(s.get());
  if (suites.empty() && loaded_suites.invalid.empty()) {
    err << "flowtest: error: no suites found in " << roots.front()
        << (roots.size() > 1 ? " and the other paths" : "")
        << " (patterns: ";
    for (std::size_t i = 0; i < config.discovery.patterns.size(); ++i) {
      err << (i ? ", " : "") << config.discovery.patterns[i];
    }
    err << ")\n";
    return 1;
  }

  const core::SuiteFilters filters{.suite_names = args.suites, .node_ids = args.nodes,
                                   .tags = args.tags, .priorities = args.priorities};
  core::Result<core::RunPlan> plan = core::PlanRun(suites, filters, config.priorities.levels);
  if (!plan) {
    err << core::FormatDiagnostic(plan.error(), "", "error");
    return 1;
  }
  if (args.verbosity != Verbosity::kSilent) {
    for (const core::Error& w : plan->warnings) err << core::FormatDiagnostic(w, "", "warning");
  }
  if (const std::vector<std::string> unmatched = core::UnmatchedStepFilters(plan->suites, args.steps);
      !unmatched.empty()) {
    std::vector<std::string> ids;
    for (const core::Suite* s : plan->suites) {
      for (const core::StepSpec& step : s->steps) ids.push_back(step.qualified_id);
    }
    err << "flowtest: error: no selected step matches --step '" << unmatched.front() << "'\n";
    const std::string hint = core::DidYouMean(unmatched.front(), ids);
    if (!hint.empty()) err << "  hint: " << hint << "\n";
    err << "  ('flowtest run --dry-run' lists the step ids)\n";
    return 1;
  }
  if (args.dry_run) {
    out << "Execution plan (" << plan->suites.size() << " of " << suites.size() << " suites):\n";
    std::size_t n = 0;
    for (const core::Suite* s : plan->suites) {
      out << "  " << ++n << ". " << s->suite_name << " (" << s->priority << ")  " << s->file << "\n";
      for (const core::StepSpec& step : s->steps) {
        out << "       - " << step.qualified_id << "  " << step.name << "\n";
      }
    }
    return loaded_suites.invalid.empty() ? 0 : 1;
  }
  if (plan->suites.empty() && loaded_suites.invalid.empty()) {
    err << "flowtest: error: no suite matches the filters (" << suites.size() << " suites found)\n";
    return 1;
  }

  core::RunOptions options;
  options.continue_on_failure = args.continue_on_failure || config.execution.continue_on_failure;
  options.http.base_url = config.globals.base_url;
  options.http.timeout = std::chrono::milliseconds(args.timeout_ms.value_or(config.execution.timeout_ms));
  options.http.follow_redirects = config.http.follow_redirects;
  options.http.max_redirects = config.http.max_redirects;
  options.http.verify_tls = config.http.verify_tls;
  if (!config.http.user_agent.empty()) options.http.user_agent = config.http.user_agent;
  options.http.connect_to = args.connect_to;
  options.unresolved = unresolved;
  options.globals = globals;
  options.step_filter = args.steps;
  options.dependencies = plan->dependencies;
  options.required_priorities = config.priorities.required;
  options.fail_fast_on_required = config.priorities.fail_fast_on_required;
  options.retry_failed = {.enabled = config.execution.retry_failed.enabled,
                          .max_attempts = config.execution.retry_failed.max_attempts,
                          .delay_ms = config.execution.retry_failed.delay_ms};
  options.test_directory = test_directory;
  options.cookies = config.http.cookies;
  options.ci = !args.input_policy && core::IsCiEnvironment(environment);

  // Where `input` answers come from: an answers file, then the runner protocol or the terminal.
  std::optional<core::AnswersFileProvider> answers;
  if (args.input_file) {
    core::Result<std::string> text = ReadTextFile(*args.input_file);
    if (!text) {
      err << "flowtest: error: --input-file: " << text.error().message << "\n";
      return 2;
    }
    core::Result<core::AnswersFileProvider> loaded_answers = core::LoadAnswersFile(*text, *args.input_file);
    if (!loaded_answers) {
      err << core::FormatDiagnostic(loaded_answers.error(), *text, "error");
      return 2;
    }
    answers.emplace(std::move(*loaded_answers));
  }
  std::optional<core::RunnerProtocolProvider> protocol;
  if (args.runner_inputs) protocol.emplace(std::cin, out);
  std::unique_ptr<adapters::TerminalInputProvider> terminal;
  const bool any_input = std::any_of(plan->suites.begin(), plan->suites.end(),
                                     [](const core::Suite* s) { return s->needs_input; });
  if (any_input && !args.runner_inputs && args.input_policy.value_or("") != "auto" &&
      !options.ci) {
    terminal = adapters::OpenTerminal();
  }
  core::ChainProvider input_chain({answers ? &*answers : nullptr, protocol ? &*protocol : nullptr,
                                   terminal.get()});
  options.input_policy =
      args.input_policy.value_or(protocol || terminal ? std::string("prompt") : std::string("fail"));
  options.http.domain_certificates = config.globals.certificates;
  if (args.faker_seed) {
    options.script_session.faker_seed = static_cast<std::uint64_t>(*args.faker_seed);
  } else if (config.faker.seed) {
    options.script_session.faker_seed = static_cast<std::uint64_t>(*config.faker.seed);
  }
  options.script_session.faker_locale = args.faker_locale.value_or(config.faker.locale);
  options.script_budget.cpu_ms = config.javascript.cpu_ms;
  options.script_budget.memory_mb = config.javascript.memory_mb;

  std::size_t max_parallel = 1;
  if (args.parallel) {
    max_parallel = static_cast<std::size_t>(*args.parallel);
  } else if (config.execution.mode == core::ExecutionMode::kParallel) {
    max_parallel = static_cast<std::size_t>(std::max(1, config.execution.max_parallel));
  }
  const bool write_reports = config.reporting.enabled && !args.no_report;
  const std::string report_dir = args.output_dir.value_or(config.reporting.output_dir);
  std::unique_ptr<ReportSet> reports;
  if (write_reports) {
    std::vector<std::string> formats = config.reporting.formats;
    formats.insert(formats.end(), args.formats.begin(), args.formats.end());
    core::HtmlReportConfig html = config.reporting.html;
    if (args.html_output) {
      formats.push_back("html");
      if (!args.html_output->empty()) html.output_subdir = *args.html_output;
    }
    core::Result<std::vector<std::string>> checked = CheckReportFormats(formats);
    if (!checked) {
      Usage(err, checked.error());
      return 2;
    }
    core::Result<std::unique_ptr<ReportSet>> made =
        ReportSet::Create(ReportSetOptions{.project_name = config.project_name,
                                           .formats = std::move(*checked),
                                           .directory = report_dir,
                                           .html = html,
                                           .globals = globals,
                                           .suites = plan->suites,
                                           .hostname = host,
                                           .secrets = &secrets,
                                           .absolute_path = &AbsolutePathOf});
    if (!made) {
      err << "flowtest: error: " << made.error().message << "\n";
      return 2;
    }
    reports = std::move(*made);
  }
  // --live-events: JSON lines as the run goes, whether or not reports are written.
  std::unique_ptr<core::LineFile> live_file;
  std::unique_ptr<core::LiveEvents> live_events;
  std::string live_path;
  if (args.live_events) {
    live_path = args.live_events->empty()
                    ? (std::filesystem::path(report_dir) / "live-events.jsonl").string()
                    : *args.live_events;
    core::Result<std::unique_ptr<core::LineFile>> opened = core::LineFile::Open(live_path);
    if (!opened) {
      err << "flowtest: error: --live-events: " << opened.error().message << "\n";
      return 2;
    }
    live_file = std::move(*opened);
    live_events = std::make_unique<core::LiveEvents>(*live_file, clock, config.project_name);
  }
  const bool stdout_tty = isatty(STDOUT_FILENO) == 1;
  const bool color = args.color == "always" ||
                     (args.color == "auto" && stdout_tty && environment.Get("NO_COLOR").value_or("").empty());
  // The progress line needs a terminal that understands erasing a line, and no prompts for
  // inputs on it.
  const bool progress = stdout_tty && !any_input && !args.runner_inputs &&
                        environment.Get("TERM").value_or("dumb") != "dumb";
  ConsoleReporter console(out, args.verbosity, color, max_parallel > 1, progress);
  core::FanOutSink live_sinks({&console, live_events.get()});
  // JavaScript and faker: helper processes, started at the first suite that needs one.
  std::optional<adapters::sandbox::SandboxScriptEngine> sandbox;
  if (javascript) {
    adapters::sandbox::SandboxOptions sandbox_options;
    sandbox_options.helper_executable = SandboxHelperExecutable();
    sandbox_options.max_helpers = config.javascript.max_helpers > 0
                                      ? config.javascript.max_helpers
                                      : static_cast<int>(max_parallel) + 1;
    sandbox_options.idle_helpers = std::min(sandbox_options.max_helpers, 2);
    sandbox.emplace(std::move(sandbox_options));
  }
  // The run history (docs/history.md): recorded as the run goes, on the ordered sink beside the
  // reports. A history that cannot be opened or written never fails the run: a warning says so.
  std::unique_ptr<service::RunRecorder> recorder;
  std::optional<core::Error> history_error;
  if (opening.valid()) {
    OpenedHistory opened = opening.get();
    if (!opened.database) {
      err << "warning: " << opened.database.error().message << "; this run is not recorded\n";
    } else {
      history = std::move(*opened.database);
      if (opened.orphans_error) {
        err << "warning: the run history " << history->location
            << ": cannot check for runs left running: " << opened.orphans_error->message << "\n";
      }
      recorder = std::make_unique<service::RunRecorder>(
          *history->database, clock,
          service::RunRecorderOptions{
              .batch_id = adapters::NewUuid(),
              .project_name = config.project_name,
              .hostname = host,
              .pid = static_cast<std::int64_t>(getpid()),
              .pid_namespace = pid_namespace,
              .globals = globals,
              .suites = plan->suites,
              .secrets = &secrets,
              .absolute_path = &AbsolutePathOf,
              .on_error = [&history_error](const core::Error& e) { history_error = e; },
              // (not the idle class: a busy machine would starve it, and the run waits for it)
              .on_writer_start = [] { (void)adapters::MarkThreadAsBatchWork(); }});
    }
  }
  // Ctrl-C or a kill while recording: the runs in progress are recorded as cancelled (not left
  // "running" for ever), then the signal ends the process as it would have.
  std::optional<adapters::InterruptWatcher> interrupts;
  if (recorder) {
    interrupts.emplace([&](int sig) {
      const char* name = sig == SIGINT ? "SIGINT" : "SIGTERM";
      err << "\nflowtest: " << name << ": recording the runs in progress as cancelled in "
          << history->location << "\n";
      recorder->Interrupt(name);
      recorder->Flush();
    });
  }
  core::FanOutSink ordered({reports ? &reports->ordered() : nullptr, recorder.get()});
  core::Scheduler scheduler(
      core::SchedulerPorts{.clock = &clock, .environment = &environment, .input = &input_chain,
                           .script = sandbox ? &*sandbox : nullptr,
                           .live = &live_sinks,
                           .ordered = reports || recorder ? &ordered : nullptr,
                           .secrets = &secrets},
      [&](std::size_t) {
        return core::WorkerPorts{.http = std::make_unique<adapters::CurlHttpClient>(),
                                 .entropy = std::make_unique<adapters::SystemEntropy>(),
                                 .clock = nullptr,
                                 .suites = std::make_unique<FileSuiteSource>(test_directory)};
      },
      *plan, options, suites.size(), max_parallel);
  scheduler.Start();
  for (const auto& [file, errors] : loaded_suites.invalid) {
    if (reports) reports->AddUnloadedSuite(file, errors);
    if (recorder) recorder->AddUnloadedSuite(file, ReadTextFile(file).value_or(""), errors);
  }
  console.AddUnloadedSuites(loaded_suites.invalid.size());
  scheduler.RunToEnd();

  if (reports) {
    core::Result<ReportSet::Written> written = reports->Write(scheduler.outcome().started_at_ms);
    if (!written) {
      err << "flowtest: error: " << written.error().message << "\n";
      return 2;
    }
    if (args.verbosity != Verbosity::kSilent) {
      for (const std::string& path : written->latest) out << "report: " << path << "\n";
      if (!written->pages.empty()) {
        const std::filesystem::path first(written->pages.front());
        out << "report: " << first.parent_path().string() << "/<node_id>_"
            << core::FormatFileStamp(scheduler.outcome().started_at_ms) << ".html ("
            << written->pages.size() << " suite page" << (written->pages.size() == 1 ? "" : "s")
            << ")\n";
      }
    }
  }
  if (recorder) {
    // stopped() synchronizes with the worker thread that hit the error.
    if (recorder->stopped() && history_error) {
      err << "warning: the run history " << history->location
          << " stopped recording this run: " << history_error->message
          << " (the run itself went on; its report files are complete)\n";
    } else if (args.verbosity != Verbosity::kSilent) {
      out << "history: " << history->location << " (batch " << recorder->batch_id() << ")\n";
    }
  }
  if (live_file) {
    if (core::Result<void> s = live_file->Status(); !s) {
      err << "flowtest: error: --live-events: " << s.error().message << "\n";
      return 2;
    }
    if (args.verbosity != Verbosity::kSilent) out << "live events: " << live_path << "\n";
  }
  const bool passed = scheduler.outcome().Passed() && loaded_suites.invalid.empty();
  return passed ? 0 : 1;
}

int RunValidateCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  std::vector<std::string> paths;
  std::optional<std::string> config_path;
  // Its errors name -c for --config too, and point at 'flowtest run --help', as they always did.
  ArgCursor cursor(args, ArgSyntax::Whole());
  while (cursor.Next()) {
    if (cursor.Is("-h") || cursor.Is("--help")) {
      out << "usage: flowtest validate [-c CONFIG] PATH...\n"
             "Checks suite files (and the suites in directories) without running them.\n"
             "exit status: 0 all valid, 1 a suite has errors, 2 usage error\n";
      return 0;
    }
    if (cursor.IsPositional()) {
      paths.push_back(cursor.positional());
    } else if (cursor.Is("-c") || cursor.Is("--config")) {
      core::Result<std::string> value = cursor.Value();
      if (!value) {
        Usage(err, core::InvalidArgument("option '-c' needs a value"));
        return 2;
      }
      config_path = *value;
    } else {
      Usage(err, cursor.Unknown());
      return 2;
    }
  }
  std::optional<ProjectSuites> project = LoadProjectSuites(
      config_path.value_or(""), paths, true, err, [&](const core::Error& e) { Usage(err, e); });
  if (!project) return 2;
  LoadedSuites& suites = project->loaded;
  if (!project->config.config.javascript.enabled) {
    RefuseScripts(suites, "javascript.enabled: false", err);
  }
  std::size_t steps = 0;
  for (const auto& s : suites.suites) steps += s->steps.size();
  out << suites.suites.size() << " valid suite" << (suites.suites.size() == 1 ? "" : "s") << " ("
      << steps << " steps), " << suites.invalid.size() << " invalid\n";
  if (suites.suites.empty() && suites.invalid.empty()) {
    err << "flowtest: error: no suites found\n";
    return 1;
  }
  return suites.invalid.empty() ? 0 : 1;
}

}  // namespace flow::cli
