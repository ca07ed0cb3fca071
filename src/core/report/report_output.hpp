// Where streamed reports write their text. A report keeps nothing of a step once it has written
// it: it appends to spools (temporary, replayable text) and, at the end, assembles the final
// document into a TextOutput. The CLI passes file-backed spools (report_files.hpp), so memory
// stays flat whatever the size of the run; tests use the in-memory ones below.
// Implementations are not thread-safe: one report uses them from one thread.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace flow::core {

class TextOutput {
 public:
  virtual ~TextOutput() = default;
  virtual void Write(std::string_view text) = 0;
  // The first failed write (disk full, ...), if any; writes after a failure are dropped.
  virtual Result<void> Status() const = 0;
};

// Append-only text that can be written out again, as often as needed.
class TextSpool : public TextOutput {
 public:
  // Writes everything appended so far to `out`, in order.
  virtual void ReplayTo(TextOutput& out) const = 0;
  virtual void Clear() = 0;
  virtual bool Empty() const = 0;
};

class SpoolFactory {
 public:
  virtual ~SpoolFactory() = default;
  virtual std::unique_ptr<TextSpool> CreateSpool() = 0;
};

// In memory: for tests and small runs.
class StringOutput final : public TextSpool {
 public:
  void Write(std::string_view text) override { text_.append(text); }
  Result<void> Status() const override { return Ok(); }
  void ReplayTo(TextOutput& out) const override { out.Write(text_); }
  void Clear() override { text_.clear(); }
  bool Empty() const override { return text_.empty(); }
  const std::string& text() const { return text_; }

 private:
  std::string text_;
};

class MemorySpoolFactory final : public SpoolFactory {
 public:
  std::unique_ptr<TextSpool> CreateSpool() override { return std::make_unique<StringOutput>(); }
};

}  // namespace flow::core
