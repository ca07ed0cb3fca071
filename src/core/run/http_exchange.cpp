#include "core/run/http_exchange.hpp"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdlib>
#include <optional>

#include "core/schema/registry.hpp"
#include "core/util/strings.hpp"

namespace flow::core {
namespace {

void AppendPercentEncoded(std::string& out, unsigned char c) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  out += '%';
  out += kHex[c >> 4];
  out += kHex[c & 15];
}

bool IsUnreserved(unsigned char c) {
  return std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~';
}

// Percent-encoding as axios' buildURL does it: encodeURIComponent, then ':', '$', ',', '[', ']'
// kept and spaces as '+'.
std::string EncodeComponent(std::string_view text, bool keep_brackets) {
  std::string out;
  out.reserve(text.size());
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (IsUnreserved(c) || c == '!' || c == '\'' || c == '(' || c == ')' || c == '*' ||
        (keep_brackets && (c == ':' || c == '$' || c == ',' || c == '[' || c == ']'))) {
      out += ch;
    } else if (c == ' ') {
      out += '+';
    } else {
      AppendPercentEncoded(out, c);
    }
  }
  return out;
}

std::string ScalarText(const Value& v) {
  if (v.is_string()) return v.get<std::string>();
  return ToText(v);
}

void AppendQuery(std::string& out, const std::string& key, const Value& value, bool brackets) {
  if (value.is_null()) return;
  if (value.is_array()) {
    for (const Value& item : value) {
      if (item.is_null()) continue;
      if (item.is_object() || item.is_array()) {
        AppendQuery(out, key + "[]", item, brackets);
        continue;
      }
      if (!out.empty()) out += '&';
      out += EncodeComponent(key + "[]", brackets) + '=' + EncodeComponent(ScalarText(item), brackets);
    }
    return;
  }
  if (value.is_object()) {
    for (auto it = value.begin(); it != value.end(); ++it) {
      AppendQuery(out, key + "[" + it.key() + "]", it.value(), brackets);
    }
    return;
  }
  if (!out.empty()) out += '&';
  out += EncodeComponent(key, brackets) + '=' + EncodeComponent(ScalarText(value), brackets);
}

std::string HeaderText(const Value& v) {
  std::string text = v.is_string() ? v.get<std::string>() : ToText(v);
  // Control characters cannot be sent in a header; the original strips them too.
  text.erase(std::remove_if(text.begin(), text.end(),
                            [](char c) {
                              const auto u = static_cast<unsigned char>(c);
                              return u < 0x20 && u != '\t';
                            }),
             text.end());
  return text;
}

bool IsJsonContentType(std::string_view content_type) {
  const std::string lower = ToLower(content_type);
  return lower.find("application/json") != std::string::npos ||
         lower.find("+json") != std::string::npos;
}

std::string ShellQuote(std::string_view text) {
  std::string out = "'";
  for (const char c : text) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

// Bytes a URL cannot hold as they are (spaces, controls, non-ASCII, `"<>\^`{|}`) are
// percent-encoded, as browsers and the original engine's HTTP client do; everything else,
// `%` escapes included, is left as written.
std::string EscapeUnsafeUrlBytes(std::string_view url) {
  std::string out;
  out.reserve(url.size());
  for (const char ch : url) {
    const auto c = static_cast<unsigned char>(ch);
    const bool unsafe = c <= 0x20 || c >= 0x7F || c == '"' || c == '<' || c == '>' || c == '\\' ||
                        c == '^' || c == '`' || c == '{' || c == '|' || c == '}';
    if (unsafe) {
      AppendPercentEncoded(out, c);
    } else {
      out += ch;
    }
  }
  return out;
}

bool HasKey(const Value& object, const char* key) {
  return object.contains(key) && !object[key].is_null();
}

// The media type of a Content-Type value, lower-cased, without parameters.
std::string MediaTypeOf(std::string_view content_type) {
  return ToLower(Trim(content_type.substr(0, content_type.find(';'))));
}

// The `boundary` parameter of a Content-Type value (quotes removed), or "".
std::string BoundaryParameter(std::string_view content_type) {
  std::size_t semicolon = content_type.find(';');
  while (semicolon != std::string_view::npos) {
    std::string_view rest = content_type.substr(semicolon + 1);
    const std::size_t next = rest.find(';');
    const std::string_view param = Trim(rest.substr(0, next));
    const std::size_t equals = param.find('=');
    if (equals != std::string_view::npos && ToLower(Trim(param.substr(0, equals))) == "boundary") {
      std::string_view value = Trim(param.substr(equals + 1));
      if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
        value = value.substr(1, value.size() - 2);
      }
      return std::string(value);
    }
    semicolon = next == std::string_view::npos ? next : semicolon + 1 + next;
  }
  return "";
}

