#include "core/convert/postman_export.hpp"

#include <algorithm>
#include <cctype>
#include <functional>
#include <map>
#include <set>
#include <utility>

#include "core/assert/assertion_plan.hpp"
#include "core/capture/capture_plan.hpp"
#include "core/convert/faker_tokens.hpp"
#include "core/convert/naming.hpp"
#include "core/convert/openapi_schema.hpp"
#include "core/convert/postman_collection.hpp"
#include "core/convert/value_strings.hpp"
#include "core/template/template.hpp"
#include "core/util/path.hpp"
#include "core/util/strings.hpp"

namespace flow::core::convert {
namespace {

using assertion::Check;
using assertion::Comparison;
using assertion::Operator;
using assertion::PathStep;
using assertion::Target;
using assertion::TargetKind;

// What an item (or a folder) could not carry into Postman, for its description and a warning.
struct Notes {
  std::vector<std::string> lines;
  void Add(std::string line) {
    if (std::find(lines.begin(), lines.end(), line) == lines.end())
      lines.push_back(std::move(line));
  }
};

std::string JsString(const std::string& text) { return DumpJson(Value(text)); }

bool IsJsIdentifier(const std::string& name) {
  static const std::set<std::string> kReserved = {"length", "constructor", "prototype",
                                                  "__proto__"};
  return IsIdentifier(name) && kReserved.count(name) == 0;
}

// `pm.response.json()` followed by the path, each name as `.name` or `["name"]`.
std::string BodyAccessor(const std::vector<PathStep>& path) {
  std::string out = "pm.response.json()";
  for (const PathStep& step : path) {
    if (const auto* index = std::get_if<std::int64_t>(&step)) {
      out += "[" + std::to_string(*index) + "]";
    } else {
      const std::string& name = std::get<std::string>(step);
      out += IsJsIdentifier(name) ? "." + name : "[" + JsString(name) + "]";
    }
  }
  return out;
}

// Query text: the characters that would change a query's meaning, percent-encoded; templates
// are kept whole.
std::string QueryPart(const std::string& text) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text.compare(i, 2, "{{") == 0) {
      const std::size_t close = text.find("}}", i + 2);
      if (close != std::string::npos) {
        out.append(text, i, close + 2 - i);
        i = close + 1;
        continue;
      }
    }
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == '&' || c == '=' || c == '#' || c == '%' || c == '+' || c == ' ' || c < 0x20) {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

bool IsAbsoluteUrl(const std::string& url) {
  const std::string lower = ToLower(url);
  return StartsWith(lower, "http://") || StartsWith(lower, "https://");
}

std::string JoinUrl(const std::string& base, const std::string& url) {
  if (base.empty() || IsAbsoluteUrl(url)) return url;
  if (url.empty()) return base;
  const bool slash_base = EndsWith(base, "/");
  const bool slash_url = StartsWith(url, "/");
  if (slash_base && slash_url) return base + url.substr(1);
  if (!slash_base && !slash_url) return base + "/" + url;
  return base + url;
}

class Exporter {
 public:
  Exporter(const std::vector<const Suite*>& suites, const PostmanExportOptions& options)
      : suites_(suites), options_(options) {
    for (const Suite* suite : suites_) {
      for (const std::string& name : suite->exports) exported_[suite->node_id].insert(name);
      for (const std::string& name : suite->exports_optional)
        exported_[suite->node_id].insert(name);
    }
  }

  PostmanExport Run() {
    PostmanExport out;
    Value info = Value::object();
    info["name"] = options_.name;
    if (!options_.description.empty()) info["description"] = options_.description;
    info["schema"] = std::string(kPostmanSchemaV21);
    Value items = Value::array();
    Value variables = Value::array();
    std::map<std::string, Value> collection_values;
    for (const Suite* suite : suites_) {
      Value folder = Folder(*suite, out);
      if (folder.contains("variable")) {
        for (const Value& variable : folder["variable"]) {
          const std::string key = variable["key"].get<std::string>();
          const auto found = collection_values.find(key);
          if (found == collection_values.end()) {
            collection_values[key] = variable["value"];
            variables.push_back(variable);
          } else if (!DeepEqual(found->second, variable["value"])) {
            Warn(*suite, suite->document.WhereValue("/variables/" + key),
                 "variable '" + key +
                     "' has another value in an earlier suite: the collection keeps the first, "
                     "this suite's folder has its own");
          }
        }
      }
      items.push_back(std::move(folder));
      ++out.folders;
    }
    Value collection = Value::object();
    collection["info"] = std::move(info);
    collection["item"] = std::move(items);
    if (!variables.empty()) collection["variable"] = std::move(variables);
    out.collection = std::move(collection);
    out.warnings.insert(out.warnings.end(), warnings_.begin(), warnings_.end());
    return out;
  }

 private:
  void Warn(const Suite& suite, const SourceSpan& where, std::string message) {
    Error warning = InvalidArgument(std::move(message));
    warning.where = where.file.empty() ? SourceSpan{.file = suite.file} : where;
    warnings_.push_back(std::move(warning));
  }

  // -------------------------------------------------------------------------------------------
  // Templates

  std::string Text(const std::string& text, Notes& notes) {
    if (std::optional<DirectExpression> direct = DetectDirectExpression(text)) {
      if (direct->kind == DirectKind::kFaker) {
        if (const FakerToken* token = FakerTokenForExpression("#" + direct->expression);
            token != nullptr && !token->postman.empty()) {
          return "{{" + std::string(token->postman) + "}}";
        }
      }
      notes.Add("no Postman equivalent, left as written: " + text);
      return text;
    }
    std::string out;
    std::size_t pos = 0;
    for (const PlaceholderSpan& span : FindTemplatePlaceholders(text)) {
      out.append(text, pos, span.begin - pos);
      pos = span.end;
      const std::string whole = text.substr(span.begin, span.end - span.begin);
      const std::string inner(Trim(std::string_view(whole).substr(2, whole.size() - 4)));
      if (IsIdentifier(inner)) {
        out += "{{" + inner + "}}";
        continue;
      }
      if (const std::size_t dot = inner.find('.'); dot != std::string::npos) {
        const std::string node = inner.substr(0, dot);
        const std::string name = inner.substr(dot + 1);
        if (const auto found = exported_.find(node);
            found != exported_.end() && found->second.count(name) != 0) {
          out += "{{" + name + "}}";
          continue;
        }
        if (node == "$env" && IsIdentifier(name)) {
          out += "{{" + name + "}}";
          notes.Add("{{$env." + name + "}} is read from the Postman variable " + name +
                    " (set it in a Postman environment)");
          continue;
        }
      }
      if (const FakerToken* token = FakerTokenForExpression(inner);
          token != nullptr && !token->postman.empty()) {
        out += "{{" + std::string(token->postman) + "}}";
        continue;
      }
      notes.Add("no Postman equivalent, left as written: " + whole);
      out += whole;
    }
    out.append(text, pos);
    return out;
  }

  Value Converted(const Value& value, Notes& notes) {
    return MapStrings(value, [&](const std::string& text) { return Text(text, notes); });
  }

  // A file path as Postman needs it: flowtest reads it relative to the suite file.
  std::string FilePath(const Value& value, Notes& notes) {
    const std::string path = TextOf(value, notes);
    if (path.empty() || path.front() == '/' || path.find("{{") != std::string::npos) return path;
    std::string joined = JoinPath(DirName(current_suite_->file), path);
    if (!joined.empty() && joined.front() != '/' && !options_.working_directory.empty()) {
      joined = JoinPath(options_.working_directory, joined);
    }
    return joined;
  }

  std::string TextOf(const Value& value, Notes& notes) {
    return value.is_string() ? Text(value.get<std::string>(), notes) : ToText(value);
  }

  // A JavaScript expression for an expected value: variables through pm.variables.
  std::string JsValue(const Value& value, Notes& notes) {
    if (value.is_string()) {
      const std::string converted = Text(value.get<std::string>(), notes);
      if (converted.find("{{") == std::string::npos) return JsString(converted);
      if (StartsWith(converted, "{{") && EndsWith(converted, "}}") &&
          converted.find("{{", 2) == std::string::npos) {
        const std::string inner(Trim(std::string_view(converted).substr(2, converted.size() - 4)));
        if (IsIdentifier(inner)) return "pm.variables.get(" + JsString(inner) + ")";
      }
      return "pm.variables.replaceIn(" + JsString(converted) + ")";
    }
    if (DumpJson(value).find("{{") != std::string::npos) {
      notes.Add("templates inside an expected list or map are not replaced by Postman");
    }
    return DumpJson(value);
  }

  // -------------------------------------------------------------------------------------------
  // Folders and items

  Value Folder(const Suite& suite, PostmanExport& out) {
    current_suite_ = &suite;
    Notes folder_notes;
    Value folder = Value::object();
    folder["name"] = suite.suite_name;
    Value variables = Value::array();
    for (auto it = suite.variables.begin(); it != suite.variables.end(); ++it) {
      Value entry = Value::object();
      entry["key"] = it.key();
      const Value value = Converted(it.value(), folder_notes);
      entry["value"] = value;
      entry["type"] = value.is_string()    ? "string"
                      : value.is_number()  ? "number"
                      : value.is_boolean() ? "boolean"
                                           : "any";
      variables.push_back(std::move(entry));
    }
    Value items = Value::array();
    const Value base_raw =
        suite.document.root.is_object() ? suite.document.root.value("base_url", Value()) : Value();
    const std::string base =
        base_raw.is_string() ? Text(base_raw.get<std::string>(), folder_notes) : "";
    for (const StepSpec& step : suite.steps) {
      const Value* raw = ResolvePointer(suite.document.root, step.pointer);
      if (!step.has_request || raw == nullptr) {
        folder_notes.Add("step '" + step.name +
                         "' has no request (input, call or scenarios only): not exported");
        Warn(suite, step.where, "step '" + step.name + "' has no request: it is not exported");
        continue;
      }
      items.push_back(Item(suite, step, *raw, base));
      ++out.requests;
    }
    if (suite.certificate)
      folder_notes.Add("the suite's client certificate (set it in Postman's settings)");
    std::string description = suite.description;
    if (!folder_notes.lines.empty()) {
      description += std::string(description.empty() ? "" : "\n\n") + "Not exported from flowtest:";
      for (const std::string& line : folder_notes.lines) description += "\n- " + line;
    }
    // The node id, so that importing the collection again gives the same {{node.var}} names.
    description += std::string(description.empty() ? "" : "\n\n") +
                   std::string(kPostmanNodeIdMarker) + suite.node_id;
    folder["description"] = description;
    if (!variables.empty()) folder["variable"] = std::move(variables);
    folder["item"] = std::move(items);
    return folder;
  }

  Value Item(const Suite& suite, const StepSpec& step, const Value& raw, const std::string& base) {
    Notes notes;
    const Value& request = raw["request"];
    Value item = Value::object();
    item["name"] = step.name;
    Value out = Value::object();
    out["method"] =
        request.is_object() ? ToUpperText(request.value("method", Value("GET"))) : "GET";
    Value headers = Value::array();
    std::string content_type;
    if (request.is_object() && request.contains("headers") && request["headers"].is_object()) {
      for (auto it = request["headers"].begin(); it != request["headers"].end(); ++it) {
        if (it.value().is_null() ||
            (it.value().is_string() && it.value().get_ref<const std::string&>().empty()))
          continue;
        const std::string value = TextOf(it.value(), notes);
        if (ToLower(it.key()) == "content-type") content_type = ToLower(value);
        headers.push_back(Value{{"key", it.key()}, {"value", value}});
      }
    }
    out["url"] = UrlOf(request, base, notes);
    Body(request, content_type, headers, out, notes);
    if (!headers.empty()) out["header"] = std::move(headers);
    item["request"] = std::move(out);
    if (request.is_object() && request.contains("follow_redirects") &&
        request["follow_redirects"].is_boolean()) {
      item["protocolProfileBehavior"] = Value{{"followRedirects", request["follow_redirects"]}};
    }
    for (const char* key : {"timeout", "certificate", "max_redirects"}) {
      if (request.is_object() && request.contains(key))
        notes.Add(std::string("request '") + key + "'");
    }
    std::vector<std::string> script = TestScript(step, raw, notes);
    if (!script.empty()) {
      item["event"] = Value::array({Value{
          {"listen", "test"}, {"script", Value{{"type", "text/javascript"}, {"exec", script}}}}});
    }
    UnsupportedKeys(raw, notes);
    if (!notes.lines.empty()) {
      std::string description = "Not exported from flowtest:";
      for (const std::string& line : notes.lines) description += "\n- " + line;
      item["description"] = description;
      std::string summary;
      for (const std::string& line : notes.lines) summary += (summary.empty() ? "" : "; ") + line;
      Warn(suite, step.where, "step '" + step.name + "' is exported without: " + summary);
    }
    return item;
  }

  static std::string ToUpperText(const Value& method) {
    std::string text = method.is_string() ? method.get<std::string>() : "GET";
    std::transform(text.begin(), text.end(), text.begin(), [](char c) {
      return static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    });
    return text;
  }

  static void UnsupportedKeys(const Value& raw, Notes& notes) {
    for (const char* key : {"iterate", "scenarios", "call", "input", "pre_request", "post_request",
                            "skip", "condition", "skip_condition", "retry", "delay",
                            "hooks_pre_request", "hooks_post_request", "hooks_pre_assertion",
                            "hooks_post_assertion", "hooks_pre_capture", "hooks_post_capture"}) {
      if (raw.contains(key)) notes.Add(std::string("'") + key + "'");
    }
    if (const Value* custom = ResolvePointer(raw, "/assert/custom"); custom != nullptr) {
      notes.Add("custom assertions (JavaScript): write them as pm.test scripts");
    }
  }

  Value UrlOf(const Value& request, const std::string& base, Notes& notes) {
    const std::string url =
        request.is_object() && request.contains("url") ? TextOf(request["url"], notes) : "";
    std::string full = url;
    if (!IsAbsoluteUrl(url) && !(StartsWith(url, "{{") && base.empty())) full = JoinUrl(base, url);
    if (base.empty() && !IsAbsoluteUrl(full) && !StartsWith(full, "{{")) {
      notes.Add("the url is relative (no base_url): add the host in Postman");
    }
    Value query = Value::array();
    if (request.is_object() && request.contains("params") && request["params"].is_object()) {
      for (auto it = request["params"].begin(); it != request["params"].end(); ++it) {
        AddQuery(query, it.key(), it.value(), notes);
      }
    }
    std::string raw = full;
    std::string query_text;
    for (const Value& entry : query) {
      query_text += (query_text.empty() ? "" : "&") + entry["key"].get<std::string>() + "=" +
                    entry["value"].get<std::string>();
    }
    if (!query_text.empty()) raw += (raw.find('?') == std::string::npos ? "?" : "&") + query_text;
    Value out = Value::object();
    out["raw"] = raw;
    // host and path, as Postman splits them.
    std::string rest = full;
    if (const std::size_t mark = rest.find('?'); mark != std::string::npos) rest.resize(mark);
    std::string protocol;
    if (const std::size_t scheme = rest.find("://");
        scheme != std::string::npos && rest.find("{{") > scheme) {
      protocol = rest.substr(0, scheme);
      rest = rest.substr(scheme + 3);
    }
    std::string host;
    if (!StartsWith(rest, "/")) {
      std::size_t slash = rest.find('/');
      if (StartsWith(rest, "{{")) {
        const std::size_t close = rest.find("}}");
        slash = close == std::string::npos ? std::string::npos : rest.find('/', close);
      }
      host = rest.substr(0, slash);
      rest = slash == std::string::npos ? "" : rest.substr(slash);
    }
    if (!protocol.empty()) out["protocol"] = protocol;
    if (!host.empty()) {
      std::string port;
      if (const std::size_t colon = host.rfind(':');
          colon != std::string::npos && host.find("}}", colon) == std::string::npos &&
          colon + 1 < host.size() &&
          std::all_of(host.begin() + static_cast<long>(colon) + 1, host.end(),
                      [](char c) { return std::isdigit(static_cast<unsigned char>(c)); })) {
        port = host.substr(colon + 1);
        host.resize(colon);
      }
      out["host"] = Value::array({host});
      if (!port.empty()) out["port"] = port;
    }
    Value path = Value::array();
    for (const std::string& segment : Split(rest, '/')) {
      if (!segment.empty()) path.push_back(segment);
    }
    if (!path.empty()) out["path"] = std::move(path);
    if (!query.empty()) out["query"] = std::move(query);
    return out;
  }

  void AddQuery(Value& query, const std::string& key, const Value& value, Notes& notes) {
    if (value.is_null()) return;
    if (value.is_array()) {
      for (const Value& item : value) AddQuery(query, key + "[]", item, notes);
      return;
    }
    if (value.is_object()) {
      for (auto it = value.begin(); it != value.end(); ++it)
        AddQuery(query, key + "[" + it.key() + "]", it.value(), notes);
      return;
    }
    query.push_back(
        Value{{"key", QueryPart(Text(key, notes))}, {"value", QueryPart(TextOf(value, notes))}});
  }

  void Body(const Value& request, const std::string& content_type, Value& headers, Value& out,
            Notes& notes) {
    if (!request.is_object()) return;
    if (request.contains("body_file")) {
      out["body"] =
          Value{{"mode", "file"}, {"file", Value{{"src", FilePath(request["body_file"], notes)}}}};
      return;
    }
    if (request.contains("body_base64")) {
      notes.Add("the body_base64 body (attach the bytes as a file body in Postman)");
      return;
    }
    if (!request.contains("body") || request["body"].is_null()) return;
    const Value& body = request["body"];
    if (body.is_object() && StartsWith(content_type, "multipart/form-data")) {
      Value parts = Value::array();
      for (auto it = body.begin(); it != body.end(); ++it)
        FormPart(parts, it.key(), it.value(), notes);
      out["body"] = Value{{"mode", "formdata"}, {"formdata", std::move(parts)}};
      return;
    }
    if (body.is_object() && StartsWith(content_type, "application/x-www-form-urlencoded")) {
      Value fields = Value::array();
      for (auto it = body.begin(); it != body.end(); ++it) {
        if (it.value().is_null()) continue;
        if (it.value().is_array() || it.value().is_object()) {
          notes.Add("form field '" + it.key() + "' holds a list or map: it is sent as JSON text");
        }
        fields.push_back(Value{{"key", it.key()}, {"value", TextOf(it.value(), notes)}});
      }
      out["body"] = Value{{"mode", "urlencoded"}, {"urlencoded", std::move(fields)}};
      return;
    }
    if (body.is_string()) {
      std::string language = "text";
      if (content_type.find("json") != std::string::npos)
        language = "json";
      else if (content_type.find("xml") != std::string::npos)
        language = "xml";
      else if (content_type.find("html") != std::string::npos)
        language = "html";
      else if (content_type.find("javascript") != std::string::npos)
        language = "javascript";
      if (content_type.empty()) {
        // flowtest sends a text body without a type as a form; Postman would say text/plain.
        headers.push_back(
            Value{{"key", "Content-Type"}, {"value", "application/x-www-form-urlencoded"}});
      }
      out["body"] = Value{{"mode", "raw"},
                          {"raw", Text(body.get<std::string>(), notes)},
                          {"options", Value{{"raw", Value{{"language", language}}}}}};
      return;
    }
    out["body"] = Value{{"mode", "raw"},
                        {"raw", RawJson(body, notes)},
                        {"options", Value{{"raw", Value{{"language", "json"}}}}}};
  }

  // JSON text of a body. A whole-value template of a suite variable that is not a string is
  // written unquoted (`"age": {{age}}`), as Postman users write it, so the number stays a number
  // in Postman too; `flowtest import postman` reads it back as the same template.
  std::string RawJson(const Value& body, Notes& notes) {
    Value converted = Converted(body, notes);
    std::vector<std::string> typed;
    std::function<void(Value&)> mark = [&](Value& node) {
      if (node.is_string()) {
        const std::string& text = node.get_ref<const std::string&>();
        if (!StartsWith(text, "{{") || !EndsWith(text, "}}")) return;
        const std::string name(Trim(std::string_view(text).substr(2, text.size() - 4)));
        const Value& variables = current_suite_->variables;
        if (IsIdentifier(name) && variables.contains(name) && !variables[name].is_string()) {
          node = "@@flowtest-typed-" + std::to_string(typed.size()) + "@@";
          typed.push_back(name);
        }
      } else if (node.is_object() || node.is_array()) {
        for (Value& child : node) mark(child);
      }
    };
    mark(converted);
    std::string text = DumpJson(converted, 2);
    for (std::size_t i = 0; i < typed.size(); ++i) {
      const std::string marker = "\"@@flowtest-typed-" + std::to_string(i) + "@@\"";
      const std::size_t at = text.find(marker);
      if (at != std::string::npos) text.replace(at, marker.size(), "{{" + typed[i] + "}}");
    }
    return text;
  }

  void FormPart(Value& parts, const std::string& key, const Value& value, Notes& notes) {
    if (value.is_null()) return;
    if (value.is_array()) {
      for (const Value& item : value) FormPart(parts, key, item, notes);
      return;
    }
    if (value.is_object() && value.contains("file")) {
      Value part = Value{{"key", key}, {"type", "file"}, {"src", FilePath(value["file"], notes)}};
      if (value.contains("content_type"))
        part["contentType"] = TextOf(value["content_type"], notes);
      if (value.contains("filename"))
        notes.Add("the file name '" + ToText(value["filename"]) + "' of part '" + key + "'");
      parts.push_back(std::move(part));
      return;
    }
    if (value.is_object() && value.contains("value")) {
      const Value& inner = value["value"];
      Value part = Value{{"key", key},
                         {"value", inner.is_string() ? Text(inner.get<std::string>(), notes)
                                                     : DumpJson(Converted(inner, notes))},
                         {"type", "text"}};
      if (value.contains("content_type")) {
        part["contentType"] = TextOf(value["content_type"], notes);
      } else if (inner.is_object() || inner.is_array()) {
        part["contentType"] = "application/json";
      }
      parts.push_back(std::move(part));
      return;
    }
    parts.push_back(Value{{"key", key}, {"value", TextOf(value, notes)}, {"type", "text"}});
  }

  // -------------------------------------------------------------------------------------------
  // Assertions and captures

  std::vector<std::string> TestScript(const StepSpec& step, const Value& raw, Notes& notes) {
    std::vector<std::string> lines;
    const Value block = raw.contains("assert") ? raw["assert"] : Value();
    if (step.assertions) {
      for (const Target& target : step.assertions->targets()) {
        for (const Check& check : target.checks) {
          const Value* expected = ResolvePointer(block, check.pointer);
          std::optional<std::string> statement =
              Statement(target, check, expected ? *expected : Value(), notes);
          if (!statement) {
            notes.Add("the check " + check.field + " (no Postman form)");
            continue;
          }
          lines.push_back("pm.test(" + JsString(check.field) + ", function () {");
          lines.push_back("    " + *statement + ";");
          lines.push_back("});");
        }
      }
    }
    if (step.captures) {
      for (const capture::Entry& entry : step.captures->entries()) {
        std::optional<std::string> source = CaptureSource(entry, notes);
        if (!source) {
          notes.Add("the capture '" + entry.name + "' (" +
                    (entry.text.empty() ? DumpJson(entry.literal) : entry.text) + ")");
          continue;
        }
        lines.push_back("pm.collectionVariables.set(" + JsString(entry.name) + ", " + *source +
                        ");");
      }
    }
    return lines;
  }

  std::optional<std::string> CaptureSource(const capture::Entry& entry, Notes& notes) {
    switch (entry.kind) {
      case capture::EntryKind::kLiteral:
        return JsValue(entry.literal, notes);
      case capture::EntryKind::kPath: {
        const std::string& text = entry.text;
        if (text == "status_code") return std::string("pm.response.code");
        if (text == "duration_ms") return std::string("pm.response.responseTime");
        if (text == "body") return std::string("pm.response.json()");
        std::optional<std::vector<PathStep>> path = assertion::ParseSimplePath(text);
        if (!path || path->empty()) return std::nullopt;
        const auto* first = std::get_if<std::string>(&path->front());
        if (first == nullptr) return std::nullopt;
        if (*first == "body")
          return BodyAccessor(std::vector<PathStep>(path->begin() + 1, path->end()));
        if (*first == "headers" && path->size() == 2 &&
            std::holds_alternative<std::string>((*path)[1])) {
          return "pm.response.headers.get(" + JsString(std::get<std::string>((*path)[1])) + ")";
        }
        return std::nullopt;
      }
      default:
        return std::nullopt;
    }
  }

  // The chai chain of one operator: ".to.eql(1)".
  std::optional<std::string> Chain(const Check& check, const Value& expected, Notes& notes) {
    const std::string v = JsValue(expected, notes);
    switch (check.op) {
      case Operator::kEquals:
        return ".to.eql(" + v + ")";
      case Operator::kNotEquals:
        return ".to.not.eql(" + v + ")";
      case Operator::kContains:
        return ".to.include(" + v + ")";
      case Operator::kNotContains:
        return ".to.not.include(" + v + ")";
      case Operator::kRegex: {
        if (!expected.is_string() ||
            expected.get_ref<const std::string&>().find("{{") != std::string::npos) {
          return std::nullopt;
        }
        std::string pattern;
        for (const char c : expected.get<std::string>()) {
          if (c == '/')
            pattern += "\\/";
          else if (c == '\n')
            pattern += "\\n";
          else
            pattern += c;
        }
        if (pattern.empty()) return std::nullopt;
        return ".to.match(/" + pattern + "/)";
      }
      case Operator::kType: {
        if (!expected.is_string()) return std::nullopt;
        const std::string type = expected.get<std::string>();
        if (type == "null") return std::string(".to.be.null");
        if (type == "object" || type == "array") return ".to.be.an(" + JsString(type) + ")";
        return ".to.be.a(" + JsString(type) + ")";
      }
      case Operator::kExists:
        if (!expected.is_boolean()) return std::nullopt;
        return expected.get<bool>() ? ".to.not.be.undefined" : ".to.be.undefined";
      case Operator::kGreaterThan:
        return ".to.be.above(" + v + ")";
      case Operator::kLessThan:
        return ".to.be.below(" + v + ")";
      case Operator::kGreaterThanOrEqual:
        return ".to.be.at.least(" + v + ")";
      case Operator::kLessThanOrEqual:
        return ".to.be.at.most(" + v + ")";
      case Operator::kIn:
        return ".to.be.oneOf(" + v + ")";
      case Operator::kNotIn:
        return ".to.not.be.oneOf(" + v + ")";
      case Operator::kLength:
        switch (check.comparison) {
          case Comparison::kEquals:
            return ".to.have.lengthOf(" + v + ")";
          case Comparison::kNotEquals:
            return ".to.not.have.lengthOf(" + v + ")";
          case Comparison::kGreater:
            return ".to.have.lengthOf.above(" + v + ")";
          case Comparison::kLess:
            return ".to.have.lengthOf.below(" + v + ")";
          case Comparison::kGreaterOrEqual:
            return ".to.have.lengthOf.at.least(" + v + ")";
          case Comparison::kLessOrEqual:
            return ".to.have.lengthOf.at.most(" + v + ")";
        }
        return std::nullopt;
      case Operator::kMinLength:
        return ".to.have.lengthOf.at.least(" + v + ")";
      case Operator::kMaxLength:
        return ".to.have.lengthOf.at.most(" + v + ")";
      case Operator::kNotEmpty:
        if (!expected.is_boolean()) return std::nullopt;
        return expected.get<bool>() ? ".to.not.be.empty" : ".to.be.empty";
      case Operator::kEmpty:
        if (!expected.is_boolean()) return std::nullopt;
        return expected.get<bool>() ? ".to.be.empty" : ".to.not.be.empty";
    }
    return std::nullopt;
  }

  std::optional<std::string> Statement(const Target& target, const Check& check,
                                       const Value& expected, Notes& notes) {
    switch (target.kind) {
      case TargetKind::kStatus: {
        if (check.status_shorthand) {
          if (expected.is_array())
            return "pm.expect(pm.response.code).to.be.oneOf(" + JsValue(expected, notes) + ")";
          const std::optional<Value> code = assertion::AsNumber(expected);
          if (code && code->is_number_integer())
            return "pm.response.to.have.status(" + DumpJson(*code) + ")";
          return "pm.expect(pm.response.code).to.eql(" + JsValue(expected, notes) + ")";
        }
        std::optional<std::string> chain = Chain(check, expected, notes);
        if (!chain) return std::nullopt;
        return "pm.expect(pm.response.code)" + *chain;
      }
      case TargetKind::kHeader: {
        if (check.op == Operator::kExists && expected.is_boolean()) {
          return std::string("pm.response.to") + (expected.get<bool>() ? "" : ".not") +
                 ".have.header(" + JsString(target.header) + ")";
        }
        std::optional<std::string> chain = Chain(check, expected, notes);
        if (!chain) return std::nullopt;
        return "pm.expect(pm.response.headers.get(" + JsString(target.header) + "))" + *chain;
      }
      case TargetKind::kResponseTime: {
        std::optional<std::string> chain = Chain(check, expected, notes);
        if (!chain) return std::nullopt;
        return "pm.expect(pm.response.responseTime)" + *chain;
      }
      case TargetKind::kBody: {
        std::string subject;
        if (target.path && target.path->text() == "@") {
          subject = "pm.response.json()";
        } else if (target.simple_path) {
          subject = BodyAccessor(*target.simple_path);
        } else {
          return std::nullopt;
        }
        std::optional<std::string> chain = Chain(check, expected, notes);
        if (!chain) return std::nullopt;
        return "pm.expect(" + subject + ")" + *chain;
      }
    }
    return std::nullopt;
  }

  const std::vector<const Suite*>& suites_;
  const PostmanExportOptions& options_;
  std::map<std::string, std::set<std::string>> exported_;
  std::vector<Error> warnings_;
  const Suite* current_suite_ = nullptr;
};

}  // namespace

PostmanExport ExportPostman(const std::vector<const Suite*>& suites,
                            const PostmanExportOptions& options) {
  return Exporter(suites, options).Run();
}

}  // namespace flow::core::convert
