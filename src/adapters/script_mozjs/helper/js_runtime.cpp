#include "adapters/script_mozjs/helper/js_runtime.hpp"

#include <js/Array.h>
#include <js/CharacterEncoding.h>
#include <js/CompilationAndEvaluation.h>
#include <js/CompileOptions.h>
#include <js/ContextOptions.h>
#include <js/Conversions.h>
#include <js/ErrorReport.h>
#include <js/Exception.h>
#include <js/GCAPI.h>
#include <js/Initialization.h>
#include <js/Interrupt.h>
#include <js/JSON.h>
#include <js/Principals.h>
#include <js/Promise.h>
#include <js/PropertyAndElement.h>
#include <js/PropertyDescriptor.h>
#include <js/RealmOptions.h>
#include <js/SavedFrameAPI.h>
#include <js/SourceText.h>
#include <js/String.h>
#include <js/Warnings.h>
#include <js/experimental/JSStencil.h>
#include <jsapi.h>
#include <jsfriendapi.h>
#include <malloc.h>
#include <pthread.h>
#include <sys/random.h>
#include <time.h>
#if defined(__SANITIZE_ADDRESS__)
// From <sanitizer/allocator_interface.h>, which GCC does not always install.
extern "C" std::size_t __sanitizer_get_current_allocated_bytes();
#endif

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <limits>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <utility>
#include <variant>
#include <vector>

#include "adapters/script_mozjs/faker/faker_bundle.hpp"
#include "adapters/script_mozjs/helper/codec.hpp"
#include "adapters/script_mozjs/helper/js_prelude.hpp"
#include "adapters/script_mozjs/helper/startup_blobs.hpp"
#include "adapters/script_mozjs/helper/startup_engine.hpp"

namespace flow::adapters::sandbox {
namespace {

using core::Value;

const JSClass kGlobalClass = {
    "flowtest", JSCLASS_GLOBAL_FLAGS, &JS::DefaultGlobalClassOps, nullptr, nullptr, nullptr};

constexpr const char* kDefaultCodeFile = "<code>";

constexpr std::size_t kNativeStackQuota = std::size_t{1} << 20;  // main thread has 8 MiB
constexpr std::uint32_t kIdleGcMaxBytes = 512u << 20;            // between evaluations
constexpr std::size_t kMaxConsoleLines = 1000;
constexpr std::size_t kMaxConsoleBytes = std::size_t{64} << 10;
constexpr std::size_t kMaxSetCount = 10000;
constexpr std::size_t kMaxVariableNameBytes = 256;
constexpr std::size_t kMaxResultDepth = 512;
constexpr std::size_t kMaxCachedFunctions = 256;
constexpr std::size_t kMaxCachedCodeBytes = std::size_t{64} << 10;
constexpr std::size_t kMaxCacheBytes = std::size_t{4} << 20;
constexpr std::int64_t kDefaultCpuMs = 1000, kMaxCpuMs = 3'600'000;
constexpr std::int64_t kDefaultMemMb = 64, kMaxMemMb = 1024;
constexpr std::int64_t kDefaultOutBytes = std::int64_t{1} << 20,
                       kMaxOutBytes = std::int64_t{8} << 20;
constexpr std::size_t kMaxRandomBytes = 65536;
constexpr const char* kTruncatedMarker = "[console output truncated]";

std::atomic<bool> g_created{false};

bool NoCodeGeneration(JSContext*, JS::RuntimeCode, JS::HandleString) { return false; }
const JSSecurityCallbacks kSecurityCallbacks = {NoCodeGeneration, nullptr};

void IgnoreWarning(JSContext*, JSErrorReport*) {}

// Jobs that fail with a pending exception are reported through this; the sandbox drops them
// (a promise job's own errors already reject its promise).
struct QuietPreparer final : js::ScriptEnvironmentPreparer {
  JSContext* cx = nullptr;
  void invoke(JS::HandleObject global, Closure& closure) override {
    JSAutoRealm realm(cx, global);
    if (!closure(cx)) JS_ClearPendingException(cx);
  }
};

bool IsReservedWord(std::string_view name) {
  static constexpr std::string_view kWords[] = {
      "await",    "break",      "case",      "catch",  "class",    "const",      "continue",
      "debugger", "default",    "delete",    "do",     "else",     "enum",       "export",
      "extends",  "false",      "finally",   "for",    "function", "if",         "import",
      "in",       "instanceof", "new",       "null",   "return",   "super",      "switch",
      "this",     "throw",      "true",      "try",    "typeof",   "var",        "void",
      "while",    "with",       "yield",     "let",    "static",   "implements", "interface",
      "package",  "private",    "protected", "public", "eval",     "arguments"};
  return std::find(std::begin(kWords), std::end(kWords), name) != std::end(kWords);
}

// ASCII identifiers only: enough for variable names, and safe to hand to CompileFunction.
bool IsBindableName(std::string_view name) {
  if (name.empty() || name.size() > 255) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '$';
    if (!letter && !(i > 0 && c >= '0' && c <= '9')) return false;
  }
  return !IsReservedWord(name);
}

// Cuts `text` to at most `size` bytes without splitting a UTF-8 sequence.
void CutUtf8(std::string& text, std::size_t size) {
  if (text.size() <= size) return;
  while (size > 0 && (static_cast<unsigned char>(text[size]) & 0xC0) == 0x80) --size;
  text.resize(size);
}

// UTF-16 chunks of JS_Stringify -> UTF-8, with a surrogate pair possibly split across chunks.
struct JsonSink {
  std::u16string text;
  static bool Write(const char16_t* buf, std::uint32_t len, void* data) {
    static_cast<JsonSink*>(data)->text.append(buf, len);
    return true;
  }
};

enum class JsonStatus { kOk, kTooLarge, kFailed };

struct Failure {
  std::string kind;  // exception syntax cpu memory output invalid
  std::string message;
  int line = 0;
  int col = 0;
  bool recycle = false;
};

struct Success {
  std::string type;
  Value value;
  bool undefined = false;
  Value read_back = Value::object();
};

Value ErrorReply(const Failure& failure) {
  Value error = Value::object();
  error["kind"] = failure.kind;
  error["message"] = failure.message;
  error["line"] = failure.line;
  error["col"] = failure.col;
  Value reply = Value::object();
  reply["ok"] = false;
  reply["error"] = std::move(error);
  return reply;
}

Value InvalidReply(std::string message) {
  Value reply = ErrorReply(Failure{.kind = "invalid", .message = std::move(message)});
  reply["console"] = Value::array();
  reply["recycle"] = false;
  return reply;
}

// Reads an optional positive integer field; nullopt + message on a bad value.
std::optional<std::int64_t> ReadLimit(const Value& request, const char* key, std::int64_t fallback,
                                      std::int64_t max, std::string& problem) {
  const auto found = request.find(key);
  if (found == request.end() || found->is_null()) return fallback;
  if (!found->is_number_integer() || found->get<std::int64_t>() <= 0 ||
      found->get<std::int64_t>() > max) {
    problem = std::string("\"") + key + "\" must be an integer from 1 to " + std::to_string(max);
    return std::nullopt;
  }
  return found->get<std::int64_t>();
}

}  // namespace

struct JsRuntime::Impl {
  JSContext* cx = nullptr;
  clockid_t cpu_clock{};
  QuietPreparer preparer;
  StartupBlobs blobs;
  Stats stats;
  RefPtr<JS::Stencil> faker_stencil;  // made on the first use of faker in the process
  RefPtr<JS::Stencil> prelude_stencil;
  std::unique_ptr<JS::PersistentRootedObject> anchor;      // keeps the shared zone alive
  std::unique_ptr<JS::PersistentRootedObject> global;      // the open scope
  std::unique_ptr<JS::PersistentRootedObject> make_faker;  // its prelude's faker loader
  std::unique_ptr<JS::PersistentRootedObject> faker;       // its faker instance, once loaded
  std::unique_ptr<JS::PersistentRootedObject> replacer;    // its JSON size guard
  std::unordered_map<std::string, std::unique_ptr<JS::PersistentRootedObject>> cache;
  std::size_t cache_bytes = 0;