std::uint64_t Fnv1a(std::string_view text, std::uint64_t hash) {
  for (const char c : text) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ULL;
  }
  return hash;
}

// A boundary from the request itself: the same request gives the same bytes (reports and tests
// stay reproducible), and a body containing it by chance is as unlikely as with a random one.
std::string DerivedBoundary(std::string_view url, const Value& body) {
  static constexpr char kHex[] = "0123456789abcdef";
  const std::string text = std::string(url) + '\n' + DumpJson(body);
  std::string out = "----flowtest";
  for (const std::uint64_t seed : {14695981039346656037ULL, 0x9e3779b97f4a7c15ULL}) {
    std::uint64_t hash = Fnv1a(text, seed);
    for (int i = 0; i < 16; ++i, hash >>= 4) out += kHex[hash & 15];
  }
  return out;
}

std::string BaseName(std::string_view path) {
  const std::size_t slash = path.find_last_of('/');
  return std::string(slash == std::string_view::npos ? path : path.substr(slash + 1));
}

Error BodyError(std::string message, std::string pointer, std::string reason = "invalid-value",
                std::string hint = {}) {
  return InvalidArgumentAt(std::move(message), std::move(pointer), std::move(reason),
                           std::move(hint));
}

// Builds the parts of a multipart body from a mapping, each error at its pointer.
class MultipartBuilder {
 public:
  MultipartBuilder(std::string_view base_dir, std::vector<MultipartPart>& parts)
      : base_dir_(base_dir), parts_(parts) {}

  Result<void> AddField(const std::string& name, const Value& value, const std::string& pointer,
                        bool in_list) {
    if (value.is_null()) return Ok();
    if (value.is_array()) {
      if (in_list) {
        return BodyError("multipart field '" + name + "' has a list inside a list", pointer,
                         "wrong-type", "a list repeats the field; its items are values or files");
      }
      for (std::size_t i = 0; i < value.size(); ++i) {
        FLOW_TRY_VOID(AddField(name, value[i], JoinPointer(pointer, i), true));
      }
      return Ok();
    }
    if (value.is_object()) {
      if (value.contains(schema::Object("multipart.file").keys.front().name)) {
        return AddFile(name, value, pointer);
      }
      if (value.contains(schema::Object("multipart.value").keys.front().name)) {
        return AddTyped(name, value, pointer);
      }
      return BodyError("multipart field '" + name +
                           "' must be a value, a list, {file: path} or {value: ..., "
                           "content_type: ...}",
                       pointer, "wrong-type",
                       "to send a mapping as a JSON part write {value: {...}}");
    }
    parts_.push_back({.name = name, .value = ScalarText(value), .pointer = pointer});
    return Ok();
  }

 private:
  Result<void> CheckKeys(const std::string& name, const Value& object, const std::string& pointer,
                         const std::vector<std::string>& allowed) {
    for (auto it = object.begin(); it != object.end(); ++it) {
      if (std::find(allowed.begin(), allowed.end(), it.key()) != allowed.end()) continue;
      return BodyError("unknown key '" + it.key() + "' in multipart field '" + name + "'",
                       JoinPointer(pointer, it.key()), "unknown-key",
                       DidYouMean(it.key(), allowed));
    }
    return Ok();
  }

  Result<std::string> Text(const std::string& name, const Value& object, const char* key,
                           const std::string& pointer) {
    if (!HasKey(object, key)) return std::string();
    const Value& v = object[key];
    if (!v.is_string()) {
      return BodyError("'" + std::string(key) + "' of multipart field '" + name +
                           "' must be a string, got " + std::string(TypeName(v)),
                       JoinPointer(pointer, key), "wrong-type");
    }
    return v.get<std::string>();
  }

