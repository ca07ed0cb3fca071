#include "core/report/report_files.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <optional>
#include <system_error>

#include "core/util/time.hpp"

namespace flow::core {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t kBufferBytes = 1 << 16;

Error FileError(const std::string& what, const std::string& path, int error_number) {
  return Unavailable(what + " " + path + ": " + std::strerror(error_number));
}

Result<void> EnsureDirectory(const std::string& directory) {
  std::error_code ec;
  fs::create_directories(directory.empty() ? "." : directory, ec);
  if (ec) return Unavailable("cannot create the report directory " + directory + ": " + ec.message());
  return Ok();
}

// Writes all of `data` at `offset` (retrying short writes and EINTR); false with errno set.
bool WriteAllAt(int fd, std::string_view data, off_t offset) {
  while (!data.empty()) {
    const ssize_t n = ::pwrite(fd, data.data(), data.size(), offset);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    data.remove_prefix(static_cast<std::size_t>(n));
    offset += n;
  }
  return true;
}

// A descriptor with a write buffer; keeps the first error.
class BufferedFile {
 public:
  BufferedFile() = default;
  BufferedFile(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  ~BufferedFile() { Close(); }
  BufferedFile(const BufferedFile&) = delete;
  BufferedFile& operator=(const BufferedFile&) = delete;

  void Write(std::string_view text) {
    if (error_ || fd_ < 0) return;
    if (buffer_.size() + text.size() > kBufferBytes) {
      Flush();
      if (text.size() > kBufferBytes) {
        if (!WriteAllAt(fd_, text, size_)) {
          error_ = FileError("cannot write", path_, errno);
          return;
        }
        size_ += static_cast<off_t>(text.size());
        return;
      }
    }
    buffer_.append(text);
  }
  void Flush() {
    if (error_ || fd_ < 0 || buffer_.empty()) return;
    if (!WriteAllAt(fd_, buffer_, size_)) {
      error_ = FileError("cannot write", path_, errno);
      return;
    }
    size_ += static_cast<off_t>(buffer_.size());
    buffer_.clear();
  }
  // Sends the flushed bytes and then the buffered ones to `out`.
  void ReplayTo(TextOutput& out) const {
    if (fd_ < 0) return;
    std::string chunk(kBufferBytes, '\0');
    for (off_t at = 0; at < size_;) {
      const ssize_t n = ::pread(fd_, chunk.data(), chunk.size(), at);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        if (!error_) error_ = FileError("cannot read", path_, n < 0 ? errno : EIO);
        return;
      }
      out.Write(std::string_view(chunk.data(), static_cast<std::size_t>(n)));
      at += n;
    }
    out.Write(buffer_);
  }
  void Truncate() {
    buffer_.clear();
    if (fd_ >= 0 && size_ > 0 && ::ftruncate(fd_, 0) != 0 && !error_) {
      error_ = FileError("cannot truncate", path_, errno);
    }
    size_ = 0;
  }
  void Close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }
  bool Empty() const { return size_ == 0 && buffer_.empty(); }
  int fd() const { return fd_; }
  Result<void> Status() const {
    if (error_) return *error_;
    return Ok();
  }
  void Fail(Error e) {
    if (!error_) error_ = std::move(e);
  }

 private:
  int fd_ = -1;
  std::string path_;
  std::string buffer_;
  off_t size_ = 0;
  mutable std::optional<Error> error_;
};

// A unique new file in `directory` named after `prefix`; its path in `path`.
int MakeTemporary(const std::string& directory, const std::string& prefix, std::string& path) {
  std::string pattern = (fs::path(directory.empty() ? "." : directory) / (prefix + "XXXXXX")).string();
  const int fd = ::mkstemp(pattern.data());
  path = pattern;
  if (fd >= 0) ::fcntl(fd, F_SETFD, FD_CLOEXEC);
  return fd;
}

class FileSpool final : public TextSpool {
 public:
  // fd < 0: the spool could not be created, `failure` says why.
  FileSpool(int fd, std::string directory, std::optional<Error> failure)
      : file_(fd, std::move(directory)) {
    if (failure) file_.Fail(std::move(*failure));
  }
  void Write(std::string_view text) override { file_.Write(text); }
  Result<void> Status() const override { return file_.Status(); }
  void ReplayTo(TextOutput& out) const override { file_.ReplayTo(out); }
  void Clear() override { file_.Truncate(); }
  bool Empty() const override { return file_.Empty(); }

 private:
  BufferedFile file_;
};

class FileOutput final : public TextOutput {
 public:
  FileOutput(int fd, std::string path) : file_(fd, std::move(path)) {}
  void Write(std::string_view text) override { file_.Write(text); }
  Result<void> Status() const override { return file_.Status(); }
  Result<void> Finish() {
    file_.Flush();
    if (file_.fd() >= 0 && ::fchmod(file_.fd(), 0644) != 0) {
      file_.Fail(FileError("cannot set the mode of", "the report", errno));
    }
    file_.Close();
    return file_.Status();
  }

