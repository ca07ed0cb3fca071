// DiscoverSuites: which files a run loads, from the paths on the command line and the
// configuration's discovery rules. Reads directories (no file contents); thread-compatible.
//
// For each path:
//   - a file: itself, whatever its name or extension (the user asked for it);
//   - a directory: every regular file below it whose path relative to that directory matches a
//     discovery.patterns glob and no discovery.exclude glob (core/config/glob.hpp), except the
//     configuration files (kConfigFileNames) and `*.schema.json`. Directories matched whole by
//     an exclude pattern ending in `/**`, hidden directories no pattern names, and directories
//     no pattern can reach are not entered. discovery.recursive: false looks at the directory's
//     own files only. Symbolic links are followed, each real directory entered once (no loops);
//     dangling links, sockets and FIFOs are skipped.
// No paths: config.test_directory.
//
// The result is sorted by path (byte order) and deduplicated (two spellings of the same file
// count once: the first in sort order is kept, explicit if any spelling was); paths keep the form
// they were given in, lexically normalised ("./tests/../tests/a.yaml" -> "tests/a.yaml"). Whether a
// file really is a suite is for the suite loader to decide. Errors: kNotFound naming a path that
// does not exist; kInvalidArgument for a path that is neither file nor directory, or a directory
// that cannot be read.
#pragma once

#include <string>
#include <vector>

#include "core/config/config.hpp"
#include "core/parse/document.hpp"
#include "core/result.hpp"

namespace flow::cli {

struct DiscoveredFile {
  std::string path;
  // True for a file path given directly (not found by walking a directory): the suite loader
  // treats such a file as a suite whatever it contains, and may skip a walked file that does
  // not look like one (a CI config, a fixture).
  bool explicit_path = false;

  bool operator==(const DiscoveredFile&) const = default;
};

core::Result<std::vector<DiscoveredFile>> DiscoverSuites(const std::vector<std::string>& paths,
                                                         const core::Config& config);

// A file found by walking a directory is only a suite if it looks like one (a mapping with
// `steps`, `suite_name` or `node_id`); other YAML and JSON files (CI configs, fixtures) are left
// alone. A file named on the command line always is.
bool LooksLikeSuite(const core::Document& doc);

// True for the names LoadConfig looks for and for `*.schema.json`: never suites in a directory.
bool IsNeverASuite(std::string_view file_name);

}  // namespace flow::cli