  Result<void> AddFile(const std::string& name, const Value& object, const std::string& pointer) {
    FLOW_TRY_VOID(CheckKeys(name, object, pointer, schema::Object("multipart.file").KeyNames()));
    const std::string file_pointer = JoinPointer(pointer, "file");
    Result<std::string> file = Text(name, object, "file", pointer);
    if (!file) return std::move(file).error();
    if (Trim(*file).empty()) {
      return BodyError("'file' of multipart field '" + name + "' must name a file", file_pointer,
                       "invalid-value");
    }
    Result<std::string> filename = Text(name, object, "filename", pointer);
    if (!filename) return std::move(filename).error();
    Result<std::string> content_type = Text(name, object, "content_type", pointer);
    if (!content_type) return std::move(content_type).error();
    MultipartPart part{.name = name,
                       .file_path = ResolvePath(base_dir_, *file),
                       .filename = filename->empty() ? BaseName(*file) : *filename,
                       .content_type = std::string(Trim(*content_type)),
                       .pointer = file_pointer};
    if (part.content_type.empty()) part.content_type = std::string(MediaTypeForPath(part.filename));
    parts_.push_back(std::move(part));
    return Ok();
  }

  Result<void> AddTyped(const std::string& name, const Value& object, const std::string& pointer) {
    FLOW_TRY_VOID(CheckKeys(name, object, pointer, schema::Object("multipart.value").KeyNames()));
    Result<std::string> content_type = Text(name, object, "content_type", pointer);
    if (!content_type) return std::move(content_type).error();
    const Value& value = object["value"];
    MultipartPart part{.name = name,
                       .content_type = std::string(Trim(*content_type)),
                       .pointer = JoinPointer(pointer, "value")};
    if (value.is_object() || value.is_array()) {
      part.value = DumpJson(value);
      if (part.content_type.empty()) part.content_type = "application/json";
    } else if (!value.is_null()) {
      part.value = ScalarText(value);
    }
    parts_.push_back(std::move(part));
    return Ok();
  }

  std::string_view base_dir_;
  std::vector<MultipartPart>& parts_;
};

// curl's -F syntax quotes a word in double quotes with backslash escapes.
std::string CurlFormWord(std::string_view text) {
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

}  // namespace

Result<std::string> JoinUrl(std::string_view base_url, std::string_view url) {
  const std::string lower = ToLower(url.substr(0, 8));
  if (StartsWith(lower, "http://") || StartsWith(lower, "https://")) return std::string(url);
  if (base_url.empty()) {
    if (url.find("://") != std::string_view::npos) return std::string(url);
    return InvalidArgument("relative url '" + std::string(url) + "' needs a base_url",
                           "set 'base_url' in the suite (or globals.base_url in the config), "
                           "or write an absolute url");
  }
  std::string out(base_url);
  while (!out.empty() && out.back() == '/') out.pop_back();
  if (url.empty()) return out;
  if (url.front() == '?' || url.front() == '#') return out + std::string(url);
  while (!url.empty() && url.front() == '/') url.remove_prefix(1);
  return out + "/" + std::string(url);
}

std::string EncodeQuery(const Value& params) {
  std::string out;
  if (!params.is_object()) return out;
  for (auto it = params.begin(); it != params.end(); ++it) {
    AppendQuery(out, it.key(), it.value(), true);
  }
  return out;
}

std::string EncodeForm(const Value& object) {
  std::string out;
  if (!object.is_object()) return out;
  for (auto it = object.begin(); it != object.end(); ++it) {
    AppendQuery(out, it.key(), it.value(), false);
  }
  return out;
}

Result<TlsOptions> ParseCertificate(const Value& certificate, bool verify_default) {
  TlsOptions tls;
  tls.verify = verify_default;
  if (certificate.is_null()) return tls;
  if (!certificate.is_object()) {
    return InvalidArgumentAt("'certificate' must be a mapping, got " +
                                 std::string(TypeName(certificate)),
                             "", "wrong-type");
  }
  const auto text = [&](const char* key, std::string& out) -> Result<void> {
    if (!certificate.contains(key) || certificate[key].is_null()) return Ok();
    if (!certificate[key].is_string()) {
      return InvalidArgumentAt(std::string("'") + key + "' must be a string", JoinPointer("", key),
                               "wrong-type");
    }
    out = certificate[key].get<std::string>();
    return Ok();
  };
  FLOW_TRY_VOID(text("cert_path", tls.cert_path));
  FLOW_TRY_VOID(text("key_path", tls.key_path));
  FLOW_TRY_VOID(text("pfx_path", tls.pfx_path));
  FLOW_TRY_VOID(text("passphrase", tls.passphrase));
  FLOW_TRY_VOID(text("ca_path", tls.ca_path));
  FLOW_TRY_VOID(text("min_version", tls.min_version));
  FLOW_TRY_VOID(text("max_version", tls.max_version));
  if (certificate.contains("verify") && !certificate["verify"].is_null()) {
    const Value& verify = certificate["verify"];
    if (verify.is_boolean()) {
      tls.verify = verify.get<bool>();
    } else if (verify.is_string() && (verify == "true" || verify == "false")) {
      tls.verify = verify == "true";
    } else {
      return InvalidArgumentAt("'verify' must be true or false, got " + ToText(verify), "/verify",
                               "wrong-type");
    }
  }
  return tls;
}

