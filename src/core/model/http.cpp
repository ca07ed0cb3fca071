#include "core/model/http.hpp"

#include <algorithm>
#include <cctype>

#include "core/util/strings.hpp"

namespace flow::core {
namespace {

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

// A name or filename inside a quoted Content-Disposition parameter, escaped as the HTML
// standard's multipart/form-data encoding does.
void AppendDispositionText(std::string& out, std::string_view text) {
  for (const char c : text) {
    if (c == '"') {
      out += "%22";
    } else if (c == '\r') {
      out += "%0D";
    } else if (c == '\n') {
      out += "%0A";
    } else {
      out += c;
    }
  }
}

// A host without IPv6 brackets and a trailing dot, lower-cased.
std::string CanonicalHost(std::string_view host) {
  host = Trim(host);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  if (!host.empty() && host.back() == '.') host.remove_suffix(1);
  return ToLower(host);
}

bool IsHostNameChar(char c) {
  const auto u = static_cast<unsigned char>(c);
  return std::isalnum(u) || c == '-' || c == '_';
}

}  // namespace

bool IsHttpMethod(std::string_view method) {
  for (const std::string_view known : kHttpMethods) {
    if (known == method) return true;
  }
  return false;
}

std::optional<std::string> FindHeader(const HeaderList& headers, std::string_view name) {
  const std::string wanted = ToLower(name);
  std::optional<std::string> out;
  for (const auto& [key, value] : headers) {
    if (ToLower(key) != wanted) continue;
    if (out) {
      out->append(", ").append(value);
    } else {
      out = value;
    }
  }
  return out;
}

std::vector<std::string> FindHeaderValues(const HeaderList& headers, std::string_view name) {
  std::vector<std::string> out;
  for (const auto& [key, value] : headers) {
    if (EqualsIgnoreCase(key, name)) out.push_back(value);
  }
  return out;
}

bool HasBody(const HttpRequest& request) {
  return !request.body.empty() || !request.body_file.empty() || !request.multipart_boundary.empty();
}

std::string MultipartPartHead(const MultipartPart& part, std::string_view boundary) {
  std::string out = "--";
  out.append(boundary).append("\r\nContent-Disposition: form-data; name=\"");
  AppendDispositionText(out, part.name);
  out += '"';
  if (part.IsFile()) {
    out += "; filename=\"";
    AppendDispositionText(out, part.filename);
    out += '"';
  }
  out += "\r\n";
  if (!part.content_type.empty()) out.append("Content-Type: ").append(part.content_type) += "\r\n";
  out += "\r\n";
  return out;
}

std::string MultipartTail(std::string_view boundary) {
  return "--" + std::string(boundary) + "--\r\n";
}

std::string_view MediaTypeForPath(std::string_view path) {
  struct Known {
    std::string_view extension;
    std::string_view type;
  };
  static constexpr Known kKnown[] = {
      {"txt", "text/plain"},        {"text", "text/plain"},       {"log", "text/plain"},
      {"md", "text/markdown"},      {"html", "text/html"},        {"htm", "text/html"},
      {"css", "text/css"},          {"csv", "text/csv"},          {"js", "text/javascript"},
      {"mjs", "text/javascript"},   {"json", "application/json"}, {"xml", "application/xml"},
      {"yaml", "application/yaml"}, {"yml", "application/yaml"},  {"pdf", "application/pdf"},
      {"zip", "application/zip"},   {"gz", "application/gzip"},   {"tgz", "application/gzip"},
      {"tar", "application/x-tar"}, {"wasm", "application/wasm"}, {"png", "image/png"},
      {"jpg", "image/jpeg"},        {"jpeg", "image/jpeg"},       {"gif", "image/gif"},
      {"webp", "image/webp"},       {"svg", "image/svg+xml"},     {"ico", "image/x-icon"},
      {"bmp", "image/bmp"},         {"tif", "image/tiff"},        {"tiff", "image/tiff"},
      {"mp3", "audio/mpeg"},        {"wav", "audio/wav"},         {"ogg", "audio/ogg"},
      {"mp4", "video/mp4"},         {"webm", "video/webm"},       {"woff", "font/woff"},
      {"woff2", "font/woff2"},
  };
  const std::size_t slash = path.find_last_of('/');
  const std::string_view base = slash == std::string_view::npos ? path : path.substr(slash + 1);
  const std::size_t dot = base.find_last_of('.');
  if (dot != std::string_view::npos && dot + 1 < base.size()) {
    const std::string_view extension = base.substr(dot + 1);
    for (const Known& known : kKnown) {
      if (EqualsIgnoreCase(known.extension, extension)) return known.type;
    }
  }
  return "application/octet-stream";
}

UrlParts SplitUrl(std::string_view url) {
  UrlParts out;
  url = Trim(url);
  const std::size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos || scheme_end == 0) return out;
  for (const char c : url.substr(0, scheme_end)) {
    const auto u = static_cast<unsigned char>(c);
    if (!std::isalnum(u) && c != '+' && c != '-' && c != '.') return out;
  }
  out.scheme = ToLower(url.substr(0, scheme_end));
  std::string_view rest = url.substr(scheme_end + 3);
  const std::size_t authority_end = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, authority_end);
  rest = authority_end == std::string_view::npos ? std::string_view() : rest.substr(authority_end);
  if (const std::size_t at = authority.rfind('@'); at != std::string_view::npos) {
    authority.remove_prefix(at + 1);
  }
  std::string_view port_text;
  if (!authority.empty() && authority.front() == '[') {
    const std::size_t close = authority.find(']');
    const std::size_t host_end = close == std::string_view::npos ? authority.size() : close + 1;
    out.host = ToLower(authority.substr(0, host_end));
    if (host_end < authority.size() && authority[host_end] == ':') {
      port_text = authority.substr(host_end + 1);
    }
  } else {
    const std::size_t colon = authority.rfind(':');
    out.host = ToLower(authority.substr(0, colon));
    if (colon != std::string_view::npos) port_text = authority.substr(colon + 1);
  }
  out.port = out.scheme == "http" ? 80 : out.scheme == "https" ? 443 : 0;
  if (!port_text.empty() && port_text.size() <= 5) {
    int port = 0;
    bool digits = true;
    for (const char c : port_text) {
      if (c < '0' || c > '9') digits = false;
      port = port * 10 + (c - '0');
    }
    if (digits) out.port = port;
  }
  const std::size_t hash = rest.find('#');
  if (hash != std::string_view::npos) rest = rest.substr(0, hash);
  const std::size_t question = rest.find('?');
  out.path = std::string(rest.substr(0, question));
  if (out.path.empty()) out.path = "/";
  if (question != std::string_view::npos) out.query = std::string(rest.substr(question + 1));
  return out;
}