  // Watchdog: while armed, pokes the interrupt callback every 2 ms; sets stop = 1 once the JS
  // thread's CPU time passes the budget. The callback sets stop = 2 for the memory budget. It
  // keeps ticking for a second after an evaluation and then parks, so a burst of evaluations
  // costs no thread wake-up each (that was most of a small evaluation's time).
  std::mutex mu;  // guards armed, parked, quit, budget_ns, start_cpu_ns, armed_at and writes of
                  // uncharged; the watchdog writes stop only under it (the JS thread writes it
                  // in its own callback)
  std::condition_variable cv;
  std::thread watchdog;
  bool armed = false;
  bool parked = false;
  bool quit = false;
  std::int64_t budget_ns = 0;
  std::int64_t start_cpu_ns = -1;  // -1: set at the watchdog's first tick
  std::chrono::steady_clock::time_point armed_at;
  std::atomic<int> stop{0};
  std::atomic<std::size_t> mem_budget{0};  // bytes; 0 = no evaluation running
  std::size_t mem_floor = 0;               // the lowest usage seen during the evaluation
  std::atomic<bool> in_run_jobs{false};
  // While faker loads inside an evaluation: its time and memory are not the code's.
  std::atomic<bool> uncharged{false};

  // Per evaluation.
  std::vector<std::pair<std::string, std::string>> console;
  std::size_t console_bytes = 0;
  bool console_truncated = false;
  std::vector<std::pair<std::string, std::string>> set;  // name, JSON text
  std::unordered_map<std::string, std::size_t> set_index;
  std::size_t set_bytes = 0;
  std::size_t out_limit = kDefaultOutBytes;
  std::size_t json_budget = 0;  // the replacer's running lower bound of the output size
  std::size_t json_used = 0;
  bool json_over = false;
  bool json_root = false;

  ~Impl() {
    cache.clear();
    replacer.reset();
    faker.reset();
    make_faker.reset();
    global.reset();
    anchor.reset();
    faker_stencil = nullptr;
    prelude_stencil = nullptr;
    if (watchdog.joinable()) {
      {
        std::lock_guard lock(mu);
        quit = true;
      }
      cv.notify_all();
      watchdog.join();
    }
    if (cx != nullptr) {
      JS_SetContextPrivate(cx, nullptr);
      JS_DestroyContext(cx);
    }
    JS_ShutDown();
  }

  // ---- budgets

  std::int64_t CpuNs() const {
    timespec ts{};
    clock_gettime(cpu_clock, &ts);
    return std::int64_t{ts.tv_sec} * 1'000'000'000 + ts.tv_nsec;
  }

  // The GC heap plus malloc'd memory (SpiderMonkey uses glibc's malloc, and mallinfo2 sees it).
  std::size_t SoftMemoryBytes() const {
#if defined(__SANITIZE_ADDRESS__)
    const std::size_t heap = __sanitizer_get_current_allocated_bytes();  // ASan replaces malloc
#else
    const struct mallinfo2 mi = mallinfo2();
    const std::size_t heap = mi.uordblks + mi.hblkhd;
#endif
    return std::size_t{JS_GetGCParameter(cx, JSGC_BYTES)} + heap;
  }

  void WatchdogLoop() {
    constexpr int kIdleTicksBeforeParking = 500;
    int idle_ticks = 0;
    std::unique_lock lock(mu);
    while (!quit) {
      if (!armed && idle_ticks >= kIdleTicksBeforeParking) {
        parked = true;
        cv.wait(lock, [this] { return quit || armed; });
        parked = false;
        idle_ticks = 0;
        continue;
      }
      lock.unlock();
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
      lock.lock();
      if (quit) break;
      if (!armed) {
        ++idle_ticks;
        continue;
      }
      idle_ticks = 0;
      const std::int64_t cpu_now = CpuNs();
      if (start_cpu_ns < 0) {
        // Reading a thread's CPU clock is a syscall, too slow for every evaluation: assume the
        // JS thread ran the whole time since Arm (at worst a slightly stricter budget).
        start_cpu_ns = cpu_now - std::chrono::duration_cast<std::chrono::nanoseconds>(
                                     std::chrono::steady_clock::now() - armed_at)
                                     .count();
      }
      if (!uncharged.load() && stop.load() == 0 && cpu_now - start_cpu_ns >= budget_ns) stop = 1;
      // Every 2 ms, not once: a single request can be consumed by a job that RunJobs then
      // follows with the next one (docs/adr/0004, research P3).
      JS_RequestInterruptCallback(cx);
    }
  }

  void Arm(std::int64_t cpu_ms, std::int64_t mem_mb) {
    const std::size_t mem = static_cast<std::size_t>(mem_mb) << 20;
    const std::size_t gc_now = JS_GetGCParameter(cx, JSGC_BYTES);
    JS_SetGCParameter(
        cx, JSGC_MAX_BYTES,
        static_cast<std::uint32_t>(std::min<std::size_t>(gc_now + 2 * mem, 0xFFF00000u)));
    mem_floor = std::numeric_limits<std::size_t>::max();  // measured at the first check: most
                                                          // evaluations end before one
    mem_budget = mem;
    bool wake = false;
    {
      std::lock_guard lock(mu);
      stop = 0;
      budget_ns = cpu_ms * 1'000'000;
      start_cpu_ns = -1;
      armed_at = std::chrono::steady_clock::now();
      armed = true;
      wake = parked;
    }
    if (wake) cv.notify_one();
  }

  void Disarm() {
    {
      std::lock_guard lock(mu);
      armed = false;
      stop = 0;
    }
    mem_budget = 0;
    JS_SetGCParameter(cx, JSGC_MAX_BYTES, kIdleGcMaxBytes);
  }

  // Loading faker inside an evaluation: what it takes is taken off the budgets afterwards (CPU
  // time, the memory floor) and the GC heap may grow past the evaluation's cap meanwhile.
  struct UnchargedSection {
    bool active = false;
    std::int64_t cpu_ns = 0;
    std::chrono::steady_clock::time_point wall;
    std::size_t memory = 0;
    std::size_t gc_bytes = 0;
    std::size_t gc_max = 0;
  };

  UnchargedSection BeginUncharged() {
    UnchargedSection section;
    if (mem_budget.load() == 0 || uncharged.load()) return section;  // no evaluation, or nested
    section.active = true;
    section.cpu_ns = CpuNs();
    section.wall = std::chrono::steady_clock::now();
    section.memory = SoftMemoryBytes();
    section.gc_bytes = JS_GetGCParameter(cx, JSGC_BYTES);
    section.gc_max = JS_GetGCParameter(cx, JSGC_MAX_BYTES);
    {
      std::lock_guard lock(mu);
      uncharged = true;
    }
    JS_SetGCParameter(cx, JSGC_MAX_BYTES, kIdleGcMaxBytes);
    return section;
  }

  void EndUncharged(const UnchargedSection& section) {
    if (!section.active) return;
    const std::int64_t cpu = CpuNs() - section.cpu_ns;
    const auto wall = std::chrono::steady_clock::now() - section.wall;
    const std::size_t memory = SoftMemoryBytes();
    if (mem_floor != std::numeric_limits<std::size_t>::max() && memory > section.memory) {
      mem_floor += memory - section.memory;
    }
    {
      std::lock_guard lock(mu);
      if (start_cpu_ns >= 0) {
        start_cpu_ns += cpu;
      } else {
        armed_at += std::chrono::duration_cast<std::chrono::steady_clock::duration>(wall);
      }
      uncharged = false;
    }
    const std::size_t gc_now = JS_GetGCParameter(cx, JSGC_BYTES);
    const std::size_t grown = gc_now > section.gc_bytes ? gc_now - section.gc_bytes : 0;
    JS_SetGCParameter(
        cx, JSGC_MAX_BYTES,
        static_cast<std::uint32_t>(std::min<std::size_t>(section.gc_max + grown, 0xFFF00000u)));
  }