 private:
  BufferedFile file_;
};

}  // namespace

FileSpoolFactory::FileSpoolFactory(std::string directory) : directory_(std::move(directory)) {}

std::unique_ptr<TextSpool> FileSpoolFactory::CreateSpool() {
  if (Result<void> dir = EnsureDirectory(directory_); !dir) {
    return std::make_unique<FileSpool>(-1, directory_, dir.error());
  }
  std::string path;
  const int fd = MakeTemporary(directory_, ".flowtest-spool-", path);
  if (fd < 0) {
    return std::make_unique<FileSpool>(
        -1, directory_, FileError("cannot create a temporary report file in", directory_, errno));
  }
  ::unlink(path.c_str());  // anonymous: gone with the descriptor, whatever happens
  return std::make_unique<FileSpool>(fd, path, std::nullopt);
}

Result<void> WriteFileAtomically(const std::string& path,
                                 const std::function<Result<void>(TextOutput&)>& render) {
  const std::string directory = fs::path(path).parent_path().string();
  if (Result<void> dir = EnsureDirectory(directory); !dir) return dir;
  std::string temporary;
  const int fd = MakeTemporary(directory, "." + fs::path(path).filename().string() + ".", temporary);
  if (fd < 0) return FileError("cannot create a temporary file for", path, errno);
  FileOutput out(fd, temporary);
  Result<void> written = render(out);
  Result<void> finished = out.Finish();
  if (written && !finished) written = std::move(finished);
  if (written && ::rename(temporary.c_str(), path.c_str()) != 0) {
    written = FileError("cannot write", path, errno);
  }
  if (!written) ::unlink(temporary.c_str());
  return written;
}

Result<void> WriteReportFile(const StreamedReport& report, const std::string& path) {
  return WriteFileAtomically(path, [&](TextOutput& out) { return report.WriteTo(out); });
}

Result<std::string> WriteReportWithLatest(const StreamedReport& report, const std::string& directory,
                                          const std::string& stamped_name,
                                          const std::string& latest_name) {
  const fs::path dir(directory.empty() ? "." : directory);
  const std::string stamped = (dir / stamped_name).string();
  const std::string latest = (dir / latest_name).string();
  if (Result<void> w = WriteReportFile(report, stamped); !w) return w.error();
  std::string temporary;
  const int fd = MakeTemporary(dir.string(), "." + latest_name + ".", temporary);
  if (fd < 0) return FileError("cannot create a temporary file for", latest, errno);
  ::close(fd);
  std::error_code ec;
  fs::copy_file(stamped, temporary, fs::copy_options::overwrite_existing, ec);
  if (!ec) fs::permissions(temporary, fs::perms(0644), ec);
  if (!ec) fs::rename(temporary, latest, ec);
  if (ec) {
    fs::remove(temporary, ec);
    return Unavailable("cannot write " + latest + ": " + ec.message());
  }
  return latest;
}

Result<std::string> WriteJsonReports(const AggregatedReport& report, const std::string& directory) {
  return WriteReportWithLatest(report, directory, report.FileStem() + ".json", "latest.json");
}

FileHtmlPages::FileHtmlPages(std::string directory) : directory_(std::move(directory)) {}

Result<void> FileHtmlPages::Write(const std::string& node_id, std::int64_t run_started_at_ms,
                                  const std::function<void(TextOutput&)>& render) {
  // node_ids are validated identifiers, but keep the name a plain file name whatever they hold.
  std::string name;
  for (const char c : node_id) {
    const bool plain = std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
    name += plain ? c : '_';
  }
  if (name.empty() || name[0] == '.') name = "_" + name;
  const std::string path =
      (fs::path(directory_) / (name + "_" + FormatFileStamp(run_started_at_ms) + ".html")).string();
  Result<void> written = WriteFileAtomically(path, [&](TextOutput& out) {
    render(out);
    return out.Status();
  });
  if (written) written_.push_back(path);
  return written;
}

Result<std::unique_ptr<LineFile>> LineFile::Open(const std::string& path) {
  const std::string directory = fs::path(path).parent_path().string();
  if (!directory.empty()) {
    if (Result<void> dir = EnsureDirectory(directory); !dir) return dir.error();
  }
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) return FileError("cannot open", path, errno);
  return std::unique_ptr<LineFile>(new LineFile(fd, path));
}

LineFile::~LineFile() {
  if (fd_ >= 0) ::close(fd_);
}

void LineFile::Write(std::string_view text) {
  if (error_) return;
  while (!text.empty()) {
    const ssize_t n = ::write(fd_, text.data(), text.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      error_ = FileError("cannot write", path_, errno);
      return;
    }
    text.remove_prefix(static_cast<std::size_t>(n));
  }
}

Result<void> LineFile::Status() const {
  if (error_) return *error_;
  return Ok();
}

}  // namespace flow::core
