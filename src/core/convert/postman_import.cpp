#include "core/convert/postman_import.hpp"

#include <algorithm>
#include <cctype>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <utility>
#include <vector>

#include "core/convert/faker_tokens.hpp"
#include "core/convert/naming.hpp"
#include "core/convert/postman_collection.hpp"
#include "core/convert/postman_script.hpp"
#include "core/convert/value_strings.hpp"
#include "core/convert/yaml_writer.hpp"
#include "core/model/http.hpp"
#include "core/util/strings.hpp"

namespace flow::core::convert {
namespace {

std::string EncodeBase64(std::string_view bytes) {
  static const char* kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const unsigned v = (static_cast<unsigned char>(bytes[i]) << 16) |
                       (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                       static_cast<unsigned char>(bytes[i + 2]);
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += kAlphabet[v & 63];
  }
  if (i + 1 == bytes.size()) {
    const unsigned v = static_cast<unsigned char>(bytes[i]) << 16;
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += "==";
  } else if (i + 2 == bytes.size()) {
    const unsigned v = (static_cast<unsigned char>(bytes[i]) << 16) |
                       (static_cast<unsigned char>(bytes[i + 1]) << 8);
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += '=';
  }
  return out;
}

std::string Text(const Value& object, const char* key) {
  const auto found = object.find(key);
  if (found == object.end() || found->is_null()) return "";
  return found->is_string() ? found->get<std::string>() : ToText(*found);
}

bool Disabled(const Value& entry) { return entry.is_object() && entry.value("disabled", false); }

// The script of an event: `exec` as lines or one string.
std::string ScriptText(const Value& event) {
  const Value* exec = nullptr;
  if (const auto script = event.find("script"); script != event.end() && script->is_object()) {
    if (const auto found = script->find("exec"); found != script->end()) exec = &*found;
  }
  if (exec == nullptr) return "";
  if (exec->is_string()) return exec->get<std::string>();
  std::string text;
  for (const Value& line : *exec) {
    if (!line.is_string()) continue;
    if (!text.empty()) text += "\n";
    text += line.get<std::string>();
  }
  return text;
}

std::string DescriptionText(const Value& object) {
  const auto found = object.find("description");
  if (found == object.end()) return "";
  if (found->is_string()) return found->get<std::string>();
  if (found->is_object()) return Text(*found, "content");
  return "";
}

// Takes the exporter's "flowtest node_id: x" line off a description; returns x or "".
std::string TakeNodeIdMarker(std::string& description) {
  const std::size_t at = description.rfind(kPostmanNodeIdMarker);
  if (at == std::string::npos || (at > 0 && description[at - 1] != '\n')) return "";
  const std::string id(
      Trim(std::string_view(description).substr(at + kPostmanNodeIdMarker.size())));
  if (id.empty() || id.find_first_of(" \n\t{}.") != std::string::npos) return "";
  description = std::string(Trim(std::string_view(description).substr(0, at)));
  return id;
}

struct Script {
  std::string text;
  std::string pointer;
};

// What folders pass down to their requests.
struct Scope {
  const Value* auth = nullptr;  // the nearest auth ("noauth" included), or nullptr
  std::string auth_pointer;
  std::vector<Script> tests;
  std::vector<Script> prerequests;
  std::string prefix;  // "Folder / Sub / "
};

struct SuiteBuild {
  std::string wanted_node_id;  // from the exporter's marker in the folder description
  std::string name;
  std::string description;
  std::string pointer;
  Value variables = Value::object();
  Value steps = Value::array();
  std::map<std::string, std::vector<std::string>> comments;  // pointer in the suite -> lines
  std::string node_id;
  Value exports = Value::array();
  Value depends = Value::array();
};

class PostmanImporter {
 public:
  PostmanImporter(const Document& doc, const PostmanImportOptions& options)
      : doc_(doc), options_(options) {}