std::string ResolvePath(std::string_view base_dir, std::string_view path) {
  if (path.empty() || path.front() == '/' || base_dir.empty()) return std::string(path);
  std::string out(base_dir);
  while (out.size() > 1 && out.back() == '/') out.pop_back();
  if (out != "/") out += '/';
  while (StartsWith(path, "./")) path.remove_prefix(2);
  return out + std::string(path);
}

Result<std::string> DecodeBase64(std::string_view text) {
  std::string out;
  out.reserve(text.size() / 4 * 3 + 3);
  std::uint32_t bits = 0;
  int count = 0;
  bool padding = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    int value = -1;
    if (c >= 'A' && c <= 'Z') {
      value = c - 'A';
    } else if (c >= 'a' && c <= 'z') {
      value = c - 'a' + 26;
    } else if (c >= '0' && c <= '9') {
      value = c - '0' + 52;
    } else if (c == '+' || c == '-') {
      value = 62;
    } else if (c == '/' || c == '_') {
      value = 63;
    } else if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      continue;
    } else if (c == '=') {
      padding = true;
      continue;
    }
    if (value < 0 || padding) {
      const std::string shown = std::isprint(static_cast<unsigned char>(c))
                                    ? "'" + std::string(1, c) + "'"
                                    : "byte " + std::to_string(static_cast<unsigned char>(c));
      return InvalidArgument(
          "invalid base64: " + (value < 0 ? "unexpected " + shown : std::string("data after '='")) +
          " at offset " + std::to_string(i));
    }
    bits = (bits << 6) | static_cast<std::uint32_t>(value);
    if (++count == 4) {
      out += static_cast<char>((bits >> 16) & 0xFF);
      out += static_cast<char>((bits >> 8) & 0xFF);
      out += static_cast<char>(bits & 0xFF);
      bits = 0;
      count = 0;
    }
  }
  if (count == 1) return InvalidArgument("invalid base64: the last group has a single character");
  if (count == 2) out += static_cast<char>((bits >> 4) & 0xFF);
  if (count == 3) {
    out += static_cast<char>((bits >> 10) & 0xFF);
    out += static_cast<char>((bits >> 2) & 0xFF);
  }
  return out;
}

