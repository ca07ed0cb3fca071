#include "core/config/globals.hpp"

#include <algorithm>

#include "core/util/strings.hpp"

namespace flow::core {

bool IsControlVariable(std::string_view name) {
  return std::find(std::begin(kControlVariables), std::end(kControlVariables), name) !=
         std::end(kControlVariables);
}

Value BuildGlobals(const Config& config,
                   const std::vector<std::pair<std::string, std::string>>& environment) {
  Value globals = config.globals.variables.is_object() ? config.globals.variables : Value::object();
  for (const auto& [name, value] : environment) {
    if (!StartsWith(name, kGlobalVariablePrefix) || IsControlVariable(name)) continue;
    const std::string global = ToLower(std::string_view(name).substr(kGlobalVariablePrefix.size()));
    if (global.empty()) continue;
    globals[global] = value;  // ordered_json: replaces in place, or appends
  }
  return globals;
}

}  // namespace flow::core