  Result<ImportResult> Run() {
    const Value& root = doc_.root;
    FLOW_TRY_VOID(CheckVersion(root));
    std::vector<Error> problems = CheckPostmanCollection(root, version_);
    if (!problems.empty()) {
      Error error = std::move(problems.front());
      error.where = doc_.WhereValue(error.pointer);
      if (problems.size() > 1) {
        error.hint = std::to_string(problems.size() - 1) + " more problem" +
                     (problems.size() > 2 ? "s" : "") + " of the same kind may follow";
      }
      return error;
    }
    ReserveIdentifiers(root);
    name_ = Text(root["info"], "name");
    Scope scope;
    if (const auto auth = root.find("auth"); auth != root.end() && auth->is_object()) {
      scope.auth = &*auth;
      scope.auth_pointer = "/auth";
    }
    AddEvents(root, "", scope);
    Value collection_variables = Variables(root, "");
    for (auto it = collection_variables.begin(); it != collection_variables.end(); ++it) {
      collection_variable_names_.insert(it.key());
    }
    std::vector<SuiteBuild> suites;
    const Value& items = root["item"];
    if (options_.single_suite) {
      SuiteBuild suite{.name = name_.empty() ? "Postman collection" : name_,
                       .description = DescriptionText(root["info"])};
      suite.variables = collection_variables;
      Walk(items, "/item", scope, suite);
      suites.push_back(std::move(suite));
    } else {
      SuiteBuild top{.name = name_.empty() ? "Postman collection" : name_,
                     .description = DescriptionText(root["info"]),
                     .pointer = ""};
      top.variables = collection_variables;
      for (std::size_t i = 0; i < items.size(); ++i) {
        const Value& item = items[i];
        const std::string pointer = JoinPointer("/item", i);
        if (!item.contains("item")) {
          Request(item, pointer, scope, top);
          continue;
        }
        SuiteBuild suite{
            .name = Text(item, "name"), .description = DescriptionText(item), .pointer = pointer};
        suite.wanted_node_id = TakeNodeIdMarker(suite.description);
        if (suite.name.empty()) suite.name = "Folder " + std::to_string(i + 1);
        suite.variables = collection_variables;
        Folder(item, pointer, scope, suite, true);
        suites.push_back(std::move(suite));
      }
      if (!top.steps.empty()) suites.insert(suites.begin(), std::move(top));
    }
    std::vector<SuiteBuild> kept;
    for (SuiteBuild& suite : suites) {
      if (suite.steps.empty()) {
        Warn("folder '" + suite.name + "' has no requests: no suite is written for it",
             suite.pointer);
        continue;
      }
      kept.push_back(std::move(suite));
    }
    if (kept.empty()) {
      Error error = InvalidArgument("the collection has no requests to import");
      error.where = doc_.WhereValue("/item");
      return error;
    }
    NameSet node_ids;
    for (SuiteBuild& suite : kept) {
      suite.node_id =
          node_ids.Claim(suite.wanted_node_id.empty() ? Slug(suite.name) : suite.wanted_node_id);
    }
    LinkSuites(kept);
    WarnUndefined(kept);
    ImportResult result;
    result.source =
        std::string("Postman collection ") + (version_ == PostmanVersion::kV20 ? "v2.0" : "v2.1");
    for (SuiteBuild& suite : kept) result.files.push_back(Write(suite));
    if (needs_sample_file_) {
      result.files.push_back(ConvertedFile{.path = kSampleUploadPath, .text = kSampleUploadText});
    }
    result.warnings = std::move(warnings_);
    return result;
  }

 private:
  void Warn(std::string message, const std::string& pointer, std::string hint = {}) {
    Error warning = InvalidArgument(std::move(message), std::move(hint));
    warning.where = doc_.WhereValue(pointer);
    warning.pointer = pointer;
    warnings_.push_back(std::move(warning));
  }

  Result<void> CheckVersion(const Value& root) {
    if (!root.is_object()) return Ok();  // the structure check says what is wrong
    if (root.contains("requests") && !root.contains("item")) {
      Error error =
          InvalidArgument("this is a Postman collection v1, which flowtest does not import",
                          "export the collection from Postman as v2.1 (Export > Collection v2.1)");
      error.where = doc_.WhereValue("");
      return error;
    }
    const Value* schema = FindSchema(root);
    if (schema == nullptr) {
      if (root.contains("info") && root.contains("item")) {
        Warn("the collection does not name its format (info.schema): it is read as v2.1", "/info");
        return Ok();
      }
      Error error = InvalidArgument("not a Postman collection: it needs 'info' and 'item'",
                                    "export the collection from Postman as v2.1");
      error.where = doc_.WhereValue("");
      return error;
    }
    const std::string& url = schema->get_ref<const std::string&>();
    if (url.find("v2.1") != std::string::npos) return Ok();
    if (url.find("v2.0") != std::string::npos) {
      version_ = PostmanVersion::kV20;
      return Ok();
    }
    Error error = InvalidArgument("unsupported Postman collection format '" + url + "'",
                                  "flowtest imports collections v2.1 and v2.0");
    error.where = doc_.WhereValue("/info/schema");
    return error;
  }

  static const Value* FindSchema(const Value& root) {
    const auto info = root.find("info");
    if (info == root.end() || !info->is_object()) return nullptr;
    const auto schema = info->find("schema");
    return schema != info->end() && schema->is_string() ? &*schema : nullptr;
  }

  // ---------------------------------------------------------------------------------------------
  // Variables and templates

  // Names that are already identifiers keep their name: reserve them before any renaming.
  void ReserveIdentifiers(const Value& node) {
    if (node.is_string()) {
      const std::string& text = node.get_ref<const std::string&>();
      for (std::size_t open = text.find("{{"); open != std::string::npos;
           open = text.find("{{", open + 2)) {
        const std::size_t close = text.find("}}", open + 2);
        if (close == std::string::npos) break;
        const std::string name(Trim(std::string_view(text).substr(open + 2, close - open - 2)));
        if (IsIdentifier(name)) names_.Reserve(name);
      }
    } else if (node.is_object()) {
      if (const auto key = node.find("key"); key != node.end() && key->is_string() &&
                                             IsIdentifier(key->get_ref<const std::string&>())) {
        names_.Reserve(key->get<std::string>());
      }
      for (const Value& child : node) ReserveIdentifiers(child);
    } else if (node.is_array()) {
      for (const Value& child : node) ReserveIdentifiers(child);
    }
  }

  // The flowtest name of a Postman variable: itself when it is an identifier, else an
  // identifier made from it (each original gets its own).
  std::string Rename(const std::string& name, const std::string& pointer) {
    if (IsIdentifier(name)) return name;
    if (const auto found = renamed_.find(name); found != renamed_.end()) return found->second;
    const std::string ident = names_.Claim(Identifier(name, "var"));
    renamed_[name] = ident;
    Warn("variable '" + name + "' is renamed '" + ident + "' (flowtest variables are identifiers)",
         pointer);
    return ident;
  }

