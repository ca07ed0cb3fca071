#include "adapters/http_curl/curl_http_client.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <atomic>
#include <climits>
#include <cstdint>
#include <cstdlib>
#include <mutex>
#include <new>
#include <optional>
#include <string_view>
#include <utility>

#include "adapters/http_curl/body_stream.hpp"
#include "adapters/http_curl/curl_helpers.hpp"
#include "core/check.hpp"

namespace flow::adapters {
namespace {

using core::Error;
using core::HttpRequest;
using core::HttpResponse;
using core::Result;

// libcurl's global state must be set up once, before any handle, and not concurrently.
bool InitCurlOnce() {
  static std::once_flag once;
  static bool ok = false;
  std::call_once(once, [] { ok = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK; });
  return ok;
}

struct EasyDeleter {
  void operator()(CURL* easy) const { curl_easy_cleanup(easy); }
};
struct MultiDeleter {
  void operator()(CURLM* multi) const { curl_multi_cleanup(multi); }
};
struct SlistDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
using Slist = std::unique_ptr<curl_slist, SlistDeleter>;

Error WithReason(Error error, std::string reason) {
  error.reason = std::move(reason);
  return error;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           const auto lower = [](char c) {
             return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
           };
           return lower(x) == lower(y);
         });
}

bool HasHttpScheme(std::string_view url) {
  const auto starts = [&](std::string_view prefix) {
    return url.size() > prefix.size() && EqualsIgnoreCase(url.substr(0, prefix.size()), prefix);
  };
  return starts("http://") || starts("https://");
}

// Where the callbacks put what a transfer receives. One per Send().
struct Transfer {
  std::string body;
  curl_detail::HeaderCollector head;
  std::size_t max_body = 0;
  bool reserved = false;  // body capacity set from the current response's Content-Length
  bool too_large = false;
  bool out_of_memory = false;
  const std::atomic<bool>* cancel = nullptr;
  std::optional<BodyStream> upload;   // a body_file or multipart body, read as it is sent
  std::optional<Error> upload_error;  // why reading it stopped the transfer
};

// C callbacks: nothing may throw through libcurl.
std::size_t OnBody(char* data, std::size_t size, std::size_t count, void* user) noexcept {
  auto* transfer = static_cast<Transfer*>(user);
  const std::size_t bytes = size * count;
  if (bytes > transfer->max_body - std::min(transfer->max_body, transfer->body.size())) {
    transfer->too_large = true;
    return 0;  // makes curl stop with CURLE_WRITE_ERROR
  }
  try {
    transfer->body.append(data, bytes);
  } catch (...) {
    transfer->out_of_memory = true;
    return 0;
  }
  return bytes;
}

std::size_t OnHeader(char* data, std::size_t size, std::size_t count, void* user) noexcept {
  auto* transfer = static_cast<Transfer*>(user);
  const std::size_t bytes = size * count;
  try {
    const int responses = transfer->head.responses();
    transfer->head.Feed(std::string_view(data, bytes));
    if (transfer->head.responses() != responses) {  // a new response starts: its body follows
      transfer->body.clear();
      transfer->reserved = false;
    }
    if (!transfer->reserved && transfer->head.content_length()) {
      // Decoded bodies can be larger; this only saves the early reallocations.
      constexpr std::size_t kMaxReserve = std::size_t{16} << 20;
      transfer->body.reserve(
          std::min({*transfer->head.content_length(), transfer->max_body, kMaxReserve}));
      transfer->reserved = true;
    }
  } catch (...) {
    transfer->out_of_memory = true;
    return 0;
  }
  return bytes;
}

std::size_t OnRead(char* buffer, std::size_t size, std::size_t count, void* user) noexcept {
  auto* transfer = static_cast<Transfer*>(user);
  try {
    Result<std::size_t> read = transfer->upload->Read(buffer, size * count);
    if (read) return *read;
    transfer->upload_error = std::move(read).error();
  } catch (...) {
    transfer->out_of_memory = true;
  }
  return CURL_READFUNC_ABORT;
}

int OnSeek(void* user, curl_off_t offset, int origin) noexcept {
  auto* transfer = static_cast<Transfer*>(user);
  if (origin != SEEK_SET || offset < 0) return CURL_SEEKFUNC_CANTSEEK;
  return transfer->upload->Seek(static_cast<std::uint64_t>(offset)) ? CURL_SEEKFUNC_OK
                                                                    : CURL_SEEKFUNC_FAIL;
}

int OnProgress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) noexcept {
  const auto* transfer = static_cast<const Transfer*>(user);
  return transfer->cancel != nullptr && transfer->cancel->load(std::memory_order_relaxed) ? 1 : 0;
}

