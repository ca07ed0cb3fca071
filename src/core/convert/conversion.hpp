// What an import produces: the files to write (suites and the fixtures they need) and the
// warnings about what could not be converted exactly. Plain values.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "core/error.hpp"

namespace flow::core::convert {

struct ConvertedFile {
  std::string path;        // relative to the output directory: "pets.yaml", "fixtures/x.txt"
  std::string text;        // the whole file
  std::string suite_name;  // for suites; "" for other files
  std::string node_id;
  std::size_t steps = 0;
};

struct ImportResult {
  std::string source;                // what was read: "OpenAPI 3.0.3", "Postman collection v2.1"
  std::vector<ConvertedFile> files;  // suites first, in run order, then fixtures
  std::vector<Error> warnings;       // `where` set when the cause is at a place of the input
};

// Sample content for file parts and file bodies the importers generate: one small text file.
inline constexpr const char* kSampleUploadPath = "fixtures/sample-upload.txt";
inline constexpr const char* kSampleUploadText =
    "flowtest sample upload: replace this file with real content for the request\n";

}  // namespace flow::core::convert
