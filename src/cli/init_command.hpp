// `flowtest init [DIR]`: a new project: flow-test.config.yml, a starter suite from a template
// (init_templates.hpp) and .gitignore entries. It never overwrites anything: when a file it
// would create exists (or any flowtest config does), it writes nothing and says which.
//
// Interactive at a terminal unless --yes or --template is given; without a terminal and without
// either, it fails at once with a message saying to pass one (it never waits for input).
// The composition root is RunInitCommand; the other functions are pure, for tests.
#pragma once

#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "core/ports/input_provider.hpp"
#include "core/result.hpp"

namespace flow::cli {

inline constexpr std::string_view kDefaultBaseUrl = "https://httpbin.org";

struct InitSettings {
  std::string project_name;
  std::string base_url;
  std::string template_name;
};

// A file of the new project: `path` relative to its directory. `append`: lines added to an
// existing file (only .gitignore), else a new file.
struct ProjectFile {
  std::string path;
  std::string text;
  bool append = false;
};

// The files init writes for `settings`. `gitignore` is the text of the directory's .gitignore
// when there is one: then only the lines it lacks are appended (none: no entry at all).
std::vector<ProjectFile> PlanProject(const InitSettings& settings,
                                     const std::optional<std::string>& gitignore);

// flow-test.config.yml for `settings` (with comments saying what each part is for).
std::string ConfigText(const InitSettings& settings);

// `text` as a double-quoted YAML scalar ("a \"b\"", control characters escaped).
std::string YamlQuote(std::string_view text);

// A base URL as written in the config: http(s)://host[:port][/path] without a trailing '/', or
// a {{template}} (rendered when a run starts). Errors say what is wrong.
core::Result<std::string> CheckBaseUrl(std::string_view text);

// Asks for the project name, base URL and template through `ask` (a person at a terminal),
// starting from `defaults`; an invalid base URL is asked again (at most 5 times).
core::Result<InitSettings> AskInitSettings(core::InputProvider& ask, const InitSettings& defaults);

// Exit status: 0 created, 1 refused (a file exists) or cancelled, 2 usage error.
int RunInitCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace flow::cli