  static bool OnInterrupt(JSContext* cx) {
    auto* impl = static_cast<Impl*>(JS_GetContextPrivate(cx));
    if (impl == nullptr) return true;
    if (const std::size_t budget = impl->mem_budget.load();
        budget != 0 && impl->stop.load() == 0 && !impl->uncharged.load()) {
      // Growth from the lowest point: garbage of earlier scopes that a GC frees meanwhile must
      // not make room for new allocations.
      const std::size_t now = impl->SoftMemoryBytes();
      impl->mem_floor = std::min(impl->mem_floor, now);
      if (now - impl->mem_floor > budget) impl->stop = 2;
    }
    if (impl->stop.load() == 0) return true;
    // Only while draining: outside RunJobs the flag would stick and no job would ever run again.
    if (impl->in_run_jobs.load()) js::StopDrainingJobQueue(cx);
    return false;  // uncatchable: the code cannot catch or finally its way out
  }

  void RunJobs() {
    in_run_jobs = true;
    js::RunJobs(cx);
    in_run_jobs = false;
  }

  // ---- strings

  static bool ReadChars(JSContext* cx, JSString* str, std::u16string& out) {
    const std::size_t n = JS_GetStringLength(str);
    out.resize(n);
    return JS_CopyStringChars(cx, mozilla::Range<char16_t>(out.data(), n), str);
  }

  // A "binary string" (one char code 0-255 per byte); false (no exception) if a char is wider.
  static bool ReadBinary(JSContext* cx, JS::HandleValue v, std::string& out, bool& wide) {
    JS::RootedString str(cx, JS::ToString(cx, v));
    if (!str) return false;
    std::u16string chars;
    if (!ReadChars(cx, str, chars)) return false;
    out.resize(chars.size());
    wide = false;
    for (std::size_t i = 0; i < chars.size(); ++i) {
      if (chars[i] > 0xFF) wide = true;
      out[i] = static_cast<char>(chars[i] & 0xFF);
    }
    return true;
  }

  static bool ReadUtf8(JSContext* cx, JS::HandleValue v, std::string& out) {
    JS::RootedString str(cx, JS::ToString(cx, v));
    if (!str) return false;
    std::u16string chars;
    if (!ReadChars(cx, str, chars)) return false;
    out = Utf16ToUtf8(chars);
    return true;
  }

  static bool ReturnBinary(JSContext* cx, JS::CallArgs& args, std::string_view bytes) {
    JSString* s = JS_NewStringCopyN(cx, bytes.data(), bytes.size());
    if (s == nullptr) return false;
    args.rval().setString(s);
    return true;
  }

  static bool ReturnUtf16(JSContext* cx, JS::CallArgs& args, std::u16string_view text) {
    JSString* s = JS_NewUCStringCopyN(cx, text.data(), text.size());
    if (s == nullptr) return false;
    args.rval().setString(s);
    return true;
  }

  static bool ReturnAscii(JSContext* cx, JS::CallArgs& args, const std::string& text) {
    return ReturnBinary(cx, args, text);
  }

  // ---- JSON out

  // Counts a lower bound of the output while JS_Stringify walks the value, so a result that
  // shares one big string many times cannot build a huge text before the size check.
  static bool GuardReplacer(JSContext* cx, unsigned argc, JS::Value* vp) {
    JS::CallArgs args = JS::CallArgsFromVp(argc, vp);
    auto* impl = static_cast<Impl*>(JS_GetContextPrivate(cx));
    const JS::HandleValue value = args.get(1);
    std::size_t add = 0;
    if (value.isString()) {
      add = JS_GetStringLength(value.toString()) + 2;
    } else if (value.isNumber() || value.isBoolean() || value.isNull()) {
      add = 1;
    } else if (value.isObject()) {
      add = JS::IsCallable(&value.toObject()) ? 0 : 2;
    }
    const bool root = impl->json_root;
    impl->json_root = false;
    if (add > 0 && !root && args.thisv().isObject() && args.get(0).isString()) {
      JS::RootedObject holder(cx, &args.thisv().toObject());
      bool is_array = false;
      if (!JS::IsArrayObject(cx, holder, &is_array)) return false;
      if (!is_array) add += JS_GetStringLength(args.get(0).toString()) + 3;
    }
    impl->json_used += add;
    if (impl->json_used > impl->json_budget) {
      impl->json_over = true;
      return false;  // no exception: JS_Stringify just fails
    }
    args.rval().set(value);
    return true;
  }

  // JSON text of `v` (UTF-8) of at most `limit` bytes. kFailed: an exception is pending or a
  // budget stopped the code.
  JsonStatus Stringify(JS::HandleValue v, std::size_t limit, std::string& out) {
    JS::RootedObject guard(cx, replacer->get());
    json_budget = limit;
    json_used = 0;
    json_over = false;
    json_root = true;
    JS::RootedValue copy(cx, v);
    JsonSink sink;
    const bool ok = JS_Stringify(cx, &copy, guard, JS::NullHandleValue, &JsonSink::Write, &sink);
    if (!ok) {
      if (json_over && !JS_IsExceptionPending(cx)) return JsonStatus::kTooLarge;
      return JsonStatus::kFailed;
    }
    if (Utf8Length(sink.text) > limit) return JsonStatus::kTooLarge;
    out = Utf16ToUtf8(sink.text);
    return JsonStatus::kOk;
  }

  // ---- natives

  static Impl* Of(JSContext* cx) { return static_cast<Impl*>(JS_GetContextPrivate(cx)); }

  void AppendConsole(std::string level, std::string text) {
    if (console_truncated) return;
    const std::size_t room = kMaxConsoleBytes - console_bytes;
    if (console.size() < kMaxConsoleLines && text.size() <= room) {
      console_bytes += text.size();
      console.emplace_back(std::move(level), std::move(text));
      return;
    }
    if (console.size() < kMaxConsoleLines && room > 0) {
      CutUtf8(text, room);
      console_bytes += text.size();
      console.emplace_back(level, std::move(text));
    }
    console_truncated = true;
    console.emplace_back("warn", kTruncatedMarker);
  }

  static bool NativeLog(JSContext* cx, unsigned argc, JS::Value* vp) {
    JS::CallArgs args = JS::CallArgsFromVp(argc, vp);
    Impl* impl = Of(cx);
    args.rval().setUndefined();
    if (impl->console_truncated) return true;
    std::string level;
    if (!ReadUtf8(cx, args.get(0), level)) return false;
    JS::RootedString text(cx, JS::ToString(cx, args.get(1)));
    if (!text) return false;
    // Never convert more than can be kept: one UTF-16 unit is at least one UTF-8 byte.
    const std::size_t room = kMaxConsoleBytes - impl->console_bytes + 1;
    if (JS_GetStringLength(text) > room) {
      text = JS_NewDependentString(cx, text, 0, room);
      if (!text) return false;
    }
    std::u16string chars;
    if (!ReadChars(cx, text, chars)) return false;
    impl->AppendConsole(std::move(level), Utf16ToUtf8(chars));
    return true;
  }

  static bool SetResult(JSContext* cx, JS::CallArgs& args, const std::string& code) {
    return ReturnAscii(cx, args, code);
  }