// Host and port (the scheme's default when absent) of `url`, for error messages.
void FindHostPort(const char* url, curl_detail::FailureContext& context) {
  if (url == nullptr || *url == '\0') return;
  CURLU* parsed = curl_url();
  if (parsed == nullptr) return;
  if (curl_url_set(parsed, CURLUPART_URL, url, 0) == CURLUE_OK) {
    char* part = nullptr;
    if (curl_url_get(parsed, CURLUPART_HOST, &part, 0) == CURLUE_OK) context.host = part;
    curl_free(part);
    part = nullptr;
    if (curl_url_get(parsed, CURLUPART_PORT, &part, CURLU_DEFAULT_PORT) == CURLUE_OK) {
      context.port = std::strtol(part, nullptr, 10);
    }
    curl_free(part);
  }
  curl_url_cleanup(parsed);
}

Error Cancelled() { return WithReason(core::Unavailable("request cancelled"), "cancelled"); }

long ClampToLong(long long value) { return value > LONG_MAX ? LONG_MAX : static_cast<long>(value); }

}  // namespace

struct CurlHttpClient::State {
  explicit State(CurlOptions opts) : options(std::move(opts)) {
    if (!InitCurlOnce()) return;
    multi.reset(curl_multi_init());
    easy.reset(curl_easy_init());
    if (multi && options.max_connections > 0) {
      curl_multi_setopt(multi.get(), CURLMOPT_MAXCONNECTS, options.max_connections);
    }
  }

  Result<HttpResponse> Send(const HttpRequest& request);
  Result<void> Configure(const HttpRequest& request, const std::string& method, Transfer& transfer);
  Result<void> BuildHeaders(const HttpRequest& request, bool sends_body);
  Error Failure(CURLcode code, const HttpRequest& request, const Transfer& transfer,
                double elapsed_ms);

  CurlOptions options;
  // The multi handle owns the connection and DNS caches that outlive each transfer; declared
  // before `easy` so that the easy handle is cleaned up first.
  std::unique_ptr<CURLM, MultiDeleter> multi;
  std::unique_ptr<CURL, EasyDeleter> easy;
  // The header list of the last request, kept while the next request has the same headers.
  Slist header_list;
  core::HeaderList header_list_source;
  Slist connect_to_list;  // CURLOPT_CONNECT_TO rules, rebuilt only when they change
  std::vector<std::string> connect_to_source;
  bool header_list_sends_body = false;
  bool header_list_valid = false;
  std::string line;             // scratch buffer for one header line
  long connect_timeout_ms = 0;  // given to curl for the current request; 0: none
  long last_new_connections = 0;
  char error_buffer[CURL_ERROR_SIZE] = {};
};

Result<void> CurlHttpClient::State::BuildHeaders(const HttpRequest& request, bool sends_body) {
  if (header_list_valid && header_list_sends_body == sends_body &&
      header_list_source == request.headers) {
    return core::Ok();
  }
  header_list_valid = false;
  header_list.reset();
  Slist list;
  const auto append = [&](const char* text) -> bool {
    curl_slist* next = curl_slist_append(list.get(), text);
    if (next == nullptr) return false;  // the old list is still intact and owned
    (void)list.release();
    list.reset(next);
    return true;
  };
  bool has_accept = false;
  bool has_expect = false;
  bool has_content_type = false;
  for (const auto& [name, value] : request.headers) {
    FLOW_TRY_VOID(curl_detail::FormatRequestHeader(name, value, line));
    if (!append(line.c_str())) return core::Unavailable("out of memory building headers");
    has_accept = has_accept || EqualsIgnoreCase(name, "accept");
    has_expect = has_expect || EqualsIgnoreCase(name, "expect");
    has_content_type = has_content_type || EqualsIgnoreCase(name, "content-type");
  }
  // "Name:" removes a header curl would add by itself.
  if ((!has_accept && !append("Accept:")) || (!has_expect && !append("Expect:")) ||
      (sends_body && !has_content_type && !append("Content-Type:"))) {
    return core::Unavailable("out of memory building headers");
  }
  header_list = std::move(list);
  header_list_source = request.headers;
  header_list_sends_body = sends_body;
  header_list_valid = true;
  return core::Ok();
}

