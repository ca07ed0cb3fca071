#include "core/run/http_exchange.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>

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
  const bool own_certificate = rendered.contains("certificate") && !rendered["certificate"].is_null();
  Result<TlsOptions> tls =
      ParseCertificate(own_certificate ? rendered["certificate"] : defaults.certificate,
                       defaults.verify_tls);
  if (!tls) {
    Error e = std::move(tls).error();
    e.pointer = (own_certificate ? "/certificate" : "") + e.pointer;
    return e;
  }
  request.tls = std::move(*tls);

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

  std::optional<std::string> content_type;
  bool has_accept = false;
  bool has_user_agent = false;
  if (rendered.contains("headers") && rendered["headers"].is_object()) {
    for (auto it = rendered["headers"].begin(); it != rendered["headers"].end(); ++it) {
      if (it.value().is_null()) continue;
      std::string text = HeaderText(it.value());
      // The original engine drops headers whose value is empty; so do we.
      if (text.empty()) continue;
      const std::string lower = ToLower(it.key());
      if (lower == "content-type") content_type = text;
      if (lower == "accept") has_accept = true;
      if (lower == "user-agent") has_user_agent = true;
      request.headers.emplace_back(it.key(), std::move(text));
    }
  }
  if (!has_accept) request.headers.emplace_back("Accept", "application/json, text/plain, */*");
  if (!has_user_agent && !defaults.user_agent.empty()) {
    request.headers.emplace_back("User-Agent", defaults.user_agent);
  }

  if (rendered.contains("body") && !rendered["body"].is_null() && request.method != "GET" &&
      request.method != "HEAD") {
    const Value& body = rendered["body"];
    const std::string ct = content_type ? ToLower(*content_type) : "";
    if (body.is_object() || body.is_array()) {
      if (body.is_object() && ct.find("application/x-www-form-urlencoded") != std::string::npos) {
        request.body = EncodeForm(body);
      } else if (ct.find("multipart/form-data") != std::string::npos) {
        Error e = InvalidArgument("multipart/form-data bodies are not supported yet");
        e.reason = "not-supported";
        e.pointer = "/body";
        return e;
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
  } else if (rendered.contains("body") && !rendered["body"].is_null()) {
    // A body on GET/HEAD is legal HTTP but unusual; send it as written, like the original.
    const Value& body = rendered["body"];
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
  out["base_url"] = std::string(base_url);
  out["full_url"] = request.url;
  out["raw_url"] = std::string(raw_url);

  std::string curl = "curl -X " + request.method + " " + ShellQuote(request.url);
  for (const auto& [name, value] : request.headers) curl += " -H " + ShellQuote(name + ": " + value);
  if (!request.body.empty()) curl += " --data-raw " + ShellQuote(request.body);
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
  raw += "\r\n" + request.body;
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