  static bool NativeSet(JSContext* cx, unsigned argc, JS::Value* vp) {
    JS::CallArgs args = JS::CallArgsFromVp(argc, vp);
    Impl* impl = Of(cx);
    if (!args.get(0).isString()) {
      return SetResult(cx, args, "T:setVariable: the variable name must be a string");
    }
    std::u16string chars;
    if (!ReadChars(cx, args.get(0).toString(), chars)) return false;
    if (chars.empty())
      return SetResult(cx, args, "T:setVariable: the variable name must not be empty");
    if (Utf8Length(chars) > kMaxVariableNameBytes) {
      return SetResult(cx, args, "T:setVariable: the variable name is longer than 256 bytes");
    }
    std::string name = Utf16ToUtf8(chars);
    const auto found = impl->set_index.find(name);
    if (found == impl->set_index.end() && impl->set.size() >= kMaxSetCount) {
      return SetResult(cx, args,
                       "R:setVariable: at most 10000 variables can be set in one evaluation");
    }
    const std::size_t old_bytes =
        found == impl->set_index.end() ? 0 : name.size() + impl->set[found->second].second.size();
    const std::size_t used = impl->set_bytes - old_bytes;
    const std::size_t room =
        impl->out_limit > used + name.size() ? impl->out_limit - used - name.size() : 0;
    std::string json;
    switch (impl->Stringify(args.get(1), room, json)) {
      case JsonStatus::kFailed:
        return false;
      case JsonStatus::kTooLarge:
        return SetResult(cx, args,
                         "R:setVariable: the variables set in one evaluation exceed " +
                             std::to_string(impl->out_limit) + " bytes");
      case JsonStatus::kOk:
        break;
    }
    impl->set_bytes = used + name.size() + json.size();
    if (found == impl->set_index.end()) {
      impl->set_index.emplace(name, impl->set.size());
      impl->set.emplace_back(std::move(name), std::move(json));
    } else {
      impl->set[found->second].second = std::move(json);
    }
    return SetResult(cx, args, "");
  }

  static bool NativeUtf8Encode(JSContext* cx, unsigned argc, JS::Value* vp) {
    JS::CallArgs args = JS::CallArgsFromVp(argc, vp);
    std::string bytes;
    if (!ReadUtf8(cx, args.get(0), bytes)) return false;
    return ReturnBinary(cx, args, bytes);
  }

  static bool NativeUtf8Decode(JSContext* cx, unsigned argc, JS::Value* vp) {
    JS::CallArgs args = JS::CallArgsFromVp(argc, vp);
    std::string bytes;
    bool wide = false;
    if (!ReadBinary(cx, args.get(0), bytes, wide)) return false;
    return ReturnUtf16(cx, args, Utf8ToUtf16(bytes));
  }

  static bool NativeB64Encode(JSContext* cx, unsigned argc, JS::Value* vp) {
    JS::CallArgs args = JS::CallArgsFromVp(argc, vp);
    std::string bytes;
    bool wide = false;
    if (!ReadBinary(cx, args.get(0), bytes, wide)) return false;
    if (wide) {
      args.rval().setNull();
      return true;
    }
    return ReturnAscii(cx, args, Base64Encode(bytes, JS::ToBoolean(args.get(1))));
  }

  static bool NativeB64Decode(JSContext* cx, unsigned argc, JS::Value* vp) {
    JS::CallArgs args = JS::CallArgsFromVp(argc, vp);
    std::string text;
    bool wide = false;
    if (!ReadBinary(cx, args.get(0), text, wide)) return false;
    const bool strict = JS::ToBoolean(args.get(1));
    std::optional<std::string> bytes = wide && strict ? std::nullopt : Base64Decode(text, strict);
    if (!bytes) {
      args.rval().setNull();
      return true;
    }
    return ReturnBinary(cx, args, *bytes);
  }

  static bool NativeHexEncode(JSContext* cx, unsigned argc, JS::Value* vp) {
    JS::CallArgs args = JS::CallArgsFromVp(argc, vp);
    std::string bytes;
    bool wide = false;
    if (!ReadBinary(cx, args.get(0), bytes, wide)) return false;
    return ReturnAscii(cx, args, HexEncode(bytes));
  }

  static bool NativeHexDecode(JSContext* cx, unsigned argc, JS::Value* vp) {
    JS::CallArgs args = JS::CallArgsFromVp(argc, vp);
    std::string text;
    bool wide = false;
    if (!ReadBinary(cx, args.get(0), text, wide)) return false;
    return ReturnBinary(cx, args, HexDecode(text));
  }

  static bool NativeDigest(JSContext* cx, unsigned argc, JS::Value* vp) {
    JS::CallArgs args = JS::CallArgsFromVp(argc, vp);
    std::string algorithm, data;
    bool wide = false;
    if (!ReadUtf8(cx, args.get(0), algorithm) || !ReadBinary(cx, args.get(1), data, wide)) {
      return false;
    }
    const std::optional<std::string> out = Digest(algorithm, data);
    if (!out) {
      args.rval().setNull();
      return true;
    }
    return ReturnBinary(cx, args, *out);
  }

  static bool NativeHmac(JSContext* cx, unsigned argc, JS::Value* vp) {
    JS::CallArgs args = JS::CallArgsFromVp(argc, vp);
    std::string algorithm, key, data;
    bool wide = false;
    if (!ReadUtf8(cx, args.get(0), algorithm) || !ReadBinary(cx, args.get(1), key, wide) ||
        !ReadBinary(cx, args.get(2), data, wide)) {
      return false;
    }
    const std::optional<std::string> out = Hmac(algorithm, key, data);
    if (!out) {
      args.rval().setNull();
      return true;
    }
    return ReturnBinary(cx, args, *out);
  }

  static bool NativeRandomBytes(JSContext* cx, unsigned argc, JS::Value* vp) {
    JS::CallArgs args = JS::CallArgsFromVp(argc, vp);
    double n = 0;
    if (!JS::ToNumber(cx, args.get(0), &n)) return false;
    const std::size_t size =
        n > 0 ? static_cast<std::size_t>(std::min<double>(n, kMaxRandomBytes)) : 0;
    std::string bytes(size, '\0');
    std::size_t got = 0;
    while (got < size) {
      const ssize_t r = getrandom(bytes.data() + got, size - got, 0);
      if (r < 0) {
        if (errno == EINTR) continue;
        JS_ReportErrorASCII(cx, "crypto: no random bytes available");
        return false;
      }
      got += static_cast<std::size_t>(r);
    }
    return ReturnBinary(cx, args, bytes);
  }

  // loadFaker(locale) -> a new faker instance for the locale: runs the faker stencil in the
  // current scope and calls its __flowFaker (the prelude calls it once, on the first use of
  // faker in the scope).
  static bool NativeLoadFaker(JSContext* cx, unsigned argc, JS::Value* vp) {
    JS::CallArgs args = JS::CallArgsFromVp(argc, vp);
    Impl* impl = Of(cx);
    const UnchargedSection section = impl->BeginUncharged();
    const bool ok = impl->RunFakerBundle(args.get(0), args.rval());
    impl->EndUncharged(section);
    return ok;
  }

  // ---- faker

  // The faker stencil, decoded from the start-up cache when it is valid for this build and this
  // bundle, otherwise compiled; made in the current realm, so an exception stays in it.
  bool EnsureFakerStencil() {
    if (faker_stencil) return true;
    const core::Result<std::span<const std::uint8_t>> body =
        OpenStartupBlob(blobs.faker_stencil, StartupBlobKind::kFakerStencil, ScriptBuildId(),
                        Checksum64(FakerBundleSource()));
    if (body) faker_stencil = DecodeStartupStencil(cx, *body);
    if (faker_stencil) {
      stats.faker_stencil = FakerStencil::kDecoded;
      return true;
    }
    faker_stencil = CompileFakerStencil(cx);
    if (!faker_stencil) return false;
    stats.faker_stencil = FakerStencil::kCompiled;
    return true;
  }