  // Postman text with {{placeholders}}: names renamed, dynamic variables as faker templates.
  std::string ConvertText(const std::string& text, const std::string& pointer) {
    std::string out;
    std::size_t pos = 0;
    for (std::size_t open = text.find("{{"); open != std::string::npos;
         open = text.find("{{", pos)) {
      const std::size_t close = text.find("}}", open + 2);
      if (close == std::string::npos) break;
      out.append(text, pos, open - pos);
      const std::string name(Trim(std::string_view(text).substr(open + 2, close - open - 2)));
      if (StartsWith(name, "$")) {
        if (const FakerToken* token = FakerTokenForPostman(name)) {
          out += token->text;
        } else {
          if (warned_dynamic_.insert(name).second) {
            Warn("Postman dynamic variable '{{" + name +
                     "}}' has no flowtest equivalent: it is left as written",
                 pointer, "replace it with a faker template such as {{$faker.string.uuid}}");
          }
          out.append(text, open, close + 2 - open);
        }
      } else if (name.empty()) {
        out.append(text, open, close + 2 - open);
      } else {
        out += "{{" + Rename(name, pointer) + "}}";
      }
      pos = close + 2;
    }
    out.append(text, pos);
    return out;
  }

  Value ConvertValue(const Value& value, const std::string& pointer) {
    return MapStrings(value, [&](const std::string& text) { return ConvertText(text, pointer); });
  }

  // `variable` of the collection or a folder, as suite variables.
  Value Variables(const Value& owner, const std::string& pointer) {
    Value out = Value::object();
    const auto list = owner.find("variable");
    if (list == owner.end()) return out;
    for (std::size_t i = 0; i < list->size(); ++i) {
      const Value& variable = (*list)[i];
      if (Disabled(variable)) continue;
      const std::string at = JoinPointer(JoinPointer(pointer, "variable"), i);
      const std::string key =
          variable.contains("key") ? Text(variable, "key") : Text(variable, "id");
      if (key.empty()) continue;
      Value value = variable.contains("value") ? variable["value"] : Value("");
      const std::string type = variable.value("type", std::string());
      if (value.is_string() && (type == "number" || type == "boolean")) {
        Value parsed = Value::parse(value.get<std::string>(), nullptr, false);
        if ((type == "number" && parsed.is_number()) || (type == "boolean" && parsed.is_boolean()))
          value = parsed;
      }
      out[Rename(key, at)] = ConvertValue(value, at);
    }
    return out;
  }

