#include "cli/init_command.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <utility>

#include "adapters/terminal/terminal_input_provider.hpp"
#include "cli/arg_cursor.hpp"
#include "cli/config_loader.hpp"
#include "cli/file_util.hpp"
#include "cli/init_templates.hpp"
#include "core/input/input_conversion.hpp"
#include "core/util/strings.hpp"
#include "core/value.hpp"

namespace flow::cli {
namespace fs = std::filesystem;

namespace {

constexpr std::string_view kConfigFile = "flow-test.config.yml";
constexpr std::string_view kGitignoreLines[] = {"results/", ".flowtest/", ".env"};
constexpr int kMaxAttempts = 5;

const char* InitUsage() {
  return R"(usage: flowtest init [DIR] [options]

Creates a flowtest project in DIR (default: the current directory; created if missing):
flow-test.config.yml, a starter suite under tests/ and .gitignore entries (results/, .flowtest/,
.env). Nothing is ever overwritten: if a file it would create exists, nothing is written.
At a terminal it asks for the project name, the base URL and the template; --yes or --template
make it ask nothing.

options:
  -y, --yes                  ask nothing: the defaults and the options given
  -t, --template NAME        the starter suite (default: basic); implies --yes
      --list-templates       list the templates and exit
      --project-name NAME    project_name in the config (default: DIR's name)
      --base-url URL         base URL of the API under test (default: https://httpbin.org,
                             which the templates are written for)
  -h, --help                 this help

exit status: 0 created, 1 a file exists (nothing written) or cancelled, 2 usage error
)";
}

struct InitArgs {
  std::string directory = ".";
  bool has_directory = false;
  bool yes = false;
  bool list = false;
  bool help = false;
  std::optional<std::string> template_name;
  std::optional<std::string> project_name;
  std::optional<std::string> base_url;
};

std::vector<std::string> TemplateNames() {
  std::vector<std::string> names;
  for (const InitTemplate& t : InitTemplates()) names.emplace_back(t.name);
  return names;
}

core::Result<InitArgs> ParseInitArgs(const std::vector<std::string>& args) {
  InitArgs out;
  ArgCursor cursor(args);
  while (cursor.Next()) {
    if (cursor.option().empty()) {
      if (out.has_directory) {
        return core::InvalidArgument("init takes one directory, got '" + out.directory + "' and '" +
                                     cursor.positional() + "'");
      }
      out.directory = cursor.positional();
      out.has_directory = true;
      continue;
    }
    const auto value = [&](std::optional<std::string>& into) -> core::Result<void> {
      core::Result<std::string> v = cursor.Value();
      if (!v) return std::move(v).error();
      into = std::move(*v);
      return core::Ok();
    };
    const auto flag = [&](bool& into) -> core::Result<void> {
      FLOW_TRY_VOID(cursor.NoValue());
      into = true;
      return core::Ok();
    };
    if (cursor.Is("-y") || cursor.Is("--yes")) {
      FLOW_TRY_VOID(flag(out.yes));
    } else if (cursor.Is("-t") || cursor.Is("--template")) {
      FLOW_TRY_VOID(value(out.template_name));
    } else if (cursor.Is("--list-templates")) {
      FLOW_TRY_VOID(flag(out.list));
    } else if (cursor.Is("--project-name")) {
      FLOW_TRY_VOID(value(out.project_name));
    } else if (cursor.Is("--base-url")) {
      FLOW_TRY_VOID(value(out.base_url));
    } else if (cursor.Is("-h") || cursor.Is("--help")) {
      FLOW_TRY_VOID(flag(out.help));
    } else {
      return cursor.Unknown(
          {"--yes", "--template", "--list-templates", "--project-name", "--base-url", "--help"});
    }
  }
  return out;
}

// The name of the directory a project goes into ("." is the current directory's name).
std::string DirectoryName(const std::string& directory) {
  fs::path p = fs::path(AbsolutePath(directory));
  while (!p.empty() && p.filename().empty() && p != p.root_path()) p = p.parent_path();
  const std::string name = p.filename().string();
  return name.empty() ? "flowtest project" : name;
}

// A gitignore pattern as compared: no surrounding spaces, no leading or trailing '/'.
std::string GitignoreKey(std::string_view line) {
  std::string_view key = core::Trim(line);
  while (!key.empty() && key.front() == '/') key.remove_prefix(1);
  while (!key.empty() && key.back() == '/') key.remove_suffix(1);
  return std::string(key);
}

std::string TextOf(const std::optional<core::InputAnswer>& answer, const std::string& fallback) {
  if (!answer || answer->used_default || answer->value.is_null()) return fallback;
  const std::string text(core::Trim(core::ToText(answer->value)));
  return text.empty() ? fallback : text;
}

// The files of the plan that exist already, and any other flowtest config in the directory.
std::vector<std::string> Conflicts(const fs::path& dir, const std::vector<ProjectFile>& files) {
  std::vector<std::string> existing;
  std::error_code ec;
  for (std::string_view name : kConfigFileNames) {
    if (fs::exists(dir / name, ec)) existing.emplace_back(name);
  }
  for (const ProjectFile& f : files) {
    if (f.append || f.path == kConfigFile) continue;
    if (fs::exists(dir / f.path, ec) || fs::is_symlink(dir / f.path, ec))
      existing.push_back(f.path);
  }
  return existing;
}

std::string List(const std::vector<std::string>& items) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + items[i];
  return out;
}

// Creates `path` (never replacing a file: O_EXCL) or appends to it.
core::Result<void> WriteProjectFile(const fs::path& path, const ProjectFile& file) {
  std::error_code ec;
  fs::create_directories(path.parent_path(), ec);
  if (ec)
    return core::Unavailable("cannot create " + path.parent_path().string() + ": " + ec.message());
  std::FILE* f = std::fopen(path.c_str(), file.append ? "a" : "wx");
  if (f == nullptr) {
    if (errno == EEXIST) return core::Conflict(path.string() + " exists; it was left as it is");
    return core::Unavailable("cannot write " + path.string() + ": " + std::strerror(errno));
  }
  const bool written = std::fwrite(file.text.data(), 1, file.text.size(), f) == file.text.size();
  if (std::fclose(f) != 0 || !written) {
    return core::Unavailable("cannot write " + path.string() + ": " + std::strerror(errno));
  }
  return core::Ok();
}

// A yes/no question whose empty answer is yes; an unclear answer is asked again.
core::Result<bool> AskYesNo(core::InputProvider& ask, std::string prompt) {
  core::InputRequest request{.variable = "confirm",
                             .prompt = std::move(prompt),
                             .type = "confirm",
                             .default_value = core::Value(true)};
  for (int attempt = 1;; ++attempt) {
    request.attempt = static_cast<std::size_t>(attempt);
    core::Result<std::optional<core::InputAnswer>> answer = ask.Ask(request);
    if (!answer) return std::move(answer).error();
    if (!*answer || (*answer)->used_default || (*answer)->value.is_null()) return true;
    core::Result<core::Value> value =
        core::ConvertInputValue(core::InputType::kConfirm, (*answer)->value, {});
    if (value) return value->get<bool>();
    if (attempt == kMaxAttempts || !ask.CanReprompt()) return std::move(value).error();
    request.previous_error = value.error().message;
  }
}

std::string Describe(const ProjectFile& f) {
  if (!f.append) return f.path;
  std::string added;
  std::size_t pos = 0;
  for (const std::string& line : core::Split(f.text, '\n')) {
    const std::string_view t = core::Trim(line);
    if (t.empty() || t.front() == '#') continue;
    added += (pos++ ? ", " : "") + std::string(t);
  }
  return f.path + " (added " + added + ")";
}

}  // namespace

