#include "core/convert/openapi_import.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <map>
#include <optional>
#include <set>
#include <utility>

#include "core/convert/naming.hpp"
#include "core/convert/openapi_schema.hpp"
#include "core/convert/yaml_writer.hpp"
#include "core/model/suite.hpp"
#include "core/util/strings.hpp"

namespace flow::core::convert {
namespace {

constexpr std::array<std::string_view, 8> kMethods{"get",     "put",  "post",  "delete",
                                                   "options", "head", "patch", "trace"};

// How a security scheme is sent, and the suite variables it reads.
struct AuthScheme {
  std::string location;                                        // "header", "query", "cookie"
  std::string name;                                            // header, parameter or cookie name
  std::string value;                                           // template
  std::vector<std::pair<std::string, std::string>> variables;  // name -> "{{$env.X}}"
};

struct PathParam {
  std::string name;  // as in the path template
  Value value;
};

// One operation, converted but not yet placed in its suite (variable names are chosen there).
struct Operation {
  std::string tag;
  std::string method;  // upper case
  std::string path;    // as written in the spec
  std::string url_prefix;
  std::vector<PathParam> path_params;
  std::string query;  // "a=1&a=2" for list parameters, appended to the url
  std::string step_id;
  std::string name;
  Value request = Value::object();  // without method and url
  Value assert_block = Value::object();
  bool capture_id = false;
  std::vector<AuthScheme> auth;
  std::vector<std::string> comments;
};

// Spec text can hold anything: an error location, and one message shape for wrong types.
Error TypeErrorAt(const SpecReader& reader, const std::string& what, const std::string& expected,
                  const SpecNode& node) {
  Error error = InvalidArgument(what + " must be " + expected + ", got " +
                                std::string(TypeName(*node.value)));
  error.where = reader.Where(node.pointer);
  return error;
}

bool IsJsonMedia(std::string_view media) {
  const std::string lower = ToLower(media);
  return lower.find("json") != std::string::npos;
}

int MediaRank(std::string_view media) {
  const std::string lower = ToLower(media);
  if (lower == "application/json") return 0;
  if (IsJsonMedia(lower)) return 1;
  if (StartsWith(lower, "application/x-www-form-urlencoded")) return 2;
  if (StartsWith(lower, "multipart/form-data")) return 3;
  if (StartsWith(lower, "text/")) return 4;
  if (lower.find("xml") != std::string::npos) return 5;
  if (lower == "*/*") return 7;
  return 6;
}

// Query text: the characters a query value cannot hold as they are, percent-encoded; templates
// ({{...}}) are left alone (the engine encodes what they render to).
std::string QueryEncode(const std::string& text) {
  if (text.find("{{") != std::string::npos) return text;
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || c == '-' || c == '_' || c == '.' || c == '~' || c == ',') {
      out += c;
    } else {
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 15];
    }
  }
  return out;
}

class OpenApiImporter {
 public:
  OpenApiImporter(const Document& spec, const OpenApiImportOptions& options)
      : spec_(spec), options_(options), reader_(spec) {}

  Result<ImportResult> Run() {
    const SpecNode root = reader_.Root();
    if (!root.IsObject()) {
      Error error = InvalidArgument("not an OpenAPI document: the top level must be a mapping",
                                    "an OpenAPI 3 spec starts with 'openapi: 3.0.3', a Swagger "
                                    "2 spec with 'swagger: \"2.0\"'");
      error.where = reader_.Where("");
      return error;
    }
    FLOW_TRY_VOID(ReadVersion(root));
    FLOW_TRY_VOID(ReadBaseUrl(root));
    FLOW_TRY_VOID(ReadSecuritySchemes(root));
    FLOW_TRY_VOID(ReadTags(root));
    FLOW_TRY_VOID(ReadPaths(root));
    return Assemble();
  }

 private:
  // ---------------------------------------------------------------------------------------------
  // Document level

  Result<void> ReadVersion(const SpecNode& root) {
    const SpecNode openapi = root.Member("openapi");
    const SpecNode swagger = root.Member("swagger");
    const auto text = [](const Value& v) {
      return v.is_string() ? v.get<std::string>() : v.is_number() ? DumpJson(v) : std::string();
    };
    if (openapi.value != nullptr) {
      version_ = text(*openapi.value);
      if (!StartsWith(version_, "3.")) {
        Error error = InvalidArgument("unsupported OpenAPI version '" + version_ + "'",
                                      "flowtest imports OpenAPI 3.0, 3.1 and Swagger 2.0");
        error.where = reader_.Where(openapi.pointer);
        return error;
      }
      if (!StartsWith(version_, "3.0") && !StartsWith(version_, "3.1")) {
        reader_.Warn("OpenAPI " + version_ + " is read as OpenAPI 3.1", openapi.pointer);
      }
      source_ = "OpenAPI " + version_;
      return Ok();
    }
    if (swagger.value != nullptr) {
      version_ = text(*swagger.value);
      if (version_ != "2.0" && version_ != "2") {
        Error error = InvalidArgument("unsupported Swagger version '" + version_ + "'",
                                      "flowtest imports OpenAPI 3.0, 3.1 and Swagger 2.0");
        error.where = reader_.Where(swagger.pointer);
        return error;
      }
      swagger2_ = true;
      source_ = "Swagger 2.0";
      return Ok();
    }
    Error error = InvalidArgument("not an OpenAPI document: there is no 'openapi' or 'swagger' key",
                                  "an OpenAPI 3 spec starts with 'openapi: 3.0.3', a Swagger 2 "
                                  "spec with 'swagger: \"2.0\"'");
    error.where = reader_.Where("");
    return error;
  }

