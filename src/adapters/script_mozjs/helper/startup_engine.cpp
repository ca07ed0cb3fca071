#include "adapters/script_mozjs/helper/startup_engine.hpp"

#include <elf.h>
#include <js/BuildId.h>
#include <js/CompilationAndEvaluation.h>
#include <js/CompileOptions.h>
#include <js/SourceText.h>
#include <js/Transcoding.h>
#include <link.h>
#include <sys/stat.h>

#include <cstring>
#include <string_view>

#include "adapters/script_mozjs/faker/faker_bundle.hpp"
#include "adapters/script_mozjs/helper/js_prelude.hpp"

namespace flow::adapters::sandbox {
namespace {

constexpr std::string_view kCacheFormat = "flowtest-js-cache-1";

struct MozjsObject {
  std::string path;
  std::string build_id;  // lower-case hex; empty without an NT_GNU_BUILD_ID note
  bool found = false;
};

std::string Hex(const unsigned char* bytes, std::size_t size) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i < size; ++i) {
    out.push_back(kDigits[bytes[i] >> 4]);
    out.push_back(kDigits[bytes[i] & 15]);
  }
  return out;
}

// The NT_GNU_BUILD_ID note of a loaded object, read from its PT_NOTE segments in memory.
std::string GnuBuildId(const dl_phdr_info& info) {
  for (int i = 0; i < info.dlpi_phnum; ++i) {
    const ElfW(Phdr)& segment = info.dlpi_phdr[i];
    if (segment.p_type != PT_NOTE) continue;
    const std::size_t align = segment.p_align == 8 ? 8 : 4;
    const auto pad = [align](std::size_t n) { return (n + align - 1) / align * align; };
    const auto* at = reinterpret_cast<const unsigned char*>(info.dlpi_addr + segment.p_vaddr);
    std::size_t left = segment.p_memsz;
    while (left >= sizeof(ElfW(Nhdr))) {
      ElfW(Nhdr) note{};
      std::memcpy(&note, at, sizeof note);
      const std::size_t name_at = sizeof note;
      const std::size_t desc_at = name_at + pad(note.n_namesz);
      const std::size_t next = desc_at + pad(note.n_descsz);
      if (next > left || desc_at + note.n_descsz > left) break;
      if (note.n_type == NT_GNU_BUILD_ID && note.n_namesz == 4 &&
          std::memcmp(at + name_at, "GNU", 4) == 0 && note.n_descsz > 0) {
        return Hex(at + desc_at, note.n_descsz);
      }
      at += next;
      left -= next;
    }
  }
  return "";
}

int FindMozjs(dl_phdr_info* info, std::size_t, void* data) {
  const std::string_view name = info->dlpi_name != nullptr ? info->dlpi_name : "";
  const std::size_t slash = name.rfind('/');
  const std::string_view base = slash == std::string_view::npos ? name : name.substr(slash + 1);
  if (base.rfind("libmozjs", 0) != 0) return 0;
  auto* found = static_cast<MozjsObject*>(data);
  found->found = true;
  found->path = std::string(name);
  found->build_id = GnuBuildId(*info);
  return 1;
}

std::string ComputeBuildId() {
  std::string id(kCacheFormat);
  id.push_back(';');
  id += JS_GetImplementationVersion();
  id.push_back(';');
  MozjsObject mozjs;
  dl_iterate_phdr(&FindMozjs, &mozjs);
  if (!mozjs.build_id.empty()) {
    id += mozjs.build_id;
  } else if (struct stat st{}; mozjs.found && stat(mozjs.path.c_str(), &st) == 0) {
    id += mozjs.path + ":" + std::to_string(st.st_size) + ":" + std::to_string(st.st_mtim.tv_sec) +
          "." + std::to_string(st.st_mtim.tv_nsec);
  } else {
    id += "unknown-libmozjs";  // still the same for the generator and the helper of one build
  }
  return id;
}

bool CopyBuildId(JS::BuildIdCharVector* out) {
  const std::string& id = ScriptBuildId();
  return out->append(id.data(), id.size());
}

RefPtr<JS::Stencil> Compile(JSContext* cx, std::string_view text, const char* file) {
  JS::CompileOptions options(cx);
  options.setFileAndLine(file, 1).setForceFullParse();
  JS::SourceText<mozilla::Utf8Unit> source;
  if (!source.init(cx, text.data(), text.size(), JS::SourceOwnership::Borrowed)) return nullptr;
  return JS::CompileGlobalScriptToStencil(cx, options, source);
}

}  // namespace

const std::string& ScriptBuildId() {
  static const std::string id = ComputeBuildId();
  return id;
}

void InstallScriptBuildIdOp() {
  static_cast<void>(ScriptBuildId());
  JS::SetProcessBuildIdOp(&CopyBuildId);
}

RefPtr<JS::Stencil> CompileFakerStencil(JSContext* cx) {
  return Compile(cx, FakerBundleSource(), kFakerFileName);
}

RefPtr<JS::Stencil> CompilePreludeStencil(JSContext* cx) {
  return Compile(cx, SandboxPrelude(), kPreludeFileName);
}

RefPtr<JS::Stencil> DecodeStartupStencil(JSContext* cx, std::span<const std::uint8_t> body) {
  JS::CompileOptions options(cx);
  options.setForceFullParse();
  options.borrowBuffer = true;
  options.usePinnedBytecode = true;
  JS::DecodeOptions decode(options);
  const JS::TranscodeRange range(body.data(), body.size());
  RefPtr<JS::Stencil> stencil;
  const JS::TranscodeResult result = JS::DecodeStencil(cx, decode, range, getter_AddRefs(stencil));
  if (result != JS::TranscodeResult::Ok) {
    if (JS_IsExceptionPending(cx)) JS_ClearPendingException(cx);
    return nullptr;
  }
  return stencil;
}

}  // namespace flow::adapters::sandbox
