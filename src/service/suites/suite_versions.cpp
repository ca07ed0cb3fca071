#include "service/suites/suite_versions.hpp"

#include <utility>

#include "core/schema/registry.hpp"
#include "core/secrets/secrets.hpp"
#include "core/util/strings.hpp"

namespace flow::service {
namespace {

// The suite's variables as written, with the values of those marked secret (and of those whose
// names look secret) masked: the history keeps no secret in a column meant to be shown.
Value StoredVariables(const core::Suite& suite) {
  Value out = suite.variables.is_object() ? suite.variables : Value::object();
  for (const std::string& name : suite.secret_variables) {
    if (out.contains(name)) out[name] = std::string(core::kMask);
  }
  core::MaskSecretNames(out);
  return out;
}

// A string that is one template and nothing else ("{{$env.PASSWORD}}") holds no secret itself.
bool IsOnlyTemplate(std::string_view text) {
  text = core::Trim(text);
  return text.size() >= 4 && text.starts_with("{{") && text.ends_with("}}") &&
         text.find("{{", 2) == std::string_view::npos;
}

// Adds the strings and numbers inside `value` (not those that are only a template).
void AddLiterals(const Value& value, core::SecretRegistry& out) {
  if (value.is_string()) {
    if (!IsOnlyTemplate(value.get_ref<const std::string&>())) out.Add(value.get<std::string>());
  } else if (value.is_number()) {
    out.AddValue(value);
  } else if (value.is_structured()) {
    for (const Value& item : value) AddLiterals(item, out);
  }
}

// Adds the literal values of secret variables ({value: V, secret: true}) and of the entries whose
// names look secret, at any depth, as the runner treats them.
void AddSecretValues(const Value& variables, core::SecretRegistry& out) {
  if (!variables.is_object()) return;
  for (auto it = variables.begin(); it != variables.end(); ++it) {
    const Value& value = it.value();
    if (core::schema::IsSecretVariable(value)) {
      if (value["secret"] == true || core::LooksSecret(it.key())) AddLiterals(value["value"], out);
    } else if (core::LooksSecret(it.key())) {
      AddLiterals(value, out);
    } else {
      AddSecretValues(value, out);
    }
  }
}

// The document as the loader read it (anchors and merge keys resolved), secrets masked: the
// `value` of secret variables and the values under secret-looking names become "***", and every
// other occurrence of a secret value is masked too.
Value CompiledConfig(const core::Suite& suite, const std::vector<std::string>& secret_values) {
  Value out = suite.document.root;
  if (!out.is_object()) return Value::object();
  if (auto vars = out.find("variables"); vars != out.end() && vars->is_object()) {
    Value others = Value::object();  // the variables not written {value: V, secret: ...}
    for (auto it = vars->begin(); it != vars->end(); ++it) {
      if (!core::schema::IsSecretVariable(it.value())) {
        others[it.key()] = std::move(it.value());
      } else if (it.value()["secret"] == true || core::LooksSecret(it.key())) {
        it.value()["value"] = std::string(core::kMask);
      }
    }
    core::MaskSecretNames(others);
    for (auto it = others.begin(); it != others.end(); ++it) {
      (*vars)[it.key()] = std::move(it.value());
    }
  }
  core::SecretSet(secret_values).MaskValue(out);
  return out;
}

}  // namespace

std::vector<std::string> SecretValuesOf(const Value& root) {
  core::SecretRegistry found;
  if (root.is_object()) {
    if (auto vars = root.find("variables"); vars != root.end()) AddSecretValues(*vars, found);
  }
  return found.Values();
}

Priority StoredPriority(const core::Suite& suite) {
  return Parse<Priority>(suite.priority).value_or(Priority::kMedium);
}

namespace {

// The version of `suite`, what takes time to make from it left to `derive`: a suite run again
// finds its version by the text's hash, and that is not made at all.
NewVersion LazyVersionOf(const core::Suite& suite, std::string created_by) {
  return NewVersion{.node_id = suite.node_id,
                    .name = suite.suite_name,
                    .description = suite.description,
                    .default_priority = StoredPriority(suite),
                    .tags = suite.tags,
                    .yaml_raw = suite.text,
                    .secret_values = SecretValuesOf(suite.document.root),
                    .created_by = std::move(created_by),
                    .derive = [&suite](NewVersion& v) {
                      v.effective_variables = StoredVariables(suite);
                      v.compiled_config = CompiledConfig(suite, v.secret_values);
                    }};
}

}  // namespace

NewVersion VersionOf(const core::Suite& suite, std::string created_by) {
  NewVersion version = LazyVersionOf(suite, std::move(created_by));
  std::exchange(version.derive, nullptr)(version);
  return version;
}

core::Result<SavedVersion> SaveSuiteVersion(SuiteStore& store, const core::Suite& suite,
                                            std::string created_by) {
  return store.SaveVersion(LazyVersionOf(suite, std::move(created_by)));
}

}  // namespace flow::service