std::string YamlQuote(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out = "\"";
  for (const char c : text) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (u < 0x20 || u == 0x7f) {
      out += "\\x";
      out += kHex[u >> 4];
      out += kHex[u & 0xf];
    } else {
      out += c;
    }
  }
  return out + "\"";
}

core::Result<std::string> CheckBaseUrl(std::string_view text) {
  std::string url(core::Trim(text));
  if (url.empty()) return core::InvalidArgument("the base URL is empty");
  if (url.find("{{") != std::string::npos) return url;  // rendered when a run starts
  const std::string lower = core::ToLower(url);
  const bool http = core::StartsWith(lower, "http://") || core::StartsWith(lower, "https://");
  if (!http || !core::IsValidUrl(url)) {
    return core::InvalidArgument(
        "'" + url + "' is not an http(s) URL",
        "write it like http://localhost:3000 or https://api.example.com/v1");
  }
  if (url.find_first_of("?#") != std::string::npos) {
    return core::InvalidArgument("a base URL has no query or fragment: '" + url + "'",
                                 "put query parameters in the steps' request.params");
  }
  const std::size_t host_start = url.find("//") + 2;
  while (url.size() > host_start && url.back() == '/') url.pop_back();
  if (url.size() == host_start)
    return core::InvalidArgument("'" + std::string(text) + "' has no host");
  return url;
}