  Result<void> ReadBaseUrl(const SpecNode& root) {
    const SpecNode info = root.Member("info");
    if (info.IsObject()) {
      title_ = info.value->value("title", std::string());
      if (const auto v = info.value->find("version"); v != info.value->end()) {
        api_version_ = v->is_string() ? v->get<std::string>() : DumpJson(*v);
      }
    }
    if (!options_.base_url.empty()) {
      base_url_ = options_.base_url;
      return Ok();
    }
    std::string url;
    if (swagger2_) {
      const SpecNode host = root.Member("host");
      const SpecNode base_path = root.Member("basePath");
      const SpecNode schemes = root.Member("schemes");
      std::string scheme = "https";
      if (schemes.value != nullptr && schemes.value->is_array() && !schemes.value->empty() &&
          (*schemes.value)[0].is_string()) {
        scheme = (*schemes.value)[0].get<std::string>();
      }
      const std::string path = base_path.value != nullptr && base_path.value->is_string()
                                   ? base_path.value->get<std::string>()
                                   : "";
      if (host.value != nullptr && host.value->is_string() &&
          !host.value->get_ref<const std::string&>().empty()) {
        url = scheme + "://" + host.value->get<std::string>() + path;
      } else {
        url = path;
      }
    } else {
      Result<std::string> server = ServerUrl(root.Member("servers"));
      if (!server) return std::move(server).error();
      url = *server;
    }
    while (!url.empty() && url.back() == '/') url.pop_back();
    if (url.find("://") != std::string::npos || StartsWith(url, "{{")) {
      base_url_ = url;
    } else {
      // A relative server ("/v1"): paths are prefixed with it, and the host comes from the
      // config's globals.base_url or --base-url.
      path_prefix_ = url;
      reader_.Warn(url.empty()
                       ? "the spec names no server: the suites have no base_url"
                       : "the server URL '" + url + "' is relative: the suites have no base_url",
                   swagger2_ ? "" : "/servers",
                   "pass --base-url URL, or set globals.base_url in flow-test.config.yml");
    }
    return Ok();
  }

