#include "core/config/config.hpp"

#include <algorithm>
#include <functional>
#include <limits>
#include <optional>
#include <utility>

#include "core/config/glob.hpp"
#include "core/check.hpp"
#include "core/parse/document.hpp"
#include "core/schema/registry.hpp"
#include "core/util/strings.hpp"

namespace flow::core {
namespace {

// How a value looks in a message: "string 'yes'", "number 0", "a list", "null".
std::string Describe(const Value& value) {
  if (value.is_string()) {
    std::string text = value.get<std::string>();
    if (text.size() > 40) text = text.substr(0, 37) + "...";
    return "string '" + text + "'";
  }
  if (value.is_number()) return "number " + DumpJson(value);
  if (value.is_boolean()) return std::string("boolean ") + (value.get<bool>() ? "true" : "false");
  if (value.is_array()) return "a list";
  if (value.is_object()) return "a mapping";
  return "null";
}

std::string Quoted(std::string_view text) { return "'" + std::string(text) + "'"; }

std::string JoinNames(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& name : names) {
    if (!out.empty()) out += ", ";
    out += name;
  }
  return out;
}

bool Contains(const std::vector<std::string>& names, std::string_view name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

// What to do with the (non-null) value of one key of a mapping. The keys themselves, which are
// accepted without effect (a warning) and which are offered in "did you mean", come from the
// registry (schema/format.cpp): every key there has a handler here, unless it has no effect.
struct Key {
  std::string_view name;
  std::function<Result<void>(const Value& value, const std::string& pointer)> handle;
};

class ConfigParser {
 public:
  ConfigParser(const Document& doc, Config& config) : doc_(doc), config_(config) {}

  Result<void> Parse() {
    const Value& root = doc_.root;
    if (root.is_null()) return Ok();  // an empty file: all defaults
    if (!root.is_object()) {
      return Fail(
          InvalidArgument("the configuration must be a mapping of keys, not " + Describe(root)), "",
          false, "wrong-type");
    }
    bool saw_required = false;
    bool saw_levels = false;
    const Result<void> walked = Walk(
        root, "", "", schema::Object("config"),
        {
            {"project_name",
             [&](const Value& v, const std::string& p) {
               auto text = String(v, p, "project_name");
               if (!text) return Result<void>(std::move(text).error());
               if (!Trim(*text).empty()) config_.project_name = *text;
               return Ok();
             }},
            {"test_directory",
             [&](const Value& v, const std::string& p) {
               return Assign(NonEmptyString(v, p, "test_directory"), config_.test_directory);
             }},
            {"test_directories",
             [&](const Value& v, const std::string& p) {
               return ExtraDirectories(v, p, "test_directories");
             }},
            {"testDirectories",
             [&](const Value& v, const std::string& p) {
               return ExtraDirectories(v, p, "testDirectories");
             }},
            {"testDirectory",
             [&](const Value& v, const std::string& p) {
               return ExtraDirectories(v, p, "testDirectory");
             }},
            {"tests",
             [&](const Value& v, const std::string& p) {
               return Walk(v, p, "tests", schema::Object("config.tests"),
                           {
                               {"directories",
                                [&](const Value& dv, const std::string& dp) {
                                  return ExtraDirectories(dv, dp, "tests.directories");
                                }},
                           });
             }},
            {"globals", [&](const Value& v, const std::string& p) { return Globals(v, p); }},
            {"discovery", [&](const Value& v, const std::string& p) { return Discovery(v, p); }},
            {"priorities",
             [&](const Value& v, const std::string& p) {
               return Priorities(v, p, &saw_levels, &saw_required);
             }},
            {"execution", [&](const Value& v, const std::string& p) { return Execution(v, p); }},
            {"reporting", [&](const Value& v, const std::string& p) { return Reporting(v, p); }},
            {"interpolation",
             [&](const Value& v, const std::string& p) {
               return Walk(v, p, "interpolation", schema::Object("config.interpolation"),
                           {
                               {"unresolved",
                                [&](const Value& uv, const std::string& up) {
                                  auto name = Enum(uv, up, "interpolation.unresolved",
                                                   {"error", "literal"});
                                  if (!name) return Result<void>(std::move(name).error());
                                  config_.interpolation.unresolved =
                                      *name == "error" ? UnresolvedPolicy::kError
                                                       : UnresolvedPolicy::kLiteral;
                                  return Ok();
                                }},
                           });
             }},
            {"http", [&](const Value& v, const std::string& p) { return Http(v, p); }},
            {"javascript", [&](const Value& v, const std::string& p) { return JavaScript(v, p); }},
            {"faker", [&](const Value& v, const std::string& p) { return Faker(v, p); }},
        });
    if (!walked) return walked;
    return CheckPriorities(saw_levels, saw_required);
  }

 private:
  Error Located(Error error, std::string_view pointer, bool at_key, std::string_view reason) {
    error.where = at_key ? doc_.WhereKey(pointer) : doc_.WhereValue(pointer);
    error.pointer = std::string(pointer);
    error.reason = std::string(reason);
    return error;
  }
  Result<void> Fail(Error error, std::string_view pointer, bool at_key, std::string_view reason) {
    return Located(std::move(error), pointer, at_key, reason);
  }
  Error TypeError(std::string_view dotted, std::string_view expected, const Value& value,
                  std::string_view pointer, std::string hint = {}) {
    return Located(InvalidArgument(Quoted(dotted) + " must be " + std::string(expected) + ", not " +
                                       Describe(value),
                                   std::move(hint)),
                   pointer, false, "wrong-type");
  }
  void Warn(std::string message, std::string hint, std::string_view pointer,
            std::string_view reason) {
    config_.warnings.push_back(
        Located(InvalidArgument(std::move(message), std::move(hint)), pointer, true, reason));
  }

  template <typename T, typename U>
  static Result<void> Assign(Result<T> result, U& target) {
    if (!result) return std::move(result).error();
    target = static_cast<U>(std::move(result).value());
    return Ok();
  }

  // Dispatches each key of the mapping `value` in file order; unknown keys are errors. A key the
  // registry marks as having no effect is a warning, after its handler (if any) checked it.
  Result<void> Walk(const Value& value, std::string_view pointer, std::string_view dotted,
                    const schema::ObjectSpec& spec, const std::vector<Key>& keys) {
    for (const Key& key : keys) FLOW_CHECK(spec.FindKey(key.name) != nullptr);
    if (value.is_null()) return Ok();
    if (!value.is_object()) {
      return TypeError(dotted, "a mapping of keys", value, pointer);
    }
    for (const auto& [name, child] : value.items()) {
      const std::string child_pointer = JoinPointer(pointer, name);
      const std::string child_dotted = dotted.empty() ? name : std::string(dotted) + "." + name;
      const schema::KeySpec* spec_key = spec.FindKey(name);
      if (spec_key == nullptr) {
        const std::string where_text = dotted.empty() ? "" : " in " + Quoted(dotted);
        return Fail(InvalidArgument("unknown key " + Quoted(name) + where_text,
                                    DidYouMean(name, spec.KeyNames(true))),
                    child_pointer, true, "unknown-key");
      }
      const auto key =
          std::find_if(keys.begin(), keys.end(), [&](const Key& k) { return k.name == name; });
      if (spec_key->kind == schema::KeyKind::kNoEffect) {
        if (key != keys.end()) {
          if (child.is_null()) continue;
          FLOW_TRY_VOID(key->handle(child, child_pointer));
        }
        config_.ignored_keys.push_back(child_dotted);
        Warn(Quoted(child_dotted) + " has no effect", spec_key->hint, child_pointer, "no-effect");
        continue;
      }
      FLOW_CHECK(key != keys.end());
      if (child.is_null()) continue;  // `key:` with nothing after it keeps the default
      FLOW_TRY_VOID(key->handle(child, child_pointer));
    }
    return Ok();
  }

  Result<std::string> String(const Value& v, std::string_view pointer, std::string_view dotted) {
    if (!v.is_string()) {
      return TypeError(dotted, "a string", v, pointer,
                       v.is_number() || v.is_boolean() ? "put the value in quotes" : "");
    }
    return v.get<std::string>();
  }

  Result<std::string> NonEmptyString(const Value& v, std::string_view pointer,
                                     std::string_view dotted) {
    auto text = String(v, pointer, dotted);
    if (text && Trim(*text).empty()) {
      return Located(InvalidArgument(Quoted(dotted) + " must not be empty"), pointer, false,
                     "invalid-value");
    }
    return text;
  }

  Result<bool> Bool(const Value& v, std::string_view pointer, std::string_view dotted) {
    if (v.is_boolean()) return v.get<bool>();
    std::string hint;
    if (v.is_string()) {
      const std::string lower = ToLower(v.get<std::string>());
      if (lower == "yes" || lower == "no" || lower == "on" || lower == "off" || lower == "true" ||
          lower == "false") {
        hint = "YAML 1.2 reads this as text; write true or false without quotes";
      }
    }
    return TypeError(dotted, "true or false", v, pointer, std::move(hint));
  }

  Result<std::int64_t> Integer(const Value& v, std::string_view pointer, std::string_view dotted,
                               std::int64_t minimum, std::string_view expected) {
    constexpr std::int64_t kMax = std::numeric_limits<std::int32_t>::max();
    std::optional<std::int64_t> number;
    bool too_large = false;
    if (v.is_number_unsigned()) {
      const auto u = v.get<std::uint64_t>();
      too_large = u > static_cast<std::uint64_t>(kMax);
      if (!too_large) number = static_cast<std::int64_t>(u);
    } else if (v.is_number_integer()) {
      const auto i = v.get<std::int64_t>();
      too_large = i > kMax;
      if (!too_large) number = i;
    } else if (v.is_number_float()) {
      const double d = v.get<double>();
      too_large = d > static_cast<double>(kMax);
      if (!too_large && d >= -static_cast<double>(kMax) &&
          d == static_cast<double>(static_cast<std::int64_t>(d))) {
        number = static_cast<std::int64_t>(d);
      }
    }
    if (too_large) {
      return Located(
          InvalidArgument(Quoted(dotted) + " is too large (at most " + std::to_string(kMax) + ")"),
          pointer, false, "invalid-value");
    }
    if (!number || *number < minimum) {
      return TypeError(dotted, expected, v, pointer,
                       v.is_string() ? "write the number without quotes or units" : "");
    }
    return *number;
  }

  Result<std::int64_t> Milliseconds(const Value& v, std::string_view pointer,
                                    std::string_view dotted, std::int64_t minimum = 1) {
    return Integer(v, pointer, dotted, minimum,
                   minimum > 0 ? "a positive whole number of milliseconds"
                               : "a whole number of milliseconds, 0 or more");
  }

  Result<std::string> Enum(const Value& v, std::string_view pointer, std::string_view dotted,
                           const std::vector<std::string>& allowed) {
    const std::string list = JoinNames(allowed);
    if (!v.is_string()) return TypeError(dotted, "one of " + list, v, pointer);
    const std::string text = v.get<std::string>();
    if (Contains(allowed, text)) return text;
    std::string hint = DidYouMean(text, allowed);
    if (hint.empty() && Contains(allowed, ToLower(text))) hint = "write it in lower case";
    return Located(
        InvalidArgument(Quoted(dotted) + " must be one of " + list + ", not " + Quoted(text),
                        std::move(hint)),
        pointer, false, "invalid-value");
  }

  // A list of non-empty strings, each error located at its element.
  Result<std::vector<std::string>> StringList(const Value& v, std::string_view pointer,
                                              std::string_view dotted) {
    if (!v.is_array()) {
      return TypeError(dotted, "a list of strings", v, pointer,
                       v.is_string() ? "write it as a list: [" + v.get<std::string>() + "]" : "");
    }
    std::vector<std::string> out;
    for (std::size_t i = 0; i < v.size(); ++i) {
      const std::string item_pointer = JoinPointer(pointer, i);
      const std::string item_dotted = std::string(dotted) + "[" + std::to_string(i) + "]";
      auto text = NonEmptyString(v[i], item_pointer, item_dotted);
      if (!text) return std::move(text).error();
      out.push_back(std::move(text).value());
    }
    return out;
  }

  Result<void> ExtraDirectories(const Value& v, const std::string& pointer,
                                std::string_view dotted) {
    if (v.is_string()) {
      auto one = NonEmptyString(v, pointer, dotted);
      if (!one) return std::move(one).error();
      config_.extra_test_directories.push_back(*one);
      return Ok();
    }
    auto list = StringList(v, pointer, dotted);
    if (!list) return std::move(list).error();
    for (std::string& dir : *list) config_.extra_test_directories.push_back(std::move(dir));
    return Ok();
  }

  Result<void> Globals(const Value& value, const std::string& pointer) {
    GlobalsConfig& g = config_.globals;
    return Walk(value, pointer, "globals", schema::Object("config.globals"),
                {
                    {"variables",
                     [&](const Value& v, const std::string& p) -> Result<void> {
                       if (!v.is_object()) return TypeError("globals.variables", "a mapping", v, p);
                       g.variables = Value::object();
                       for (const auto& [name, value] : v.items()) {
                         if (!schema::IsSecretVariable(value)) {
                           g.variables[name] = value;
                           continue;
                         }
                         // `{value: V, secret: true|false}`: the variable is V.
                         const Value& secret = value["secret"];
                         if (!secret.is_boolean()) {
                           return TypeError("globals.variables." + name + ".secret", "true or false",
                                            secret, JoinPointer(JoinPointer(p, name), "secret"));
                         }
                         if (secret.get<bool>()) g.secret_variables.push_back(name);
                         g.variables[name] = value["value"];
                       }
                       return Ok();
                     }},
                    {"env_files",
                     [&](const Value& v, const std::string& p) {
                       return Assign(StringList(v, p, "globals.env_files"), g.env_files);
                     }},
                    {"base_url",
                     [&](const Value& v, const std::string& p) {
                       auto text = String(v, p, "globals.base_url");
                       if (!text) return Result<void>(std::move(text).error());
                       g.base_url = std::string(Trim(*text));
                       return Ok();
                     }},
                    {"timeouts",
                     [&](const Value& v, const std::string& p) -> Result<void> {
                       const Result<void> walked = Walk(
                           v, p, "globals.timeouts", schema::Object("config.timeouts"),
                           {
                               {"default",
                                [&](const Value& tv, const std::string& tp) {
                                  return Assign(Milliseconds(tv, tp, "globals.timeouts.default"),
                                                g.timeouts.default_ms);
                                }},
                               {"slow_tests",
                                [&](const Value& tv, const std::string& tp) {
                                  return Assign(Milliseconds(tv, tp, "globals.timeouts.slow_tests"),
                                                g.timeouts.slow_tests_ms);
                                }},
                           });
                       return walked;  // Walk warns that it has no effect
                     }},
                    {"certificates",
                     [&](const Value& v, const std::string& p) { return Certificates(v, p); }},
                });
  }

  // globals.certificates: a list of {name, domains, cert_path, ...} entries.
  Result<void> Certificates(const Value& value, const std::string& pointer) {
    if (!value.is_array()) {
      return TypeError(
          "globals.certificates", "a list of certificates", value, pointer,
          value.is_object() ? "write each certificate as a list item: - name: ..." : "");
    }
    std::vector<DomainCertificate> certificates;
    for (std::size_t i = 0; i < value.size(); ++i) {
      const std::string item_pointer = JoinPointer(pointer, i);
      const std::string dotted = "globals.certificates[" + std::to_string(i) + "]";
      const Value& item = value[i];
      if (!item.is_object()) {
        return TypeError(dotted, "a mapping (name, domains, cert_path, ...)", item, item_pointer);
      }
      DomainCertificate entry;
      entry.certificate = Value::object();
      bool saw_domains = false;
      const auto text = [&](std::string_view key) -> Key {
        return {key, [&, key](const Value& v, const std::string& p) -> Result<void> {
                  auto s = String(v, p, dotted + "." + std::string(key));
                  if (!s) return std::move(s).error();
                  entry.certificate[std::string(key)] = *s;
                  return Ok();
                }};
      };
      const auto version = [&](std::string_view key) -> Key {
        return {key, [&, key](const Value& v, const std::string& p) -> Result<void> {
                  const std::string name = dotted + "." + std::string(key);
                  static const std::vector<std::string> kVersions = {"TLSv1", "TLSv1.1", "TLSv1.2",
                                                                     "TLSv1.3"};
                  if (v.is_string()) {
                    const std::string lower = ToLower(Trim(v.get<std::string>()));
                    for (const std::string& known : kVersions) {
                      if (lower == ToLower(known) || (lower == "tlsv1.0" && known == "TLSv1")) {
                        entry.certificate[std::string(key)] = known;
                        return Ok();
                      }
                    }
                  }
                  return Located(InvalidArgument(Quoted(name) + " must be one of " +
                                                 JoinNames(kVersions) + ", not " + Describe(v)),
                                 p, false, "invalid-value");
                }};
      };
      FLOW_TRY_VOID(Walk(item, item_pointer, dotted, schema::Object("config.certificate"),
                         {
                             {"name",
                              [&](const Value& v, const std::string& p) {
                                return Assign(String(v, p, dotted + ".name"), entry.name);
                              }},
                             {"domains",
                              [&](const Value& v, const std::string& p) -> Result<void> {
                                auto domains = StringList(v, p, dotted + ".domains");
                                if (!domains) return std::move(domains).error();
                                for (std::size_t d = 0; d < domains->size(); ++d) {
                                  const Result<void> checked = CheckDomainPattern((*domains)[d]);
                                  if (!checked) {
                                    return Fail(checked.error(), JoinPointer(p, d), false,
                                                "invalid-value");
                                  }
                                }
                                entry.domains = std::move(domains).value();
                                saw_domains = true;
                                return Ok();
                              }},
                             text("cert_path"),
                             text("key_path"),
                             text("pfx_path"),
                             text("passphrase"),
                             text("ca_path"),
                             {"verify",
                              [&](const Value& v, const std::string& p) -> Result<void> {
                                auto verify = Bool(v, p, dotted + ".verify");
                                if (!verify) return std::move(verify).error();
                                entry.certificate["verify"] = *verify;
                                return Ok();
                              }},
                             version("min_version"),
                             version("max_version"),
                         }));
      const std::string label =
          "certificate " + (entry.name.empty() ? Quoted(dotted) : Quoted(entry.name));
      const Value& c = entry.certificate;
      if (!saw_domains || entry.domains.empty()) {
        return Fail(InvalidArgument(label + " names no domains",
                                    "add domains: [\"api.example.com\", \"*.example.com\"]"),
                    saw_domains ? JoinPointer(item_pointer, "domains") : item_pointer, !saw_domains,
                    "invalid-value");
      }
      if (c.contains("pfx_path") && (c.contains("cert_path") || c.contains("key_path"))) {
        return Fail(InvalidArgument(label + " has both pfx_path and cert_path/key_path",
                                    "give either a pfx_path or a cert_path with its key_path"),
                    JoinPointer(item_pointer, "pfx_path"), true, "invalid-value");
      }
      if (c.contains("key_path") && !c.contains("cert_path")) {
        return Fail(InvalidArgument(label + " has a key_path but no cert_path"),
                    JoinPointer(item_pointer, "key_path"), true, "invalid-value");
      }
      if (!c.contains("cert_path") && !c.contains("pfx_path") && !c.contains("ca_path") &&
          !c.contains("verify")) {
        return Fail(InvalidArgument(label + " sets nothing to use",
                                    "give a cert_path and key_path, a pfx_path, a ca_path or "
                                    "verify"),
                    item_pointer, false, "invalid-value");
      }
      certificates.push_back(std::move(entry));
    }
    config_.globals.certificates = std::move(certificates);
    return Ok();
  }

  Result<void> Globs(const Value& v, const std::string& pointer, std::string_view dotted,
                     std::vector<std::string>& target) {
    auto list = StringList(v, pointer, dotted);
    if (!list) return std::move(list).error();
    for (std::size_t i = 0; i < list->size(); ++i) {
      const Result<void> checked = CheckGlob((*list)[i]);
      if (!checked) {
        return Fail(checked.error(), JoinPointer(pointer, i), false, "invalid-value");
      }
    }
    target = std::move(list).value();
    return Ok();
  }

  Result<void> Discovery(const Value& value, const std::string& pointer) {
    DiscoveryConfig& d = config_.discovery;
    return Walk(value, pointer, "discovery", schema::Object("config.discovery"),
                {
                    {"patterns",
                     [&](const Value& v, const std::string& p) -> Result<void> {
                       FLOW_TRY_VOID(Globs(v, p, "discovery.patterns", d.patterns));
                       if (d.patterns.empty()) {
                         return Fail(
                             InvalidArgument("'discovery.patterns' is empty, so no suite would be "
                                             "found",
                                             "remove the key to use the default patterns"),
                             p, false, "invalid-value");
                       }
                       return Ok();
                     }},
                    {"exclude",
                     [&](const Value& v, const std::string& p) {
                       return Globs(v, p, "discovery.exclude", d.exclude);
                     }},
                    {"recursive",
                     [&](const Value& v, const std::string& p) {
                       return Assign(Bool(v, p, "discovery.recursive"), d.recursive);
                     }},
                });
  }

  Result<void> Priorities(const Value& value, const std::string& pointer, bool* saw_levels,
                          bool* saw_required) {
    PrioritiesConfig& pr = config_.priorities;
    return Walk(value, pointer, "priorities", schema::Object("config.priorities"),
                {
                    {"levels",
                     [&](const Value& v, const std::string& p) -> Result<void> {
                       auto levels = StringList(v, p, "priorities.levels");
                       if (!levels) return std::move(levels).error();
                       if (levels->empty()) {
                         return Fail(
                             InvalidArgument("'priorities.levels' must name at least one level"), p,
                             false, "invalid-value");
                       }
                       for (std::size_t i = 0; i < levels->size(); ++i) {
                         for (std::size_t j = 0; j < i; ++j) {
                           if ((*levels)[j] == (*levels)[i]) {
                             return Fail(InvalidArgument("priority level " + Quoted((*levels)[i]) +
                                                         " is listed twice in 'priorities.levels'"),
                                         JoinPointer(p, i), false, "invalid-value");
                           }
                         }
                       }
                       pr.levels = std::move(levels).value();
                       *saw_levels = true;
                       return Ok();
                     }},
                    {"required",
                     [&](const Value& v, const std::string& p) -> Result<void> {
                       FLOW_TRY_VOID(Assign(StringList(v, p, "priorities.required"), pr.required));
                       required_pointer_ = p;
                       *saw_required = true;
                       return Ok();
                     }},
                    {"fail_fast_on_required",
                     [&](const Value& v, const std::string& p) {
                       return Assign(Bool(v, p, "priorities.fail_fast_on_required"),
                                     pr.fail_fast_on_required);
                     }},
                });
  }

  // After the whole file: levels and required may come in either order.
  Result<void> CheckPriorities(bool saw_levels, bool saw_required) {
    PrioritiesConfig& pr = config_.priorities;
    if (!saw_required) {
      // The default [critical] only makes sense when "critical" is a level.
      pr.required.clear();
      if (Contains(pr.levels, "critical")) pr.required.push_back("critical");
      return Ok();
    }
    for (std::size_t i = 0; i < pr.required.size(); ++i) {
      if (Contains(pr.levels, pr.required[i])) continue;
      std::string hint = DidYouMean(pr.required[i], pr.levels);
      if (hint.empty()) hint = "add it to 'priorities.levels' or remove it here";
      return Fail(
          InvalidArgument("required priority " + Quoted(pr.required[i]) +
                              " is not one of 'priorities.levels' (" + JoinNames(pr.levels) + ")" +
                              (saw_levels ? "" : ", the default levels"),
                          std::move(hint)),
          JoinPointer(required_pointer_, i), false, "invalid-value");
    }
    return Ok();
  }

  Result<void> Execution(const Value& value, const std::string& pointer) {
    ExecutionConfig& e = config_.execution;
    return Walk(
        value, pointer, "execution", schema::Object("config.execution"),
        {
            {"mode",
             [&](const Value& v, const std::string& p) {
               auto mode = Enum(v, p, "execution.mode", {"sequential", "parallel"});
               if (!mode) return Result<void>(std::move(mode).error());
               e.mode = *mode == "parallel" ? ExecutionMode::kParallel : ExecutionMode::kSequential;
               return Ok();
             }},
            {"max_parallel",
             [&](const Value& v, const std::string& p) {
               return Assign(Integer(v, p, "execution.max_parallel", 1, "a positive whole number"),
                             e.max_parallel);
             }},
            {"timeout",
             [&](const Value& v, const std::string& p) {
               return Assign(Milliseconds(v, p, "execution.timeout"), e.timeout_ms);
             }},
            {"continue_on_failure",
             [&](const Value& v, const std::string& p) {
               return Assign(Bool(v, p, "execution.continue_on_failure"), e.continue_on_failure);
             }},
            {"retry_failed",
             [&](const Value& v, const std::string& p) {
               RetryFailedConfig& r = e.retry_failed;
               return Walk(
                   v, p, "execution.retry_failed", schema::Object("config.retry_failed"),
                   {
                       {"enabled",
                        [&](const Value& rv, const std::string& rp) {
                          return Assign(Bool(rv, rp, "execution.retry_failed.enabled"), r.enabled);
                        }},
                       {"max_attempts",
                        [&](const Value& rv, const std::string& rp) {
                          return Assign(Integer(rv, rp, "execution.retry_failed.max_attempts", 1,
                                                "a positive whole number"),
                                        r.max_attempts);
                        }},
                       {"delay_ms",
                        [&](const Value& rv, const std::string& rp) {
                          return Assign(Milliseconds(rv, rp, "execution.retry_failed.delay_ms", 0),
                                        r.delay_ms);
                        }},
                   });
             }},
        });
  }

  Result<void> Reporting(const Value& value, const std::string& pointer) {
    ReportingConfig& r = config_.reporting;
    return Walk(
        value, pointer, "reporting", schema::Object("config.reporting"),
        {
            {"enabled",
             [&](const Value& v, const std::string& p) {
               return Assign(Bool(v, p, "reporting.enabled"), r.enabled);
             }},
            {"formats", [&](const Value& v, const std::string& p) { return Formats(v, p); }},
            {"output_dir",
             [&](const Value& v, const std::string& p) {
               return Assign(NonEmptyString(v, p, "reporting.output_dir"), r.output_dir);
             }},
            {"html",
             [&](const Value& v, const std::string& p) {
               HtmlReportConfig& h = r.html;
               return Walk(
                   v, p, "reporting.html", schema::Object("config.html"),
                   {
                       {"aggregate",
                        [&](const Value& hv, const std::string& hp) {
                          return Assign(Bool(hv, hp, "reporting.html.aggregate"), h.aggregate);
                        }},
                       {"per_suite",
                        [&](const Value& hv, const std::string& hp) {
                          return Assign(Bool(hv, hp, "reporting.html.per_suite"), h.per_suite);
                        }},
                       {"output_subdir",
                        [&](const Value& hv, const std::string& hp) {
                          return Assign(NonEmptyString(hv, hp, "reporting.html.output_subdir"),
                                        h.output_subdir);
                        }},
                   });
             }},
        });
  }

  Result<void> Formats(const Value& v, const std::string& pointer) {
    std::vector<std::string> allowed;
    for (const std::string_view format : kReportFormats) allowed.emplace_back(format);
    if (!v.is_array()) {
      return TypeError("reporting.formats", "a list of formats (" + JoinNames(allowed) + ")", v,
                       pointer,
                       v.is_string() ? "write it as a list: [" + v.get<std::string>() + "]" : "");
    }
    std::vector<std::string> formats;
    for (std::size_t i = 0; i < v.size(); ++i) {
      auto format = Enum(v[i], JoinPointer(pointer, i),
                         "reporting.formats[" + std::to_string(i) + "]", allowed);
      if (!format) return std::move(format).error();
      if (!Contains(formats, *format)) formats.push_back(*format);
    }
    if (formats.empty()) {
      formats.push_back("json");
      Warn("'reporting.formats' is empty, so the json report is written",
           "set 'reporting.enabled: false' to write no report", pointer, "suspicious");
    }
    config_.reporting.formats = std::move(formats);
    return Ok();
  }

  Result<void> Http(const Value& value, const std::string& pointer) {
    HttpConfig& h = config_.http;
    return Walk(value, pointer, "http", schema::Object("config.http"),
                {
                    {"follow_redirects",
                     [&](const Value& v, const std::string& p) {
                       return Assign(Bool(v, p, "http.follow_redirects"), h.follow_redirects);
                     }},
                    {"max_redirects",
                     [&](const Value& v, const std::string& p) {
                       return Assign(
                           Integer(v, p, "http.max_redirects", 0, "a whole number, 0 or more"),
                           h.max_redirects);
                     }},
                    {"verify_tls",
                     [&](const Value& v, const std::string& p) {
                       return Assign(Bool(v, p, "http.verify_tls"), h.verify_tls);
                     }},
                    {"user_agent",
                     [&](const Value& v, const std::string& p) {
                       return Assign(String(v, p, "http.user_agent"), h.user_agent);
                     }},
                    {"cookies",
                     [&](const Value& v, const std::string& p) {
                       return Assign(Bool(v, p, "http.cookies"), h.cookies);
                     }},
                });
  }

  Result<void> JavaScript(const Value& value, const std::string& pointer) {
    JavaScriptConfig& j = config_.javascript;
    const auto bounded = [&](const Value& v, const std::string& p, const char* dotted,
                             std::int64_t low, std::int64_t high, int& target) -> Result<void> {
      auto n = Integer(v, p, dotted, low, "a whole number from " + std::to_string(low));
      if (!n) return std::move(n).error();
      if (*n > high) {
        return Located(InvalidArgument(Quoted(dotted) + " is at most " + std::to_string(high)), p,
                       false, "invalid-value");
      }
      target = static_cast<int>(*n);
      return Ok();
    };
    return Walk(value, pointer, "javascript", schema::Object("config.javascript"),
                {
                    {"enabled",
                     [&](const Value& v, const std::string& p) {
                       return Assign(Bool(v, p, "javascript.enabled"), j.enabled);
                     }},
                    {"cpu_ms",
                     [&](const Value& v, const std::string& p) {
                       return bounded(v, p, "javascript.cpu_ms", 1, 600000, j.cpu_ms);
                     }},
                    {"memory_mb",
                     [&](const Value& v, const std::string& p) {
                       return bounded(v, p, "javascript.memory_mb", 8, 1024, j.memory_mb);
                     }},
                    {"max_helpers",
                     [&](const Value& v, const std::string& p) {
                       return bounded(v, p, "javascript.max_helpers", 0, 64, j.max_helpers);
                     }},
                });
  }

  Result<void> Faker(const Value& value, const std::string& pointer) {
    FakerConfig& f = config_.faker;
    return Walk(value, pointer, "faker", schema::Object("config.faker"),
                {
                    {"locale",
                     [&](const Value& v, const std::string& p) -> Result<void> {
                       auto name = Enum(v, p, "faker.locale", {"en", "pt_BR"});
                       if (!name) return std::move(name).error();
                       f.locale = *name;
                       return Ok();
                     }},
                    {"seed",
                     [&](const Value& v, const std::string& p) -> Result<void> {
                       auto n = Integer(v, p, "faker.seed", 0, "a whole number, 0 or more");
                       if (!n) return std::move(n).error();
                       f.seed = *n;
                       return Ok();
                     }},
                });
  }

  const Document& doc_;
  Config& config_;
  std::string required_pointer_ = "/priorities/required";
};

}  // namespace

Config DefaultConfig(std::string_view default_project_name) {
  Config config;
  if (!Trim(default_project_name).empty()) config.project_name = std::string(default_project_name);
  return config;
}

Result<Config> ParseConfig(const Document& doc, std::string_view default_project_name) {
  Config config = DefaultConfig(default_project_name);
  ConfigParser parser(doc, config);
  FLOW_TRY_VOID(parser.Parse());
  return config;
}

std::string_view ExecutionModeName(ExecutionMode mode) {
  return mode == ExecutionMode::kParallel ? "parallel" : "sequential";
}

std::string_view UnresolvedPolicyName(UnresolvedPolicy policy) {
  return policy == UnresolvedPolicy::kLiteral ? "literal" : "error";
}

}  // namespace flow::core