  bool RunFakerBundle(JS::HandleValue locale, JS::MutableHandleValue out) {
    if (!EnsureFakerStencil()) return false;
    JS::RootedObject g(cx, JS::CurrentGlobalOrNull(cx));
    JS::RootedValue ignored(cx);
    if (!RunStencil(faker_stencil, kFakerFileName, &ignored)) return false;
    JS::RootedValue make(cx);
    JS::RootedValue none(cx);
    if (!JS_GetProperty(cx, g, "__flowFaker", &make) ||
        !JS_SetProperty(cx, g, "__flowFaker", none) || !JS_DeleteProperty(cx, g, "__flowFaker")) {
      return false;
    }
    if (!make.isObject() || !JS::IsCallable(&make.toObject())) {
      JS_ReportErrorASCII(cx, "the faker bundle did not define __flowFaker");
      return false;
    }
    JS::RootedValueArray<1> args(cx);
    args[0].set(locale);
    if (!JS_CallFunctionValue(cx, nullptr, make, args, out)) return false;
    ++stats.faker_loads;
    return true;
  }

  // The scope's faker instance, loaded now if the code has not used it yet; false with an
  // exception pending (or stopped) when it cannot be loaded.
  bool EnsureFaker() {
    if (faker) return true;
    JS::RootedValue loader(cx, JS::ObjectValue(*make_faker->get()));
    JS::RootedValue made(cx);
    if (!JS_CallFunctionValue(cx, nullptr, loader, JS::HandleValueArray::empty(), &made)) {
      return false;
    }
    if (!made.isObject()) {
      JS_ReportErrorASCII(cx, "faker could not be loaded");
      return false;
    }
    faker = std::make_unique<JS::PersistentRootedObject>(cx, &made.toObject());
    return true;
  }

  // ---- errors

  // The message and position of the pending exception, made relative to `code`, and clears it.
  // CompileFunction puts a synthesized "function anonymous(...\n) {" line before the body and
  // the body's first line is the wrapper's, so the snippet starts on line 3. Compile errors
  // report 0-based columns, runtime errors (and saved frames) 1-based ones.
  Failure TakeException(const std::string& kind, const std::string& file, int code_lines,
                        bool compile_error = false) {
    Failure failure{.kind = kind};
    JS::ExceptionStack stack(cx);
    if (!JS::StealPendingExceptionStack(cx, &stack)) {
      JS_ClearPendingException(cx);
      failure.message = "an exception that could not be read";
      return failure;
    }
    JS::ErrorReportBuilder builder(cx);
    if (!builder.init(cx, stack, JS::ErrorReportBuilder::WithSideEffects)) {
      JS_ClearPendingException(cx);
      failure.message = "an exception that could not be converted to a string";
      return failure;
    }
    JS_ClearPendingException(cx);
    const char* text = builder.toStringResult().c_str();
    failure.message = text != nullptr ? text : "an exception without a message";
    if (failure.message.rfind("uncaught exception: ", 0) == 0) {
      failure.message = failure.message.substr(20);
    }
    const auto place = [&](unsigned line, unsigned col) {
      if (line < 3) return;
      failure.line = std::min(static_cast<int>(line) - 2, std::max(code_lines, 1));
      failure.col = std::max(static_cast<int>(col), 1);
    };
    const JSErrorReport* report = builder.report();
    if (report != nullptr && report->filename != nullptr && file == report->filename) {
      place(report->lineno, report->column + (compile_error ? 1 : 0));
      return failure;
    }
    // Thrown elsewhere (faker, the prelude): the innermost frame of the snippet.
    JS::RootedObject frame(cx, stack.stack());
    while (frame) {
      JS::RootedString source(cx);
      if (JS::GetSavedFrameSource(cx, nullptr, frame, &source) != JS::SavedFrameResult::Ok) break;
      std::string name;
      JS::RootedValue source_value(cx, JS::StringValue(source));
      if (source && ReadUtf8(cx, source_value, name) && name == file) {
        std::uint32_t line = 0, col = 0;
        JS::GetSavedFrameLine(cx, nullptr, frame, &line);
        JS::GetSavedFrameColumn(cx, nullptr, frame, &col);
        place(line, col);
        break;
      }
      JS::RootedObject parent(cx);
      if (JS::GetSavedFrameParent(cx, nullptr, frame, &parent) != JS::SavedFrameResult::Ok) break;
      frame = parent;
    }
    return failure;
  }

  // Why a call returned false: a budget, an exception or an uncatchable stop.
  Failure FailureAfterFalse(const std::string& file, int code_lines, std::int64_t cpu_ms,
                            std::int64_t mem_mb) {
    if (JS_IsExceptionPending(cx)) {
      Failure failure = TakeException("exception", file, code_lines);
      if (failure.message.find("out of memory") != std::string::npos) {
        failure =
            Failure{.kind = "memory",
                    .message = "memory budget of " + std::to_string(mem_mb) + " MiB exceeded"};
      }
      if (failure.kind == "memory" || stop.load() != 0) failure.recycle = true;
      return failure;
    }
    switch (stop.load()) {
      case 1:
        return Failure{.kind = "cpu",
                       .message = "cpu budget of " + std::to_string(cpu_ms) + " ms exceeded",
                       .recycle = true};
      case 2:
        return Failure{.kind = "memory",
                       .message = "memory budget of " + std::to_string(mem_mb) + " MiB exceeded",
                       .recycle = true};
      default:
        return Failure{.kind = "exception", .message = "the code was terminated", .recycle = true};
    }
  }

  // ---- scopes

  static JS::CompileOptions& Configure(JS::CompileOptions& options, const char* file) {
    options.setFileAndLine(file, 1);
    return options;
  }

  JSObject* NewGlobal(bool shared_zone) {
    JS::RealmOptions options;
    if (shared_zone) options.creationOptions().setNewCompartmentInExistingZone(anchor->get());
    JS::RootedObject g(
        cx, JS_NewGlobalObject(cx, &kGlobalClass, nullptr, JS::FireOnNewGlobalHook, options));
    if (!g) return nullptr;
    JSAutoRealm realm(cx, g);
    if (!JS::InitRealmStandardClasses(cx)) return nullptr;
    return g;
  }

  std::string PendingMessage() {
    if (!JS_IsExceptionPending(cx)) return "out of memory or stopped";
    return TakeException("exception", "", 0).message;
  }

  bool RunStencil(JS::Stencil* stencil, const char* file, JS::MutableHandleValue result) {
    JS::CompileOptions options(cx);
    Configure(options, file).setForceFullParse();
    JS::InstantiateOptions instantiate(options);
    JS::RootedScript script(cx, JS::InstantiateGlobalStencil(cx, instantiate, stencil));
    return script && JS_ExecuteScript(cx, script, result);
  }

