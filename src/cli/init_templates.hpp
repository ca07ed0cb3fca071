// The starter projects `flowtest init` offers. Their suites are files under
// src/cli/init_templates/<name>/ in the source tree, compiled into the binary
// (embed_templates.cmake), so an installed flowtest needs nothing besides itself. Immutable data;
// thread-safe.
#pragma once

#include <span>
#include <string_view>
#include <vector>

namespace flow::cli {

struct EmbeddedFile {
  std::string_view path;  // "<template>/<path in the project>": "auth/tests/profile.yaml"
  std::string_view text;
};

// Every embedded file, sorted by path (generated code).
std::span<const EmbeddedFile> EmbeddedTemplateFiles();

struct InitTemplate {
  std::string_view name;     // "basic"
  std::string_view summary;  // one line for the list of templates
};

// In the order they are offered; the first is the default.
std::span<const InitTemplate> InitTemplates();

// Null when no template has that name.
const InitTemplate* FindInitTemplate(std::string_view name);

// The files of template `name`, each `path` relative to the new project ("tests/crud.yaml").
std::vector<EmbeddedFile> TemplateFiles(std::string_view name);

}  // namespace flow::cli