Result<HttpRequest> BuildHttpRequest(const Value& rendered, const RequestDefaults& defaults) {
  HttpRequest request;
  request.timeout = defaults.timeout;
  request.follow_redirects = defaults.follow_redirects;
  request.max_redirects = defaults.max_redirects;
  request.connect_to = defaults.connect_to;
  if (rendered.contains("follow_redirects") && !rendered["follow_redirects"].is_null()) {
    const Value& follow = rendered["follow_redirects"];
    if (follow.is_boolean()) {
      request.follow_redirects = follow.get<bool>();
    } else if (follow == "true" || follow == "false") {
      request.follow_redirects = follow == "true";
    } else {
      return InvalidArgumentAt("'follow_redirects' must be true or false, got " + ToText(follow),
                               "/follow_redirects", "wrong-type");
    }
  }
  if (rendered.contains("max_redirects") && !rendered["max_redirects"].is_null()) {
    const Value& max = rendered["max_redirects"];
    const std::string text = ToText(max);
    char* end = nullptr;
    const long count = std::strtol(text.c_str(), &end, 10);
    if (text.empty() || *end != '\0' || count < 0 || count > 1000) {
      return InvalidArgumentAt("'max_redirects' must be a count from 0 to 1000, got " + text,
                               "/max_redirects", "wrong-type");
    }
    request.max_redirects = static_cast<int>(count);
  }

  const Value method = rendered.value("method", Value("GET"));
  if (!method.is_string()) {
    Error e = InvalidArgument("'method' must be a string, got " + std::string(TypeName(method)));
    e.pointer = "/method";
    return e;
  }
  request.method = std::string(Trim(method.get<std::string>()));
  for (char& c : request.method) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (!IsHttpMethod(request.method)) {
    Error e = InvalidArgument("unknown HTTP method '" + method.get<std::string>() + "'");
    e.pointer = "/method";
    return e;
  }

  const Value url = rendered.value("url", Value());
  if (!url.is_string()) {
    Error e = InvalidArgument("'url' must be a string, got " + std::string(TypeName(url)));
    e.pointer = "/url";
    return e;
  }
  Result<std::string> full = JoinUrl(defaults.base_url, Trim(url.get<std::string>()));
  if (!full) {
    Error e = std::move(full).error();
    e.pointer = "/url";
    return e;
  }
  request.url = EscapeUnsafeUrlBytes(*full);
  if (rendered.contains("params") && rendered["params"].is_object()) {
    const std::string query = EncodeQuery(rendered["params"]);
    if (!query.empty()) {
      const std::size_t hash = request.url.find('#');
      const std::string fragment = hash == std::string::npos ? "" : request.url.substr(hash);
      if (hash != std::string::npos) request.url.resize(hash);
      request.url += (request.url.find('?') == std::string::npos ? '?' : '&');
      request.url += query + fragment;
    }
  }

  // The certificate: the request's, else the suite's, else globals.certificates by host.
  const bool own_certificate = HasKey(rendered, "certificate");
  const Value* certificate = own_certificate ? &rendered["certificate"] : &defaults.certificate;
  std::optional<Value> by_domain;
  if (certificate->is_null() && !defaults.domain_certificates.empty()) {
    by_domain = CertificateForHost(defaults.domain_certificates, SplitUrl(request.url).host);
    if (by_domain) certificate = &*by_domain;
  }
  Result<TlsOptions> tls = ParseCertificate(*certificate, defaults.verify_tls);
  if (!tls) {
    Error e = std::move(tls).error();
    e.pointer = (own_certificate ? "/certificate" : "") + e.pointer;
    if (by_domain) e.message = "globals.certificates: " + e.message;
    return e;
  }
  request.tls = std::move(*tls);

  std::optional<std::string> content_type;
  std::size_t content_type_index = 0;
  bool has_accept = false;
  bool has_user_agent = false;
  if (rendered.contains("headers") && rendered["headers"].is_object()) {
    for (auto it = rendered["headers"].begin(); it != rendered["headers"].end(); ++it) {
      if (it.value().is_null()) continue;
      std::string text = HeaderText(it.value());
      // The original engine drops headers whose value is empty; so do we.
      if (text.empty()) continue;
      const std::string lower = ToLower(it.key());
      if (lower == "content-type") {
        content_type = text;
        content_type_index = request.headers.size();
      }
      if (lower == "accept") has_accept = true;
      if (lower == "user-agent") has_user_agent = true;
      request.headers.emplace_back(it.key(), std::move(text));
    }
  }
  if (!has_accept) request.headers.emplace_back("Accept", "application/json, text/plain, */*");
  if (!has_user_agent && !defaults.user_agent.empty()) {
    request.headers.emplace_back("User-Agent", defaults.user_agent);
  }

  // At most one body source.
  const char* body_source = nullptr;
  for (const char* key : {"body", "body_file", "body_base64"}) {
    if (!HasKey(rendered, key)) continue;
    if (body_source != nullptr) {
      return BodyError("'" + std::string(body_source) + "' and '" + key + "' cannot both be given",
                       std::string("/") + key, "conflict",
                       "a request has one body: 'body', 'body_file' or 'body_base64'");
    }
    body_source = key;
  }
  const std::string ct = content_type ? ToLower(*content_type) : "";

  if (HasKey(rendered, "body_file")) {
    const Value& file = rendered["body_file"];
    if (!file.is_string() || Trim(file.get<std::string>()).empty()) {
      return BodyError(
          "'body_file' must be the path of a file, got " +
              (file.is_string() ? std::string("an empty string") : std::string(TypeName(file))),
          "/body_file", "wrong-type");
    }
    request.body_file = ResolvePath(defaults.base_dir, file.get<std::string>());
    if (!content_type) {
      request.headers.emplace_back("Content-Type",
                                   std::string(MediaTypeForPath(request.body_file)));
    }
    return request;
  }
  if (HasKey(rendered, "body_base64")) {
    const Value& encoded = rendered["body_base64"];
    if (!encoded.is_string()) {
      return BodyError("'body_base64' must be a string, got " + std::string(TypeName(encoded)),
                       "/body_base64", "wrong-type");
    }
    Result<std::string> bytes = DecodeBase64(encoded.get_ref<const std::string&>());
    if (!bytes) {
      return BodyError("'body_base64' is " + bytes.error().message, "/body_base64",
                       "invalid-value");
    }
    request.body = std::move(*bytes);
    if (!content_type) request.headers.emplace_back("Content-Type", "application/octet-stream");
    return request;
  }
  if (!HasKey(rendered, "body")) return request;
  const Value& body = rendered["body"];

  if (content_type && MediaTypeOf(*content_type) == "multipart/form-data" && !body.is_string() &&
      request.method != "HEAD") {
    if (!body.is_object()) {
      return BodyError("a multipart/form-data body must be a mapping of fields, got " +
                           std::string(TypeName(body)),
                       "/body", "wrong-type");
    }
    MultipartBuilder builder(defaults.base_dir, request.multipart);
    for (auto it = body.begin(); it != body.end(); ++it) {
      FLOW_TRY_VOID(builder.AddField(it.key(), it.value(), JoinPointer("/body", it.key()), false));
    }
    request.multipart_boundary = BoundaryParameter(*content_type);
    if (request.multipart_boundary.empty()) {
      request.multipart_boundary = defaults.multipart_boundary.empty()
                                       ? DerivedBoundary(request.url, body)
                                       : defaults.multipart_boundary;
      std::string& header = request.headers[content_type_index].second;
      while (!header.empty() && (header.back() == ';' || header.back() == ' ')) header.pop_back();
      header += "; boundary=" + request.multipart_boundary;
    }
    return request;
  }

  if (request.method != "GET" && request.method != "HEAD") {
    if (body.is_object() || body.is_array()) {
      if (body.is_object() && ct.find("application/x-www-form-urlencoded") != std::string::npos) {
        request.body = EncodeForm(body);
      } else {
        request.body = DumpJson(body);
        if (!content_type) request.headers.emplace_back("Content-Type", "application/json");
      }
    } else if (body.is_string()) {
      const std::string& text = body.get_ref<const std::string&>();
      if (content_type && IsJsonContentType(*content_type)) {
        request.body = Value::accept(text) ? text : DumpJson(body);
      } else {
        request.body = text;
        if (!content_type) {
          request.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
        }
      }
    } else {
      request.body = DumpJson(body);
      if (!content_type) request.headers.emplace_back("Content-Type", "application/json");
    }
  } else {
    // A body on GET/HEAD is legal HTTP but unusual; send it as written, like the original.
    request.body = body.is_string() ? body.get<std::string>() : DumpJson(body);
    if (!content_type && !body.is_string()) {
      request.headers.emplace_back("Content-Type", "application/json");
    }
  }
  return request;
}