  core::Result<void> Open(std::optional<std::uint64_t> seed, const std::string& locale) {
    Close();
    if (locale != "en" && locale != "pt_BR") {
      return core::InvalidArgument("unknown faker locale '" + locale + "'", "use en or pt_BR");
    }
    JS::RootedObject g(cx, NewGlobal(true));
    if (!g) return core::Internal("could not create a javascript global: " + PendingMessage());
    JSAutoRealm realm(cx, g);
    JS::RootedValue setup(cx);
    if (!RunStencil(prelude_stencil, kPreludeFileName, &setup) || !setup.isObject()) {
      return core::Internal("the sandbox prelude failed to run: " + PendingMessage());
    }
    static const JSFunctionSpec kNatives[] = {JS_FN("log", NativeLog, 2, 0),
                                              JS_FN("set", NativeSet, 2, 0),
                                              JS_FN("utf8Encode", NativeUtf8Encode, 1, 0),
                                              JS_FN("utf8Decode", NativeUtf8Decode, 1, 0),
                                              JS_FN("b64Encode", NativeB64Encode, 2, 0),
                                              JS_FN("b64Decode", NativeB64Decode, 2, 0),
                                              JS_FN("hexEncode", NativeHexEncode, 1, 0),
                                              JS_FN("hexDecode", NativeHexDecode, 1, 0),
                                              JS_FN("digest", NativeDigest, 2, 0),
                                              JS_FN("hmac", NativeHmac, 3, 0),
                                              JS_FN("randomBytes", NativeRandomBytes, 1, 0),
                                              JS_FN("loadFaker", NativeLoadFaker, 0, 0),
                                              JS_FS_END};
    JS::RootedObject natives(cx, JS_NewPlainObject(cx));
    if (!natives || !JS_DefineFunctions(cx, natives, kNatives)) {
      return core::Internal("could not define the sandbox natives: " + PendingMessage());
    }
    JS::RootedValueArray<3> args(cx);
    args[0].setObject(*natives);
    JSString* locale_string = JS_NewStringCopyN(cx, locale.data(), locale.size());
    if (locale_string == nullptr) return core::Internal("out of memory");
    args[1].setString(locale_string);
    if (!seed) {
      args[2].setNull();
    } else if (*seed <= (std::uint64_t{1} << 53)) {
      args[2].setNumber(static_cast<double>(*seed));
    } else {
      JS::RootedValueArray<2> parts(cx);
      parts[0].setNumber(static_cast<double>(*seed >> 32));
      parts[1].setNumber(static_cast<double>(*seed & 0xFFFFFFFFu));
      JSObject* array = JS::NewArrayObject(cx, parts);
      if (array == nullptr) return core::Internal("out of memory");
      args[2].setObject(*array);
    }
    JS::RootedValue loader(cx);
    if (!JS_CallFunctionValue(cx, nullptr, setup, args, &loader) || !loader.isObject()) {
      return core::Internal("could not set up the scope: " + PendingMessage());
    }
    JSFunction* guard = JS_NewFunction(cx, &Impl::GuardReplacer, 2, 0, "jsonGuard");
    if (guard == nullptr) return core::Internal("out of memory");
    global = std::make_unique<JS::PersistentRootedObject>(cx, g);
    make_faker = std::make_unique<JS::PersistentRootedObject>(cx, &loader.toObject());
    replacer = std::make_unique<JS::PersistentRootedObject>(cx, JS_GetFunctionObject(guard));
    return {};
  }

  void Close() {
    if (!global) return;
    cache.clear();
    cache_bytes = 0;
    replacer.reset();
    faker.reset();
    make_faker.reset();
    global.reset();
    JS_MaybeGC(cx);
  }

  // ---- evaluation

  JSFunction* CompileWrapper(const std::string& kind, const std::string& code,
                             const std::vector<std::string>& names, const std::string& file) {
    std::string key = kind;
    key.push_back('\n');
    key += file;
    key.push_back('\n');
    for (const std::string& name : names) key.append(name).push_back(',');
    key.push_back('\n');
    key += code;
    if (const auto found = cache.find(key); found != cache.end()) {
      return JS_GetObjectFunction(found->second->get());
    }
    // An arrow function keeps the caller's `this`, the global, as the original's sloppy vm code
    // saw its context (`this.x || 0`).
    std::string body = kind == "block" ? "\"use strict\";return (() => {\n" + code + "\n})();"
                                       : "\"use strict\";return (\n" + code + "\n);";
    JS::CompileOptions options(cx);
    Configure(options, file.c_str());
    // As UTF-16: SpiderMonkey 102's CompileFunction reads UTF-8 source as Latin-1 ('é'.length
    // was 2).
    const std::u16string wide = Utf8ToUtf16(body);
    JS::SourceText<char16_t> source;
    if (!source.init(cx, wide.data(), wide.size(), JS::SourceOwnership::Borrowed)) return nullptr;
    std::vector<const char*> argv;
    argv.reserve(names.size());
    for (const std::string& name : names) argv.push_back(name.c_str());
    JS::RootedObjectVector env(cx);
    JS::RootedFunction fn(
        cx, JS::CompileFunction(cx, env, options, nullptr, static_cast<unsigned>(argv.size()),
                                argv.data(), source));
    if (!fn) return nullptr;
    if (code.size() <= kMaxCachedCodeBytes) {
      if (cache.size() >= kMaxCachedFunctions || cache_bytes + key.size() > kMaxCacheBytes) {
        cache.clear();
        cache_bytes = 0;
      }
      cache_bytes += key.size();
      cache.emplace(std::move(key),
                    std::make_unique<JS::PersistentRootedObject>(cx, JS_GetFunctionObject(fn)));
    }
    return fn;
  }

  bool ParseJson(const Value& value, JS::MutableHandleValue out) {
    const std::u16string text = Utf8ToUtf16(core::DumpJson(value));
    return JS_ParseJSON(cx, text.data(), static_cast<std::uint32_t>(text.size()), out);
  }

  // Resolves "module.method" on the scope's faker: own data properties only, never the
  // prototype plumbing, a module that is an object and a method that is a function.
  std::optional<Failure> ResolveFaker(const std::string& path, JS::MutableHandleObject module,
                                      JS::MutableHandleValue method) {
    const std::size_t dot = path.find('.');
    const auto bad = [&](const std::string& why) {
      return Failure{.kind = "invalid", .message = "faker method '" + path + "' " + why};
    };
    if (dot == std::string::npos || path.find('.', dot + 1) != std::string::npos) {
      return bad("must be written module.method");
    }
    const std::string names[2] = {path.substr(0, dot), path.substr(dot + 1)};
    JS::RootedObject holder(cx, faker->get());
    for (int i = 0; i < 2; ++i) {
      const std::string& name = names[i];
      if (name.empty() || name == "constructor" || name == "__proto__" || name == "prototype") {
        return bad("is not allowed");
      }
      JS::Rooted<mozilla::Maybe<JS::PropertyDescriptor>> desc(cx);
      if (!JS_GetOwnPropertyDescriptor(cx, holder, name.c_str(), &desc)) {
        JS_ClearPendingException(cx);
        return bad("does not exist");
      }
      if (desc.get().isNothing() || !desc.get()->isDataDescriptor()) return bad("does not exist");
      const JS::Value v = desc.get()->value();
      if (i == 0) {
        if (!v.isObject() || JS::IsCallable(&v.toObject()))
          return bad("does not name a faker module");
        holder = &v.toObject();
        module.set(holder);
      } else {
        if (!v.isObject() || !JS::IsCallable(&v.toObject())) return bad("is not a function");
        method.set(v);
      }
    }
    return std::nullopt;
  }