  // servers[0].url with its {variables} replaced by their defaults.
  Result<std::string> ServerUrl(const SpecNode& servers) {
    if (servers.value == nullptr) return std::string();
    if (!servers.value->is_array()) return TypeErrorAt(reader_, "'servers'", "a list", servers);
    if (servers.value->empty()) return std::string();
    const SpecNode server = servers.Item(0);
    if (!server.IsObject()) return TypeErrorAt(reader_, "a server", "a mapping", server);
    const SpecNode url = server.Member("url");
    if (url.value == nullptr || !url.value->is_string()) {
      Error error = InvalidArgument("a server needs a 'url' string");
      error.where = reader_.Where(server.pointer);
      return error;
    }
    std::string text = url.value->get<std::string>();
    const SpecNode variables = server.Member("variables");
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
      const std::size_t close = text[i] == '{' ? text.find('}', i) : std::string::npos;
      if (close == std::string::npos) {
        out += text[i];
        continue;
      }
      const std::string name = text.substr(i + 1, close - i - 1);
      const SpecNode variable = variables.Member(name);
      const SpecNode fallback = variable.Member("default");
      if (fallback.value != nullptr &&
          (fallback.value->is_string() || fallback.value->is_number())) {
        out += ToText(*fallback.value);
      } else {
        reader_.Warn(
            "server variable '" + name + "' has no default: it is left as '{" + name + "}'",
            url.pointer, "pass --base-url URL");
        out += text.substr(i, close - i + 1);
      }
      i = close;
    }
    return out;
  }

  Result<void> ReadSecuritySchemes(const SpecNode& root) {
    const SpecNode schemes = swagger2_ ? root.Member("securityDefinitions")
                                       : root.Member("components").Member("securitySchemes");
    if (schemes.value == nullptr) return Ok();
    if (!schemes.IsObject())
      return TypeErrorAt(reader_, "the security schemes", "a mapping", schemes);
    int api_keys = 0;
    for (auto it = schemes.value->begin(); it != schemes.value->end(); ++it) {
      Result<SpecNode> scheme = reader_.Resolve(schemes.Member(it.key()));
      if (!scheme) return std::move(scheme).error();
      if (!scheme->IsObject()) {
        return TypeErrorAt(reader_, "security scheme '" + it.key() + "'", "a mapping", *scheme);
      }
      const Value& s = *scheme->value;
      const std::string type = ToLower(s.value("type", std::string()));
      const std::string http_scheme = ToLower(s.value("scheme", std::string()));
      AuthScheme auth;
      if ((type == "http" && http_scheme == "bearer") || type == "oauth2" ||
          type == "openidconnect") {
        auth = AuthScheme{.location = "header",
                          .name = "Authorization",
                          .value = "Bearer {{auth_token}}",
                          .variables = {{"auth_token", "{{$env.API_TOKEN}}"}}};
      } else if ((type == "http" && http_scheme == "basic") || type == "basic") {
        auth = AuthScheme{.location = "header",
                          .name = "Authorization",
                          .value = "Basic {{js: btoa(api_username + ':' + api_password)}}",
                          .variables = {{"api_username", "{{$env.API_USERNAME}}"},
                                        {"api_password", "{{$env.API_PASSWORD}}"}}};
      } else if (type == "apikey") {
        const std::string in = s.value("in", std::string("header"));
        const std::string name = s.value("name", std::string());
        if (name.empty() || (in != "header" && in != "query" && in != "cookie")) {
          reader_.Warn("security scheme '" + it.key() +
                           "' needs 'name' and 'in' (header, query or "
                           "cookie): it is not converted",
                       scheme->pointer);
          continue;
        }
        const std::string suffix = api_keys++ == 0 ? "" : "_" + Slug(it.key(), "key");
        std::string env = "API_KEY" + suffix;
        std::transform(env.begin(), env.end(), env.begin(), [](char c) {
          return static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        });
        auth = AuthScheme{.location = in,
                          .name = name,
                          .value = "{{api_key" + suffix + "}}",
                          .variables = {{"api_key" + suffix, "{{$env." + env + "}}"}}};
      } else {
        reader_.Warn("security scheme '" + it.key() + "' of type '" + type +
                         (http_scheme.empty() ? "" : " " + http_scheme) + "' is not converted",
                     scheme->pointer, "add the credentials to the generated suites by hand");
        continue;
      }
      schemes_.emplace(it.key(), std::move(auth));
    }
    return Ok();
  }

  Result<void> ReadTags(const SpecNode& root) {
    const SpecNode tags = root.Member("tags");
    if (tags.value == nullptr || !tags.value->is_array()) return Ok();
    for (std::size_t i = 0; i < tags.value->size(); ++i) {
      const SpecNode tag = tags.Item(i);
      if (!tag.IsObject()) continue;
      const std::string name = tag.value->value("name", std::string());
      if (name.empty()) continue;
      if (std::find(tag_order_.begin(), tag_order_.end(), name) == tag_order_.end()) {
        tag_order_.push_back(name);
      }
      tag_descriptions_[name] = tag.value->value("description", std::string());
    }
    return Ok();
  }

  // ---------------------------------------------------------------------------------------------
  // Operations

  Result<void> ReadPaths(const SpecNode& root) {
    const SpecNode paths = root.Member("paths");
    if (paths.value == nullptr) {
      Error error = InvalidArgument("the spec has no 'paths': there is nothing to import");
      error.where = reader_.Where("");
      return error;
    }
    if (!paths.IsObject()) return TypeErrorAt(reader_, "'paths'", "a mapping", paths);
    for (auto it = paths.value->begin(); it != paths.value->end(); ++it) {
      const std::string& path = it.key();
      const SpecNode raw_item = paths.Member(path);
      if (!StartsWith(path, "/")) {
        if (!StartsWith(path, "x-")) {
          reader_.Warn("path '" + path + "' does not start with '/': it is skipped",
                       raw_item.pointer);
        }
        continue;
      }
      Result<SpecNode> item = reader_.Resolve(raw_item);
      if (!item) return std::move(item).error();
      if (item->value->is_null()) continue;
      if (!item->IsObject()) return TypeErrorAt(reader_, "path '" + path + "'", "a mapping", *item);
      const SpecNode shared = item->Member("parameters");
      for (auto op = item->value->begin(); op != item->value->end(); ++op) {
        const std::string method = ToLower(op.key());
        if (std::find(kMethods.begin(), kMethods.end(), method) == kMethods.end()) continue;
        if (method == "trace") {
          reader_.Warn(
              "TRACE " + path +
                  " is left out: flowtest sends GET, POST, PUT, PATCH, DELETE, HEAD and OPTIONS",
              item->Member(op.key()).pointer);
          continue;
        }
        FLOW_TRY_VOID(ReadOperation(path, *item, method, item->Member(op.key()), shared));
      }
    }
    return Ok();
  }

  // The suite an operation goes to, or nullopt when the --tag filter leaves it out.
  std::optional<std::string> SuiteTag(const SpecNode& operation) {
    std::vector<std::string> tags;
    const SpecNode list = operation.Member("tags");
    if (list.value != nullptr && list.value->is_array()) {
      for (const Value& t : *list.value) {
        if (t.is_string() && !t.get_ref<const std::string&>().empty())
          tags.push_back(t.get<std::string>());
      }
    }
    for (const std::string& tag : tags) all_tags_.insert(tag);
    if (options_.tags.empty()) return tags.empty() ? std::string("default") : tags.front();
    for (const std::string& tag : tags) {
      for (const std::string& wanted : options_.tags) {
        if (ToLower(wanted) == ToLower(tag)) {
          matched_tags_.insert(ToLower(wanted));
          return tag;
        }
      }
    }
    if (tags.empty()) {
      for (const std::string& wanted : options_.tags) {
        if (ToLower(wanted) == "default") {
          matched_tags_.insert("default");
          return std::string("default");
        }
      }
    }
    return std::nullopt;
  }

  Result<void> ReadOperation(const std::string& path, const SpecNode& item,
                             const std::string& method, const SpecNode& raw_operation,
                             const SpecNode& shared_parameters) {
    Result<SpecNode> resolved = reader_.Resolve(raw_operation);
    if (!resolved) return std::move(resolved).error();
    const SpecNode operation = *resolved;
    if (!operation.IsObject()) {
      return TypeErrorAt(reader_, "operation '" + ToLower(method) + " " + path + "'", "a mapping",
                         operation);
    }
    const std::optional<std::string> tag = SuiteTag(operation);
    if (!tag) return Ok();
    Operation op;
    op.tag = *tag;
    op.method = method;
    std::transform(op.method.begin(), op.method.end(), op.method.begin(), [](char c) {
      return static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    });
    op.path = path;
    const Value& o = *operation.value;
    const std::string summary = o.value("summary", std::string());
    const std::string operation_id = o.value("operationId", std::string());
    op.name = !summary.empty()        ? summary
              : !operation_id.empty() ? operation_id
                                      : op.method + " " + path;
    op.step_id = operation_id;
    if (o.value("deprecated", false)) op.comments.push_back("deprecated operation");
    FLOW_TRY_VOID(ReadServerOverride(item, operation, op));
    FLOW_TRY_VOID(ReadParameters(shared_parameters, operation.Member("parameters"), operation, op));
    if (!swagger2_) FLOW_TRY_VOID(ReadRequestBody(operation.Member("requestBody"), op));
    FLOW_TRY_VOID(ReadResponses(operation, op));
    FLOW_TRY_VOID(ReadSecurity(operation, op));
    DeclareMissingPathParams(operation, op);
    operations_.push_back(std::move(op));
    return Ok();
  }

  // Operation- or path-level `servers` (OpenAPI 3) give the step an absolute url.
  Result<void> ReadServerOverride(const SpecNode& item, const SpecNode& operation, Operation& op) {
    if (swagger2_ || !options_.base_url.empty()) return Ok();
    for (const SpecNode& servers : {operation.Member("servers"), item.Member("servers")}) {
      if (servers.value == nullptr || !servers.value->is_array() || servers.value->empty())
        continue;
      Result<std::string> url = ServerUrl(servers);
      if (!url) return std::move(url).error();
      std::string text = *url;
      while (!text.empty() && text.back() == '/') text.pop_back();
      op.url_prefix = text;
      return Ok();
    }
    return Ok();
  }

  // A parameter's value: its example(s), else one from its schema.
  Result<Value> ParameterValue(const SpecNode& parameter, const std::string& name) {
    const Value& p = *parameter.value;
    if (const auto example = p.find("example"); example != p.end()) return *example;
    if (const auto example = p.find("x-example"); example != p.end()) return *example;
    Result<std::optional<Value>> from_examples = FirstExample(parameter.Member("examples"));
    if (!from_examples) return std::move(from_examples).error();
    if (*from_examples) return std::move(**from_examples);
    if (swagger2_ && !p.contains("schema")) return reader_.Sample(parameter, name, {});
    if (const SpecNode content = parameter.Member("content");
        content.IsObject() && !content.value->empty()) {
      const SpecNode media = content.Member(content.value->begin().key());
      if (const SpecNode example = media.Member("example"); example.value != nullptr)
        return *example.value;
      return reader_.Sample(media.Member("schema"), name, {});
    }
    return reader_.Sample(parameter.Member("schema"), name, {});
  }

  // The first of an `examples` map (OpenAPI 3: {name: {value}} or $refs to them).
  Result<std::optional<Value>> FirstExample(const SpecNode& examples) {
    if (!examples.IsObject() || examples.value->empty()) return std::optional<Value>();
    for (auto it = examples.value->begin(); it != examples.value->end(); ++it) {
      Result<SpecNode> example = reader_.Resolve(examples.Member(it.key()));
      if (!example) return std::move(example).error();
      if (example->IsObject() && example->value->contains("value")) {
        return std::optional<Value>((*example->value)["value"]);
      }
    }
    return std::optional<Value>();
  }

  static bool HasExplicitExample(const SpecNode& parameter) {
    const Value& p = *parameter.value;
    if (p.contains("example") || p.contains("x-example") || p.contains("examples")) return true;
    const Value* schema_example = ResolvePointer(p, "/schema/example");
    return schema_example != nullptr;
  }

  Result<void> ReadParameters(const SpecNode& shared, const SpecNode& own,
                              const SpecNode& operation, Operation& op) {
    // Operation parameters override path-level ones of the same name and location.
    std::vector<SpecNode> parameters;
    std::vector<std::pair<std::string, std::string>> keys;
    for (const SpecNode& list : {own, shared}) {
      if (list.value == nullptr) continue;
      if (!list.value->is_array()) return TypeErrorAt(reader_, "'parameters'", "a list", list);
      for (std::size_t i = 0; i < list.value->size(); ++i) {
        Result<SpecNode> parameter = reader_.Resolve(list.Item(i));
        if (!parameter) return std::move(parameter).error();
        if (!parameter->IsObject())
          return TypeErrorAt(reader_, "a parameter", "a mapping", *parameter);
        const std::string name = parameter->value->value("name", std::string());
        const std::string in = parameter->value->value("in", std::string());
        if (name.empty() || in.empty()) {
          Error error = InvalidArgument("a parameter needs 'name' and 'in' strings");
          error.where = reader_.Where(parameter->pointer);
          return error;
        }
        if (std::find(keys.begin(), keys.end(), std::make_pair(name, in)) != keys.end()) continue;
        keys.emplace_back(name, in);
        parameters.push_back(*parameter);
      }
    }
    Value form = Value::object();
    bool form_has_file = false;
    std::string cookies;
    for (const SpecNode& parameter : parameters) {
      const std::string name = parameter.value->value("name", std::string());
      const std::string in = parameter.value->value("in", std::string());
      const bool required = parameter.value->value("required", false) || in == "path";
      if (in == "body") {
        FLOW_TRY_VOID(Swagger2Body(parameter, operation, op));
        continue;
      }
      if (!required && !HasExplicitExample(parameter)) continue;
      if (in == "formData") {
        Result<bool> binary = reader_.IsBinary(parameter);
        if (!binary) return std::move(binary).error();
        if (*binary) {
          form[name] = Value{{"file", kSampleUploadPath}};
          form_has_file = true;
          needs_sample_file_ = true;
          continue;
        }
      }
      Result<Value> value = ParameterValue(parameter, name);
      if (!value) return std::move(value).error();
      if (in == "path") {
        op.path_params.push_back(PathParam{name, std::move(*value)});
      } else if (in == "query") {
        if (value->is_array()) {
          AppendListQuery(parameter, name, *value, op);
        } else {
          op.request["params"][name] = std::move(*value);
        }
      } else if (in == "header") {
        const std::string lower = ToLower(name);
        if (lower == "accept" || lower == "content-type" || lower == "authorization") continue;
        op.request["headers"][name] =
            value->is_string() ? std::move(*value) : Value(ToText(*value));
      } else if (in == "cookie") {
        cookies += (cookies.empty() ? "" : "; ") + name + "=" + ToText(*value);
      } else if (in == "formData") {
        form[name] = std::move(*value);
      } else {
        reader_.Warn(
            "parameter '" + name + "' has an unknown location 'in: " + in + "': it is skipped",
            parameter.pointer);
      }
    }
    if (!cookies.empty()) op.request["headers"]["Cookie"] = cookies;
    if (!form.empty()) {
      const std::string consumes = Swagger2Consumes(operation, form_has_file);
      op.request["headers"]["Content-Type"] = consumes;
      op.request["body"] = std::move(form);
    }
    return Ok();
  }

  // A list query parameter: repeated (`a=1&a=2`, OpenAPI's default and Swagger's `multi`) or
  // joined (`a=1,2`), written into the url because `params` would send `a[]=`.
  void AppendListQuery(const SpecNode& parameter, const std::string& name, const Value& values,
                       Operation& op) {
    const Value& p = *parameter.value;
    std::string separator;
    if (swagger2_) {
      const std::string format = p.value("collectionFormat", std::string("csv"));
      separator = format == "multi"   ? ""
                  : format == "ssv"   ? " "
                  : format == "tsv"   ? "\t"
                  : format == "pipes" ? "|"
                                      : ",";
    } else {
      const std::string style = p.value("style", std::string("form"));
      const bool explode = p.value("explode", style == "form");
      separator = explode                     ? ""
                  : style == "spaceDelimited" ? " "
                  : style == "pipeDelimited"  ? "|"
                                              : ",";
    }
    std::string query;
    if (separator.empty()) {
      for (const Value& v : values) {
        query += (query.empty() ? "" : "&") + QueryEncode(name) + "=" + QueryEncode(ToText(v));
      }
    } else {
      std::string joined;
      for (const Value& v : values) joined += (joined.empty() ? "" : separator) + ToText(v);
      query = QueryEncode(name) + "=" + QueryEncode(joined);
    }
    if (query.empty()) return;
    op.query += (op.query.empty() ? "" : "&") + query;
  }

  std::string Swagger2Consumes(const SpecNode& operation, bool has_file) {
    std::vector<std::string> consumes;
    for (const SpecNode& list : {operation.Member("consumes"), reader_.Root().Member("consumes")}) {
      if (list.value == nullptr || !list.value->is_array()) continue;
      for (const Value& v : *list.value) {
        if (v.is_string()) consumes.push_back(ToLower(v.get<std::string>()));
      }
      if (!consumes.empty()) break;
    }
    // A file needs multipart; otherwise a urlencoded form unless the operation only takes
    // multipart.
    const auto takes = [&](std::string_view media) {
      return std::any_of(consumes.begin(), consumes.end(),
                         [&](const std::string& c) { return StartsWith(c, media); });
    };
    if (has_file) return "multipart/form-data";
    if (takes("multipart/form-data") && !takes("application/x-www-form-urlencoded")) {
      return "multipart/form-data";
    }
    return "application/x-www-form-urlencoded";
  }

  Result<void> Swagger2Body(const SpecNode& parameter, const SpecNode& operation, Operation& op) {
    std::string media = "application/json";
    for (const SpecNode& list : {operation.Member("consumes"), reader_.Root().Member("consumes")}) {
      if (list.value == nullptr || !list.value->is_array() || list.value->empty()) continue;
      int best = 99;
      for (const Value& v : *list.value) {
        if (v.is_string() && MediaRank(v.get<std::string>()) < best) {
          best = MediaRank(v.get<std::string>());
          media = v.get<std::string>();
        }
      }
      break;
    }
    const Value& p = *parameter.value;
    Value value;
    if (const auto example = p.find("x-example"); example != p.end()) {
      value = *example;
    } else if (const auto examples = p.find("x-examples");
               examples != p.end() && examples->is_object() && !examples->empty()) {
      value = examples->begin().value();
    } else {
      Result<Value> sample =
          reader_.Sample(parameter.Member("schema"), p.value("name", std::string()), {});
      if (!sample) return std::move(sample).error();
      value = std::move(*sample);
    }
    return SetBody(media, std::move(value), parameter.Member("schema"), SpecNode{},
                   parameter.pointer, op);
  }

  Result<void> ReadRequestBody(const SpecNode& raw_body, Operation& op) {
    if (raw_body.value == nullptr) return Ok();
    Result<SpecNode> body = reader_.Resolve(raw_body);
    if (!body) return std::move(body).error();
    if (!body->IsObject()) return TypeErrorAt(reader_, "'requestBody'", "a mapping", *body);
    const SpecNode content = body->Member("content");
    if (content.value == nullptr) return Ok();
    if (!content.IsObject()) return TypeErrorAt(reader_, "'content'", "a mapping", content);
    if (content.value->empty()) return Ok();
    std::string media;
    int best = 99;
    for (auto it = content.value->begin(); it != content.value->end(); ++it) {
      if (MediaRank(it.key()) < best) {
        best = MediaRank(it.key());
        media = it.key();
      }
    }
    const SpecNode chosen = content.Member(media);
    if (!chosen.IsObject())
      return TypeErrorAt(reader_, "media type '" + media + "'", "a mapping", chosen);
    Value value;
    if (const SpecNode example = chosen.Member("example"); example.value != nullptr) {
      value = *example.value;
    } else {
      Result<std::optional<Value>> first = FirstExample(chosen.Member("examples"));
      if (!first) return std::move(first).error();
      if (*first) {
        value = std::move(**first);
      } else {
        Result<Value> sample = reader_.Sample(chosen.Member("schema"), "", {});
        if (!sample) return std::move(sample).error();
        value = std::move(*sample);
      }
    }
    return SetBody(media, std::move(value), chosen.Member("schema"), chosen.Member("encoding"),
                   chosen.pointer, op);
  }

  // The request body for a media type: JSON, a form, a multipart form (binary properties become
  // file parts with the sample file), text, or the sample file as the whole body.
  Result<void> SetBody(const std::string& media, Value value, const SpecNode& schema,
                       const SpecNode& encoding, const std::string& pointer, Operation& op) {
    const std::string lower = ToLower(media);
    Value& request = op.request;
    if (IsJsonMedia(lower)) {
      if (lower != "application/json" || !(value.is_object() || value.is_array())) {
        request["headers"]["Content-Type"] = media;
      }
      request["body"] = std::move(value);
      return Ok();
    }
    if (StartsWith(lower, "application/x-www-form-urlencoded") ||
        StartsWith(lower, "multipart/form-data")) {
      const bool multipart = StartsWith(lower, "multipart/");
      request["headers"]["Content-Type"] = multipart ? "multipart/form-data" : media;
      if (!value.is_object()) {
        request["body"] = value.is_string() ? value : Value(ToText(value));
        return Ok();
      }
      if (multipart) FLOW_TRY_VOID(MultipartParts(value, schema, encoding));
      request["body"] = std::move(value);
      return Ok();
    }
    Result<bool> binary = reader_.IsBinary(schema);
    if (!binary) return std::move(binary).error();
    if (StartsWith(lower, "text/") && !*binary) {
      request["headers"]["Content-Type"] = media;
      request["body"] = value.is_string() ? value : Value(ToText(value));
      return Ok();
    }
    if (value.is_string() && !value.get_ref<const std::string&>().empty() && !*binary) {
      request["headers"]["Content-Type"] = lower == "*/*" ? "text/plain" : media;
      request["body"] = std::move(value);
      return Ok();
    }
    request["headers"]["Content-Type"] = lower == "*/*" ? "application/octet-stream" : media;
    request["body_file"] = kSampleUploadPath;
    needs_sample_file_ = true;
    reader_.Warn("request body of type '" + media + "' is sent from the sample file " +
                     std::string(kSampleUploadPath),
                 pointer, "replace the file, or the step's body_file, with real content");
    return Ok();
  }

  // In a multipart form, binary properties are file parts and maps are JSON parts.
  Result<void> MultipartParts(Value& form, const SpecNode& schema, const SpecNode& encoding) {
    Result<SpecNode> flat = reader_.Flatten(schema);
    if (!flat) return std::move(flat).error();
    const SpecNode properties = flat->Member("properties");
    for (auto it = form.begin(); it != form.end(); ++it) {
      const SpecNode property = properties.Member(it.key());
      std::string content_type;
      if (const SpecNode type = encoding.Member(it.key()).Member("contentType");
          type.value != nullptr && type.value->is_string()) {
        content_type = type.value->get<std::string>();
      }
      Value file = Value{{"file", kSampleUploadPath}};
      if (!content_type.empty()) file["content_type"] = content_type;
      Result<bool> binary = property.value ? reader_.IsBinary(property) : Result<bool>(false);
      if (!binary) return std::move(binary).error();
      Result<SpecNode> resolved =
          property.value ? reader_.Resolve(property) : Result<SpecNode>(property);
      if (!resolved) return std::move(resolved).error();
      const SpecNode items = resolved->Member("items");
      Result<bool> binary_items = items.value ? reader_.IsBinary(items) : Result<bool>(false);
      if (!binary_items) return std::move(binary_items).error();
      if (*binary) {
        it.value() = file;
        needs_sample_file_ = true;
      } else if (*binary_items) {
        it.value() = Value::array({file});
        needs_sample_file_ = true;
      } else if (it.value().is_object()) {
        it.value() =
            Value{{"value", it.value()},
                  {"content_type", content_type.empty() ? "application/json" : content_type}};
      } else if (it.value().is_array()) {
        for (Value& item : it.value()) {
          if (item.is_object() || item.is_array()) item = Value{{"value", item}};
        }
      }
    }
    return Ok();
  }

  Result<void> ReadResponses(const SpecNode& operation, Operation& op) {
    const SpecNode responses = operation.Member("responses");
    if (responses.value == nullptr) {
      op.assert_block["status_code"] = Value{{"greater_than_or_equal", 200}, {"less_than", 300}};
      return Ok();
    }
    if (!responses.IsObject()) return TypeErrorAt(reader_, "'responses'", "a mapping", responses);
    std::string chosen;
    std::string redirect;
    bool range = false;
    for (auto it = responses.value->begin(); it != responses.value->end(); ++it) {
      const std::string& key = it.key();
      if (key.size() == 3 && key[0] == '2' && std::isdigit(static_cast<unsigned char>(key[1])) &&
          std::isdigit(static_cast<unsigned char>(key[2]))) {
        chosen = key;
        break;
      }
      if (redirect.empty() && key.size() == 3 && key[0] == '3' &&
          std::isdigit(static_cast<unsigned char>(key[1])) &&
          std::isdigit(static_cast<unsigned char>(key[2]))) {
        redirect = key;
      }
    }
    if (chosen.empty()) {
      for (const char* key : {"2XX", "2xx", "default"}) {
        if (responses.value->contains(key)) {
          chosen = key;
          range = true;
          break;
        }
      }
    }
    if (chosen.empty() && !redirect.empty()) {
      op.assert_block["status_code"] = std::stoi(redirect);
      op.request["follow_redirects"] = false;
      return Ok();
    }
    if (chosen.empty()) {
      reader_.Warn("no 2xx or default response is documented: the step checks for a 2xx status",
                   responses.pointer);
      op.assert_block["status_code"] = Value{{"greater_than_or_equal", 200}, {"less_than", 300}};
      return Ok();
    }
    if (range) {
      op.assert_block["status_code"] = Value{{"greater_than_or_equal", 200}, {"less_than", 300}};
    } else {
      op.assert_block["status_code"] = std::stoi(chosen);
    }
    Result<SpecNode> response = reader_.Resolve(responses.Member(chosen));
    if (!response) return std::move(response).error();
    if (!response->IsObject())
      return TypeErrorAt(reader_, "response '" + chosen + "'", "a mapping", *response);
    SpecNode schema;
    if (swagger2_) {
      schema = response->Member("schema");
      if (!ProducesJson(operation)) schema = SpecNode{};
    } else {
      const SpecNode content = response->Member("content");
      if (content.IsObject()) {
        for (auto it = content.value->begin(); it != content.value->end(); ++it) {
          if (IsJsonMedia(it.key())) {
            schema = content.Member(it.key()).Member("schema");
            break;
          }
        }
      }
    }
    if (schema.value == nullptr) return Ok();
    Result<Value> checks = reader_.BodyChecks(schema);
    if (!checks) return std::move(checks).error();
    if (!checks->is_null()) op.assert_block["body"] = std::move(*checks);
    if (op.method == "POST") {
      Result<bool> has_id = reader_.HasProperty(schema, "id");
      if (!has_id) return std::move(has_id).error();
      op.capture_id = *has_id;
    }
    return Ok();
  }

  bool ProducesJson(const SpecNode& operation) {
    for (const SpecNode& list : {operation.Member("produces"), reader_.Root().Member("produces")}) {
      if (list.value == nullptr || !list.value->is_array()) continue;
      return std::any_of(list.value->begin(), list.value->end(), [](const Value& v) {
        return v.is_string() && IsJsonMedia(v.get_ref<const std::string&>());
      });
    }
    return true;
  }

  Result<void> ReadSecurity(const SpecNode& operation, Operation& op) {
    SpecNode security = operation.Member("security");
    if (security.value == nullptr) security = reader_.Root().Member("security");
    if (security.value == nullptr) return Ok();
    if (!security.value->is_array()) return TypeErrorAt(reader_, "'security'", "a list", security);
    if (security.value->empty()) return Ok();
    const SpecNode requirement = security.Item(0);
    if (!requirement.IsObject())
      return TypeErrorAt(reader_, "a security requirement", "a mapping", requirement);
    for (auto it = requirement.value->begin(); it != requirement.value->end(); ++it) {
      const auto scheme = schemes_.find(it.key());
      if (scheme == schemes_.end()) {
        reader_.Warn("security scheme '" + it.key() + "' is not defined or not converted",
                     requirement.pointer);
        continue;
      }
      op.auth.push_back(scheme->second);
    }
    return Ok();
  }

  // Path template names without a parameter definition still need a variable.
  void DeclareMissingPathParams(const SpecNode& operation, Operation& op) {
    const std::string& path = op.path;
    for (std::size_t open = path.find('{'); open != std::string::npos;
         open = path.find('{', open + 1)) {
      const std::size_t close = path.find('}', open);
      if (close == std::string::npos) break;
      const std::string name = path.substr(open + 1, close - open - 1);
      const bool known = std::any_of(op.path_params.begin(), op.path_params.end(),
                                     [&](const PathParam& p) { return p.name == name; });
      if (known) continue;
      reader_.Warn("path parameter '" + name + "' of " + op.method + " " + path +
                       " is not defined: its variable is set to 1",
                   operation.pointer, "define it under 'parameters', or edit the variable");
      op.path_params.push_back(PathParam{name, Value(1)});
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Suites

  // The suite's variable for a path parameter: its name as an identifier; when the suite already
  // has that name with another value, prefixed with the path segment before it.
  std::string PathVariable(const Operation& op, const PathParam& param, Value& variables,
                           NameSet& names, std::map<std::string, std::string>& chosen) {
    const std::string key = op.path + "\n" + param.name;
    if (const auto found = chosen.find(key); found != chosen.end()) return found->second;
    std::string name = Identifier(param.name, "id");
    if (variables.contains(name) && !DeepEqual(variables[name], param.value)) {
      const std::size_t at = op.path.find("{" + param.name + "}");
      std::string segment;
      if (at != std::string::npos && at > 1) {
        const std::string before = op.path.substr(0, at - 1);
        segment = before.substr(before.rfind('/') + 1);
      }
      name = Identifier(segment + "_" + param.name, "id");
      if (variables.contains(name) && !DeepEqual(variables[name], param.value))
        name = names.Claim(name);
    }
    names.Reserve(name);
    if (!variables.contains(name)) variables[name] = param.value;
    chosen[key] = name;
    return name;
  }

  std::string Url(const Operation& op, const std::map<std::string, std::string>& chosen) {
    std::string url = op.url_prefix.empty() ? path_prefix_ : op.url_prefix;
    const std::string& path = op.path;
    for (std::size_t i = 0; i < path.size(); ++i) {
      const std::size_t close = path[i] == '{' ? path.find('}', i) : std::string::npos;
      if (close == std::string::npos) {
        url += path[i];
        continue;
      }
      const auto found = chosen.find(op.path + "\n" + path.substr(i + 1, close - i - 1));
      url += found == chosen.end() ? path.substr(i, close - i + 1) : "{{" + found->second + "}}";
      i = close;
    }
    if (!op.query.empty()) url += (url.find('?') == std::string::npos ? "?" : "&") + op.query;
    return url;
  }

  // The variable a POST's `id` is captured into: the path variable of `<path>/{param}` when the
  // suite has such an operation, else `<last segment>_id`.
  std::string IdCaptureName(const Operation& post, const std::vector<const Operation*>& ops,
                            const std::map<std::string, std::string>& chosen) {
    const std::string prefix = post.path + (EndsWith(post.path, "/") ? "{" : "/{");
    for (const Operation* other : ops) {
      if (!StartsWith(other->path, prefix)) continue;
      const std::size_t close = other->path.find('}', prefix.size());
      if (close == std::string::npos || close + 1 != other->path.size()) continue;
      const auto found = chosen.find(other->path + "\n" +
                                     other->path.substr(prefix.size(), close - prefix.size()));
      if (found != chosen.end()) return found->second;
    }
    std::string segment;
    for (const std::string& part : Split(post.path, '/')) {
      if (!part.empty() && part.front() != '{') segment = part;
    }
    return Identifier(segment.empty() ? "resource" : segment, "resource") + "_id";
  }

  Result<ImportResult> Assemble() {
    if (operations_.empty()) {
      std::string message = "no operations to import";
      std::string hint;
      if (!options_.tags.empty()) {
        std::vector<std::string> known(all_tags_.begin(), all_tags_.end());
        message =
            "no operation has the tag" + std::string(options_.tags.size() > 1 ? "s" : "") + " ";
        for (std::size_t i = 0; i < options_.tags.size(); ++i) {
          message += (i ? ", '" : "'") + options_.tags[i] + "'";
        }
        hint = DidYouMean(options_.tags.front(), known);
        std::string list;
        for (const std::string& tag : known) list += (list.empty() ? "" : ", ") + tag;
        if (!list.empty())
          hint += (hint.empty() ? "" : "; ") + std::string("the spec's tags: ") + list;
      }
      Error error = InvalidArgument(message, hint);
      error.where = reader_.Where("/paths");
      return error;
    }
    for (const std::string& wanted : options_.tags) {
      if (matched_tags_.count(ToLower(wanted)) == 0) {
        reader_.Warn("no operation has the tag '" + wanted + "'", "");
      }
    }
    // Suites in the order of the spec's `tags` list, then of first use; `default` last.
    std::vector<std::string> order;
    for (const std::string& tag : tag_order_) {
      if (std::any_of(operations_.begin(), operations_.end(),
                      [&](const Operation& o) { return o.tag == tag; })) {
        order.push_back(tag);
      }
    }
    for (const Operation& op : operations_) {
      if (op.tag != "default" && std::find(order.begin(), order.end(), op.tag) == order.end()) {
        order.push_back(op.tag);
      }
    }
    if (std::any_of(operations_.begin(), operations_.end(),
                    [](const Operation& o) { return o.tag == "default"; }) &&
        std::find(order.begin(), order.end(), "default") == order.end()) {
      order.push_back("default");
    }
    ImportResult result;
    result.source = source_;
    NameSet node_ids;
    for (const std::string& tag : order) {
      std::vector<const Operation*> ops;
      for (const Operation& op : operations_) {
        if (op.tag == tag) ops.push_back(&op);
      }
      std::stable_partition(ops.begin(), ops.end(),
                            [](const Operation* o) { return o->method != "DELETE"; });
      result.files.push_back(Suite(tag, node_ids.Claim(Slug(tag)), ops));
    }
    if (needs_sample_file_) {
      result.files.push_back(ConvertedFile{.path = kSampleUploadPath, .text = kSampleUploadText});
    }
    result.warnings = std::move(reader_.warnings());
    return result;
  }

  ConvertedFile Suite(const std::string& tag, const std::string& node_id,
                      const std::vector<const Operation*>& ops) {
    Value variables = Value::object();
    NameSet names;
    std::map<std::string, std::string> chosen;
    for (const Operation* op : ops) {
      for (const PathParam& param : op->path_params)
        PathVariable(*op, param, variables, names, chosen);
    }
    std::vector<std::string> env_names;
    for (const Operation* op : ops) {
      for (const AuthScheme& auth : op->auth) {
        for (const auto& [name, value] : auth.variables) {
          if (variables.contains(name)) continue;
          variables[name] = value;
          env_names.push_back(value.substr(7, value.size() - 9));  // {{$env.X}} -> X
        }
      }
    }
    YamlWriteOptions yaml;
    yaml.header.push_back(
        "Imported by 'flowtest import openapi' from " + spec_.file + " (" + source_ +
        (title_.empty()
             ? ""
             : ": \"" + title_ + "\"" + (api_version_.empty() ? "" : " " + api_version_)) +
        ").");
    yaml.header.push_back(
        "Values come from the spec's examples, else they are generated ({{$faker...}} "
        "gives new data on each run).");
    if (!env_names.empty()) {
      std::string list;
      for (const std::string& name : env_names) list += (list.empty() ? "" : ", ") + name;
      yaml.header.push_back("Credentials are read from the environment: " + list + ".");
    }
    Value suite = Value::object();
    suite["suite_name"] = tag;
    suite["node_id"] = node_id;
    if (const auto found = tag_descriptions_.find(tag);
        found != tag_descriptions_.end() && !found->second.empty()) {
      suite["description"] = found->second;
    } else if (!title_.empty()) {
      suite["description"] = title_;
    }
    if (!base_url_.empty()) suite["base_url"] = base_url_;
    suite["metadata"] = Value{{"tags", Value::array({"imported", "openapi"})}};
    if (!variables.empty()) suite["variables"] = variables;
    Value steps = Value::array();
    NameSet step_ids;
    for (const Operation* op : ops) {
      Value step = Value::object();
      step["name"] = op->name;
      if (!op->step_id.empty()) {
        const std::string id = NormalizeStepId(op->step_id);
        if (!id.empty() && !step_ids.Contains(id)) {
          step_ids.Reserve(id);
          step["step_id"] = id;
        }
      }
      Value request = Value::object();
      request["method"] = op->method;
      request["url"] = Url(*op, chosen);
      Value headers = op->request.value("headers", Value::object());
      Value params = op->request.value("params", Value::object());
      std::string cookies;
      for (const AuthScheme& auth : op->auth) {
        if (auth.location == "header") {
          headers[auth.name] = auth.value;
        } else if (auth.location == "query") {
          params[auth.name] = auth.value;
        } else {
          cookies += (cookies.empty() ? "" : "; ") + auth.name + "=" + auth.value;
        }
      }
      if (!cookies.empty()) {
        const std::string existing = headers.contains("Cookie") ? ToText(headers["Cookie"]) : "";
        headers["Cookie"] = existing.empty() ? cookies : existing + "; " + cookies;
      }
      if (!headers.empty()) request["headers"] = headers;
      if (!params.empty()) request["params"] = params;
      for (auto it = op->request.begin(); it != op->request.end(); ++it) {
        if (it.key() != "headers" && it.key() != "params") request[it.key()] = it.value();
      }
      step["request"] = std::move(request);
      step["assert"] = op->assert_block;
      if (op->capture_id) step["capture"] = Value{{IdCaptureName(*op, ops, chosen), "body.id"}};
      if (!op->comments.empty()) {
        yaml.comments[JoinPointer("/steps", steps.size())] = op->comments;
      }
      steps.push_back(std::move(step));
    }
    suite["steps"] = std::move(steps);
    return ConvertedFile{.path = node_id + ".yaml",
                         .text = WriteYaml(suite, yaml),
                         .suite_name = tag,
                         .node_id = node_id,
                         .steps = ops.size()};
  }

  const Document& spec_;
  const OpenApiImportOptions& options_;
  SpecReader reader_;
  bool swagger2_ = false;
  std::string version_;
  std::string source_;
  std::string title_;
  std::string api_version_;
  std::string base_url_;
  std::string path_prefix_;
  std::map<std::string, AuthScheme> schemes_;
  std::vector<std::string> tag_order_;
  std::map<std::string, std::string> tag_descriptions_;
  std::set<std::string> all_tags_;
  std::set<std::string> matched_tags_;
  std::vector<Operation> operations_;
  bool needs_sample_file_ = false;
};

}  // namespace

Result<ImportResult> ImportOpenApi(const Document& spec, const OpenApiImportOptions& options) {
  return OpenApiImporter(spec, options).Run();
}

}  // namespace flow::core::convert