std::string ConfigText(const InitSettings& settings) {
  // @NAME@ and @URL@ are replaced by the quoted settings.
  static constexpr std::string_view kConfig =
      R"(# flowtest project configuration (the Flow Test Engine's format: `fest` reads it too).
#   flowtest run        run every suite under tests/
#   flowtest validate   check the suites without running them
#   flowtest graph      draw how the suites depend on and call each other
# Every key: docs/configuration.md of flowtest.
project_name: @NAME@
test_directory: ./tests

globals:
  variables:
    # The suites send their requests to {{base_url}}. For one run elsewhere:
    #   FLOW_TEST_BASE_URL=https://staging.example.com flowtest run
    base_url: @URL@
  # KEY=value files read before a run, for {{$env.KEY}} (a missing file is a warning):
  # env_files: [.env]

discovery:
  patterns: ["**/*.yaml", "**/*.yml"]

execution:
  mode: sequential          # or parallel, with max_parallel suites at a time
  timeout: 30000            # ms per request

reporting:
  formats: [json]           # results/latest.json after each run
  output_dir: ./results
)";
  std::string out(kConfig);
  out.replace(out.find("@NAME@"), 6, YamlQuote(settings.project_name));
  out.replace(out.find("@URL@"), 5, YamlQuote(settings.base_url));
  return out;
}

std::vector<ProjectFile> PlanProject(const InitSettings& settings,
                                     const std::optional<std::string>& gitignore) {
  std::vector<ProjectFile> files;
  files.push_back({std::string(kConfigFile), ConfigText(settings)});
  for (const EmbeddedFile& f : TemplateFiles(settings.template_name)) {
    files.push_back({std::string(f.path), std::string(f.text)});
  }
  std::vector<std::string> missing;
  std::vector<std::string> have;
  if (gitignore) {
    for (const std::string& line : core::Split(*gitignore, '\n'))
      have.push_back(GitignoreKey(line));
  }
  for (std::string_view line : kGitignoreLines) {
    if (std::find(have.begin(), have.end(), GitignoreKey(line)) == have.end()) {
      missing.emplace_back(line);
    }
  }
  if (!missing.empty()) {
    std::string text;
    if (gitignore && !gitignore->empty()) text += gitignore->back() == '\n' ? "\n" : "\n\n";
    text += "# flowtest: reports, local state, secrets\n";
    for (const std::string& line : missing) text += line + "\n";
    files.push_back({".gitignore", std::move(text), gitignore.has_value()});
  }
  return files;
}

core::Result<InitSettings> AskInitSettings(core::InputProvider& ask, const InitSettings& defaults) {
  InitSettings settings = defaults;
  {
    core::Result<std::optional<core::InputAnswer>> name =
        ask.Ask(core::InputRequest{.variable = "project_name",
                                   .prompt = "Project name",
                                   .default_value = defaults.project_name});
    if (!name) return std::move(name).error();
    settings.project_name = TextOf(*name, defaults.project_name);
  }
  core::InputRequest url_request{.variable = "base_url",
                                 .prompt = "Base URL of the API under test",
                                 .type = "url",
                                 .description =
                                     "the templates are written for an httpbin "
                                     "(https://httpbin.org, or one of your own)",
                                 .default_value = defaults.base_url};
  for (int attempt = 1;; ++attempt) {
    url_request.attempt = static_cast<std::size_t>(attempt);
    core::Result<std::optional<core::InputAnswer>> url = ask.Ask(url_request);
    if (!url) return std::move(url).error();
    core::Result<std::string> checked = CheckBaseUrl(TextOf(*url, defaults.base_url));
    if (checked) {
      settings.base_url = std::move(*checked);
      break;
    }
    if (attempt == kMaxAttempts || !ask.CanReprompt()) return std::move(checked).error();
    url_request.previous_error = checked.error().message;
  }
  core::InputRequest choice{.variable = "template",
                            .prompt = "Starter suite",
                            .type = "select",
                            .default_value = defaults.template_name};
  for (const InitTemplate& t : InitTemplates()) {
    choice.options.push_back(
        {core::Value(std::string(t.name)), std::string(t.name) + ": " + std::string(t.summary)});
  }
  core::Result<std::optional<core::InputAnswer>> picked = ask.Ask(choice);
  if (!picked) return std::move(picked).error();
  const std::string name = TextOf(*picked, defaults.template_name);
  core::Result<core::Value> value =
      core::ConvertInputValue(core::InputType::kSelect, core::Value(name), choice.options);
  if (!value) return std::move(value).error();
  settings.template_name = value->get<std::string>();
  return settings;
}