  Value Evaluate(const Value& request) {
    console.clear();
    console_bytes = 0;
    console_truncated = false;
    set.clear();
    set_index.clear();
    set_bytes = 0;

    if (!request.is_object()) return InvalidReply("an eval request must be a json object");
    if (!global) return InvalidReply("no scope is open (send \"open\" first)");
    const auto kind_it = request.find("kind");
    if (kind_it == request.end() || !kind_it->is_string()) {
      return InvalidReply("\"kind\" must be \"expression\", \"block\" or \"faker\"");
    }
    const std::string kind = kind_it->get<std::string>();
    if (kind != "expression" && kind != "block" && kind != "faker") {
      return InvalidReply("unknown eval kind '" + kind + "' (use expression, block or faker)");
    }
    const auto code_it = request.find("code");
    if (code_it == request.end() || !code_it->is_string())
      return InvalidReply("\"code\" must be a string");
    const std::string code = code_it->get<std::string>();
    std::string problem;
    const auto cpu_ms = ReadLimit(request, "cpu_ms", kDefaultCpuMs, kMaxCpuMs, problem);
    const auto mem_mb = ReadLimit(request, "mem_mb", kDefaultMemMb, kMaxMemMb, problem);
    const auto out_bytes = ReadLimit(request, "out_bytes", kDefaultOutBytes, kMaxOutBytes, problem);
    if (!cpu_ms || !mem_mb || !out_bytes) return InvalidReply(problem);
    out_limit = static_cast<std::size_t>(*out_bytes);

    std::vector<std::string> names;
    const Value* bind = nullptr;
    if (kind != "faker") {
      if (const auto it = request.find("bind"); it != request.end() && !it->is_null()) {
        if (!it->is_object()) return InvalidReply("\"bind\" must be an object");
        bind = &*it;
        for (const auto& [name, ignored] : it->items()) {
          if (IsBindableName(name)) names.push_back(name);
        }
      }
    }
    const Value* fargs = nullptr;
    if (kind == "faker") {
      if (const auto it = request.find("args"); it != request.end() && !it->is_null()) {
        if (!it->is_array()) return InvalidReply("\"args\" must be an array");
        fargs = &*it;
      }
    }
    std::vector<std::string> read_back;
    if (const auto it = request.find("read_back"); it != request.end() && !it->is_null()) {
      if (!it->is_array()) return InvalidReply("\"read_back\" must be an array of names");
      for (const Value& name : *it) {
        if (!name.is_string()) return InvalidReply("\"read_back\" must be an array of names");
        read_back.push_back(name.get<std::string>());
      }
    }
    std::string file = kDefaultCodeFile;
    if (const auto it = request.find("file");
        it != request.end() && it->is_string() && !it->get_ref<const std::string&>().empty()) {
      file = it->get<std::string>();
    }
    const int code_lines = 1 + static_cast<int>(std::count(code.begin(), code.end(), '\n'));

    JSAutoRealm realm(cx, global->get());
    Arm(*cpu_ms, *mem_mb);
    std::variant<Success, Failure> outcome =
        Run(kind, code, names, bind, fargs, read_back, file, code_lines, *cpu_ms, *mem_mb);
    Disarm();
    if (JS_IsExceptionPending(cx)) JS_ClearPendingException(cx);
    if (const auto* failure = std::get_if<Failure>(&outcome);
        failure && failure->kind == "memory") {
      // Free the bomb now: its garbage (ArrayBuffers count against RLIMIT_DATA) would otherwise
      // leave the next evaluation's GC without a chunk to allocate, which SpiderMonkey crashes on.
      JS::PrepareForFullGC(cx);
      JS::NonIncrementalGC(cx, JS::GCOptions::Shrink, JS::GCReason::API);
    }

    Value reply;
    if (auto* success = std::get_if<Success>(&outcome)) {
      reply = Value::object();
      reply["ok"] = true;
      reply["type"] = success->type;
      reply["value"] = std::move(success->value);
      reply["undefined"] = success->undefined;
      reply["set"] = SetValue();
      reply["read_back"] = std::move(success->read_back);
    } else {
      const Failure& failure = std::get<Failure>(outcome);
      reply = ErrorReply(failure);
      if (!set.empty()) reply["set"] = SetValue();
      reply["recycle"] = failure.recycle;
    }
    Value lines = Value::array();
    for (auto& [level, text] : console) lines.push_back(Value::array({level, text}));
    reply["console"] = std::move(lines);
    return reply;
  }

  Value SetValue() const {
    Value out = Value::object();
    for (const auto& [name, json] : set) {
      Value parsed = Value::parse(json, nullptr, false);
      out[name] = parsed.is_discarded() ? Value() : std::move(parsed);
    }
    return out;
  }

  // The value's JSON as a reply value, under `limit` bytes.
  std::variant<Value, Failure> ToReplyValue(JS::HandleValue v, std::size_t limit,
                                            const std::string& what, const std::string& file,
                                            int code_lines, std::int64_t cpu_ms,
                                            std::int64_t mem_mb) {
    std::string json;
    switch (Stringify(v, limit, json)) {
      case JsonStatus::kFailed:
        return FailureAfterFalse(file, code_lines, cpu_ms, mem_mb);
      case JsonStatus::kTooLarge:
        return Failure{.kind = "output",
                       .message = what + " larger than " + std::to_string(out_limit) + " bytes"};
      case JsonStatus::kOk:
        break;
    }
    if (core::FindJsonNestingBeyond(json, kMaxResultDepth)) {
      return Failure{
          .kind = "output",
          .message = what + " nested deeper than " + std::to_string(kMaxResultDepth) + " levels"};
    }
    Value parsed = Value::parse(json, nullptr, false);
    if (parsed.is_discarded()) {
      return Failure{.kind = "invalid", .message = what + " has no json form"};
    }
    return parsed;
  }

  std::variant<Success, Failure> Run(const std::string& kind, const std::string& code,
                                     const std::vector<std::string>& names, const Value* bind,
                                     const Value* fargs, const std::vector<std::string>& read_back,
                                     const std::string& file, int code_lines, std::int64_t cpu_ms,
                                     std::int64_t mem_mb) {
    const auto failed = [&] { return FailureAfterFalse(file, code_lines, cpu_ms, mem_mb); };
    JS::RootedValueVector args(cx);
    JS::RootedValue fn(cx);
    JS::RootedValue self(cx);
    if (kind == "faker") {
      if (!EnsureFaker()) return failed();
      JS::RootedObject module(cx);
      if (std::optional<Failure> bad = ResolveFaker(code, &module, &fn)) return *bad;
      self.setObject(*module);
      if (fargs != nullptr && !fargs->empty()) {
        JS::RootedValue parsed(cx);
        if (!ParseJson(*fargs, &parsed)) return failed();
        JS::RootedObject array(cx, &parsed.toObject());
        for (std::size_t i = 0; i < fargs->size(); ++i) {
          JS::RootedValue element(cx);
          if (!JS_GetElement(cx, array, static_cast<std::uint32_t>(i), &element) ||
              !args.append(element)) {
            return failed();
          }
        }
      }
    } else {
      self.setObject(*JS::CurrentGlobalOrNull(cx));  // `this` is the global, as in the original
      JSFunction* compiled = CompileWrapper(kind, code, names, file);
      if (compiled == nullptr) {
        if (JS_IsExceptionPending(cx)) {
          Failure failure = TakeException("syntax", file, code_lines, true);
          if (failure.message.rfind("SyntaxError", 0) != 0) failure.kind = "exception";
          if (stop.load() != 0) failure.recycle = true;
          return failure;
        }
        return failed();
      }
      fn.setObject(*JS_GetFunctionObject(compiled));
      if (!names.empty()) {
        JS::RootedValue parsed(cx);
        if (!ParseJson(*bind, &parsed)) return failed();
        JS::RootedObject object(cx, &parsed.toObject());
        for (const std::string& name : names) {
          JS::RootedValue v(cx);
          if (!JS_GetProperty(cx, object, name.c_str(), &v) || !args.append(v)) return failed();
        }
      }
    }

    JS::RootedValue result(cx);
    const bool ok = JS::Call(cx, self, fn, args, &result);
    if (!ok) {
      Failure failure = failed();
      if (!failure.recycle) RunJobs();  // let this evaluation's own promises settle
      if (stop.load() != 0) return FailureAfterFalse(file, code_lines, cpu_ms, mem_mb);
      return failure;
    }
    RunJobs();
    if (stop.load() != 0) return failed();

    if (result.isObject()) {
      JS::RootedObject object(cx, &result.toObject());
      if (JS::IsPromiseObject(object)) {
        switch (JS::GetPromiseState(object)) {
          case JS::PromiseState::Fulfilled:
            result = JS::GetPromiseResult(object);
            break;
          case JS::PromiseState::Rejected: {
            JS::RootedValue reason(cx, JS::GetPromiseResult(object));
            static_cast<void>(JS::SetSettledPromiseIsHandled(cx, object));
            JS_SetPendingException(cx, reason);
            return failed();
          }
          case JS::PromiseState::Pending:
            return Failure{.kind = "exception",
                           .message = "the promise returned by the code did not settle"};
        }
      }
    }

    Success success;
    switch (JS_TypeOfValue(cx, result)) {
      case JSTYPE_UNDEFINED:
        success.type = "undefined";
        success.undefined = true;
        break;
      case JSTYPE_FUNCTION:
        success.type = "function";
        break;
      case JSTYPE_SYMBOL:
        success.type = "symbol";
        break;
      case JSTYPE_BIGINT:
        return Failure{.kind = "invalid",
                       .message =
                           "the result is a BigInt, which has no json form (convert it "
                           "with String() or Number())"};
      default: {
        std::variant<Value, Failure> value =
            ToReplyValue(result, out_limit, "result", file, code_lines, cpu_ms, mem_mb);
        if (auto* failure = std::get_if<Failure>(&value)) return *failure;
        success.value = std::move(std::get<Value>(value));
        const Value& v = success.value;
        success.type = v.is_null()      ? "null"
                       : v.is_boolean() ? "boolean"
                       : v.is_number()  ? "number"
                       : v.is_string()  ? "string"
                       : v.is_array()   ? "array"
                                        : "object";
      }
    }

    std::size_t used = success.value.is_null() ? 0 : core::DumpJson(success.value).size();
    for (const std::string& name : read_back) {
      const auto at = std::find(names.begin(), names.end(), name);
      if (at == names.end()) continue;
      JS::RootedValue v(cx, args[static_cast<std::size_t>(at - names.begin())]);
      const std::size_t room = out_limit > used ? out_limit - used : 0;
      std::variant<Value, Failure> value =
          ToReplyValue(v, room, "'" + name + "' read back", file, code_lines, cpu_ms, mem_mb);
      if (auto* failure = std::get_if<Failure>(&value)) return *failure;
      used += core::DumpJson(std::get<Value>(value)).size();
      success.read_back[name] = std::move(std::get<Value>(value));
    }
    return success;
  }
};