  void MergeVariables(SuiteBuild& suite, const Value& variables, const std::string& pointer) {
    for (auto it = variables.begin(); it != variables.end(); ++it) {
      if (suite.variables.contains(it.key()) && !DeepEqual(suite.variables[it.key()], it.value()) &&
          !collection_variable_names_.count(it.key())) {
        Warn("variable '" + it.key() + "' is set by two folders of suite '" + suite.name +
                 "': the later value is kept",
             pointer);
      }
      suite.variables[it.key()] = it.value();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Folders and requests

  void AddEvents(const Value& owner, const std::string& pointer, Scope& scope) {
    const auto events = owner.find("event");
    if (events == owner.end()) return;
    for (std::size_t i = 0; i < events->size(); ++i) {
      const Value& event = (*events)[i];
      if (Disabled(event)) continue;
      const std::string text = ScriptText(event);
      if (Trim(text).empty()) continue;
      const std::string listen = Text(event, "listen");
      Script script{text, JoinPointer(JoinPointer(pointer, "event"), i)};
      if (listen == "test") {
        scope.tests.push_back(std::move(script));
      } else if (listen == "prerequest") {
        scope.prerequests.push_back(std::move(script));
      }
    }
  }

  void Folder(const Value& folder, const std::string& pointer, Scope scope, SuiteBuild& suite,
              bool top) {
    if (const auto auth = folder.find("auth"); auth != folder.end() && auth->is_object()) {
      scope.auth = &*auth;
      scope.auth_pointer = JoinPointer(pointer, "auth");
    }
    AddEvents(folder, pointer, scope);
    MergeVariables(suite, Variables(folder, pointer), pointer);
    if (!top)
      scope.prefix += (Text(folder, "name").empty() ? "Folder" : Text(folder, "name")) + " / ";
    Walk(folder["item"], JoinPointer(pointer, "item"), scope, suite);
  }

  void Walk(const Value& items, const std::string& pointer, const Scope& scope, SuiteBuild& suite) {
    for (std::size_t i = 0; i < items.size(); ++i) {
      const Value& item = items[i];
      const std::string at = JoinPointer(pointer, i);
      if (item.contains("item")) {
        Folder(item, at, scope, suite, false);
      } else {
        Request(item, at, scope, suite);
      }
    }
  }

  void Request(const Value& item, const std::string& pointer, Scope scope, SuiteBuild& suite) {
    const Value& request = item["request"];
    const std::string request_pointer = JoinPointer(pointer, "request");
    std::vector<std::string> comments;
    Value step = Value::object();
    std::string name = Text(item, "name");
    if (name.empty()) name = "Request " + std::to_string(suite.steps.size() + 1);
    step["name"] = scope.prefix + name;
    Value out = Value::object();
    Value headers = Value::object();
    Value params = Value::object();
    if (request.is_string()) {
      out["method"] = "GET";
      Url(Value(request), request_pointer, out, params, suite);
    } else {
      std::string method = Text(request, "method");
      if (method.empty()) method = "GET";
      std::transform(method.begin(), method.end(), method.begin(), [](char c) {
        return static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      });
      if (!IsHttpMethod(method)) {
        Warn("request '" + name + "' uses the method '" + method +
                 "', which flowtest does not send: it is left out",
             JoinPointer(request_pointer, "method"),
             "flowtest sends GET, POST, PUT, PATCH, DELETE, HEAD and OPTIONS");
        return;
      }
      out["method"] = method;
      if (const auto url = request.find("url"); url != request.end()) {
        Url(*url, JoinPointer(request_pointer, "url"), out, params, suite);
      } else {
        Warn("request '" + name + "' has no url", request_pointer);
        out["url"] = "/";
      }
      Headers(request, request_pointer, headers);
      if (const auto auth = request.find("auth"); auth != request.end() && auth->is_object()) {
        scope.auth = &*auth;
        scope.auth_pointer = JoinPointer(request_pointer, "auth");
      }
      Auth(scope, name, headers, params);
      if (const auto body = request.find("body"); body != request.end() && body->is_object()) {
        Body(*body, JoinPointer(request_pointer, "body"), headers, out);
      }
    }
    if (!headers.empty()) out["headers"] = std::move(headers);
    if (!params.empty()) out["params"] = std::move(params);
    // Keep the order method, url, headers, params, body.
    Value ordered = Value::object();
    for (const char* key : {"method", "url", "headers", "params", "body", "body_file"}) {
      if (out.contains(key)) ordered[key] = out[key];
    }
    if (const auto behavior = item.find("protocolProfileBehavior"); behavior != item.end()) {
      if (const auto follow = behavior->find("followRedirects");
          follow != behavior->end() && follow->is_boolean()) {
        ordered["follow_redirects"] = *follow;
      }
    }
    step["request"] = std::move(ordered);
    AddEvents(item, pointer, scope);
    Scripts(scope, name, pointer, step, comments);
    if (!comments.empty()) suite.comments[JoinPointer("/steps", suite.steps.size())] = comments;
    suite.steps.push_back(std::move(step));
  }

  // The url: raw or built from its parts; `:name` path variables become {{name}} (suite
  // variables); the query goes to `params` when that sends the same thing.
  void Url(const Value& url, const std::string& pointer, Value& out, Value& params,
           SuiteBuild& suite) {
    std::string raw;
    std::optional<std::vector<std::pair<std::string, std::optional<std::string>>>> query;
    std::map<std::string, Value> path_variables;
    if (url.is_string()) {
      raw = url.get<std::string>();
    } else {
      raw = Text(url, "raw");
      if (raw.empty()) raw = BuildRaw(url);
      if (const auto list = url.find("query"); list != url.end() && list->is_array()) {
        query.emplace();
        for (const Value& entry : *list) {
          if (Disabled(entry) || !entry.is_object() || !entry.contains("key") ||
              entry["key"].is_null())
            continue;
          std::optional<std::string> value;
          if (entry.contains("value") && !entry["value"].is_null()) value = Text(entry, "value");
          query->emplace_back(Text(entry, "key"), value);
        }
      }
      if (const auto variables = url.find("variable");
          variables != url.end() && variables->is_array()) {
        for (const Value& variable : *variables) {
          if (!variable.is_object()) continue;
          const std::string key =
              variable.contains("key") ? Text(variable, "key") : Text(variable, "id");
          if (!key.empty())
            path_variables[key] = variable.contains("value") ? variable["value"] : Value("");
        }
      }
    }
    if (const std::size_t hash = raw.find('#'); hash != std::string::npos) raw.resize(hash);
    std::string base = raw;
    std::string query_text;
    if (const std::size_t mark = raw.find('?'); mark != std::string::npos) {
      base = raw.substr(0, mark);
      query_text = raw.substr(mark + 1);
    }
    if (!query) {
      query.emplace();
      if (!query_text.empty()) {
        for (const std::string& part : Split(query_text, '&')) {
          if (part.empty()) continue;
          const std::size_t eq = part.find('=');
          if (eq == std::string::npos) {
            query->emplace_back(part, std::nullopt);
          } else {
            query->emplace_back(part.substr(0, eq), part.substr(eq + 1));
          }
        }
      }
    }
    // Path variables.
    std::string path;
    for (std::size_t i = 0; i < base.size(); ++i) {
      if (base[i] == ':' && i > 0 && base[i - 1] == '/') {
        std::size_t j = i + 1;
        while (j < base.size() && base[j] != '/' && base[j] != '?' && base[j] != '.') ++j;
        const std::string key = base.substr(i + 1, j - i - 1);
        if (const auto found = path_variables.find(key);
            found != path_variables.end() && !key.empty()) {
          const std::string name = Rename(key, pointer);
          Value value = ConvertValue(found->second, pointer);
          if (suite.variables.contains(name) && !DeepEqual(suite.variables[name], value)) {
            Warn("path variable ':" + key + "' has another value here than earlier in suite '" +
                     suite.name + "': the suite variable keeps " + DumpJson(suite.variables[name]),
                 pointer,
                 "give the requests different variable names in Postman, or edit the suite");
          } else {
            suite.variables[name] = value;
          }
          path += "{{" + name + "}}";
          i = j - 1;
          continue;
        }
      }
      path += base[i];
    }
    // Query parameters as `params` when they are simple: unique keys without brackets, values
    // without '+', valid %-escapes (decoded: flowtest encodes them again).
    bool simple = true;
    std::set<std::string> keys;
    std::vector<std::pair<std::string, std::string>> decoded;
    for (const auto& [key, value] : *query) {
      std::optional<std::string> k = PercentDecode(key);
      std::optional<std::string> v = value ? PercentDecode(*value) : std::nullopt;
      if (!value || !k || !v || !keys.insert(*k).second ||
          k->find_first_of("[]") != std::string::npos || value->find('+') != std::string::npos ||
          k->empty()) {
        simple = false;
        break;
      }
      decoded.emplace_back(*k, *v);
    }
    if (simple) {
      for (const auto& [key, value] : decoded) params[key] = ConvertText(value, pointer);
    } else {
      std::string text;
      for (const auto& [key, value] : *query)
        text += (text.empty() ? "" : "&") + key + (value ? "=" + *value : "");
      if (!text.empty()) path += "?" + text;
    }
    out["url"] = ConvertText(path, pointer);
  }

  static std::string BuildRaw(const Value& url) {
    std::string raw;
    const std::string protocol = Text(url, "protocol");
    if (!protocol.empty()) raw += protocol + "://";
    const auto join = [](const Value* parts, const char* separator) {
      if (parts == nullptr) return std::string();
      if (parts->is_string()) return parts->get<std::string>();
      std::string out;
      for (const Value& part : *parts) {
        const std::string text = part.is_string()   ? part.get<std::string>()
                                 : part.is_object() ? Text(part, "value")
                                                    : std::string();
        out += (out.empty() ? "" : separator) + text;
      }
      return out;
    };
    const auto host = url.find("host");
    raw += join(host == url.end() ? nullptr : &*host, ".");
    if (const std::string port = Text(url, "port"); !port.empty()) raw += ":" + port;
    const auto path = url.find("path");
    const std::string path_text = join(path == url.end() ? nullptr : &*path, "/");
    if (!path_text.empty()) raw += "/" + path_text;
    return raw;
  }

  void Headers(const Value& request, const std::string& pointer, Value& headers) {
    const auto list = request.find("header");
    if (list == request.end() || list->is_null()) return;
    const std::string at = JoinPointer(pointer, "header");
    if (list->is_string()) {  // "Name: value\nName: value" (v2.0)
      for (const std::string& line : Split(list->get<std::string>(), '\n')) {
        const std::size_t colon = line.find(':');
        if (colon == std::string::npos) continue;
        const std::string key(Trim(std::string_view(line).substr(0, colon)));
        if (!key.empty())
          headers[key] =
              ConvertText(std::string(Trim(std::string_view(line).substr(colon + 1))), at);
      }
      return;
    }
    for (std::size_t i = 0; i < list->size(); ++i) {
      const Value& entry = (*list)[i];
      if (Disabled(entry)) continue;
      const std::string key = Text(entry, "key");
      if (key.empty()) continue;
      if (headers.contains(key)) {
        Warn("header '" + key + "' is given twice: the later value is kept", JoinPointer(at, i));
      }
      headers[key] = ConvertText(Text(entry, "value"), JoinPointer(at, i));
    }
  }

  static bool HasHeader(const Value& headers, std::string_view name) {
    for (auto it = headers.begin(); it != headers.end(); ++it) {
      if (ToLower(it.key()) == ToLower(name)) return true;
    }
    return false;
  }

  // A JSON body that may hold unquoted {{placeholders}} (`{"id": {{id}}}`): they are read as
  // whole-value templates, so the variable keeps its type.
  std::optional<Value> ParseJsonWithPlaceholders(const std::string& raw,
                                                 const std::string& pointer) {
    std::string text;
    std::vector<std::string> placeholders;
    bool in_string = false;
    for (std::size_t i = 0; i < raw.size(); ++i) {
      const char c = raw[i];
      if (in_string) {
        text += c;
        if (c == '\\' && i + 1 < raw.size()) {
          text += raw[++i];
        } else if (c == '"') {
          in_string = false;
        }
        continue;
      }
      if (c == '"') {
        in_string = true;
        text += c;
        continue;
      }
      if (c == '{' && i + 1 < raw.size() && raw[i + 1] == '{') {
        const std::size_t close = raw.find("}}", i + 2);
        if (close != std::string::npos) {
          text += "\"\\u0000flowtest-placeholder-" + std::to_string(placeholders.size()) + "\"";
          placeholders.push_back(raw.substr(i, close + 2 - i));
          i = close + 1;
          continue;
        }
      }
      text += c;
    }
    if (FindJsonNestingBeyond(text, 200)) return std::nullopt;
    Value parsed = Value::parse(text, nullptr, false);
    if (parsed.is_discarded()) return std::nullopt;
    std::function<void(Value&)> restore = [&](Value& node) {
      if (node.is_string()) {
        const std::string& s = node.get_ref<const std::string&>();
        const std::string prefix = std::string("\0flowtest-placeholder-", 22);
        if (StartsWith(s, prefix)) {
          const std::size_t index = std::stoul(s.substr(prefix.size()));
          node = ConvertText(placeholders[index], pointer);
          return;
        }
        node = ConvertText(s, pointer);
      } else if (node.is_object() || node.is_array()) {
        for (Value& child : node) restore(child);
      }
    };
    restore(parsed);
    return parsed;
  }

  void Body(const Value& body, const std::string& pointer, Value& headers, Value& out) {
    if (body.value("disabled", false)) return;
    const std::string mode = Text(body, "mode");
    if (mode == "raw") {
      const std::string raw = Text(body, "raw");
      if (raw.empty()) return;
      std::string language;
      if (const Value* found = FindLanguage(body)) language = found->get<std::string>();
      std::string content_type;
      for (auto it = headers.begin(); it != headers.end(); ++it) {
        if (ToLower(it.key()) == "content-type") content_type = ToLower(ToText(it.value()));
      }
      const bool json = content_type.find("json") != std::string::npos ||
                        (content_type.empty() && (language == "json" || language.empty()));
      if (json) {
        if (std::optional<Value> parsed = ParseJsonWithPlaceholders(raw, pointer);
            parsed && (parsed->is_object() || parsed->is_array())) {
          out["body"] = std::move(*parsed);
          return;
        }
        if (language == "json" || !content_type.empty()) {
          Warn("the raw JSON body is not valid JSON: it is sent as text", pointer,
               "flowtest sends a JSON-typed text that does not render to JSON as a JSON string; "
               "fix the body");
        }
      }
      static const std::map<std::string, std::string> kTypes = {
          {"json", "application/json"},
          {"text", "text/plain"},
          {"javascript", "application/javascript"},
          {"html", "text/html"},
          {"xml", "application/xml"}};
      if (content_type.empty()) {
        const auto type = kTypes.find(language.empty() ? "text" : language);
        headers["Content-Type"] = type == kTypes.end() ? "text/plain" : type->second;
      }
      out["body"] = ConvertText(raw, pointer);
      return;
    }
    if (mode == "urlencoded") {
      Value form = Value::object();
      ForEachEnabled(body, "urlencoded", pointer, [&](const Value& field, const std::string& at) {
        const std::string key = Text(field, "key");
        if (form.contains(key))
          Warn("form field '" + key + "' is given twice: the later value is kept", at);
        form[key] = ConvertText(Text(field, "value"), at);
      });
      if (!HasHeader(headers, "Content-Type"))
        headers["Content-Type"] = "application/x-www-form-urlencoded";
      out["body"] = std::move(form);
      return;
    }
    if (mode == "formdata") {
      Value form = Value::object();
      ForEachEnabled(body, "formdata", pointer, [&](const Value& part, const std::string& at) {
        const std::string key = Text(part, "key");
        Value value;
        if (part.value("type", std::string("text")) == "file") {
          value = FilePart(part, at, key);
        } else {
          value = ConvertText(Text(part, "value"), at);
          if (const std::string type = Text(part, "contentType"); !type.empty()) {
            // A JSON part holding a map or list is written as one, as flowtest sends it.
            if (ToLower(type).find("json") != std::string::npos) {
              if (std::optional<Value> parsed = ParseJsonWithPlaceholders(Text(part, "value"), at);
                  parsed && (parsed->is_object() || parsed->is_array())) {
                value = std::move(*parsed);
              }
            }
            value = Value{{"value", value}, {"content_type", type}};
          }
        }
        if (form.contains(key)) {
          Value& existing = form[key];
          if (!existing.is_array()) existing = Value::array({existing});
          if (value.is_array()) {
            for (Value& v : value) existing.push_back(std::move(v));
          } else {
            existing.push_back(std::move(value));
          }
        } else {
          form[key] = std::move(value);
        }
      });
      if (!HasHeader(headers, "Content-Type")) headers["Content-Type"] = "multipart/form-data";
      out["body"] = std::move(form);
      return;
    }
    if (mode == "file") {
      std::string src;
      if (const auto file = body.find("file"); file != body.end() && file->is_object())
        src = Text(*file, "src");
      if (src.empty()) {
        Warn("the file body names no file: the sample file " + std::string(kSampleUploadPath) +
                 " is sent",
             pointer, "set body_file in the suite to the file to send");
        src = kSampleUploadPath;
        needs_sample_file_ = true;
      }
      out["body_file"] = src;
      return;
    }
    if (mode == "graphql") {
      const Value& graphql = body.contains("graphql") ? body["graphql"] : Value::object();
      Value json = Value::object();
      json["query"] = ConvertText(Text(graphql, "query"), pointer);
      const std::string variables = Text(graphql, "variables");
      if (!Trim(variables).empty()) {
        std::optional<Value> parsed = ParseJsonWithPlaceholders(variables, pointer);
        json["variables"] = parsed ? *parsed : Value(ConvertText(variables, pointer));
      }
      out["body"] = std::move(json);
      return;
    }
    if (!mode.empty()) Warn("body mode '" + mode + "' is not converted", pointer);
  }

  // Calls `fn` on each entry of the list `owner[key]` that is not disabled, with its pointer.
  static void ForEachEnabled(const Value& owner, const char* key, const std::string& pointer,
                             const std::function<void(const Value&, const std::string&)>& fn) {
    const auto list = owner.find(key);
    if (list == owner.end() || !list->is_array()) return;
    for (std::size_t i = 0; i < list->size(); ++i) {
      if (!Disabled((*list)[i])) fn((*list)[i], JoinPointer(JoinPointer(pointer, key), i));
    }
  }

  static const Value* FindLanguage(const Value& body) {
    const Value* language = FindPath(body, {"options", "raw", "language"});
    return language != nullptr && language->is_string() ? language : nullptr;
  }

  static const Value* FindPath(const Value& node, std::initializer_list<const char*> keys) {
    const Value* current = &node;
    for (const char* key : keys) {
      if (!current->is_object()) return nullptr;
      const auto found = current->find(key);
      if (found == current->end()) return nullptr;
      current = &*found;
    }
    return current;
  }

  Value FilePart(const Value& part, const std::string& pointer, const std::string& key) {
    std::vector<std::string> files;
    if (const auto src = part.find("src"); src != part.end()) {
      if (src->is_string() && !src->get_ref<const std::string&>().empty())
        files.push_back(src->get<std::string>());
      if (src->is_array()) {
        for (const Value& f : *src) {
          if (f.is_string() && !f.get_ref<const std::string&>().empty())
            files.push_back(f.get<std::string>());
        }
      }
    }
    if (files.empty()) {
      Warn("file part '" + key + "' names no file: the sample file " +
               std::string(kSampleUploadPath) + " is sent",
           pointer, "set the part's file in the suite");
      files.push_back(kSampleUploadPath);
      needs_sample_file_ = true;
    }
    const std::string type = Text(part, "contentType");
    Value out = Value::array();
    for (const std::string& file : files) {
      Value entry = Value{{"file", file}};
      if (!type.empty()) entry["content_type"] = type;
      out.push_back(std::move(entry));
    }
    return out.size() == 1 ? out[0] : out;
  }

  // The parameters of an auth block: a list of {key, value} (v2.1) or a map (v2.0).
  static std::map<std::string, Value> AuthParams(const Value& auth, const std::string& type) {
    std::map<std::string, Value> out;
    const auto params = auth.find(type);
    if (params == auth.end()) return out;
    if (params->is_object()) {
      for (auto it = params->begin(); it != params->end(); ++it) out[it.key()] = it.value();
    } else if (params->is_array()) {
      for (const Value& entry : *params) {
        if (entry.is_object() && entry.contains("key"))
          out[Text(entry, "key")] = entry.value("value", Value(""));
      }
    }
    return out;
  }

  // A JavaScript expression for Postman text inside {{js: ...}}: a variable itself, or the text.
  std::string JsOperand(const std::string& converted) {
    if (StartsWith(converted, "{{") && EndsWith(converted, "}}") &&
        converted.find("{{", 2) == std::string::npos &&
        IsIdentifier(converted.substr(2, converted.size() - 4))) {
      return converted.substr(2, converted.size() - 4);
    }
    std::string quoted = "'";
    for (const char c : converted) {
      if (c == '\'' || c == '\\') quoted += '\\';
      quoted += c;
    }
    return quoted + "'";
  }

  void Auth(const Scope& scope, const std::string& request_name, Value& headers, Value& params) {
    if (scope.auth == nullptr) return;
    const Value& auth = *scope.auth;
    const std::string& at = scope.auth_pointer;
    const std::string type = Text(auth, "type");
    std::map<std::string, Value> p = AuthParams(auth, type);
    const auto param = [&](const char* key) {
      return p.count(key) ? ConvertText(ToText(p[key]), at) : std::string();
    };
    const auto set_header = [&](const std::string& name, const std::string& value) {
      if (HasHeader(headers, name)) return;  // a header written on the request wins, as in Postman
      headers[name] = value;
    };
    if (type.empty() || type == "noauth" || type == "inherit") return;
    if (type == "bearer") {
      set_header("Authorization", "Bearer " + param("token"));
    } else if (type == "basic") {
      const std::string user = param("username");
      const std::string password = param("password");
      if (user.find("{{") == std::string::npos && password.find("{{") == std::string::npos) {
        set_header("Authorization", "Basic " + EncodeBase64(user + ":" + password));
      } else {
        set_header("Authorization", "Basic {{js: btoa(" + JsOperand(user) + " + ':' + " +
                                        JsOperand(password) + ")}}");
      }
    } else if (type == "apikey") {
      const std::string key = param("key");
      const std::string value = param("value");
      if (ToLower(param("in")) == "query") {
        params[key] = value;
      } else {
        set_header(key.empty() ? "X-API-Key" : key, value);
      }
    } else if (type == "oauth2" && p.count("accessToken") != 0) {
      std::string prefix = p.count("headerPrefix") ? ToText(p["headerPrefix"]) : "Bearer";
      if (ToLower(param("addTokenTo")) == "queryparams") {
        params["access_token"] = param("accessToken");
      } else {
        set_header("Authorization", (prefix.empty() ? "" : prefix + " ") + param("accessToken"));
      }
    } else {
      if (warned_auth_.insert(at).second) {
        Warn("auth type '" + type + "' (request '" + request_name +
                 "' and others using it) is not converted",
             at, "add the credentials to the suite's headers by hand");
      }
    }
  }

  void Scripts(const Scope& scope, const std::string& request_name, const std::string& pointer,
               Value& step, std::vector<std::string>& comments) {
    ScriptConversion conversion;
    std::vector<std::string> unconverted;
    std::string first_unconverted_pointer;
    for (const Script& script : scope.tests) {
      const std::size_t before = conversion.unconverted.size();
      ConvertPostmanTests(script.text, conversion);
      if (conversion.unconverted.size() > before && first_unconverted_pointer.empty()) {
        first_unconverted_pointer = script.pointer;
      }
    }
    if (!conversion.assertions.empty())
      step["assert"] = ConvertValue(conversion.assertions, pointer);
    if (!conversion.captures.empty()) {
      Value captures = Value::object();
      for (auto it = conversion.captures.begin(); it != conversion.captures.end(); ++it) {
        captures[Rename(it.key(), pointer)] = it.value();
      }
      step["capture"] = std::move(captures);
    }
    if (!conversion.unconverted.empty()) {
      comments.push_back("Postman test script statements not converted (check them by hand):");
      for (const std::string& statement : conversion.unconverted)
        comments.push_back("  " + statement);
      Warn("request '" + request_name + "': " + std::to_string(conversion.unconverted.size()) +
               " test script statement" + (conversion.unconverted.size() == 1 ? " was" : "s were") +
               " not converted; they are kept as comments on the step",
           first_unconverted_pointer.empty() ? pointer : first_unconverted_pointer);
    }
    for (const Script& script : scope.prerequests) {
      comments.push_back("Postman pre-request script, not converted:");
      for (const std::string& line : Split(script.text, '\n')) comments.push_back("  " + line);
      Warn("request '" + request_name +
               "': its pre-request script is not converted; it is kept as a comment "
               "on the step",
           script.pointer, "flowtest runs JavaScript in pre_request scripts (docs/javascript.md)");
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Suites

  // The {{name}} placeholders (plain identifiers) in a value.
  static void UsedNames(const Value& value, std::vector<std::string>& out) {
    ForEachString(value, [&](const std::string& text) {
      for (std::size_t open = text.find("{{"); open != std::string::npos;
           open = text.find("{{", open + 2)) {
        const std::size_t close = text.find("}}", open + 2);
        if (close == std::string::npos) break;
        const std::string name(Trim(std::string_view(text).substr(open + 2, close - open - 2)));
        if (IsIdentifier(name) && std::find(out.begin(), out.end(), name) == out.end())
          out.push_back(name);
      }
    });
  }

  static void Replace(Value& value, const std::string& from, const std::string& to) {
    value = MapStrings(value, [&](std::string text) {
      for (std::size_t at = text.find(from); at != std::string::npos;
           at = text.find(from, at + to.size())) {
        text.replace(at, from.size(), to);
      }
      return text;
    });
  }

  // A variable set by a step of an earlier suite and used by a later one is exported by the
  // first and read as {{node.var}} by the second, which then depends on it.
  void LinkSuites(std::vector<SuiteBuild>& suites) {
    for (std::size_t b = 1; b < suites.size(); ++b) {
      SuiteBuild& later = suites[b];
      std::set<std::string> captured_here;
      for (Value& step : later.steps) {
        std::vector<std::string> used;
        UsedNames(step["request"], used);
        if (step.contains("assert")) UsedNames(step["assert"], used);
        for (const std::string& name : used) {
          if (captured_here.count(name) != 0) continue;
          std::optional<std::size_t> source;
          for (std::size_t a = 0; a < b; ++a) {
            for (const Value& earlier : suites[a].steps) {
              if (earlier.contains("capture") && earlier["capture"].contains(name)) source = a;
            }
          }
          if (!source) continue;
          SuiteBuild& provider = suites[*source];
          if (std::find(provider.exports.begin(), provider.exports.end(), name) ==
              provider.exports.end()) {
            provider.exports.push_back(name);
          }
          const Value dependency = Value{{"node_id", provider.node_id}};
          if (std::find(later.depends.begin(), later.depends.end(), dependency) ==
              later.depends.end()) {
            later.depends.push_back(dependency);
          }
          Replace(step["request"], "{{" + name + "}}", "{{" + provider.node_id + "." + name + "}}");
          if (step.contains("assert")) {
            Replace(step["assert"], "{{" + name + "}}",
                    "{{" + provider.node_id + "." + name + "}}");
          }
          linked_[later.node_id].insert(name);
        }
        if (step.contains("capture")) {
          for (auto it = step["capture"].begin(); it != step["capture"].end(); ++it)
            captured_here.insert(it.key());
        }
      }
      // A collection variable that an earlier suite sets is read from that suite's export.
      for (const std::string& name : linked_[later.node_id]) {
        if (captured_here.count(name) == 0) later.variables.erase(name);
      }
    }
  }

  void WarnUndefined(const std::vector<SuiteBuild>& suites) {
    std::set<std::string> captured;
    for (const SuiteBuild& suite : suites) {
      for (const Value& step : suite.steps) {
        if (!step.contains("capture")) continue;
        for (auto it = step["capture"].begin(); it != step["capture"].end(); ++it)
          captured.insert(it.key());
      }
    }
    std::set<std::string> warned;
    for (const SuiteBuild& suite : suites) {
      std::vector<std::string> used;
      UsedNames(suite.steps, used);
      UsedNames(suite.variables, used);
      for (const std::string& name : used) {
        if (suite.variables.contains(name) || captured.count(name) != 0 ||
            !warned.insert(name).second)
          continue;
        Warn("variable '" + name +
                 "' is used but not defined in the collection (a Postman environment variable?)",
             suite.pointer,
             "define it in flow-test.config.yml under globals.variables, or in the suite's "
             "variables");
      }
    }
  }

  ConvertedFile Write(const SuiteBuild& suite) {
    Value out = Value::object();
    out["suite_name"] = suite.name;
    out["node_id"] = suite.node_id;
    if (!suite.description.empty()) out["description"] = suite.description;
    out["metadata"] = Value{{"tags", Value::array({"imported", "postman"})}};
    if (!suite.variables.empty()) out["variables"] = suite.variables;
    if (!suite.exports.empty()) out["exports"] = suite.exports;
    if (!suite.depends.empty()) out["depends"] = suite.depends;
    out["steps"] = suite.steps;
    YamlWriteOptions yaml;
    yaml.header.push_back("Imported by 'flowtest import postman' from " + doc_.file + " (" +
                          std::string("Postman collection ") +
                          (version_ == PostmanVersion::kV20 ? "v2.0" : "v2.1") +
                          (name_.empty() ? "" : ": \"" + name_ + "\"") + ").");
    for (const auto& [pointer, lines] : suite.comments) yaml.comments[pointer] = lines;
    return ConvertedFile{.path = suite.node_id + ".yaml",
                         .text = WriteYaml(out, yaml),
                         .suite_name = suite.name,
                         .node_id = suite.node_id,
                         .steps = suite.steps.size()};
  }

  const Document& doc_;
  const PostmanImportOptions& options_;
  PostmanVersion version_ = PostmanVersion::kV21;
  std::string name_;
  std::vector<Error> warnings_;
  NameSet names_;
  std::map<std::string, std::string> renamed_;
  std::set<std::string> warned_dynamic_;
  std::set<std::string> warned_auth_;
  std::set<std::string> collection_variable_names_;
  std::map<std::string, std::set<std::string>> linked_;
  bool needs_sample_file_ = false;
};

}  // namespace

Result<ImportResult> ImportPostman(const Document& collection,
                                   const PostmanImportOptions& options) {
  return PostmanImporter(collection, options).Run();
}

}  // namespace flow::core::convert