int RunInitCommand(const std::vector<std::string>& argv, std::ostream& out, std::ostream& err) {
  core::Result<InitArgs> parsed = ParseInitArgs(argv);
  if (!parsed) {
    PrintUsageError(err, "init", parsed.error());
    return 2;
  }
  const InitArgs& args = *parsed;
  if (args.help) {
    out << InitUsage();
    return 0;
  }
  if (args.list) {
    for (const InitTemplate& t : InitTemplates()) {
      out << "  " << t.name << std::string(14 - std::min<std::size_t>(t.name.size(), 13), ' ')
          << t.summary << "\n";
      for (const EmbeddedFile& f : TemplateFiles(t.name))
        out << "                " << f.path << "\n";
    }
    return 0;
  }
  InitSettings defaults{.project_name = DirectoryName(args.directory),
                        .base_url = std::string(kDefaultBaseUrl),
                        .template_name = std::string(InitTemplates().front().name)};
  if (args.template_name) {
    if (FindInitTemplate(*args.template_name) == nullptr) {
      std::string hint = core::DidYouMean(*args.template_name, TemplateNames());
      PrintUsageError(err, "init",
                      core::InvalidArgument("no template '" + *args.template_name +
                                                "' (there are " + List(TemplateNames()) + ")",
                                            std::move(hint)));
      return 2;
    }
    defaults.template_name = *args.template_name;
  }
  if (args.base_url) {
    core::Result<std::string> url = CheckBaseUrl(*args.base_url);
    if (!url) {
      PrintUsageError(err, "init", url.error());
      return 2;
    }
    defaults.base_url = *url;
  }
  if (args.project_name) {
    const std::string name(core::Trim(*args.project_name));
    if (name.empty()) {
      PrintUsageError(err, "init", core::InvalidArgument("--project-name is empty"));
      return 2;
    }
    defaults.project_name = name;
  }
  const fs::path dir(args.directory);
  std::error_code ec;
  if (fs::exists(dir, ec) && !fs::is_directory(dir, ec)) {
    PrintUsageError(
        err, "init",
        core::InvalidArgument("'" + args.directory + "' exists and is not a directory"));
    return 2;
  }
  // A config there already: say so before asking anything.
  if (std::vector<std::string> existing = Conflicts(dir, {}); !existing.empty()) {
    err << "flowtest init: error: " << (dir / existing.front()).string()
        << " exists: this is a flowtest project already; nothing was written\n";
    return 1;
  }

  InitSettings settings = defaults;
  const bool interactive = !args.yes && !args.template_name;
  std::unique_ptr<adapters::TerminalInputProvider> terminal;
  if (interactive) {
    terminal = adapters::OpenTerminal();
    if (!terminal) {
      err << "flowtest init: error: no terminal to ask the questions on\n"
          << "  hint: pass --yes for the defaults, or --template NAME (see --list-templates); "
             "--project-name and --base-url set the rest\n";
      return 2;
    }
    out << "A new flowtest project in " << AbsolutePath(args.directory) << "\n";
    out.flush();
    core::Result<InitSettings> asked = AskInitSettings(*terminal, defaults);
    if (!asked) {
      err << "flowtest init: " << asked.error().message << "; nothing was written\n";
      return 1;
    }
    settings = std::move(*asked);
  }

  std::optional<std::string> gitignore;
  if (fs::is_regular_file(dir / ".gitignore", ec)) {
    core::Result<std::string> text = ReadTextFile((dir / ".gitignore").string());
    if (!text) {
      err << "flowtest init: error: " << text.error().message << "; nothing was written\n";
      return 1;
    }
    gitignore = std::move(*text);
  }
  const std::vector<ProjectFile> files = PlanProject(settings, gitignore);
  if (std::vector<std::string> existing = Conflicts(dir, files); !existing.empty()) {
    for (std::string& e : existing) e = (dir / e).lexically_normal().string();
    err << "flowtest init: error: " << List(existing)
        << (existing.size() == 1 ? " exists" : " exist")
        << "; init never overwrites a file, so nothing was written\n"
        << "  hint: choose another directory or template, or move the file away\n";
    return 1;
  }
  if (terminal) {
    out << "\nFiles:\n";
    for (const ProjectFile& f : files) out << "  " << Describe(f) << "\n";
    out.flush();
    core::Result<bool> yes = AskYesNo(*terminal, "Create them?");
    if (!yes || !*yes) {
      err << "flowtest init: " << (yes ? std::string("cancelled") : yes.error().message)
          << "; nothing was written\n";
      return 1;
    }
  }

  std::vector<std::string> written;
  for (const ProjectFile& f : files) {
    core::Result<void> result = WriteProjectFile(dir / f.path, f);
    if (!result) {
      err << "flowtest init: error: " << result.error().message << "\n";
      if (!written.empty()) err << "  written before the error: " << List(written) << "\n";
      return 1;
    }
    written.push_back(f.path);
  }
  out << "Created a flowtest project in " << (args.has_directory ? args.directory : ".") << " ("
      << settings.template_name << " template):\n";
  for (const ProjectFile& f : files) out << "  " << Describe(f) << "\n";
  out << "\nNext:\n";
  if (args.has_directory && fs::path(args.directory).lexically_normal() != ".") {
    out << "  cd " << args.directory << "\n";
  }
  out << "  flowtest run        # runs the suites in tests/ against " << settings.base_url << "\n";
  out << "  flowtest validate   # checks them without running them\n";
  out << "  flowtest graph      # draws how they depend on and call each other\n";
  return 0;
}

}  // namespace flow::cli