Result<void> CurlHttpClient::State::Configure(const HttpRequest& request, const std::string& method,
                                              Transfer& transfer) {
  CURL* handle = easy.get();
  // Reset forgets every option of the previous request but keeps the connection cache (in
  // the multi handle) and the TLS session cache.
  curl_easy_reset(handle);
  error_buffer[0] = '\0';

  CURLcode rc = CURLE_OK;
  const auto set = [&](CURLoption option, auto value) {
    if (rc == CURLE_OK) rc = curl_easy_setopt(handle, option, value);
  };

  // Method and body. The body pointer stays valid: `request` outlives the transfer.
  bool sends_body = false;
  if (method == "HEAD") {
    set(CURLOPT_NOBODY, 1L);  // do not wait for a body
  } else if (method == "GET" && !core::HasBody(request)) {
    set(CURLOPT_HTTPGET, 1L);
  } else {
    if (BodyStream::IsNeeded(request)) {
      // Files are opened before anything is sent: a missing one fails the request at once.
      Result<BodyStream> upload = BodyStream::Open(request);
      if (!upload) return std::move(upload).error();
      transfer.upload.emplace(std::move(*upload));
    }
    if (method == "POST" || transfer.upload) set(CURLOPT_POST, 1L);
    if (method != "POST") set(CURLOPT_CUSTOMREQUEST, method.c_str());
    sends_body = core::HasBody(request) || method == "POST" || method == "PUT" || method == "PATCH";
    if (transfer.upload) {
      set(CURLOPT_READFUNCTION, &OnRead);
      set(CURLOPT_READDATA, static_cast<void*>(&transfer));
      set(CURLOPT_SEEKFUNCTION, &OnSeek);
      set(CURLOPT_SEEKDATA, static_cast<void*>(&transfer));
      set(CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(transfer.upload->size()));
    } else if (sends_body) {
      set(CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
      set(CURLOPT_POSTFIELDS, request.body.data());
    }
  }
  FLOW_TRY_VOID(BuildHeaders(request, sends_body));

  set(CURLOPT_URL, request.url.c_str());
  set(CURLOPT_PROTOCOLS_STR, "http,https");
  set(CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  set(CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_2TLS));
  set(CURLOPT_NOSIGNAL, 1L);
  set(CURLOPT_TCP_KEEPALIVE, 1L);
  set(CURLOPT_SUPPRESS_CONNECT_HEADERS, 1L);
  set(CURLOPT_ERRORBUFFER, error_buffer);
  set(CURLOPT_VERBOSE, options.verbose ? 1L : 0L);
  set(CURLOPT_ACCEPT_ENCODING, "");  // advertise and decode every encoding curl supports
  if (!options.user_agent.empty()) set(CURLOPT_USERAGENT, options.user_agent.c_str());
  if (!options.proxy.empty()) set(CURLOPT_PROXY, options.proxy.c_str());
  set(CURLOPT_HTTPHEADER, header_list.get());
  if (request.connect_to != connect_to_source || (!request.connect_to.empty() && !connect_to_list)) {
    connect_to_list.reset();
    connect_to_source.clear();
    for (const std::string& rule : request.connect_to) {
      curl_slist* next = curl_slist_append(connect_to_list.get(), rule.c_str());
      if (next == nullptr) return core::Unavailable("out of memory building connect-to rules");
      (void)connect_to_list.release();
      connect_to_list.reset(next);
    }
    connect_to_source = request.connect_to;
  }
  if (connect_to_list) set(CURLOPT_CONNECT_TO, connect_to_list.get());

  set(CURLOPT_WRITEFUNCTION, &OnBody);
  set(CURLOPT_WRITEDATA, static_cast<void*>(&transfer));
  set(CURLOPT_HEADERFUNCTION, &OnHeader);
  set(CURLOPT_HEADERDATA, static_cast<void*>(&transfer));
  set(CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(options.max_body_bytes));
  if (request.cancel != nullptr) {
    set(CURLOPT_XFERINFOFUNCTION, &OnProgress);
    set(CURLOPT_XFERINFODATA, static_cast<void*>(&transfer));
    set(CURLOPT_NOPROGRESS, 0L);
  }

  set(CURLOPT_FOLLOWLOCATION, request.follow_redirects ? 1L : 0L);
  set(CURLOPT_MAXREDIRS, static_cast<long>(std::max(0, request.max_redirects)));

  const long timeout_ms = request.timeout.count() > 0 ? ClampToLong(request.timeout.count()) : 0;
  const long connect_ms = ClampToLong(options.connect_timeout.count());
  connect_timeout_ms =
      connect_ms > 0 && (timeout_ms == 0 || connect_ms < timeout_ms) ? connect_ms : 0;
  set(CURLOPT_TIMEOUT_MS, timeout_ms);
  set(CURLOPT_CONNECTTIMEOUT_MS, connect_timeout_ms);

  const core::TlsOptions& tls = request.tls;
  set(CURLOPT_SSL_VERIFYPEER, tls.verify ? 1L : 0L);
  set(CURLOPT_SSL_VERIFYHOST, tls.verify ? 2L : 0L);
  if (!tls.ca_path.empty()) set(CURLOPT_CAINFO, tls.ca_path.c_str());
  if (!tls.pfx_path.empty()) {
    if (!tls.cert_path.empty() || !tls.key_path.empty()) {
      return core::InvalidArgument("certificate has both pfx_path and cert_path/key_path",
                                   "give either a pfx_path or a cert_path with its key_path");
    }
    set(CURLOPT_SSLCERT, tls.pfx_path.c_str());
    set(CURLOPT_SSLCERTTYPE, "P12");
  } else if (!tls.cert_path.empty()) {
    set(CURLOPT_SSLCERT, tls.cert_path.c_str());
    set(CURLOPT_SSLCERTTYPE, "PEM");
    if (!tls.key_path.empty()) {
      set(CURLOPT_SSLKEY, tls.key_path.c_str());
      set(CURLOPT_SSLKEYTYPE, "PEM");
    }
  } else if (!tls.key_path.empty()) {
    return core::InvalidArgument("certificate has a key_path but no cert_path");
  }
  if (!tls.passphrase.empty()) set(CURLOPT_KEYPASSWD, tls.passphrase.c_str());
  const Result<long> min_version = curl_detail::ParseTlsVersion(tls.min_version, false);
  if (!min_version) return min_version.error();
  const Result<long> max_version = curl_detail::ParseTlsVersion(tls.max_version, true);
  if (!max_version) return max_version.error();
  // CURL_SSLVERSION_MAX_x is CURL_SSLVERSION_x << 16.
  if (*min_version != CURL_SSLVERSION_DEFAULT && *max_version != CURL_SSLVERSION_MAX_DEFAULT &&
      *min_version > (*max_version >> 16)) {
    return core::InvalidArgument("tls min_version '" + tls.min_version +
                                 "' is above max_version '" + tls.max_version + "'");
  }
  set(CURLOPT_SSLVERSION, *min_version | *max_version);

  if (rc != CURLE_OK) {
    return WithReason(core::Unavailable(std::string("could not configure the request: ") +
                                        curl_easy_strerror(rc)),
                      "network");
  }
  return core::Ok();
}

Error CurlHttpClient::State::Failure(CURLcode code, const HttpRequest& request,
                                     const Transfer& transfer, double elapsed_ms) {
  curl_detail::FailureContext context;
  char* url = nullptr;
  curl_easy_getinfo(easy.get(), CURLINFO_EFFECTIVE_URL, &url);
  context.url = url != nullptr && *url != '\0' ? std::string(url) : request.url;
  FindHostPort(context.url.c_str(), context);
  context.detail = error_buffer;
  curl_easy_getinfo(easy.get(), CURLINFO_OS_ERRNO, &context.os_errno);
  context.timeout = request.timeout.count() > 0 ? request.timeout : std::chrono::milliseconds(0);
  context.connect_timeout = std::chrono::milliseconds(connect_timeout_ms);
  context.elapsed_ms = elapsed_ms;
  context.max_redirects = request.max_redirects;
  context.max_body_bytes = options.max_body_bytes;
  context.body_too_large = transfer.too_large;
  context.cancelled =
      code == CURLE_ABORTED_BY_CALLBACK && request.cancel != nullptr && request.cancel->load();
  if (transfer.upload_error) return *transfer.upload_error;
  if (transfer.out_of_memory) {
    return WithReason(core::Unavailable("out of memory receiving the response"), "network");
  }
  return curl_detail::MapCurlError(code, context);
}

Result<HttpResponse> CurlHttpClient::State::Send(const HttpRequest& request) {
  if (!multi || !easy) {
    return WithReason(core::Unavailable("could not initialise libcurl"), "network");
  }
  if (request.cancel != nullptr && request.cancel->load()) return Cancelled();
  if (!HasHttpScheme(request.url)) {
    return WithReason(core::InvalidArgument("invalid url '" + request.url + "'",
                                            "use an absolute http:// or https:// url"),
                      "url");
  }
  const Result<std::string> method = curl_detail::NormalizeMethod(request.method);
  if (!method) return method.error();

  Transfer transfer;
  transfer.max_body = options.max_body_bytes;
  transfer.cancel = request.cancel;
  FLOW_TRY_VOID(Configure(request, *method, transfer));

  const auto started = std::chrono::steady_clock::now();
  CURLM* multi_handle = multi.get();
  CURL* handle = easy.get();
  CURLMcode multi_rc = curl_multi_add_handle(multi_handle, handle);
  if (multi_rc != CURLM_OK) {
    return WithReason(core::Unavailable(std::string("curl: ") + curl_multi_strerror(multi_rc)),
                      "network");
  }
  struct Remove {  // the handle leaves the multi handle whatever happens below
    CURLM* multi;
    CURL* easy;
    ~Remove() { curl_multi_remove_handle(multi, easy); }
  } remove{multi_handle, handle};

  // Our own loop instead of curl_easy_perform: the same work, but a cancel is noticed within
  // 50 ms even while the server sends nothing (the progress callback alone runs about once a
  // second then).
  bool cancelled = false;
  for (;;) {
    int running = 0;
    multi_rc = curl_multi_perform(multi_handle, &running);
    if (multi_rc != CURLM_OK || running == 0) break;
    if (request.cancel != nullptr && request.cancel->load()) {
      cancelled = true;
      break;
    }
    multi_rc =
        curl_multi_poll(multi_handle, nullptr, 0, request.cancel != nullptr ? 50 : 1000, nullptr);
    if (multi_rc != CURLM_OK) break;
  }
  const double elapsed_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();

  CURLcode code = CURLE_OK;
  bool done = false;
  int queued = 0;
  while (CURLMsg* message = curl_multi_info_read(multi_handle, &queued)) {
    if (message->msg == CURLMSG_DONE && message->easy_handle == handle) {
      code = message->data.result;
      done = true;
    }
  }
  long new_connections = 0;
  curl_easy_getinfo(handle, CURLINFO_NUM_CONNECTS, &new_connections);
  last_new_connections = new_connections;

  if (cancelled) return Cancelled();
  if (multi_rc != CURLM_OK) {
    return WithReason(core::Unavailable(std::string("curl: ") + curl_multi_strerror(multi_rc)),
                      "network");
  }
  if (!done) return WithReason(core::Unavailable("transfer ended without a result"), "network");
  if (code != CURLE_OK) return Failure(code, request, transfer, elapsed_ms);

  HttpResponse response;
  long status = 0;
  long version = 0;
  long redirects = 0;
  char* effective_url = nullptr;
  curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &status);
  curl_easy_getinfo(handle, CURLINFO_HTTP_VERSION, &version);
  curl_easy_getinfo(handle, CURLINFO_REDIRECT_COUNT, &redirects);
  curl_easy_getinfo(handle, CURLINFO_EFFECTIVE_URL, &effective_url);
  curl_detail::CurlTimes times;
  curl_easy_getinfo(handle, CURLINFO_NAMELOOKUP_TIME_T, &times.namelookup_us);
  curl_easy_getinfo(handle, CURLINFO_CONNECT_TIME_T, &times.connect_us);
  curl_easy_getinfo(handle, CURLINFO_APPCONNECT_TIME_T, &times.appconnect_us);
  curl_easy_getinfo(handle, CURLINFO_PRETRANSFER_TIME_T, &times.pretransfer_us);
  curl_easy_getinfo(handle, CURLINFO_STARTTRANSFER_TIME_T, &times.starttransfer_us);
  curl_easy_getinfo(handle, CURLINFO_TOTAL_TIME_T, &times.total_us);
  times.new_connections = new_connections;

  response.status_code = static_cast<int>(status);
  response.http_version = std::string(curl_detail::HttpVersionName(version));
  response.headers = transfer.head.TakeHeaders();
  response.body = std::move(transfer.body);
  response.size_bytes = response.body.size();
  response.effective_url = effective_url != nullptr ? effective_url : request.url;
  response.redirect_count = static_cast<int>(redirects);
  response.timings = curl_detail::ComputeTimings(times);
  return response;
}

CurlHttpClient::CurlHttpClient(CurlOptions options)
    : state_(std::make_unique<State>(std::move(options))) {}

CurlHttpClient::~CurlHttpClient() = default;
CurlHttpClient::CurlHttpClient(CurlHttpClient&&) noexcept = default;
CurlHttpClient& CurlHttpClient::operator=(CurlHttpClient&&) noexcept = default;

Result<HttpResponse> CurlHttpClient::Send(const HttpRequest& request) {
  FLOW_CHECK(state_ != nullptr);  // a moved-from client
  try {
    return state_->Send(request);
  } catch (const std::bad_alloc&) {
    return WithReason(core::Unavailable("out of memory sending the request"), "network");
  } catch (const std::exception& error) {
    return core::Internal(std::string("http client: ") + error.what());
  }
}

long CurlHttpClient::last_new_connections() const {
  FLOW_CHECK(state_ != nullptr);
  return state_->last_new_connections;
}

}  // namespace flow::adapters