JsRuntime::JsRuntime(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

JsRuntime::~JsRuntime() = default;

core::Result<std::unique_ptr<JsRuntime>> JsRuntime::Create() {
  return Create(EmbeddedStartupBlobs());
}

core::Result<std::unique_ptr<JsRuntime>> JsRuntime::Create(StartupBlobs blobs) {
  if (g_created.exchange(true)) {
    return core::Conflict("the javascript runtime can be created only once per process");
  }
  InstallScriptBuildIdOp();  // the caches are checked against it, by us and by SpiderMonkey
  if (!JS_Init()) return core::Internal("JS_Init failed (is RLIMIT_AS too small?)");
  auto impl = std::make_unique<Impl>();
  impl->blobs = blobs;
  JSContext* cx = JS_NewContext(kIdleGcMaxBytes);
  if (cx == nullptr) return core::Internal("JS_NewContext failed");
  impl->cx = cx;
  JS_SetContextPrivate(cx, impl.get());
  if (!js::UseInternalJobQueues(cx)) return core::Internal("js::UseInternalJobQueues failed");
  // A corrupt cache body crashes SpiderMonkey: only bytes that pass every check reach it.
  const core::Result<std::span<const std::uint8_t>> self_hosted =
      OpenStartupBlob(blobs.self_hosted, StartupBlobKind::kSelfHosted, ScriptBuildId(), 0);
  if (self_hosted) {
    if (!JS::InitSelfHostedCode(cx,
                                JS::SelfHostedCache(self_hosted->data(), self_hosted->size()))) {
      return core::Internal("JS::InitSelfHostedCode failed with the start-up cache");
    }
    impl->stats.self_hosted_cached = true;
  } else if (!JS::InitSelfHostedCode(cx)) {
    return core::Internal("JS::InitSelfHostedCode failed");
  }
  JS_SetNativeStackQuota(cx, kNativeStackQuota);
  JS::ContextOptionsRef(cx).setWasm(false);
  JS_SetSecurityCallbacks(cx, &kSecurityCallbacks);
  JS::SetWarningReporter(cx, IgnoreWarning);
  impl->preparer.cx = cx;
  js::SetScriptEnvironmentPreparer(cx, &impl->preparer);
  if (!JS_AddInterruptCallback(cx, &Impl::OnInterrupt)) {
    return core::Internal("JS_AddInterruptCallback failed");
  }
  if (pthread_getcpuclockid(pthread_self(), &impl->cpu_clock) != 0) {
    return core::Internal("pthread_getcpuclockid failed");
  }

  {
    JS::RootedObject anchor(cx, impl->NewGlobal(false));
    if (!anchor) return core::Internal("could not create the anchor global");
    impl->anchor = std::make_unique<JS::PersistentRootedObject>(cx, anchor);
    JSAutoRealm realm(cx, anchor);
    const core::Result<std::span<const std::uint8_t>> prelude =
        OpenStartupBlob(blobs.prelude_stencil, StartupBlobKind::kPreludeStencil, ScriptBuildId(),
                        Checksum64(SandboxPrelude()));
    if (prelude) impl->prelude_stencil = DecodeStartupStencil(cx, *prelude);
    impl->stats.prelude_cached = impl->prelude_stencil != nullptr;
    if (!impl->prelude_stencil) impl->prelude_stencil = CompilePreludeStencil(cx);
    if (!impl->prelude_stencil) {
      return core::Internal("the sandbox prelude does not compile: " + impl->PendingMessage());
    }
  }
  Impl* raw = impl.get();
  impl->watchdog = std::thread([raw] { raw->WatchdogLoop(); });
  return std::unique_ptr<JsRuntime>(new JsRuntime(std::move(impl)));
}

core::Result<void> JsRuntime::WarmUp() {
  CloseScope();
  // glibc reads the host time zone once (TZ, else /etc/localtime, which it then only stats).
  tzset();
  // OpenSSL reads its configuration file on the first digest (cheap if that happened already).
  if (!WarmUpDigests()) return core::Internal("the javascript warm-up failed: a digest is missing");
  // ICU detects the host time zone on the first local Date (with TZ unset it readlinks
  // /etc/localtime, which the filter does not allow). Intl's locale data is in libmozjs.
  JSContext* cx = impl_->cx;
  JSAutoRealm realm(cx, impl_->anchor->get());
  static constexpr std::string_view kCode = "new Date(0).getTimezoneOffset()";
  JS::CompileOptions options(cx);
  Impl::Configure(options, "<warm-up>");
  JS::SourceText<mozilla::Utf8Unit> source;
  JS::RootedValue offset(cx);
  if (!source.init(cx, kCode.data(), kCode.size(), JS::SourceOwnership::Borrowed) ||
      !JS::Evaluate(cx, options, source, &offset) || !offset.isNumber()) {
    return core::Internal("the javascript warm-up failed: " + impl_->PendingMessage());
  }
  return {};
}

core::Result<void> JsRuntime::OpenScope(std::optional<std::uint64_t> seed, std::string locale) {
  return impl_->Open(seed, locale);
}

void JsRuntime::CloseScope() { impl_->Close(); }

bool JsRuntime::HasScope() const { return impl_->global != nullptr; }

JsRuntime::Stats JsRuntime::stats() const { return impl_->stats; }

Value JsRuntime::Evaluate(const Value& request) { return impl_->Evaluate(request); }

std::string JsRuntime::MozjsVersion() {
  std::string version = JS_GetImplementationVersion();
  const std::size_t digit = version.find_first_of("0123456789");
  return digit == std::string::npos ? version : version.substr(digit);
}

}  // namespace flow::adapters::sandbox
