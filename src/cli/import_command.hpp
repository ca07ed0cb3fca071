// `flowtest import <kind> ...`: converts an OpenAPI/Swagger spec or a Postman collection into
// suite files (core/convert does the conversion; this reads the input and writes the files).
//
//   flowtest import openapi SPEC [--output DIR] [--base-url URL] [--tag T]... [--force]
//   flowtest import postman COLLECTION [--output DIR] [--single-suite] [--force]
//
// The first argument names the kind. Anything else is reserved: a later `flowtest import DIR`
// (suites into a history database) takes the arguments that name no kind, so the dispatch below
// only knows the kinds and says which exist.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace flow::cli {

// Exit status: 0 written, 1 the input could not be read or converted or a file exists,
// 2 usage error.
int RunImportCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace flow::cli