bool MatchesDomainPattern(std::string_view pattern, std::string_view host) {
  const std::string wanted = CanonicalHost(pattern);
  const std::string name = CanonicalHost(host);
  if (wanted.empty() || name.empty()) return false;
  if (StartsWith(wanted, "*.")) {
    const std::string_view suffix = std::string_view(wanted).substr(1);  // ".example.com"
    if (name.size() <= suffix.size() || !EndsWith(name, suffix)) return false;
    const std::string_view label = std::string_view(name).substr(0, name.size() - suffix.size());
    return label.find('.') == std::string_view::npos;
  }
  return wanted == name;
}

Result<void> CheckDomainPattern(std::string_view pattern) {
  const std::string quoted = "'" + std::string(pattern) + "'";
  std::string_view text = Trim(pattern);
  if (text.empty()) return InvalidArgument("a domain must not be empty");
  if (text.find("://") != std::string_view::npos) {
    return InvalidArgument("domain " + quoted + " is a url, not a host name",
                           "write only the host, e.g. 'api.example.com' or '*.example.com'");
  }
  const bool ipv6 = text.front() == '[' || (std::count(text.begin(), text.end(), ':') >= 2 &&
                                            text.find_first_of("/*") == std::string_view::npos);
  if (ipv6) {
    // An IPv6 address: hex digits, ':' and '.', in optional brackets.
    if (text.front() == '[') {
      if (text.back() != ']') return InvalidArgument("domain " + quoted + " has no closing ']'");
      text = text.substr(1, text.size() - 2);
    }
    if (text.empty()) return InvalidArgument("domain " + quoted + " is an empty address");
    for (const char c : text) {
      if (!std::isxdigit(static_cast<unsigned char>(c)) && c != ':' && c != '.') {
        return InvalidArgument("domain " + quoted + " is neither a host name nor an IPv6 address",
                               "a domain has no port or path");
      }
    }
    return Ok();
  }
  if (StartsWith(text, "*.")) text.remove_prefix(2);
  if (!text.empty() && text.back() == '.') text.remove_suffix(1);
  if (text.find('*') != std::string_view::npos) {
    return InvalidArgument("domain " + quoted + " has a '*' that is not the whole first label",
                           "a wildcard is written '*.example.com' and matches one label");
  }
  if (text.empty()) return InvalidArgument("domain " + quoted + " names no host");
  for (const std::string& label : Split(text, '.')) {
    if (label.empty()) return InvalidArgument("domain " + quoted + " has an empty label");
  }
  for (const char c : text) {
    if (c == '.' || IsHostNameChar(c)) continue;
    if (c == ':' || c == '/') {
      return InvalidArgument("domain " + quoted + " has a port or a path",
                             "write only the host, e.g. 'api.example.com'");
    }
    return InvalidArgument("domain " + quoted + " has an invalid character '" + std::string(1, c) +
                           "'");
  }
  return Ok();
}

std::optional<Value> CertificateForHost(const std::vector<DomainCertificate>& certificates,
                                        std::string_view host) {
  for (const DomainCertificate& entry : certificates) {
    for (const std::string& pattern : entry.domains) {
      if (MatchesDomainPattern(pattern, host)) return entry.certificate;
    }
  }
  return std::nullopt;
}

}  // namespace flow::core