Value ParseResponseBody(const HttpResponse& response, std::string_view method) {
  if (method == "HEAD" || response.body.empty()) return "";
  // Deeper documents stay text: every later walk over a value (JMESPath, reports) recurses.
  if (FindJsonNestingBeyond(response.body, kMaxResponseDepth)) return Value(response.body);
  Value parsed = Value::parse(response.body, nullptr, false);
  if (!parsed.is_discarded()) return parsed;
  return Value(response.body);
}

Value HeadersToValue(const HeaderList& headers) {
  Value out = Value::object();
  for (const auto& [name, value] : headers) {
    const std::string key = ToLower(name);
    if (out.contains(key)) {
      out[key] = out[key].get<std::string>() + ", " + value;
    } else {
      out[key] = value;
    }
  }
  return out;
}

Value DescribeRequest(const HttpRequest& request, const Value& rendered,
                      std::string_view base_url, std::string_view raw_url) {
  Value out = Value::object();
  out["method"] = request.method;
  out["url"] = rendered.value("url", Value(""));
  Value headers = Value::object();
  for (const auto& [name, value] : request.headers) headers[name] = value;
  out["headers"] = headers;
  if (rendered.contains("params")) out["params"] = rendered["params"];
  if (rendered.contains("body")) out["body"] = rendered["body"];
  if (!request.body_file.empty()) out["body_file"] = request.body_file;
  const bool from_base64 = HasKey(rendered, "body_base64") && rendered["body_base64"].is_string();
  if (from_base64) out["body_base64"] = rendered["body_base64"];
  out["base_url"] = std::string(base_url);
  out["full_url"] = request.url;
  out["raw_url"] = std::string(raw_url);

  const bool multipart = !request.multipart_boundary.empty();
  std::string curl = "curl -X " + request.method + " " + ShellQuote(request.url);
  for (const auto& [name, value] : request.headers) {
    // curl -F writes its own multipart Content-Type with its own boundary.
    if (multipart && ToLower(name) == "content-type") continue;
    curl += " -H " + ShellQuote(name + ": " + value);
  }
  std::string body_text;
  if (multipart) {
    for (const MultipartPart& part : request.multipart) {
      body_text += MultipartPartHead(part, request.multipart_boundary);
      if (part.IsFile()) {
        body_text += "<contents of " + part.file_path + ">";
        std::string form =
            "@" + CurlFormWord(part.file_path) + ";filename=" + CurlFormWord(part.filename);
        if (!part.content_type.empty()) form += ";type=" + part.content_type;
        curl += " -F " + ShellQuote(part.name + "=" + form);
      } else {
        body_text += part.value;
        if (part.content_type.empty()) {
          curl += " --form-string " + ShellQuote(part.name + "=" + part.value);
        } else {
          curl += " -F " + ShellQuote(part.name + "=" + CurlFormWord(part.value) +
                                      ";type=" + part.content_type);
        }
      }
      body_text += "\r\n";
    }
    body_text += MultipartTail(request.multipart_boundary);
  } else if (!request.body_file.empty()) {
    body_text = "<contents of " + request.body_file + ">";
    curl += " --data-binary " + ShellQuote("@" + request.body_file);
  } else if (from_base64) {
    body_text = "<" + std::to_string(request.body.size()) + " bytes from body_base64>";
    std::string encoded = rendered["body_base64"].get<std::string>();
    encoded.erase(
        std::remove_if(encoded.begin(), encoded.end(),
                       [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }),
        encoded.end());
    curl = "printf %s " + ShellQuote(encoded) + " | base64 -d | " + curl + " --data-binary @-";
  } else {
    body_text = request.body;
    if (!request.body.empty()) curl += " --data-raw " + ShellQuote(request.body);
  }
  out["curl_command"] = curl;

  std::string path = request.url;
  std::string host;
  if (const std::size_t scheme = path.find("://"); scheme != std::string::npos) {
    const std::size_t slash = path.find('/', scheme + 3);
    host = path.substr(scheme + 3, slash == std::string::npos ? std::string::npos : slash - scheme - 3);
    path = slash == std::string::npos ? "/" : path.substr(slash);
  }
  std::string raw = request.method + " " + path + " HTTP/1.1\r\nHost: " + host + "\r\n";
  for (const auto& [name, value] : request.headers) raw += name + ": " + value + "\r\n";
  raw += "\r\n" + body_text;
  out["raw_request"] = raw;
  return out;
}

Value DescribeResponse(const HttpResponse& response, const Value& headers, const Value& body,
                       std::int64_t started_at_ms) {
  Value out = Value::object();
  out["status_code"] = response.status_code;
  out["headers"] = headers;
  out["body"] = body;
  out["size_bytes"] = response.size_bytes;
  std::string raw = "HTTP/" + (response.http_version.empty() ? std::string("1.1") : response.http_version) +
                    " " + std::to_string(response.status_code) + "\r\n";
  for (const auto& [name, value] : response.headers) raw += name + ": " + value + "\r\n";
  raw += "\r\n" + response.body;
  out["raw_response"] = raw;
  const HttpTimings& t = response.timings;
  out["timing"] = {
      {"dns_ms", t.dns_ms},
      {"connect_ms", t.connect_ms},
      {"tls_ms", t.tls_ms},
      {"time_to_first_byte_ms", t.first_byte_ms},
      {"content_download_ms", t.download_ms},
      {"total_ms", t.total_ms},
      {"started_at", started_at_ms},
      {"completed_at", started_at_ms + static_cast<std::int64_t>(t.total_ms)},
  };
  return out;
}

}  // namespace flow::core
