#include "cli/init_templates.hpp"

#include <algorithm>

namespace flow::cli {
namespace {

constexpr InitTemplate kTemplates[] = {
    {"basic", "GET and POST with assertions and captures reused between steps"},
    {"auth", "a login suite exporting a token, and a suite that depends on it"},
    {"crud", "create, read, update and delete one item, its id passed along"},
    {"data-driven", "one step run over a table of cases, a list and a range (iterate)"},
    {"inputs", "values asked for at run time, with defaults for CI"},
    {"javascript", "faker data, computed values, a signing script, custom assertions"},
};

}  // namespace

std::span<const InitTemplate> InitTemplates() { return kTemplates; }

const InitTemplate* FindInitTemplate(std::string_view name) {
  const auto it = std::find_if(std::begin(kTemplates), std::end(kTemplates),
                               [&](const InitTemplate& t) { return t.name == name; });
  return it == std::end(kTemplates) ? nullptr : &*it;
}

std::vector<EmbeddedFile> TemplateFiles(std::string_view name) {
  std::vector<EmbeddedFile> files;
  for (const EmbeddedFile& file : EmbeddedTemplateFiles()) {
    if (file.path.size() > name.size() && file.path.substr(0, name.size()) == name &&
        file.path[name.size()] == '/') {
      files.push_back({file.path.substr(name.size() + 1), file.text});
    }
  }
  return files;
}

}  // namespace flow::cli
